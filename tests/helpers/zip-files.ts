// Hand-built zip and XLSX files for hostile-input tests: entries with any declared sizes, entries
// sharing compressed data, and deflate streams of a repeated pattern made without holding them whole.

import { Deflate } from 'fflate';

export interface ZipEntrySpec {
  name: string;
  /** Bytes as stored (compressed when method 8). */
  data: Uint8Array;
  method: 0 | 8;
  /** Uncompressed size the directory declares (may lie). */
  size: number;
  /** Share the local header and data of an earlier entry (by index): an overlapping-entries bomb. */
  sameAs?: number;
}

const enc = new TextEncoder();

function u16(n: number): number[] { return [n & 0xff, (n >>> 8) & 0xff]; }
function u32(n: number): number[] { return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]; }

/** A zip file (no CRCs: the reader does not check them). */
export function zip(entries: ZipEntrySpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    if (e.sameAs !== undefined) { offsets.push(offsets[e.sameAs]); continue; }
    const name = enc.encode(e.name);
    const header = new Uint8Array([...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(e.method), ...u16(0), ...u16(0), ...u32(0),
      ...u32(e.data.length), ...u32(Math.min(e.size, 0xfffffffe)), ...u16(name.length), ...u16(0)]);
    offsets.push(at);
    parts.push(header, name, e.data);
    at += header.length + name.length + e.data.length;
  }
  const dirStart = at;
  entries.forEach((e, i) => {
    const source = e.sameAs !== undefined ? entries[e.sameAs] : e;
    const name = enc.encode(e.name);
    const rec = new Uint8Array([...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(source.method), ...u16(0), ...u16(0), ...u32(0),
      ...u32(source.data.length), ...u32(Math.min(e.size, 0xfffffffe)), ...u16(name.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offsets[i])]);
    parts.push(rec, name);
    at += rec.length + name.length;
  });
  parts.push(new Uint8Array([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(at - dirStart), ...u32(dirStart), ...u16(0)]));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function stored(name: string, text: string): ZipEntrySpec {
  const data = enc.encode(text);
  return { name, data, method: 0, size: data.length };
}

/** Deflate of `head`, then `pattern` repeated to `bytes`, then `tail`, made a megabyte at a time. */
export function deflatedRepeat(head: string, pattern: string, bytes: number, tail: string): { data: Uint8Array; size: number } {
  const out: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => out.push(chunk));
  const h = enc.encode(head), t = enc.encode(tail);
  d.push(h);
  const block = enc.encode(pattern.repeat(Math.max(1, Math.floor((1 << 20) / pattern.length))));
  let size = h.length;
  for (; size + block.length <= bytes; size += block.length) d.push(block);
  d.push(t, true);
  size += t.length;
  const data = new Uint8Array(out.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of out) { data.set(p, o); o += p.length; }
  return { data, size };
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const ROOT_RELS = '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';

/** The parts of a workbook whose worksheets are `sheets` (entries named xl/worksheets/sheetN.xml). */
export function xlsxWith(sheets: ZipEntrySpec[]): Uint8Array {
  const names = sheets.map((_, i) => `<sheet name="devices${i || ''}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = sheets.map((s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${s.name.replace(/^xl\//, '')}"/>`).join('');
  return zip([
    stored('[Content_Types].xml', CONTENT_TYPES),
    stored('_rels/.rels', ROOT_RELS),
    stored('xl/workbook.xml', `<?xml version="1.0"?><workbook xmlns:r="r"><sheets>${names}</sheets></workbook>`),
    stored('xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships>${rels}</Relationships>`),
    ...sheets.map((s) => (s.sameAs !== undefined ? { ...s, sameAs: s.sameAs + 4 } : s)),
  ]);
}

/** A worksheet entry holding rows of cells given as XML. */
export function sheetXml(name: string, rowsXml: string): ZipEntrySpec {
  return stored(name, `<?xml version="1.0"?><worksheet><sheetData>${rowsXml}</sheetData></worksheet>`);
}
