// Reading an XLSX workbook: one Table per worksheet, streamed row by row. The small parts (workbook,
// relationships, styles, shared strings) are read whole; a worksheet's XML is inflated and tokenized
// slice by slice. Cell types are kept: numbers, booleans, text; numbers shown as dates become ISO
// 8601 text (io/xlsx/dates.ts). Formulas give their cached value.

import { ImportError, type ByteSource } from '../bytes';
import { cleanHeader, type Cell, type RowBatch, type Table } from '../table';
import { formatKind, serialToIso, type DateKind } from './dates';
import { decodeEntities, XmlTokenizer, type XmlHandler } from './xml';
import { checkTotalSize, entryStream, entryText, MAX_WHOLE_PART_BYTES, readZipDirectory, type ZipEntry } from './zip';

/** Excel's escape for characters XML cannot hold (ST_Xstring): "_x000B_". */
export function unescapeXstring(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Every element with a given local name, as attribute maps, from a small part. */
function elements(xml: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}\\b([^>]*?)/?>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const key = a[1].includes(':') ? a[1].slice(a[1].indexOf(':') + 1) : a[1];
      attrs[key] = decodeEntities(a[2] ?? a[3]);
      attrs[a[1]] = attrs[key];
    }
    out.push(attrs);
  }
  return out;
}

/** Resolves a relationship target against the folder of the part that names it. */
function resolve(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function relsOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

interface Styles {
  /** Per cell style index: the date kind of its number format, if a date. */
  kinds: (DateKind | 'time' | undefined)[];
}

async function readStyles(src: ByteSource, entry: ZipEntry | undefined): Promise<Styles> {
  if (!entry) return { kinds: [] };
  const xml = await entryText(src, entry);
  const codes = new Map<number, string>();
  for (const f of elements(xml, 'numFmt')) codes.set(Number(f.numFmtId), f.formatCode);
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  const kinds = elements(cellXfs, 'xf').map((xf) => {
    const id = Number(xf.numFmtId ?? 0);
    return formatKind(id, codes.get(id));
  });
  return { kinds };
}

async function readSharedStrings(src: ByteSource, entry: ZipEntry | undefined): Promise<string[]> {
  if (!entry) return [];
  const strings: string[] = [];
  let current = '', inT = false, skip = 0;
  const handler: XmlHandler = {
    open(name, _a, selfClosing) {
      if (selfClosing) return;
      if (name === 'si') current = '';
      else if (name === 't') inT = true;
      else if (name === 'rPh') skip++; // phonetic guide text is not part of the value
    },
    close(name) {
      if (name === 'si') strings.push(unescapeXstring(current));
      else if (name === 't') inT = false;
      else if (name === 'rPh') skip--;
    },
    text(t) { current += t; },
    wantText: () => inT && skip === 0,
  };
  const tok = new XmlTokenizer(handler, entry.name);
  const decoder = new TextDecoder();
  for await (const chunk of entryStream(src, entry, undefined, MAX_WHOLE_PART_BYTES)) tok.push(decoder.decode(chunk, { stream: true }));
  tok.push(decoder.decode());
  tok.end();
  return strings;
}

/** Excel's last column, XFD: a reference past it is a damaged or hostile file. */
export const MAX_COLUMNS = 16_384;

/** "BC12" → 54 (zero-based column of a cell reference); -1 when it is not one. */
export function columnIndex(ref: string): number {
  let col = 0, i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 32;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return i === 0 ? -1 : col - 1;
}

export class XlsxWorkbook {
  private constructor(readonly tables: XlsxTable[]) {}

  static async open(src: ByteSource): Promise<XlsxWorkbook> {
    const entries = await readZipDirectory(src);
    const get = (p: string) => entries.get(p);
    const rootRels = get('_rels/.rels');
    let wbPath = 'xl/workbook.xml';
    if (rootRels) {
      const doc = elements(await entryText(src, rootRels), 'Relationship').find((r) => /\/officeDocument$/.test(r.Type ?? ''));
      if (doc?.Target) wbPath = resolve('', doc.Target);
    }
    const wbEntry = get(wbPath);
    if (!wbEntry) throw new ImportError('not an XLSX workbook (no workbook part): is it a .docx, .ods or another zip file?');
    const wbXml = await entryText(src, wbEntry);
    const date1904 = elements(wbXml, 'workbookPr').some((p) => p.date1904 === '1' || p.date1904 === 'true');
    const relsEntry = get(relsOf(wbPath));
    const rels = new Map<string, { type: string; target: string }>();
    if (relsEntry) {
      for (const r of elements(await entryText(src, relsEntry), 'Relationship')) rels.set(r.Id, { type: r.Type ?? '', target: resolve(wbPath, r.Target ?? '') });
    }
    const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    const stylesEntry = get(byType('/styles') ?? 'xl/styles.xml'), stringsEntry = get(byType('/sharedStrings') ?? 'xl/sharedStrings.xml');
    const sheets = elements(wbXml, 'sheet').map((s) => {
      const target = rels.get(s.id)?.target;
      return { name: s.name, entry: target ? get(target) : undefined };
    });
    checkTotalSize([stylesEntry, stringsEntry, ...sheets.map((s) => s.entry)].filter((e): e is ZipEntry => e !== undefined), src.size);
    const styles = await readStyles(src, stylesEntry);
    const strings = await readSharedStrings(src, stringsEntry);
    const context: SheetContext = { src, styles, strings, date1904 };
    const tables: XlsxTable[] = [];
    const file = src.name.split(/[\\/]/).pop() ?? src.name;
    for (const { name, entry } of sheets) {
      if (!entry) continue; // chart sheets and dialog sheets have no cells
      const t = new XlsxTable(context, entry, `${file} › ${name}`, name);
      await t.init();
      if (t.header.length > 0) tables.push(t);
    }
    if (tables.length === 0) throw new ImportError('the workbook has no worksheet with a header row');
    return new XlsxWorkbook(tables);
  }
}

interface SheetContext {
  src: ByteSource;
  styles: Styles;
  strings: string[];
  date1904: boolean;
}

export class XlsxTable implements Table {
  readonly textOnly = false;
  readonly info = 'XLSX worksheet';
  header: string[] = [];
  constructor(private readonly ctx: SheetContext, private readonly entry: ZipEntry, readonly label: string, readonly sheetHint: string) {}

  async init(): Promise<void> {
    for await (const batch of this.read(true)) {
      if (batch.header) this.header = cleanHeader(batch.header);
      return;
    }
  }

  async *rows(): AsyncGenerator<RowBatch> {
    yield* this.read(false);
  }

  private async *read(headerOnly: boolean): AsyncGenerator<RowBatch & { header?: Cell[] }> {
    const { strings, styles, date1904 } = this.ctx;
    let header: Cell[] | undefined;
    let width = 0;
    let out: Cell[][] = [];
    let firstRow = 0, rowNumber = 0, cells = 0, sparse = false;
    let row: Cell[] = [];
    let col = -1, type = '', style = 0, text = '', capture = false, inInline = false, skip = 0, cellRef = '';
    const handler: XmlHandler = {
      open(name, a, selfClosing) {
        switch (name) {
          case 'row':
            rowNumber = a.r ? Number(a.r) : rowNumber + 1;
            row = [];
            col = -1;
            cells = 0;
            break;
          case 'c':
            cellRef = a.r ?? '';
            col = cellRef ? columnIndex(cellRef) : col + 1;
            if (col >= MAX_COLUMNS) {
              const where = cellRef ? `cell ${cellRef.slice(0, 20)}` : `row ${rowNumber} has a cell that`;
              throw new ImportError(`${where} is past column XFD, the last a worksheet has: is the file damaged?`);
            }
            type = a.t ?? 'n';
            style = a.s ? Number(a.s) : 0;
            text = '';
            break;
          case 'v': if (!selfClosing) capture = true; break;
          case 'is': inInline = true; break;
          case 't': if (inInline && !selfClosing) capture = true; break;
          case 'rPh': skip++; break;
        }
      },
      close(name) {
        switch (name) {
          case 'v': case 't': capture = false; break;
          case 'is': inInline = false; break;
          case 'rPh': skip--; break;
          case 'c': {
            // Rows are left sparse (a hole is a blank cell): a row's memory and the work on it follow
            // the cells it has, not the column of its last one (a header at XFD1 must not make every
            // row 16,384 cells long).
            const v = cellValue(type, text, style, cellRef);
            if (v !== null) {
              row[col] = v;
              cells++;
            }
            break;
          }
          case 'row': {
            if (cells === 0) break;
            if (!header) {
              header = Array.from(row, (v) => v ?? null);
              width = row.length;
              break;
            }
            if (row.length > width) {
              throw new ImportError(`row ${rowNumber} has a value in column ${columnName(row.length - 1)}, which has no header: add a header or delete the cell`);
            }
            if (out.length === 0) firstRow = rowNumber;
            // A row with most of its cells is made whole (blanks null, up to the header's width);
            // one with a few cells far apart stays sparse, and the batch says so.
            if (width > 2 * cells + 16) sparse = true;
            else for (let i = 0; i < width; i++) if (row[i] === undefined) row[i] = null;
            out.push(row);
            break;
          }
        }
      },
      text(t) { text += t; },
      wantText: () => capture && skip === 0,
    };
    const cellValue = (t: string, raw: string, s: number, ref: string): Cell => {
      if (raw === '') return null;
      switch (t) {
        case 's': {
          const str = strings[Number(raw)];
          if (str === undefined) throw new ImportError(`the workbook is damaged (cell ${ref} names a missing shared string)`);
          return str === '' ? null : str;
        }
        case 'inlineStr': case 'str': case 'e': {
          const str = unescapeXstring(raw);
          return str === '' ? null : str;
        }
        case 'b': return raw === '1' || raw === 'true';
        case 'd': return raw;
        default: {
          const n = Number(raw);
          if (!Number.isFinite(n)) throw new ImportError(`the workbook is damaged (cell ${ref} holds ${JSON.stringify(raw.slice(0, 20))}, not a number)`);
          const kind = styles.kinds[s];
          if (kind === 'date' || kind === 'datetime') return serialToIso(n, kind, date1904) ?? n;
          return n;
        }
      }
    };
    const tok = new XmlTokenizer(handler, this.entry.name);
    const decoder = new TextDecoder();
    let progress = 0;
    for await (const chunk of entryStream(this.ctx.src, this.entry, (f) => { progress = f; })) {
      tok.push(decoder.decode(chunk, { stream: true }));
      if (headerOnly && header) {
        yield { rows: [], firstRow: 1, progress, header };
        return;
      }
      if (out.length >= 2000) {
        yield { rows: out, firstRow, progress: Math.min(progress, 0.999), sparse };
        out = [];
        sparse = false;
      }
    }
    tok.push(decoder.decode());
    tok.end();
    if (headerOnly) {
      if (header) yield { rows: [], firstRow: 1, progress: 1, header };
      return;
    }
    yield { rows: out, firstRow, progress: 1, sparse };
  }
}

/** 0 → "A", 26 → "AA". */
export function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
