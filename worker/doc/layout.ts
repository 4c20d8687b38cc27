// The shared types of a workbook document, by name (layout in model.ts). Every module reaches
// the document through these accessors, so the names live in one place.

import * as Y from 'yjs';
import type { CellValue, Chunk } from './model';

export const META = 'meta';
export const SETTINGS = 'settings';

export interface SheetTypes {
  /** Imported rows: immutable chunks, one Y.Array item each. */
  chunks: Y.Array<Chunk>;
  /** `${rowKey}\t${column}` → value: edits over chunk rows. */
  cells: Y.Map<CellValue>;
  /** rowKey → true: chunk rows deleted. */
  deleted: Y.Map<boolean>;
  /** rowKey → its cells: rows added by people. */
  rows: Y.Map<Y.Map<CellValue>>;
}

export function sheetTypes(doc: Y.Doc, sheet: string): SheetTypes {
  return {
    chunks: doc.getArray<Chunk>(`${sheet}/chunks`),
    cells: doc.getMap<CellValue>(`${sheet}/cells`),
    deleted: doc.getMap<boolean>(`${sheet}/deleted`),
    rows: doc.getMap<Y.Map<CellValue>>(`${sheet}/rows`),
  };
}

/** One listener per shared type of a sheet (rows observed deep: a row map's own cells included). */
export interface SheetListeners {
  chunks(e: Y.YArrayEvent<Chunk>): void;
  cells(e: Y.YMapEvent<CellValue>): void;
  deleted(e: Y.YMapEvent<boolean>): void;
  rows(events: Y.YEvent<Y.AbstractType<unknown>>[]): void;
}

/** Observes every shared type of a sheet; returns the function that stops. */
export function listenSheet(types: SheetTypes, l: SheetListeners): () => void {
  types.chunks.observe(l.chunks);
  types.cells.observe(l.cells);
  types.deleted.observe(l.deleted);
  types.rows.observeDeep(l.rows);
  return () => {
    types.chunks.unobserve(l.chunks);
    types.cells.unobserve(l.cells);
    types.deleted.unobserve(l.deleted);
    types.rows.unobserveDeep(l.rows);
  };
}

export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(META);
export const settingsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(SETTINGS);

/** The overlay key of one cell of a chunk row. Row keys never hold a tab. */
export const overlayKey = (rowKey: string, column: string): string => `${rowKey}\t${column}`;

export function splitOverlayKey(k: string): { rowKey: string; column: string } {
  const tab = k.indexOf('\t');
  return { rowKey: k.slice(0, tab), column: k.slice(tab + 1) };
}
