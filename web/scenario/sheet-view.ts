// What a grid reads of a scenario's sheet: the layered view (worker/scenario/reader.ts), cell by
// cell, and its row keys kept from the events of BOTH documents (the baseline's edits, other
// people's included, show in the scenario as they happen). Same interfaces as the workbook's
// SheetView and SheetRows, so the grid does not know it shows a scenario.
//
// Invariant: `LayeredSheetRows.keys` equals the layered reader's keys() after every transaction of
// either document. A touched key is re-checked against the layered view (exists → in the list);
// whole chunks are added or removed as runs (a million-row import never goes key by key through
// the list).

import * as Y from 'yjs';
import { isChunk } from '../../worker/doc/chunk';
import { chunkRowKey } from '../../worker/doc/keys';
import { splitOverlayKey, type SheetTypes } from '../../worker/doc/layout';
import type { CellValue, Cells, Chunk } from '../../worker/doc/model';
import type { LayeredSheetReader } from '../../worker/scenario/reader';
import type { SheetCells } from '../doc-adapter';
import { insertRun, lowerBound, type SheetRowsChange } from '../grid/sheet-rows';

export class LayeredSheetView implements SheetCells {
  private lastKey: string | null = null;
  private lastRow: Record<string, unknown> | null = null;
  private readonly stop: () => void;

  constructor(readonly r: LayeredSheetReader, base: Y.Doc, scenario: Y.Doc) {
    const clear = (): void => { this.lastKey = null; this.lastRow = null; };
    for (const d of [base, scenario]) {
      d.on('beforeTransaction', clear);
      d.on('afterTransaction', clear);
    }
    this.stop = () => { for (const d of [base, scenario]) { d.off('beforeTransaction', clear); d.off('afterTransaction', clear); } };
  }

  destroy(): void {
    this.stop();
  }

  keys(): string[] {
    return this.r.keys();
  }

  get(key: string, column: string): CellValue {
    if (this.lastKey !== key) {
      this.lastRow = this.r.readRow(key) ?? null;
      this.lastKey = key;
    }
    const v = this.lastRow?.[column];
    return v === undefined ? null : (v as CellValue);
  }

  row(key: string): Cells {
    return (this.r.readRow(key) ?? {}) as Cells;
  }

  extraColumns(known: readonly string[]): string[] {
    const seen = new Set(known);
    const extra: string[] = [];
    const add = (c: string): void => {
      if (!seen.has(c)) {
        seen.add(c);
        extra.push(c);
      }
    };
    for (const part of [this.r.base, this.r.own]) {
      for (const c of part.chunks().values()) c.columns.forEach(add);
      part.types.rows.forEach((m) => { if (m instanceof Y.Map) m.forEach((_v, c) => add(c)); });
    }
    for (const k of this.r.types.cells.keys()) add(splitOverlayKey(k).column);
    return extra;
  }
}

export class LayeredSheetRows {
  keys: string[];
  private readonly stop: () => void;

  constructor(private readonly r: LayeredSheetReader, onChange: (c: SheetRowsChange) => void) {
    this.keys = r.keys();
    let change: SheetRowsChange | null = null;
    const note = (): SheetRowsChange => (change ??= { structural: false, cells: new Set(), columns: new Set() });
    const touched = new Set<string>();
    const chunksIn: Chunk[] = [], chunksOut: Chunk[] = [];
    const stops: (() => void)[] = [];

    const watch = (t: SheetTypes, doc: Y.Doc) => {
      const onChunks = (e: Y.YArrayEvent<Chunk>): void => {
        for (const item of e.changes.added) for (const c of item.content.getContent()) if (isChunk(c)) chunksIn.push(c);
        for (const item of e.changes.deleted) for (const c of item.content.getContent()) if (isChunk(c)) chunksOut.push(c);
        note().structural = true;
      };
      const onDeleted = (e: Y.YMapEvent<boolean>): void => {
        for (const k of e.keysChanged) touched.add(k);
        note().structural = true;
      };
      const onRows = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
        const ch = note();
        for (const e of events) {
          if (e.target === t.rows) {
            for (const k of e.keys.keys()) { touched.add(k); ch.cells.add(k); }
            ch.structural = true;
          } else {
            ch.cells.add(String(e.path[0]));
            for (const col of e.keys.keys()) ch.columns.add(col);
          }
        }
      };
      const onCells = (e: Y.YMapEvent<CellValue>): void => {
        const ch = note();
        for (const k of e.keysChanged) {
          const { rowKey, column } = splitOverlayKey(k);
          ch.cells.add(rowKey);
          ch.columns.add(column);
        }
      };
      const onAfter = (): void => {
        for (const c of chunksOut) {
          const gone = new Set<string>();
          for (let i = 0; i < c.n; i++) if (!this.r.exists(chunkRowKey(c.id, i))) gone.add(chunkRowKey(c.id, i));
          if (gone.size) this.keys = this.keys.filter((k) => !gone.has(k));
        }
        for (const c of chunksIn) {
          c.columns.forEach((col) => note().columns.add(col));
          const fresh: string[] = [];
          for (let i = 0; i < c.n; i++) {
            const k = chunkRowKey(c.id, i);
            if (this.r.exists(k) && this.keys[lowerBound(this.keys, k)] !== k) fresh.push(k);
          }
          insertRun(this.keys, fresh);
        }
        for (const k of touched) this.sync(k);
        chunksIn.length = chunksOut.length = 0;
        touched.clear();
        const c = change;
        change = null;
        if (c) onChange(c);
      };
      t.chunks.observe(onChunks);
      t.deleted.observe(onDeleted);
      t.rows.observeDeep(onRows);
      t.cells.observe(onCells);
      doc.on('afterTransaction', onAfter);
      stops.push(() => {
        t.chunks.unobserve(onChunks);
        t.deleted.unobserve(onDeleted);
        t.rows.unobserveDeep(onRows);
        t.cells.unobserve(onCells);
        doc.off('afterTransaction', onAfter);
      });
    };
    watch(r.base.types, r.base.types.rows.doc!);
    watch(r.types, r.types.rows.doc!);
    this.stop = () => { for (const s of stops) s(); };
  }

  /** The key in the list exactly when the layered view has the row. */
  private sync(k: string): void {
    const at = lowerBound(this.keys, k);
    const listed = this.keys[at] === k;
    const exists = this.r.exists(k);
    if (exists && !listed) this.keys.splice(at, 0, k);
    else if (!exists && listed) this.keys.splice(at, 1);
  }

  destroy(): void {
    this.stop();
  }
}
