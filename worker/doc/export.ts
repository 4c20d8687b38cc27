// Export of a document as a `reckon-workbook/1` object: settings, then every sheet's rows in key
// order with their current cells. Round trip: importWorkbook of a workbook, then exportWorkbook,
// gives the same rows, in the same order, with the same values and types (columns a row did not
// have stay absent; unknown columns are kept).

import type * as Y from 'yjs';
import { SHEETS, type SheetName } from '../../engine/schema';
import type { RawCells } from './chunk';
import { WorkbookReader, type WorkbookRead } from './reader';

/** The interchange format (workbook.md); engine/workbook.ts names it too, but the model imports no engine code. */
export const WORKBOOK_FORMAT = 'reckon-workbook/1';

export type WorkbookFile = { format: typeof WORKBOOK_FORMAT; settings: Record<string, unknown> } & Record<SheetName, RawCells[]>;

export function exportWorkbook(doc: Y.Doc, reader?: WorkbookRead): WorkbookFile {
  const r = reader ?? new WorkbookReader(doc);
  const out = { format: WORKBOOK_FORMAT, settings: r.settings() } as WorkbookFile;
  for (const sheet of SHEETS) out[sheet] = r.sheet(sheet).readAll().rows;
  if (!reader) r.destroy();
  return out;
}
