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
import { listenSheet, splitOverlayKey, type SheetTypes } from '../../worker/doc/layout';
import type { CellValue, Chunk } from '../../worker/doc/model';
import type { LayeredSheetReader } from '../../worker/scenario/reader';
import { RowCells, eachStoredColumn } from '../doc-adapter';
import { insertRun, lowerBound, type SheetRowsChange } from '../grid/sheet-rows';

export class LayeredSheetView extends RowCells {
  constructor(readonly r: LayeredSheetReader, base: Y.Doc, scenario: Y.Doc) {
    super(r, [base, scenario]);
  }

  /** The baseline's stored columns, the scenario's own rows', and its overlay cells'. */
  protected eachColumn(add: (column: string) => void): void {
    eachStoredColumn(this.r.base, add);
    eachStoredColumn(this.r.own, add);
    for (const k of this.r.types.cells.keys()) add(splitOverlayKey(k).column);
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
      const stopListening = listenSheet(t, { chunks: onChunks, cells: onCells, deleted: onDeleted, rows: onRows });
      doc.on('afterTransaction', onAfter);
      stops.push(() => {
        stopListening();
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
