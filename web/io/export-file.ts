// Workbook files from a document state (runs in the io worker): JSON written row by row, XLSX
// streamed; both as a list of parts for a Blob, never one string of the whole workbook.

import { SHEETS } from '../../engine/schema';
import { exportWorkbook } from '../../worker/doc/export';
import { openWorkbookDoc } from '../../worker/doc/open';
import { writeWorkbookXlsx, type WorkbookData } from '../../io/workbook';
import { XlsxWriter } from '../../io/xlsx/write';

export type ExportFormat = 'json' | 'xlsx';

export function workbookFileParts(state: Uint8Array, format: ExportFormat): (string | Uint8Array)[] {
  const doc = openWorkbookDoc(state);
  try {
    const wb = exportWorkbook(doc);
    return format === 'xlsx' ? xlsxParts(wb as unknown as WorkbookData) : jsonParts(wb as unknown as WorkbookData);
  } finally {
    doc.destroy();
  }
}

function jsonParts(wb: WorkbookData): string[] {
  const parts = [`{"format":${JSON.stringify(wb.format)},\n"settings":${JSON.stringify(wb.settings)}`];
  for (const sheet of SHEETS) {
    const rows = wb[sheet] ?? [];
    parts.push(`,\n${JSON.stringify(sheet)}:[`);
    for (let i = 0; i < rows.length; i += 2000) {
      let chunk = '';
      for (let j = i; j < Math.min(rows.length, i + 2000); j++) chunk += (j === 0 ? '\n' : ',\n') + JSON.stringify(rows[j]);
      parts.push(chunk);
    }
    parts.push(']');
  }
  parts.push('}\n');
  return parts;
}

function xlsxParts(wb: WorkbookData): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const w = new XlsxWriter((chunk) => parts.push(chunk));
  writeWorkbookXlsx(wb, w);
  w.finish();
  return parts;
}
