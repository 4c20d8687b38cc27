// The row keys of one sheet in sheet order, kept up to date from Yjs events without reading a
// single row: what a grid needs to page through a million rows. An imported chunk adds its keys
// (made from its id and size), a removed chunk takes them away, the deleted map and the added
// rows' map add and remove single keys; cell edits (overlay or an added row's map) are reported
// so the grid can redraw those rows.
//
// Invariant: `keys` equals SheetView.keys() after every transaction (same key order as the
// document model: chunk rows by chunk id then index, merged with added rows by key).

import type * as Y from 'yjs';
import { isChunk } from '../../worker/doc/chunk';
import { chunkRowKey, parseChunkRowKey } from '../../worker/doc/keys';
import { listenSheet, splitOverlayKey } from '../../worker/doc/layout';
import type { CellValue, Chunk } from '../../worker/doc/model';
import type { SheetView } from '../doc-adapter';

export interface SheetRowsChange {
  /** Rows came or went (the key list changed). */
  structural: boolean;
  /** Rows whose cells changed. */
  cells: Set<string>;
  /** Columns of new chunks or new cells (to find columns the grid does not show yet). */
  columns: Set<string>;
}

/** Index of the first key ≥ k. */
export function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0, hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Inserts a sorted run of keys (a chunk's rows) into a sorted key list, in place. New chunks sort
 * last, so this is usually an append; a chunk from a replica whose clock is behind goes in the
 * middle, contiguous except for added rows in between (merged).
 */
export function insertRun(keys: string[], fresh: readonly string[]): void {
  if (fresh.length === 0) return;
  const at = lowerBound(keys, fresh[0]);
  if (at === keys.length) {
    for (const k of fresh) keys.push(k);
    return;
  }
  const tail = keys.splice(at);
  let i = 0, j = 0;
  while (i < fresh.length || j < tail.length) {
    if (j >= tail.length || (i < fresh.length && fresh[i] < tail[j])) keys.push(fresh[i++]);
    else keys.push(tail[j++]);
  }
}

export class SheetRows {
  keys: string[];
  private readonly stop: () => void;

  constructor(private readonly view: SheetView, onChange: (c: SheetRowsChange) => void) {
    this.keys = view.keys();
    const t = view.r.types;
    let change: SheetRowsChange | null = null;
    const note = (): SheetRowsChange => (change ??= { structural: false, cells: new Set(), columns: new Set() });
    const added: Chunk[] = [];
    const removed: Chunk[] = [];

    const onChunks = (e: Y.YArrayEvent<Chunk>): void => {
      for (const item of e.changes.added) for (const c of item.content.getContent()) if (isChunk(c)) added.push(c);
      for (const item of e.changes.deleted) for (const c of item.content.getContent()) if (isChunk(c)) removed.push(c);
      note().structural = true;
    };
    const onDeleted = (e: Y.YMapEvent<boolean>): void => {
      for (const [k, c] of e.changes.keys) {
        if (c.action === 'add') this.remove(k);
        else if (c.action === 'delete' && this.view.r.exists(k)) this.insert(k);
      }
      note().structural = true;
    };
    const onRows = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
      const ch = note();
      for (const e of events) {
        if (e.target === t.rows) {
          for (const [k, c] of e.keys) {
            if (c.action === 'add') this.insert(k);
            else if (c.action === 'delete') this.remove(k);
            else ch.cells.add(k);
            ch.structural = true;
          }
        } else {
          const rowKey = String(e.path[0]);
          ch.cells.add(rowKey);
          for (const col of e.keys.keys()) ch.columns.add(col);
        }
      }
    };
    const onCells = (e: Y.YMapEvent<CellValue>): void => {
      const ch = note();
      for (const k of e.changes.keys.keys()) {
        const { rowKey, column } = splitOverlayKey(k);
        ch.cells.add(rowKey);
        ch.columns.add(column);
      }
    };
    const onAfter = (): void => {
      if (removed.length) {
        const gone = new Set(removed.map((c) => c.id));
        this.keys = this.keys.filter((k) => { const at = parseChunkRowKey(k); return !at || !gone.has(at.chunkId); });
      }
      for (const c of added) {
        c.columns.forEach((col) => note().columns.add(col));
        this.addChunk(c);
      }
      added.length = removed.length = 0;
      const c = change;
      change = null;
      if (c) onChange(c);
    };
    const stopListening = listenSheet(t, { chunks: onChunks, cells: onCells, deleted: onDeleted, rows: onRows });
    const doc = t.rows.doc!;
    doc.on('afterTransaction', onAfter);
    this.stop = () => {
      stopListening();
      doc.off('afterTransaction', onAfter);
    };
  }

  destroy(): void {
    this.stop();
  }

  /** A new chunk's rows (less any already deleted). New chunks sort last, so this is an append. */
  private addChunk(c: Chunk): void {
    const deleted = this.view.r.types.deleted;
    const fresh: string[] = [];
    for (let i = 0; i < c.n; i++) {
      const k = chunkRowKey(c.id, i);
      if (deleted.size === 0 || !deleted.has(k)) fresh.push(k);
    }
    insertRun(this.keys, fresh);
  }

  private insert(k: string): void {
    const at = lowerBound(this.keys, k);
    if (this.keys[at] !== k) this.keys.splice(at, 0, k);
  }

  private remove(k: string): void {
    const at = lowerBound(this.keys, k);
    if (this.keys[at] === k) this.keys.splice(at, 1);
  }
}
