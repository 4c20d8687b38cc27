// Writing CSV: papaparse's unparser quotes what needs quoting (delimiters, quotes, line breaks,
// leading or trailing spaces). Rows are turned into text a batch at a time, so a million-row sheet
// is produced as a stream of strings rather than one.

import Papa from 'papaparse';
import type { Cell } from '../table';

/** UTF-8 byte-order mark: Excel needs it to open a UTF-8 CSV as UTF-8. */
export const BOM = '\uFEFF';

export interface CsvWriteOptions {
  /** Prefix cells that start with = + - @ so a spreadsheet does not run them (reports, not data). */
  escapeFormulae?: boolean;
}

function cellText(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  return JSON.stringify(v);
}

/** The CSV text of a header and rows, in batches of `batch` rows (the first string has the BOM and header). */
export function* csvChunks(header: readonly string[], rows: Iterable<readonly unknown[]>, options: CsvWriteOptions = {}, batch = 5000): Generator<string> {
  const config = { newline: '\r\n', escapeFormulae: options.escapeFormulae ?? false };
  yield `${BOM}${Papa.unparse([header as string[]], config)}\r\n`;
  let buf: Cell[][] = [];
  for (const r of rows) {
    buf.push(r.map(cellText));
    if (buf.length >= batch) {
      yield `${Papa.unparse(buf, config)}\r\n`;
      buf = [];
    }
  }
  if (buf.length > 0) yield `${Papa.unparse(buf, config)}\r\n`;
}

export function csvText(header: readonly string[], rows: Iterable<readonly unknown[]>, options: CsvWriteOptions = {}): string {
  return [...csvChunks(header, rows, options)].join('');
}
