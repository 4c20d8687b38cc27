// Bulk import of a whole workbook into a document: each sheet's rows become chunks of CHUNK_ROWS
// rows, one transaction per chunk, so that each update a replica sends or stores stays small
// (about a megabyte for 10k installations). Rows are appended after what the document holds.

import type * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import { encodeChunk, type RawCells } from './chunk';
import { clockOf } from './keys';
import { settingsMap, sheetTypes } from './layout';
import { CHUNK_ROWS } from './model';

export interface WorkbookRows {
  settings: Record<string, unknown>;
  /** Rows of each sheet, in sheet order (undefined entries are skipped). */
  sheets: Partial<Record<string, readonly (RawCells | undefined)[]>>;
}

export interface ImportOptions {
  chunkRows?: number;
  /** Origin of the import's transactions (an undo manager can track or ignore it). */
  origin?: unknown;
}

/** Imports rows and settings; returns how many rows each sheet got. */
export function importWorkbook(doc: Y.Doc, wb: WorkbookRows, options: ImportOptions = {}): Record<string, number> {
  const size = options.chunkRows ?? CHUNK_ROWS;
  const clock = clockOf(doc);
  const counts: Record<string, number> = {};
  doc.transact(() => {
    const settings = settingsMap(doc);
    for (const [k, v] of Object.entries(wb.settings)) if (v !== undefined) settings.set(k, v);
  }, options.origin);
  for (const sheet of SHEETS) {
    const rows = (wb.sheets[sheet] ?? []).filter((r): r is RawCells => r !== undefined && r !== null);
    counts[sheet] = rows.length;
    const chunks = sheetTypes(doc, sheet).chunks;
    for (let at = 0; at < rows.length; at += size) {
      const chunk = encodeChunk(clock.chunkId(), rows.slice(at, at + size));
      doc.transact(() => chunks.push([chunk]), options.origin);
    }
  }
  return counts;
}
