// Yjs events → DocChanges (model.ts). Observers on each sheet's types note what a transaction
// touched; when the transaction ends (local edit, remote update, undo alike) the touched rows are
// compared before/after and turned into changes:
//   existed before, not now → rowRemoved     not before, exists now → rowAdded (current cells)
//   both, row replaced      → rowAdded       both, cells changed    → cellChanged per column
// Working from "existed before / exists now" rather than from single events keeps this right
// when one transaction holds several events for a row: a remote update that both deletes a row
// and edits it (delete wins), a chunk arriving after the deletion of one of its rows, an undone
// import (its chunks deleted), a row map replaced by a concurrent migration.

import * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import { isChunk } from './chunk';
import { chunkRowKey, parseChunkRowKey } from './keys';
import { listenSheet, settingsMap, splitOverlayKey } from './layout';
import type { CellValue, Chunk, DocChange } from './model';
import type { WorkbookReader } from './reader';

/** What one transaction touched in one sheet. */
class SheetTouches {
  readonly inserted = new Map<string, Chunk>();
  readonly removed = new Map<string, Chunk>();
  /** Keys of the deleted map that changed → whether they were in it before. */
  readonly deletedBefore = new Map<string, boolean>();
  /** Keys of the rows map that changed → whether they were in it before. */
  readonly rowsBefore = new Map<string, boolean>();
  readonly replaced = new Set<string>();
  /** Rows whose cells changed → the columns. */
  readonly cells = new Map<string, Set<string>>();

  cell(rowKey: string, column: string): void {
    let cols = this.cells.get(rowKey);
    if (!cols) this.cells.set(rowKey, (cols = new Set()));
    cols.add(column);
  }

  get empty(): boolean {
    return this.inserted.size + this.removed.size + this.deletedBefore.size + this.rowsBefore.size + this.cells.size === 0;
  }
}

const chunksOf = (items: Set<Y.Item>): Chunk[] => [...items].flatMap((item) => item.content.getContent().filter(isChunk) as Chunk[]);

/**
 * Calls `onChanges` after every transaction that changed the workbook, with its changes.
 * Returns a function that stops observing. `reader` must read the same document.
 */
export function observeWorkbook(doc: Y.Doc, reader: WorkbookReader, onChanges: (changes: DocChange[], tx: Y.Transaction) => void, sheets: readonly string[] = SHEETS): () => void {
  let touches = new Map<string, SheetTouches>();
  let settingsTouched = new Set<string>();
  const touch = (sheet: string) => {
    let t = touches.get(sheet);
    if (!t) touches.set(sheet, (t = new SheetTouches()));
    return t;
  };
  const stops: (() => void)[] = [];

  for (const sheet of sheets) {
    const types = reader.sheet(sheet).types;
    const onChunks = (e: Y.YArrayEvent<Chunk>) => {
      const t = touch(sheet);
      for (const c of chunksOf(e.changes.added)) t.inserted.set(c.id, c);
      for (const c of chunksOf(e.changes.deleted)) t.removed.set(c.id, c);
    };
    const onCells = (e: Y.YMapEvent<CellValue>) => {
      const t = touch(sheet);
      for (const k of e.changes.keys.keys()) {
        const { rowKey, column } = splitOverlayKey(k);
        t.cell(rowKey, column);
      }
    };
    const onDeleted = (e: Y.YMapEvent<boolean>) => {
      const t = touch(sheet);
      for (const [k, c] of e.changes.keys) if (!t.deletedBefore.has(k)) t.deletedBefore.set(k, c.action !== 'add');
    };
    const onRows = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const t = touch(sheet);
      for (const e of events) {
        if (e.target === types.rows) {
          for (const [k, c] of e.keys) {
            if (!t.rowsBefore.has(k)) t.rowsBefore.set(k, c.action !== 'add');
            if (c.action === 'update') t.replaced.add(k);
          }
        } else {
          const rowKey = String(e.path[0]);
          for (const k of e.keys.keys()) t.cell(rowKey, k);
        }
      }
    };
    stops.push(listenSheet(types, { chunks: onChunks, cells: onCells, deleted: onDeleted, rows: onRows }));
  }

  const settings = settingsMap(doc);
  const onSettings = (e: Y.YMapEvent<unknown>) => {
    for (const k of e.keys.keys()) settingsTouched.add(k);
  };
  settings.observe(onSettings);
  stops.push(() => settings.unobserve(onSettings));

  const onAfter = (tx: Y.Transaction) => {
    if (touches.size === 0 && settingsTouched.size === 0) return;
    const changes: DocChange[] = [];
    for (const [sheet, t] of touches) if (!t.empty) changesOf(reader, sheet, t, changes);
    for (const k of settingsTouched) changes.push({ kind: 'settingsChanged', key: k, value: settings.get(k) });
    touches = new Map();
    settingsTouched = new Set();
    if (changes.length) onChanges(changes, tx);
  };
  doc.on('afterTransaction', onAfter);
  stops.push(() => doc.off('afterTransaction', onAfter));
  return () => { for (const stop of stops) stop(); };
}

function changesOf(reader: WorkbookReader, sheet: string, t: SheetTouches, out: DocChange[]): void {
  const r = reader.sheet(sheet);
  const chunkBefore = (id: string) => !t.inserted.has(id) && (t.removed.has(id) || r.chunks().has(id));
  const existedBefore = (key: string): boolean => {
    const at = parseChunkRowKey(key);
    if (!at) return t.rowsBefore.get(key) ?? r.types.rows.has(key);
    const chunk = t.removed.get(at.chunkId) ?? r.chunks().get(at.chunkId);
    if (!chunkBefore(at.chunkId) || !chunk || !(at.index >= 0 && at.index < chunk.n)) return false;
    return !(t.deletedBefore.get(key) ?? r.types.deleted.has(key));
  };

  // Rows whose existence may have changed, then rows whose cells changed.
  const structural = new Set<string>();
  for (const c of [...t.inserted.values(), ...t.removed.values()]) for (let i = 0; i < c.n; i++) structural.add(chunkRowKey(c.id, i));
  for (const k of t.deletedBefore.keys()) structural.add(k);
  for (const k of t.rowsBefore.keys()) structural.add(k);

  for (const key of structural) {
    const before = existedBefore(key), now = r.exists(key);
    if (before && !now) out.push({ kind: 'rowRemoved', sheet, key });
    else if (now && (!before || t.replaced.has(key))) out.push({ kind: 'rowAdded', sheet, key, cells: r.readRow(key) as Record<string, CellValue> });
    else if (now && before) cellChanges(r.readRow(key)!, sheet, key, t.cells.get(key), out);
  }
  for (const [key, cols] of t.cells) {
    if (structural.has(key) || !r.exists(key)) continue;
    cellChanges(r.readRow(key)!, sheet, key, cols, out);
  }
}

function cellChanges(row: Record<string, unknown>, sheet: string, key: string, cols: Set<string> | undefined, out: DocChange[]): void {
  for (const column of cols ?? []) out.push({ kind: 'cellChanged', sheet, key, column, value: (row[column] ?? null) as CellValue });
}
