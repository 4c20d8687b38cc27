// Edits people make: one cell, one row added, one row deleted, one setting. Each is one small
// transaction (pass `origin` for an undo manager). A row's key says where it lives: chunk rows
// (keys with a '.') are edited through the overlay and the deleted map, added rows in their Y.Map.

import * as Y from 'yjs';
import { clockOf } from './keys';
import { overlayKey, settingsMap, sheetTypes } from './layout';
import type { CellValue, Cells } from './model';

const isChunkRow = (key: string) => key.includes('.');

/** Sets one cell (null: blank). Returns false when the row is not in the sheet. */
export function setCell(doc: Y.Doc, sheet: string, key: string, column: string, value: CellValue, origin?: unknown): boolean {
  const t = sheetTypes(doc, sheet);
  if (isChunkRow(key)) {
    if (t.deleted.has(key)) return false;
    doc.transact(() => t.cells.set(overlayKey(key, column), value), origin);
    return true;
  }
  const row = t.rows.get(key);
  if (!(row instanceof Y.Map)) return false;
  doc.transact(() => row.set(column, value), origin);
  return true;
}

/** Adds a row at the end of the sheet (its key is newer than every key this replica made). */
export function addRow(doc: Y.Doc, sheet: string, cells: Cells, origin?: unknown): string {
  const key = clockOf(doc).rowKey();
  const entries = Object.entries(cells).filter(([, v]) => v !== undefined);
  doc.transact(() => sheetTypes(doc, sheet).rows.set(key, new Y.Map<CellValue>(entries)), origin);
  return key;
}

/** Deletes a row. A deleted chunk row keeps its overlay cells (an undo brings them back too). */
export function deleteRow(doc: Y.Doc, sheet: string, key: string, origin?: unknown): boolean {
  const t = sheetTypes(doc, sheet);
  if (isChunkRow(key)) {
    if (t.deleted.has(key)) return false;
    doc.transact(() => t.deleted.set(key, true), origin);
    return true;
  }
  if (!t.rows.has(key)) return false;
  doc.transact(() => t.rows.delete(key), origin);
  return true;
}

/** Sets a setting (workbook.md "Settings"); undefined removes it (back to its default). */
export function setSetting(doc: Y.Doc, key: string, value: unknown, origin?: unknown): void {
  const settings = settingsMap(doc);
  doc.transact(() => {
    if (value === undefined) settings.delete(key);
    else settings.set(key, value);
  }, origin);
}

export function removeSetting(doc: Y.Doc, key: string, origin?: unknown): void {
  setSetting(doc, key, undefined, origin);
}
