// Conflicts people see: a cell this replica wrote that a concurrent edit from elsewhere replaced.
//
// A cell is one Yjs map entry (a chunk row's in `<sheet>/cells`, an added row's in its row map), and
// two writes to it are resolved by Yjs: the last writer in Yjs' order wins, silently. Yjs keeps, on
// each write, the write it was made over (`origin`, the entry's previous item where the writer made
// it). So when a write from elsewhere replaces one of ours, it replaced it knowingly when its origin
// is our write (they saw our value and changed it: an ordinary edit), and concurrently when it is
// not (they never saw ours: typically one of us was offline). Only the second is a conflict.
//
// Ours = written by one of this device's Yjs clients for the document: the page's own, and those
// of earlier pages on this device (the session keeps them beside the document), so that an offline
// edit made before a reload is still recognised as ours when the concurrent edit arrives.

import * as Y from 'yjs';
import { SHEETS, type SheetName } from '../../engine/schema';
import { sheetTypes } from '../../worker/doc/layout';
import type { CellValue } from '../../worker/doc/model';

export interface CellConflict {
  sheet: SheetName;
  rowKey: string;
  column: string;
  /** The value this replica wrote, now replaced. */
  mine: unknown;
  /** The value that replaced it. */
  theirs: unknown;
}

const valueOf = (item: Y.Item): unknown => item.content.getContent()[0];

/** The conflicts in one map event: entries whose write of ours was replaced by a concurrent write. */
function conflictsIn<T>(event: Y.YMapEvent<T>, ours: (client: number) => boolean, at: (key: string) => { rowKey: string; column: string } | null): { rowKey: string; column: string; mine: unknown; theirs: unknown }[] {
  if (event.transaction.local) return [];
  const out: { rowKey: string; column: string; mine: unknown; theirs: unknown }[] = [];
  const map = event.target as Y.Map<T>;
  for (const [key, change] of event.changes.keys) {
    if (change.action !== 'update') continue;
    const cur = map._map.get(key);
    const prev = cur?.left;
    if (!cur || cur.deleted || !(prev instanceof Y.Item) || !ours(prev.id.client) || !event.deletes(prev)) continue;
    if (cur.origin !== null && Y.compareIDs(cur.origin, prev.id)) continue; // they saw ours
    const where = at(key);
    if (where) out.push({ ...where, mine: valueOf(prev), theirs: valueOf(cur) });
  }
  return out;
}

/**
 * Calls `onConflict` for every conflict on any sheet's cells; returns a stop. `ours` tells this
 * device's client ids (by default the doc's own).
 */
export function watchConflicts(doc: Y.Doc, onConflict: (c: CellConflict) => void, ours: (client: number) => boolean = (c) => c === doc.clientID): () => void {
  const stops: (() => void)[] = [];
  for (const sheet of SHEETS) {
    const t = sheetTypes(doc, sheet);
    const onOverlay = (e: Y.YMapEvent<CellValue>): void => {
      for (const c of conflictsIn(e, ours, (k) => {
        const tab = k.indexOf('\t');
        return tab < 0 ? null : { rowKey: k.slice(0, tab), column: k.slice(tab + 1) };
      })) onConflict({ sheet, ...c });
    };
    const onRows = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
      for (const e of events) {
        if (e.target === t.rows || !(e instanceof Y.YMapEvent)) continue;
        const rowKey = (e.target._item?.parentSub ?? null) as string | null;
        if (rowKey === null) continue;
        for (const c of conflictsIn(e as Y.YMapEvent<unknown>, ours, (column) => ({ rowKey, column }))) onConflict({ sheet, ...c });
      }
    };
    t.cells.observe(onOverlay);
    t.rows.observeDeep(onRows);
    stops.push(() => {
      t.cells.unobserve(onOverlay);
      t.rows.unobserveDeep(onRows);
    });
  }
  return () => stops.forEach((s) => s());
}

export const sameCell = (a: CellConflict, b: CellConflict): boolean => a.sheet === b.sheet && a.rowKey === b.rowKey && a.column === b.column;

/** A conflict as kept beside the document (session.ts), checked when read back. */
export function isCellConflict(v: unknown): v is CellConflict {
  const c = v as CellConflict | null;
  return typeof c === 'object' && c !== null && (SHEETS as readonly string[]).includes(c.sheet)
    && typeof c.rowKey === 'string' && typeof c.column === 'string' && 'mine' in c && 'theirs' in c;
}

/**
 * The kept conflicts still open: one whose cell shows this device's value again was settled ("Keep
 * mine" wrote it back, here or in another tab, or it came back from the relay after a reload),
 * whether or not its dismissal reached this page.
 */
export function stillOpen(kept: readonly CellConflict[], valueNow: (c: CellConflict) => unknown): CellConflict[] {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return kept.filter((c) => !same(valueNow(c), c.mine));
}
