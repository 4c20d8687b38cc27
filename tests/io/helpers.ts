// Helpers for the import/export tests: whole workbooks through each format and back, and the
// comparison that treats blank, null and missing as the same (workbook.md).

import type { RawRow } from '../../engine/cells';
import { SHEETS } from '../../engine/schema';
import { bytesSource, textSource } from '../../io/bytes';
import { openTables } from '../../io/open';
import { workbookCsvFiles, workbookFromTables, writeWorkbookXlsx, type WorkbookData } from '../../io/workbook';
import { collectXlsx } from '../../io/xlsx/write';

export function toXlsx(wb: WorkbookData): Uint8Array {
  return collectXlsx((w) => writeWorkbookXlsx(wb, w));
}

export async function fromXlsx(bytes: Uint8Array, name = 'workbook.xlsx'): Promise<WorkbookData> {
  return workbookFromTables(await openTables([bytesSource(name, bytes)]));
}

export function toCsvFiles(wb: WorkbookData): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of workbookCsvFiles(wb)) out.set(f.name, [...f.chunks].join(''));
  return out;
}

export async function fromCsvFiles(files: Map<string, string>): Promise<WorkbookData> {
  return workbookFromTables(await openTables([...files].map(([name, text]) => textSource(name, text))));
}

/** Rows without blank cells (blank, null and missing mean the same), sheets as arrays. */
export function canonical(wb: WorkbookData): Record<string, unknown> {
  const out: Record<string, unknown> = { settings: wb.settings };
  for (const sheet of SHEETS) {
    out[sheet] = (wb[sheet] ?? []).filter((r): r is RawRow => !!r).map((r) => {
      const row: RawRow = {};
      for (const [k, v] of Object.entries(r)) if (v !== null && v !== undefined && v !== '') row[k] = v;
      return row;
    });
  }
  return out;
}
