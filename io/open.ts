// Opening import files by their extension: CSV (and .tsv/.txt) files are one table each, an XLSX
// workbook is one table per worksheet. JSON workbooks are not tables: callers read them whole.

import { ImportError, extensionOf, type ByteSource } from './bytes';
import { openCsv, type CsvOptions } from './csv/read';
import type { Table } from './table';
import { XlsxWorkbook } from './xlsx/read';

export type FileKind = 'csv' | 'xlsx' | 'json';

export function fileKind(name: string): FileKind | undefined {
  const ext = extensionOf(name);
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'json') return 'json';
  return undefined;
}

/** The tables of CSV and XLSX files, in the order given. Each failure names its file. */
export async function openTables(sources: readonly ByteSource[], csv: CsvOptions = {}): Promise<Table[]> {
  const tables: Table[] = [];
  for (const src of sources) {
    const file = src.name.split(/[\\/]/).pop() ?? src.name;
    try {
      const kind = fileKind(src.name);
      if (kind === 'csv') tables.push(await openCsv(src, csv));
      else if (kind === 'xlsx') tables.push(...(await XlsxWorkbook.open(src)).tables);
      else if (extensionOf(src.name) === 'xls') throw new ImportError('an old .xls workbook: save it as .xlsx');
      else throw new ImportError('not a CSV or XLSX file (by its extension)');
    } catch (err) {
      if (err instanceof ImportError) throw new ImportError(`${file}: ${err.message}`);
      throw err;
    }
  }
  return tables;
}
