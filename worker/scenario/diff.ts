// The difference between two workbooks as `reckon diff` prints it with --json (format
// `reckon-diff/1`, documented in the README): per-position figures on both sides with their
// differences (compare.ts), HAM units, totals, and the rows and cells that differ. Pure: results
// and rows in, the diff out.
//
// Rows are matched by their document key when both sides are documents (a scenario and its
// baseline, or copies of one document); rows of a workbook file have no keys, so they are matched
// by id (the n-th row of an id with the n-th row of that id), and rows without an id by their
// content (an id-less row that changed shows as removed and added).

import { SHEETS } from '../../engine/schema';
import type { RawCells } from '../doc/chunk';
import type { ScenarioChanges } from './changes';
import type { ComparedHam, ComparedPosition, Comparison, FiguresDelta, SideFigures, Totals, TotalsDelta } from './compare';
import { sameCell } from './layout';

export const DIFF_FORMAT = 'reckon-diff/1';

export interface DiffRow { key: string; id: string; cells: RawCells }
export interface DiffCell { key: string; id: string; column: string; old: unknown; new: unknown }
export interface DiffSheet { sheet: string; added: DiffRow[]; removed: DiffRow[]; changed: DiffCell[] }
export interface DiffSetting { key: string; old: unknown; new: unknown }
export interface DiffChanges { sheets: DiffSheet[]; settings: DiffSetting[] }

export interface DiffPosition extends Omit<ComparedPosition, 'base' | 'sides' | 'delta'> {
  base: SideFigures | null;
  scenario: SideFigures | null;
  delta: FiguresDelta;
}

export interface DiffHam { category: string; ot: boolean; base: ComparedHam['base']; scenario: ComparedHam['base']; changed: boolean }

export interface Diff {
  format: typeof DIFF_FORMAT;
  base: string;
  scenario: string;
  totals: { base: Totals; scenario: Totals; delta: TotalsDelta };
  /** Changed positions first, by the size of their shortfall cost change. */
  positions: DiffPosition[];
  ham: DiffHam[];
  changes: DiffChanges;
}

/** A workbook's rows as the diff reads them: per sheet, keys (or null: match by id) and rows. */
export interface DiffSide {
  settings: Record<string, unknown>;
  sheets: Record<string, { keys: string[] | null; rows: RawCells[] }>;
}

const idOf = (row: RawCells): string => (row.id === undefined || row.id === null ? '' : String(row.id));

/** Keys for rows without document keys: `id:<id>#<n>` (the n-th row of that id), or `row:<content>#<n>`. */
function matchKeys(rows: readonly RawCells[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const id = idOf(row).trim();
    const base = id !== '' ? `id:${id}` : `row:${JSON.stringify(Object.keys(row).sort().map((c) => [c, row[c]]))}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  });
}

/** The rows and cells that differ between two workbooks. */
export function diffRows(base: DiffSide, other: DiffSide): DiffChanges {
  const sheets: DiffSheet[] = [];
  for (const sheet of SHEETS) {
    const a = base.sheets[sheet] ?? { keys: [], rows: [] }, b = other.sheets[sheet] ?? { keys: [], rows: [] };
    const byDocKey = a.keys !== null && b.keys !== null;
    const aKeys = byDocKey ? a.keys! : matchKeys(a.rows), bKeys = byDocKey ? b.keys! : matchKeys(b.rows);
    const aRows = new Map(aKeys.map((k, i) => [k, a.rows[i]]));
    const bRows = new Map(bKeys.map((k, i) => [k, b.rows[i]]));
    const out: DiffSheet = { sheet, added: [], removed: [], changed: [] };
    const shown = (k: string) => (byDocKey ? k : '');
    for (const [k, row] of aRows) if (!bRows.has(k)) out.removed.push({ key: shown(k), id: idOf(row), cells: row });
    for (const [k, row] of bRows) {
      const was = aRows.get(k);
      if (!was) {
        out.added.push({ key: shown(k), id: idOf(row), cells: row });
        continue;
      }
      for (const column of new Set([...Object.keys(was), ...Object.keys(row)])) {
        if (!sameCell(was[column], row[column])) out.changed.push({ key: shown(k), id: idOf(row), column, old: was[column] ?? null, new: row[column] ?? null });
      }
    }
    if (out.added.length + out.removed.length + out.changed.length) sheets.push(out);
  }
  const settings: DiffSetting[] = [];
  for (const key of [...new Set([...Object.keys(base.settings), ...Object.keys(other.settings)])].sort()) {
    if (!sameCell(base.settings[key], other.settings[key])) settings.push({ key, old: base.settings[key] ?? null, new: other.settings[key] ?? null });
  }
  return { sheets, settings };
}

/** A scenario's change list as diff changes: old is what the baseline holds now. */
export function diffOfScenario(c: ScenarioChanges): DiffChanges {
  return {
    sheets: c.sheets.map((s) => ({
      sheet: s.sheet,
      added: s.added.filter((a) => !a.inBaseline).map(({ key, id, cells }) => ({ key, id, cells })),
      removed: s.removed.map(({ key, id, cells }) => ({ key, id, cells })),
      changed: s.cells.filter((x) => !x.rowRemovedInBaseline && !x.inBaseline)
        .map((x) => ({ key: x.key, id: x.id, column: x.column, old: x.now ?? null, new: x.value ?? null })),
    })).filter((s) => s.added.length + s.removed.length + s.changed.length > 0),
    settings: c.settings.filter((s) => !s.inBaseline).map((s) => ({ key: s.key, old: s.now ?? null, new: s.value ?? null })),
  };
}

/** The diff of two sides: the comparison of their results (one scenario) and their changes. */
export function diffOf(files: { base: string; scenario: string }, comparison: Comparison, changes: DiffChanges): Diff {
  return {
    format: DIFF_FORMAT,
    base: files.base,
    scenario: files.scenario,
    totals: { base: comparison.totals.base, scenario: comparison.totals.sides[0], delta: comparison.totals.delta[0] },
    positions: comparison.positions.map(({ sides, delta, ...p }) => ({ ...p, scenario: sides[0], delta: delta[0] })),
    ham: comparison.ham.map(({ sides, ...h }) => ({ ...h, scenario: sides[0] })),
    changes,
  };
}
