// Writing XLSX, streamed: rows go out as deflated XML through fflate's Zip as they are written, so a
// million-row sheet never exists as one string. Strings are written inline (no shared-string table
// to hold in memory); deflate still compresses repeated text well. Styles are a fixed table
// (bold header, dates, money, status fills), so styles.xml can be written first.

import { Zip, ZipDeflate } from 'fflate';
import type { Cell } from '../table';
import { columnName } from './read';
import { isoToSerial } from './dates';

/** Cell style indexes into the fixed cellXfs table below. */
export const STYLE = {
  normal: 0, header: 1, date: 2, datetime: 3, datetimeMs: 4, money: 5,
  compliant: 6, warning1: 7, warning2: 8, noncompliant: 9, number: 10, title: 11,
} as const;
export type StyleName = keyof typeof STYLE;

/** Status fills: the same colours as the report page and the dashboard. */
export const STATUS_COLOURS = { compliant: 'C6EFCE', warning1: 'FFF2CC', warning2: 'FCE4D6', noncompliant: 'FFC7CE' } as const;

const STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd&quot;T&quot;hh:mm:ss&quot;Z&quot;"/><numFmt numFmtId="166" formatCode="yyyy\\-mm\\-dd&quot;T&quot;hh:mm:ss.000&quot;Z&quot;"/><numFmt numFmtId="167" formatCode="#,##0.00"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Calibri"/></font></fonts>
<fills count="6"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${
  Object.values(STATUS_COLOURS).map((c) => `<fill><patternFill patternType="solid"><fgColor rgb="FF${c}"/><bgColor indexed="64"/></patternFill></fill>`).join('')}</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="12"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="5" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** XML text, with Excel's _xHHHH_ escape for characters XML 1.0 cannot hold (and for "_x" itself). */
export function xmlText(s: string): string {
  let out = s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
  if (out.indexOf('_x') >= 0) out = out.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\x00-\x08\x0B-\x1F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const attr = (s: string) => xmlText(s).replace(/"/g, '&quot;');

/** A cell to write: a value, optionally with a style. Text that is an ISO date can be written as a date. */
export interface XCell {
  v: Cell | undefined;
  s?: StyleName;
  /** Write canonical ISO dates as Excel dates (the column is a date column). */
  date?: boolean;
}

export interface SheetOptions {
  /** Column widths in characters. */
  widths?: number[];
  /** Keep the first `frozenRows` rows in view when scrolling (and repeat them when printing). */
  frozenRows?: number;
}

export const MAX_ROWS = 1_048_576;
/** fflate level 1: a quarter of level 6's time for files a fifth larger; exports are written while people wait. */
const DEFLATE_LEVEL = 1;

export class SheetWriter {
  private rowNo = 0;
  private buf: string[] = [];
  private bufLen = 0;
  private readonly enc = new TextEncoder();

  constructor(private readonly file: ZipDeflate, readonly name: string, options: SheetOptions) {
    let head = `${XML_HEAD}<worksheet ${NS}><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`;
    if (options.frozenRows) {
      head += `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${options.frozenRows}" topLeftCell="A${options.frozenRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`;
    }
    head += '<sheetFormatPr defaultRowHeight="15"/>';
    if (options.widths?.length) {
      head += `<cols>${options.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.min(80, Math.max(6, w)).toFixed(1)}" customWidth="1"/>`).join('')}</cols>`;
    }
    this.emit(`${head}<sheetData>`);
  }

  private emit(s: string): void {
    this.buf.push(s);
    this.bufLen += s.length;
    if (this.bufLen > 256 * 1024) this.flush(false);
  }

  private flush(final: boolean): void {
    this.file.push(this.enc.encode(this.buf.join('')), final);
    this.buf = [];
    this.bufLen = 0;
  }

  get rows(): number {
    return this.rowNo;
  }

  row(cells: readonly XCell[]): void {
    if (this.rowNo >= MAX_ROWS) throw new Error(`sheet ${this.name} has more than ${MAX_ROWS.toLocaleString('en')} rows, Excel's limit`);
    const r = ++this.rowNo;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const { v, s, date } = cells[i];
      if (v === null || v === undefined || v === '') continue;
      const ref = `${columnName(i)}${r}`;
      let style: number = s ? STYLE[s] : 0;
      if (typeof v === 'number') {
        xml += `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${Object.is(v, -0) ? 0 : v}</v></c>`;
      } else if (typeof v === 'boolean') {
        xml += `<c r="${ref}"${style ? ` s="${style}"` : ''} t="b"><v>${v ? 1 : 0}</v></c>`;
      } else {
        const d = date ? isoToSerial(v) : undefined;
        if (d) {
          if (style === 0) style = d.kind === 'date' ? STYLE.date : d.ms ? STYLE.datetimeMs : STYLE.datetime;
          xml += `<c r="${ref}" s="${style}"><v>${d.serial}</v></c>`;
        } else {
          const space = /^\s|\s$|\n/.test(v) ? ' xml:space="preserve"' : '';
          xml += `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t${space}>${xmlText(v)}</t></is></c>`;
        }
      }
    }
    this.emit(`${xml}</row>`);
  }

  end(): void {
    this.emit('</sheetData><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>');
    this.flush(true);
  }
}

/**
 * An XLSX file being written. Sheets are written one after another (each must be ended before the
 * next starts); `finish` adds the parts that list them. Bytes go to `onData` as they are made.
 */
export class XlsxWriter {
  private readonly zip: Zip;
  private readonly sheets: { name: string; frozenRows: number }[] = [];
  private failure: Error | null = null;

  constructor(onData: (chunk: Uint8Array, final: boolean) => void) {
    this.zip = new Zip((err, chunk, final) => {
      if (err) this.failure = err;
      else onData(chunk, final);
    });
    this.text('xl/styles.xml', STYLES_XML);
  }

  private text(path: string, content: string): void {
    const f = new ZipDeflate(path, { level: DEFLATE_LEVEL });
    this.zip.add(f);
    f.push(new TextEncoder().encode(content), true);
  }

  addSheet(name: string, options: SheetOptions = {}): SheetWriter {
    const clean = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
    this.sheets.push({ name: clean, frozenRows: options.frozenRows ?? 0 });
    const f = new ZipDeflate(`xl/worksheets/sheet${this.sheets.length}.xml`, { level: DEFLATE_LEVEL });
    this.zip.add(f);
    return new SheetWriter(f, clean, options);
  }

  finish(): void {
    const n = this.sheets.length;
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    this.text('[Content_Types].xml', `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${
      ids.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`);
    this.text('_rels/.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
    // Print titles: a frozen header is repeated at the top of every printed page.
    const titles = this.sheets.map((s, i) => (s.frozenRows ? `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">'${s.name.replace(/'/g, "''")}'!$1:$${s.frozenRows}</definedName>` : '')).join('');
    this.text('xl/workbook.xml', `${XML_HEAD}<workbook ${NS}><bookViews><workbookView/></bookViews><sheets>${
      this.sheets.map((s, i) => `<sheet name="${attr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>${titles ? `<definedNames>${titles}</definedNames>` : ''}</workbook>`);
    this.text('xl/_rels/workbook.xml.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${
      ids.map((i) => `<Relationship Id="rId${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('')}<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
    this.zip.end();
    if (this.failure) throw this.failure;
  }
}

/** Collects a writer's output in memory (tests, and small files such as reports). */
export function collectXlsx(write: (w: XlsxWriter) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = new XlsxWriter((chunk) => parts.push(chunk));
  write(w);
  w.finish();
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
