// Merging a scenario back into its baseline ("Apply to baseline"): its changes (changes.ts) are
// written into the baseline document in ONE transaction, so the baseline's undo manager (pass its
// origin) takes the whole merge back as one step. What the baseline changed since the fork is kept;
// where both sides changed the same thing, the change is a conflict and the person chooses:
//
//   cell             both changed one cell to different values      → scenario's or baseline's value
//   setting          both changed one setting                        → scenario's or baseline's value
//   removed-changed  the scenario removed a row the baseline changed → remove it, or keep it
//   changed-removed  the scenario changed a row the baseline removed → restore it (with the
//                    scenario's cells), or leave it removed
//   own-changed      a row the scenario added, merged before, differs in the baseline now
//                    (one conflict per cell)                          → scenario's or baseline's value
//
// Nothing is dropped silently: applying refuses while a conflict has no choice. The scenario's own
// rows keep their keys in the baseline (keys are unique across replicas and sort by creation time),
// its imported chunks are the same chunk objects; so merging is the same as having made the same
// edits in the baseline (tests/scenario/merge-property.test.ts).

import * as Y from 'yjs';
import { setCell } from '../doc/edit';
import { clockOf, parseChunkRowKey } from '../doc/keys';
import { overlayKey, settingsMap, sheetTypes } from '../doc/layout';
import type { CellValue } from '../doc/model';
import { scenarioChanges, type ScenarioChanges } from './changes';
import { sameCell, type RecordedRow } from './layout';
import type { LayeredReader } from './reader';

export type ConflictKind = 'cell' | 'setting' | 'removed-changed' | 'changed-removed' | 'own-changed';
export type Choice = 'scenario' | 'baseline';

export interface Conflict {
  /** Stable id, the key of the person's choice. */
  id: string;
  kind: ConflictKind;
  sheet?: string;
  key?: string;
  rowId?: string;
  column?: string;
  /** The baseline's value now (a row for row conflicts; undefined: removed). */
  baseline: unknown;
  /** The scenario's value (a row for row conflicts; undefined: removed). */
  scenario: unknown;
  /** The baseline's value when the scenario first changed it. */
  old?: unknown;
}

export interface MergePlan {
  changes: ScenarioChanges;
  conflicts: Conflict[];
}

export interface MergeSummary {
  cells: number;
  added: number;
  removed: number;
  restored: number;
  settings: number;
  /** Conflicts settled for the baseline (its value kept). */
  kept: number;
}

export class MergeRefused extends Error {}

export function planMerge(r: LayeredReader): MergePlan {
  const changes = scenarioChanges(r);
  const conflicts: Conflict[] = [];
  for (const s of changes.sheets) {
    const gone = new Set<string>();
    for (const c of s.cells) {
      if (c.rowRemovedInBaseline) {
        if (gone.has(c.key)) continue;
        gone.add(c.key);
        conflicts.push({ id: `row\t${s.sheet}\t${c.key}`, kind: 'changed-removed', sheet: s.sheet, key: c.key, rowId: c.id, baseline: undefined, scenario: r.sheet(s.sheet).readRow(c.key) ?? restoredRow(r, s.sheet, c.key) });
      } else if (c.conflict) {
        conflicts.push({ id: `cell\t${s.sheet}\t${c.key}\t${c.column}`, kind: 'cell', sheet: s.sheet, key: c.key, rowId: c.id, column: c.column, baseline: c.now, scenario: c.value, old: c.old });
      }
    }
    for (const row of s.removed) {
      if (row.changedSince) conflicts.push({ id: `row\t${s.sheet}\t${row.key}`, kind: 'removed-changed', sheet: s.sheet, key: row.key, rowId: row.id, baseline: row.cells, scenario: undefined });
    }
    for (const row of s.added) {
      if (!row.inBaseline) continue;
      const now = r.sheet(s.sheet).baseRow(row.key)!;
      for (const column of new Set([...Object.keys(row.cells), ...Object.keys(now)])) {
        if (sameCell(row.cells[column], now[column])) continue;
        conflicts.push({ id: `cell\t${s.sheet}\t${row.key}\t${column}`, kind: 'own-changed', sheet: s.sheet, key: row.key, rowId: row.id, column, baseline: now[column], scenario: row.cells[column] });
      }
    }
  }
  for (const s of changes.settings) {
    if (s.conflict) conflicts.push({ id: `setting\t${s.key}`, kind: 'setting', key: s.key, column: s.key, baseline: s.now, scenario: s.value, old: s.old });
  }
  return { changes, conflicts };
}

/** A row the baseline removed, as the scenario sees it: its recorded cells with the scenario's overlay. */
function restoredRow(r: LayeredReader, sheet: string, key: string): Record<string, unknown> {
  const L = r.sheet(sheet);
  const row = { ...((L.types.base.get(key) as RecordedRow | undefined)?.row ?? {}) };
  for (const [c, v] of L.own.overlayOf(key)) row[c] = v;
  return row;
}

/**
 * Writes the scenario's changes into the baseline document in one transaction. `choices` settles
 * every conflict of `planMerge` by id; a conflict left without a choice refuses the whole merge.
 */
export function applyMerge(r: LayeredReader, choices: Readonly<Record<string, Choice>>, origin?: unknown): MergeSummary {
  const plan = planMerge(r);
  const missing = plan.conflicts.filter((c) => choices[c.id] !== 'scenario' && choices[c.id] !== 'baseline');
  if (missing.length) throw new MergeRefused(`${missing.length} conflict${missing.length === 1 ? '' : 's'} without a choice`);
  const keepBaseline = (id: string) => choices[id] === 'baseline';
  const doc = r.base.doc;
  const sum: MergeSummary = { cells: 0, added: 0, removed: 0, restored: 0, settings: 0, kept: plan.conflicts.filter((c) => keepBaseline(c.id)).length };

  doc.transact(() => {
    const settings = settingsMap(doc);
    for (const s of plan.changes.settings) {
      if (keepBaseline(`setting\t${s.key}`) || sameCell(s.value, s.now)) continue;
      if (s.value === undefined) settings.delete(s.key);
      else settings.set(s.key, s.value);
      sum.settings++;
    }

    for (const s of plan.changes.sheets) {
      const L = r.sheet(s.sheet);
      const t = sheetTypes(doc, s.sheet);
      // The scenario's own rows: its imported chunks (with their edits and deletions) and added rows.
      const baseChunks = L.base.chunks();
      for (const c of L.own.chunks().values()) if (!baseChunks.has(c.id)) t.chunks.push([c]);
      for (const row of s.added) {
        if (row.inBaseline) {
          for (const [column, v] of Object.entries(row.cells)) {
            if (!keepBaseline(`cell\t${s.sheet}\t${row.key}\t${column}`)) setCell(doc, s.sheet, row.key, column, v as CellValue);
          }
          continue;
        }
        if (parseChunkRowKey(row.key)) {
          for (const [column, v] of L.own.overlayOf(row.key)) t.cells.set(overlayKey(row.key, column), v as CellValue);
        } else {
          t.rows.set(row.key, new Y.Map<CellValue>(Object.entries(row.cells) as [string, CellValue][]));
        }
        sum.added++;
      }
      // Own chunk rows the scenario deleted stay deleted in the baseline.
      for (const k of L.types.deleted.keys()) {
        const at = parseChunkRowKey(k);
        if (at && L.own.chunks().has(at.chunkId) && !t.deleted.has(k)) t.deleted.set(k, true);
      }

      for (const row of s.removed) {
        if (keepBaseline(`row\t${s.sheet}\t${row.key}`)) continue;
        if (parseChunkRowKey(row.key)) t.deleted.set(row.key, true);
        else t.rows.delete(row.key);
        sum.removed++;
      }

      const restored = new Set<string>();
      for (const c of s.cells) {
        if (c.rowRemovedInBaseline) {
          if (restored.has(c.key) || keepBaseline(`row\t${s.sheet}\t${c.key}`)) continue;
          restored.add(c.key);
          restore(r, doc, s.sheet, c.key);
          sum.restored++;
          continue;
        }
        if (sameCell(c.value, c.now) || (c.conflict && keepBaseline(`cell\t${s.sheet}\t${c.key}\t${c.column}`))) continue;
        setCell(doc, s.sheet, c.key, c.column, c.value as CellValue);
        sum.cells++;
      }
    }
  }, origin);
  return sum;
}

/** Brings back a row the baseline removed since the fork, with the scenario's cells, under its key. */
function restore(r: LayeredReader, doc: Y.Doc, sheet: string, key: string): void {
  const t = sheetTypes(doc, sheet);
  const cells = restoredRow(r, sheet, key);
  const at = parseChunkRowKey(key);
  if (at && r.sheet(sheet).base.chunks().has(at.chunkId)) {
    t.deleted.delete(key);
    for (const [column, v] of r.sheet(sheet).own.overlayOf(key)) t.cells.set(overlayKey(key, column), v as CellValue);
    return;
  }
  // An added row keeps its key; a chunk row whose whole import the baseline took back becomes an
  // added row (its chunk is gone).
  t.rows.set(at ? clockOf(doc).rowKey() : key, new Y.Map<CellValue>(Object.entries(cells) as [string, CellValue][]));
}
