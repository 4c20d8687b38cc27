// The document operations the UI needs, delegated to the document model (worker/doc/). What is
// added here is only what a grid needs on top of it: the sheet's row keys without materializing
// rows, and one cell read at a time (the grid reads cells, not rows, on every render and sort).
//
// Invariants (model.ts): an edit is one cell; chunk rows are edited through `<sheet>/cells`, added
// rows through their own Y.Map; sheet order = row key order.

import * as Y from 'yjs';
import type { CellValue, Cells } from '../worker/doc/model';
import { SHEETS, type SheetName } from '../engine/schema';
import { WorkbookReader, type SheetReader as DocSheetReader } from '../worker/doc/reader';
import { sheetTypes, metaMap, settingsMap } from '../worker/doc/layout';

export { observeWorkbook } from '../worker/doc/observe';
export { importWorkbook } from '../worker/doc/import';
export { initWorkbookDoc } from '../worker/doc/open';
export type { CellValue, Cells };
export type { DocChange } from '../worker/doc/model';

/** Origin of every transaction made by this person in this tab: the undo manager tracks only it. */
export const LOCAL_ORIGIN = Symbol('reckon-local-edit');
/** Origin of an import's transactions: not undone (a million-row import is no edit to take back). */
export const IMPORT_ORIGIN = Symbol('reckon-import');

/** Decoded chunk rows the grid keeps for cell reads (enough for a 300k-row sheet to sort without re-parsing). */
const GRID_CACHE_ROWS = 300_000;

/**
 * Every shared type a person edits: what the undo manager scopes to. Chunks are in it because a
 * merged scenario brings its imported chunks along and undo takes the whole merge back; imports
 * themselves have their own origin (IMPORT_ORIGIN) and are not undone.
 */
export function editableTypes(doc: Y.Doc): Y.AbstractType<unknown>[] {
  const out: unknown[] = [settingsMap(doc), metaMap(doc)];
  for (const s of SHEETS) {
    const t = sheetTypes(doc, s);
    out.push(t.cells, t.deleted, t.rows, t.chunks);
  }
  return out as Y.AbstractType<unknown>[];
}

/** What a grid reads of one sheet: its row keys and cells, live (SheetView; a scenario's layered view). */
export interface SheetCells {
  keys(): string[];
  get(key: string, column: string): CellValue;
  row(key: string): Cells;
  extraColumns(known: readonly string[]): string[];
}

export function workbookReader(doc: Y.Doc): WorkbookReader {
  return new WorkbookReader(doc, { cacheRows: GRID_CACHE_ROWS });
}

/** What a cell view reads rows from: the workbook's reader of a sheet, or a scenario's layered one. */
interface RowSource {
  keys(): string[];
  readRow(key: string): Record<string, unknown> | undefined;
}

/**
 * Cells read one at a time over a row source. The grid reads a row's cells one after another, so
 * the last row read is kept until any of `docs` changes (any transaction clears it); the row
 * itself comes from the document model's reader (chunk decoding and overlay are its business).
 */
export abstract class RowCells implements SheetCells {
  private lastKey: string | null = null;
  private lastRow: Record<string, unknown> | null = null;
  private readonly stopClearing: () => void;

  constructor(private readonly source: RowSource, docs: Y.Doc[]) {
    const clear = (): void => { this.lastKey = null; this.lastRow = null; };
    for (const d of docs) { d.on('beforeTransaction', clear); d.on('afterTransaction', clear); }
    this.stopClearing = () => { for (const d of docs) { d.off('beforeTransaction', clear); d.off('afterTransaction', clear); } };
  }

  /** Row keys in sheet order (deleted rows left out), without reading any row. */
  keys(): string[] {
    return this.source.keys();
  }

  get(key: string, column: string): CellValue {
    if (this.lastKey !== key) {
      this.lastRow = this.source.readRow(key) ?? null;
      this.lastKey = key;
    }
    const v = this.lastRow?.[column];
    return v === undefined ? null : (v as CellValue);
  }

  row(key: string): Cells {
    return (this.source.readRow(key) ?? {}) as Cells;
  }

  /** Column names present in the data beyond the schema's (unknown columns are kept and shown). */
  extraColumns(known: readonly string[]): string[] {
    const seen = new Set(known);
    const extra: string[] = [];
    this.eachColumn((c) => {
      if (!seen.has(c)) {
        seen.add(c);
        extra.push(c);
      }
    });
    return extra;
  }

  /** Every column name the data holds, in any order, repeats allowed. */
  protected abstract eachColumn(add: (column: string) => void): void;

  destroy(): void {
    this.stopClearing();
  }
}

/** The columns one document's sheet holds: its chunks' and its added rows'. */
export function eachStoredColumn(r: DocSheetReader, add: (column: string) => void): void {
  for (const c of r.chunks().values()) c.columns.forEach(add);
  r.types.rows.forEach((m) => { if (m instanceof Y.Map) m.forEach((_v, c) => add(c)); });
}

/** A live cell-level view of one sheet for the grid: reads always reflect the document. */
export class SheetView extends RowCells {
  readonly r: DocSheetReader;
  constructor(reader: WorkbookReader, readonly sheet: SheetName) {
    const r = reader.sheet(sheet);
    super(r, [reader.doc]);
    this.r = r;
  }

  protected eachColumn(add: (column: string) => void): void {
    eachStoredColumn(this.r, add);
  }
}
