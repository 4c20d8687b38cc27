// Sets of rows (per sheet) and settings: what a batch of changes touched, or where one view of a
// workbook may differ from another (a scenario's layers against its baseline).

import { SHEETS } from '../../engine/schema';
import { chunkRowKey } from '../doc/keys';
import { settingsMap, splitOverlayKey } from '../doc/layout';
import type { DocChange } from '../doc/model';
import type { LayeredReader } from './reader';

/** Rows (per sheet) and settings that a batch touched, or where a view may differ from another. */
export class Touched {
  readonly rows = new Map<string, Set<string>>();
  readonly settings = new Set<string>();

  row(sheet: string, key: string): void {
    let keys = this.rows.get(sheet);
    if (!keys) this.rows.set(sheet, (keys = new Set()));
    keys.add(key);
  }

  merge(other: Touched): this {
    for (const [sheet, keys] of other.rows) for (const k of keys) this.row(sheet, k);
    for (const k of other.settings) this.settings.add(k);
    return this;
  }

  get size(): number {
    let n = this.settings.size;
    for (const keys of this.rows.values()) n += keys.size;
    return n;
  }

  static of(changes: readonly DocChange[]): Touched {
    const t = new Touched();
    for (const c of changes) {
      if (c.kind === 'settingsChanged') t.settings.add(c.key);
      else t.row(c.sheet, c.key);
    }
    return t;
  }
}

/** Where a scenario's view may differ from its baseline's: every row and setting its layers name. */
export function layerOf(r: LayeredReader): Touched {
  const t = new Touched();
  for (const sheet of SHEETS) {
    const L = r.sheet(sheet);
    for (const k of L.types.cells.keys()) t.row(sheet, splitOverlayKey(k).rowKey);
    for (const k of L.types.deleted.keys()) t.row(sheet, k);
    for (const k of L.types.rows.keys()) t.row(sheet, k);
    for (const c of L.own.chunks().values()) for (let i = 0; i < c.n; i++) t.row(sheet, chunkRowKey(c.id, i));
  }
  for (const k of settingsMap(r.scenario).keys()) t.settings.add(k);
  return t;
}
