// What a transaction on a scenario document touched: the rows (per sheet) and settings whose
// layered view may have changed (sides.ts re-reads them from the view). Unlike worker/doc/observe.ts
// it does not decide what changed: a scenario's overlay names baseline rows its own document does
// not hold, so only the layered view can tell, and re-reading a touched row from it is exact.

import type * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import { isChunk } from '../doc/chunk';
import { chunkRowKey } from '../doc/keys';
import type { CellValue, Chunk } from '../doc/model';
import { listenSheet, settingsMap, splitOverlayKey } from '../doc/layout';
import { scenarioSheetTypes } from './layout';
import { Touched } from './touched';

/** Calls `onTouched` after every transaction that touched the scenario's layers. Returns a stop function. */
export function observeScenario(doc: Y.Doc, onTouched: (t: Touched) => void): () => void {
  let t = new Touched();
  const stops: (() => void)[] = [];
  for (const sheet of SHEETS) {
    const types = scenarioSheetTypes(doc, sheet);
    const onChunks = (e: Y.YArrayEvent<Chunk>) => {
      for (const items of [e.changes.added, e.changes.deleted]) {
        for (const item of items) for (const c of item.content.getContent()) if (isChunk(c)) for (let i = 0; i < c.n; i++) t.row(sheet, chunkRowKey(c.id, i));
      }
    };
    const onCells = (e: Y.YMapEvent<CellValue>) => { for (const k of e.keysChanged) t.row(sheet, splitOverlayKey(k).rowKey); };
    const onDeleted = (e: Y.YMapEvent<boolean>) => { for (const k of e.keysChanged) t.row(sheet, k); };
    const onRows = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const e of events) {
        if (e.target === types.rows) for (const k of e.keys.keys()) t.row(sheet, k);
        else t.row(sheet, String(e.path[0]));
      }
    };
    stops.push(listenSheet(types, { chunks: onChunks, cells: onCells, deleted: onDeleted, rows: onRows }));
  }
  const settings = settingsMap(doc);
  const onSettings = (e: Y.YMapEvent<unknown>) => { for (const k of e.keysChanged) t.settings.add(k); };
  settings.observe(onSettings);
  stops.push(() => settings.unobserve(onSettings));
  const onAfter = () => {
    if (t.size === 0) return;
    const done = t;
    t = new Touched();
    onTouched(done);
  };
  doc.on('afterTransaction', onAfter);
  stops.push(() => doc.off('afterTransaction', onAfter));
  return () => { for (const stop of stops) stop(); };
}
