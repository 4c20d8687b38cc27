// Scenario test helpers: forking a test document, random scenario edits (cells, rows, settings,
// imports, whole-sheet replaces, reverts, undo) applied through the scenario's edit functions, and
// the harness's model of any reader's view.

import * as Y from 'yjs';
import fc from 'fast-check';
import { SHEETS, type SheetName } from '../../engine/schema';
import { encodeChunk } from '../../worker/doc/chunk';
import { KeyClock, clockOf, setClock } from '../../worker/doc/keys';
import type { CellValue } from '../../worker/doc/model';
import type { WorkbookRead } from '../../worker/doc/reader';
import { metaMap, settingsMap, sheetTypes } from '../../worker/doc/layout';
import { importWorkbook } from '../../worker/doc/import';
import { addRow } from '../../worker/doc/edit';
import { initScenarioDoc, scenarioSheetTypes, settingsBaseMap } from '../../worker/scenario/layout';
import { LayeredReader } from '../../worker/scenario/reader';
import { addScenarioRow, clearScenarioSheet, deleteScenarioRow, setScenarioCell, setScenarioSetting } from '../../worker/scenario/edit';
import { revertAdded, revertCell, revertRemoval, revertSetting, scenarioChanges } from '../../worker/scenario/changes';
import { Model } from '../helpers/incremental-harness';
import { editArb, rowArb, type Edit, type RowCells } from '../helpers/random-workbook';

let tick = 1_800_000_000_000;

/** A new scenario document of `base` (meta only: nothing is copied), with a deterministic clock. */
export function forkDoc(client: number, name = `scenario ${client}`): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  setClock(doc, new KeyClock({ client, now: () => tick++ }));
  initScenarioDoc(doc, { baseline: 'base', baselineName: 'Base', name, forkedAt: '2026-11-01T00:00:00Z' });
  return doc;
}

/**
 * A baseline document of a random workbook: half of each sheet's rows imported (chunk rows, three to a
 * chunk), the other half added by a person (rows of their own), so both kinds are edited and merged.
 */
export function seedBase(doc: Y.Doc, initial: Record<string, Record<string, unknown>[]>, settings: Record<string, unknown>): void {
  const imported: Record<string, Record<string, unknown>[]> = {};
  for (const [s, rows] of Object.entries(initial)) imported[s] = rows.filter((_, i) => i % 2 === 0);
  importWorkbook(doc, { settings, sheets: imported }, { chunkRows: 3 });
  for (const [s, rows] of Object.entries(initial)) rows.forEach((row, i) => { if (i % 2 === 1) addRow(doc, s, row as Record<string, CellValue>); });
}

/** Every shared type a person edits in a scenario, records included (what its undo manager scopes to). */
export function scenarioTypes(doc: Y.Doc): Y.AbstractType<unknown>[] {
  const out: unknown[] = [settingsMap(doc), settingsBaseMap(doc), metaMap(doc)];
  for (const s of SHEETS) {
    const t = scenarioSheetTypes(doc, s);
    out.push(t.cells, t.deleted, t.rows, t.base, t.chunks);
  }
  return out as Y.AbstractType<unknown>[];
}

export type ScenarioEdit = Edit
  | { op: 'import'; sheet: SheetName; rows: RowCells[] }
  | { op: 'clear'; sheet: SheetName }
  | { op: 'revert'; pick: number }
  | { op: 'undo' } | { op: 'redo' };

export function scenarioEditArb(): fc.Arbitrary<ScenarioEdit> {
  const sheet = fc.constantFrom(...SHEETS);
  return fc.oneof(
    { weight: 14, arbitrary: editArb() },
    { weight: 1, arbitrary: sheet.chain((s) => fc.array(rowArb(s), { minLength: 1, maxLength: 4 }).map((rows) => ({ op: 'import' as const, sheet: s, rows }))) },
    { weight: 2, arbitrary: fc.nat({ max: 1000 }).map((pick) => ({ op: 'revert' as const, pick })) },
    { weight: 1, arbitrary: fc.constantFrom<ScenarioEdit>({ op: 'undo' }, { op: 'redo' }) },
    { weight: 1, arbitrary: fc.constantFrom<SheetName>('devices', 'clusters', 'entitlements').map((s) => ({ op: 'clear' as const, sheet: s })) },
  );
}

/** Applies a scenario edit through the scenario's functions (rows picked by position in the layered view). */
export function applyScenarioEdit(r: LayeredReader, edit: ScenarioEdit, undo: Y.UndoManager): void {
  const doc = r.scenario;
  switch (edit.op) {
    case 'undo': undo.undo(); return;
    case 'redo': undo.redo(); return;
    case 'add': addScenarioRow(r, edit.sheet, edit.row); return;
    case 'setting': setScenarioSetting(r, edit.key, edit.value); return;
    case 'clear': clearScenarioSheet(r, edit.sheet); return;
    case 'import': {
      const chunk = encodeChunk(clockOf(doc).chunkId(), edit.rows);
      doc.transact(() => sheetTypes(doc, edit.sheet).chunks.push([chunk]));
      return;
    }
    case 'revert': {
      const c = scenarioChanges(r);
      const all: (() => void)[] = [];
      for (const s of c.sheets) {
        for (const a of s.added) all.push(() => revertAdded(r, s.sheet, a.key));
        for (const x of s.removed) all.push(() => revertRemoval(r, s.sheet, x.key));
        for (const x of s.cells) all.push(() => revertCell(r, s.sheet, x.key, x.column));
      }
      for (const x of c.settings) all.push(() => revertSetting(r, x.key));
      if (all.length) all[edit.pick % all.length]();
      return;
    }
    case 'remove':
    case 'cell': {
      const keys = r.sheet(edit.sheet).keys();
      if (keys.length === 0) return;
      const key = keys[edit.pick % keys.length];
      if (edit.op === 'remove') deleteScenarioRow(r, edit.sheet, key);
      else setScenarioCell(r, edit.sheet, key, edit.column, edit.value as CellValue);
    }
  }
}

/** The harness's model of what a reader reads (its rows by key, its settings). */
export function modelOfReader(reader: WorkbookRead): Model {
  const model = new Model();
  model.settings = reader.settings();
  for (const s of SHEETS) {
    const { keys, rows } = reader.sheet(s).readAll();
    keys.forEach((k, i) => model.sheets[s].set(k, rows[i] as never));
  }
  return model;
}
