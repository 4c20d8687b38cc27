// What a scenario changed against its baseline, read from its layers (layout.ts) and the baseline
// as it is now: per sheet, rows added, rows removed and cells changed (old → new), and settings.
// Each change can be reverted on its own (one transaction on the scenario; undoable).
//
// "old" is the baseline's value when the scenario first changed the cell; "now" the baseline's
// current value. A change is in conflict when the baseline changed the cell since (now ≠ old) to
// something else than the scenario's value, or removed the row: merge.ts asks the person then.

import { SHEETS } from '../../engine/schema';
import type { RawCells } from '../doc/chunk';
import { parseChunkRowKey } from '../doc/keys';
import { overlayKey, settingsMap, splitOverlayKey } from '../doc/layout';
import { recordedValue, sameCell, settingsBaseMap, type Recorded, type RecordedRow } from './layout';
import type { LayeredReader, LayeredSheetReader } from './reader';

export interface AddedRow {
  key: string;
  id: string;
  cells: RawCells;
  /** Already in the baseline (merged before). */
  inBaseline: boolean;
}

export interface RemovedRow {
  key: string;
  id: string;
  /** The baseline's row now (a row the baseline removed too is no change any more, and not listed). */
  cells: RawCells;
  /** The baseline changed the row after the scenario removed it. */
  changedSince: boolean;
}

export interface CellChange {
  key: string;
  id: string;
  column: string;
  /** The baseline's value when the scenario first changed the cell. */
  old: unknown;
  /** The baseline's value now (undefined: the baseline removed the row since). */
  now: unknown;
  /** The scenario's value. */
  value: unknown;
  rowRemovedInBaseline: boolean;
  conflict: boolean;
  /** The baseline holds the scenario's value now (merged, or made there too). */
  inBaseline: boolean;
}

export interface SheetChanges {
  sheet: string;
  added: AddedRow[];
  removed: RemovedRow[];
  cells: CellChange[];
}

export interface SettingChange {
  key: string;
  old: unknown;
  now: unknown;
  /** undefined: the scenario removes the setting (back to its default). */
  value: unknown;
  conflict: boolean;
  inBaseline: boolean;
}

export interface ScenarioChanges {
  /** Sheets with changes, in sheet order. */
  sheets: SheetChanges[];
  settings: SettingChange[];
  /** Number of changes the baseline does not hold yet (what applying it would change). */
  count: number;
}

const idOf = (row: RawCells | undefined): string => (row?.id === undefined || row.id === null ? '' : String(row.id));

/** Same row: same cells, blank and absent alike. */
export function sameRow(a: RawCells, b: RawCells): boolean {
  for (const c of new Set([...Object.keys(a), ...Object.keys(b)])) if (!sameCell(a[c], b[c])) return false;
  return true;
}

function sheetChanges(L: LayeredSheetReader): SheetChanges {
  const t = L.types;
  const out: SheetChanges = { sheet: L.sheet, added: [], removed: [], cells: [] };
  for (const key of L.own.keys()) {
    const cells = L.own.readRow(key)!;
    out.added.push({ key, id: idOf(cells), cells, inBaseline: L.base.exists(key) });
  }
  for (const key of [...t.deleted.keys()].sort()) {
    if (L.isOwn(key)) continue;
    const now = L.baseRow(key);
    if (!now) continue; // gone from the baseline too: nothing left to remove
    const recorded = (t.base.get(key) as RecordedRow | undefined)?.row;
    out.removed.push({ key, id: idOf(now), cells: now, changedSince: recorded !== undefined && !sameRow(recorded, now) });
  }
  const byRow = new Map<string, string[]>();
  for (const k of t.cells.keys()) {
    const { rowKey, column } = splitOverlayKey(k);
    if (L.isOwn(rowKey) || t.deleted.has(rowKey)) continue;
    let cols = byRow.get(rowKey);
    if (!cols) byRow.set(rowKey, (cols = []));
    cols.push(column);
  }
  for (const key of [...byRow.keys()].sort()) {
    const now = L.baseRow(key);
    const recordedRow = (t.base.get(key) as RecordedRow | undefined)?.row;
    for (const column of byRow.get(key)!.sort()) {
      const k = overlayKey(key, column);
      const rec = t.base.get(k) as Recorded | undefined;
      const old = rec ? recordedValue(rec) : recordedRow?.[column];
      const value = t.cells.get(k);
      const current = now?.[column];
      const conflict = now === undefined || (!sameCell(current, old) && !sameCell(current, value));
      out.cells.push({ key, id: idOf(now ?? recordedRow), column, old, now: current, value, rowRemovedInBaseline: now === undefined, conflict, inBaseline: now !== undefined && sameCell(current, value) });
    }
  }
  return out;
}

/** Every change of the scenario against its baseline as it is now. */
export function scenarioChanges(r: LayeredReader): ScenarioChanges {
  const sheets: SheetChanges[] = [];
  let count = 0;
  for (const s of SHEETS) {
    const c = sheetChanges(r.sheet(s));
    if (c.added.length + c.removed.length + c.cells.length > 0) sheets.push(c);
    count += c.added.filter((a) => !a.inBaseline).length + c.removed.length + c.cells.filter((x) => !x.inBaseline).length;
  }
  const baseSettings = r.base.settings();
  const recorded = settingsBaseMap(r.scenario);
  const settings: SettingChange[] = [];
  for (const [key, v] of [...settingsMap(r.scenario).entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = v === null ? undefined : v;
    const now = baseSettings[key];
    const rec = recorded.get(key);
    const old = rec ? recordedValue(rec) : now;
    const inBaseline = sameCell(now, value);
    settings.push({ key, old, now, value, conflict: !sameCell(now, old) && !inBaseline, inBaseline });
    if (!inBaseline) count++;
  }
  return { sheets, settings, count };
}

// Reverting one change: each is one transaction on the scenario (origin: for its undo manager).

export function revertCell(r: LayeredReader, sheet: string, key: string, column: string, origin?: unknown): void {
  const t = r.sheet(sheet).types, k = overlayKey(key, column);
  r.scenario.transact(() => {
    t.cells.delete(k);
    t.base.delete(k);
  }, origin);
}

export function revertRemoval(r: LayeredReader, sheet: string, key: string, origin?: unknown): void {
  const t = r.sheet(sheet).types;
  r.scenario.transact(() => t.deleted.delete(key), origin);
}

/** Takes back a row the scenario added (an imported one is deleted from its chunk). */
export function revertAdded(r: LayeredReader, sheet: string, key: string, origin?: unknown): void {
  const t = r.sheet(sheet).types;
  r.scenario.transact(() => {
    if (parseChunkRowKey(key)) t.deleted.set(key, true);
    else t.rows.delete(key);
  }, origin);
}

export function revertSetting(r: LayeredReader, key: string, origin?: unknown): void {
  r.scenario.transact(() => {
    settingsMap(r.scenario).delete(key);
    settingsBaseMap(r.scenario).delete(key);
  }, origin);
}
