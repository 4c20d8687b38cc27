// Workbook files on disk in the table formats, for the command line (Node only): a folder of CSV
// files (one per sheet, named after it), a single CSV file, or an XLSX workbook; and XLSX output
// streamed to a file descriptor.

import { readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError } from './bytes';
import { fileKind } from './open';
import { openCsv } from './csv/read';
import { fileSource, type FileSource } from './node-source';
import type { Table } from './table';
import { workbookFromTables, writeWorkbookXlsx, type TableReport, type WorkbookData } from './workbook';
import { XlsxWorkbook } from './xlsx/read';
import { XlsxWriter } from './xlsx/write';

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder's CSV files, in name order (what `reckon import FOLDER` reads). */
export function csvFilesIn(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => fileKind(f) === 'csv').sort();
  if (files.length === 0) throw new ImportError(`${dir}: no .csv files in this folder`);
  return files.map((f) => join(dir, f));
}

/**
 * A workbook from a CSV folder, a CSV file or an XLSX file. Any problem is one ImportError line
 * naming the file; nothing is returned half-read.
 */
export async function readTableWorkbook(path: string, report?: TableReport[]): Promise<WorkbookData> {
  const paths = isDirectory(path) ? csvFilesIn(path) : [path];
  const sources: FileSource[] = [];
  try {
    const tables: Table[] = [];
    for (const p of paths) {
      let src: FileSource;
      try {
        src = await fileSource(p);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new ImportError(`${p}: ${e.code === 'ENOENT' ? 'no such file' : e.message.split('\n')[0]}`);
      }
      sources.push(src);
      try {
        if (fileKind(p) === 'xlsx') tables.push(...(await XlsxWorkbook.open(src)).tables);
        else tables.push(await openCsv(src));
      } catch (err) {
        if (err instanceof ImportError) throw new ImportError(`${p}: ${err.message}`);
        throw err;
      }
    }
    return await workbookFromTables(tables, { report });
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** Writes a workbook as XLSX to an open file, streamed. */
export function writeXlsxFd(fd: number, wb: WorkbookData): void {
  const w = new XlsxWriter((chunk) => {
    for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at);
  });
  writeWorkbookXlsx(wb, w);
  w.finish();
}
