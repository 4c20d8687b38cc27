// Edits in a scenario (the scenario's counterpart of worker/doc/edit.ts): each writes only into the
// scenario document, in one transaction (pass `origin` for an undo manager; inside an outer
// transaction it joins it). Baseline rows are edited through the scenario's overlay and deleted
// map, with the baseline's value recorded the first time (layout.ts); the scenario's own rows are
// edited as in any workbook. Setting a cell or a setting back to the baseline's current value
// drops the change, so the change list holds only real differences.

import { addRow, deleteRow, setCell } from '../doc/edit';
import { overlayKey, settingsMap } from '../doc/layout';
import type { CellValue, Cells } from '../doc/model';
import { record, sameCell, settingsBaseMap } from './layout';
import type { LayeredReader } from './reader';

/** Sets one cell of a row the scenario sees (null: blank). False when the row is not there. */
export function setScenarioCell(r: LayeredReader, sheet: string, key: string, column: string, value: CellValue, origin?: unknown): boolean {
  const L = r.sheet(sheet);
  if (L.isOwn(key)) return setCell(r.scenario, sheet, key, column, value, origin);
  if (!L.exists(key)) return false;
  const t = L.types;
  const baseRow = L.baseRow(key)!;
  const k = overlayKey(key, column);
  r.scenario.transact(() => {
    if (sameCell(value, baseRow[column])) {
      // Back to the baseline's value: no change any more. (The row's record stays: it is only looked
      // up for rows the scenario changes or deletes.)
      t.cells.delete(k);
      t.base.delete(k);
      return;
    }
    if (!t.base.has(key)) t.base.set(key, { row: baseRow });
    if (!t.base.has(k)) t.base.set(k, record(baseRow[column]));
    t.cells.set(k, value);
  }, origin);
  return true;
}

/** Adds a row of the scenario's own at the end of the sheet. */
export function addScenarioRow(r: LayeredReader, sheet: string, cells: Cells, origin?: unknown): string {
  return addRow(r.scenario, sheet, cells, origin);
}

/** Deletes a row. A baseline row is hidden (its overlay cells kept, so undo brings them back). */
export function deleteScenarioRow(r: LayeredReader, sheet: string, key: string, origin?: unknown): boolean {
  const L = r.sheet(sheet);
  if (L.isOwn(key)) return deleteRow(r.scenario, sheet, key, origin);
  if (!L.exists(key)) return false;
  const t = L.types;
  const baseRow = L.baseRow(key)!;
  r.scenario.transact(() => {
    // Recorded as deleted: a merge tells a baseline edit made after this deletion (a conflict).
    t.base.set(key, { row: baseRow });
    t.deleted.set(key, true);
  }, origin);
  return true;
}

/** Sets a setting in the scenario; undefined removes it (back to its default, whatever the baseline says). */
export function setScenarioSetting(r: LayeredReader, key: string, value: unknown, origin?: unknown): void {
  const base = r.base.settings()[key];
  const settings = settingsMap(r.scenario), recorded = settingsBaseMap(r.scenario);
  r.scenario.transact(() => {
    if (sameCell(value, base)) {
      settings.delete(key);
      recorded.delete(key);
      return;
    }
    if (!recorded.has(key)) recorded.set(key, record(base));
    settings.set(key, value === undefined ? null : value);
  }, origin);
}

/**
 * Empties a sheet in the scenario (an import that replaces it): its own rows go, every baseline row
 * is deleted. Whole-sheet deletions record no rows (a million-row sheet would be copied): merged,
 * they delete the rows whatever the baseline changed in them meanwhile, as the replace intends.
 */
export function clearScenarioSheet(r: LayeredReader, sheet: string, origin?: unknown): void {
  const L = r.sheet(sheet);
  const t = L.types;
  r.scenario.transact(() => {
    for (const k of [...t.cells.keys()]) if (L.isOwn(k.slice(0, k.indexOf('\t')))) t.cells.delete(k);
    for (const k of [...t.deleted.keys()]) if (L.isOwn(k)) t.deleted.delete(k);
    if (t.chunks.length > 0) t.chunks.delete(0, t.chunks.length);
    t.rows.clear();
    for (const k of L.base.keys()) t.deleted.set(k, true);
  }, origin);
}
