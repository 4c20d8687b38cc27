// Reading a workbook file and reconciling it, on two threads where the file is large.

import type { Problem } from '../engine/cells';
import type { Result } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { PositionResult } from '../engine/positions/position';
import { RULES } from '../engine/metrics';
import { SHEETS, sheetRank, type SheetName } from '../engine/schema';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { INSTALLATION_SIDE_SHEETS, unpackContributions } from '../engine/installation-side';
import { parseRow, type AnyRow } from '../engine/rows';
import { RowPacker, type PackedRows } from '../engine/rows-columns';
import type { Settings } from '../engine/settings';
import { typedPieces, type Workbook } from '../engine/workbook';
import { readJsonWorkbook, type ReadWorkbook } from './input';
import { SplitError } from './json-split';
import { mark } from './timing';

/**
 * A reconciled workbook: its result (without contribution lines), the lines of its positions a
 * batch at a time (so a large result is written without holding all of them), and its settings.
 */
export interface Reconciled {
  settings: Settings;
  result(): Result;
  /** The contribution lines of these positions of the result, in this order. */
  lines(positions: readonly PositionResult[]): Promise<Contribution[][]>;
  /** Lets go of what only lines() needs (the other thread). */
  close(): void;
}

export function reconciledEngine(engine: Engine): Reconciled {
  return { settings: engine.store.settings, result: () => engine.result(), lines: async (positions) => engine.explainMany(positions.map((p) => p.key)), close: () => {} };
}

/** Sheets in the order the parallel path loads them: what the installation side reads comes first. */
const PARALLEL_ORDER: readonly SheetName[] = [
  ...LOAD_ORDER.filter((s) => INSTALLATION_SIDE_SHEETS.includes(s)),
  ...LOAD_ORDER.filter((s) => !INSTALLATION_SIDE_SHEETS.includes(s) && s !== 'installations'),
];

/** A JSON workbook file, reconciled; `problems` gets the file's own problems. */
export async function reconcileFile(file: string, today: string, problems: Problem[]): Promise<Reconciled> {
  const read = await readJsonWorkbook(file, problems);
  if (!read.pieces || !read.side) return reconciledEngine(loaded(new Engine({ today }), read.wb));
  try {
    return await reconcileOnTwoThreads(read, today, problems);
  } catch (err) {
    if (!(err instanceof SplitError)) throw err;
    // A split did not hold (see parallel-read.ts): read the whole file on one thread.
    await read.cancel?.();
    problems.length = 0;
    mark('plain read instead');
    const plain = await readJsonWorkbook(file, problems, { parallel: false });
    return reconciledEngine(loaded(new Engine({ today }), plain.wb));
  }
}

/**
 * This thread reconciles everything but installations while the worker, the installation side,
 * reads them; it hands the worker the sheets that side reads as soon as they are typed.
 */
async function reconcileOnTwoThreads(read: ReadWorkbook, today: string, problems: Problem[]): Promise<Reconciled> {
  const side = read.side!;
  const engine = new Engine({ today });
  engine.begin(read.wb.settings);
  const shared: Partial<Record<SheetName, PackedRows>> = {};
  for (const [n, sheet] of PARALLEL_ORDER.entries()) {
    const packer = n < INSTALLATION_SIDE_SHEETS.length ? new RowPacker() : null;
    for (const typed of sheetRows(sheet, read, problems)) {
      if (packer) for (const row of typed) packer.add(row);
      engine.addSheet(sheet, { typed });
    }
    if (!packer) continue;
    shared[sheet] = packer.finish();
    if (n === INSTALLATION_SIDE_SHEETS.length - 1) {
      side.share({ today, settings: read.wb.settings, sheets: shared });
      mark('sheets shared');
    }
  }
  mark('other sheets loaded');
  engine.finish({ pending: 'installations' });
  mark('reconciled all but installations');
  const complete = engine.resultBesidesInstallations();
  mark('result but installations');
  const installations = await side.installations;
  if (!installations) throw new SplitError('the other thread did not reconcile installations');
  problems.push(...installations.problems);
  // The file's problems in sheet order, as a plain read lists them (sort is stable: row order holds).
  problems.sort((a, b) => sheetRank(a.sheet) - sheetRank(b.sheet));
  return {
    settings: engine.store.settings,
    result: () => complete(installations.results),
    // Positions whose rule reads installations are the other thread's (installation-side.ts).
    lines: async (positions) => {
      const theirs = positions.filter(readsInstallations).map((p) => p.key);
      const fromSide = theirs.length === 0 ? [] : unpackContributions(await side.explain(theirs));
      const own = engine.explainMany(positions.filter((p) => !readsInstallations(p)).map((p) => p.key));
      let i = 0, j = 0;
      return positions.map((p) => (readsInstallations(p) ? fromSide[i++] : own[j++]));
    },
    close: () => side.close(),
  };
}

/** Whether a position's rule reads installations. */
function readsInstallations(p: PositionResult): boolean {
  return RULES.get(p.metric)?.install !== undefined;
}

function loaded(engine: Engine, wb: Workbook): Engine {
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, { rows: wb.sheets[s] }]));
  engine.load(wb.settings, sheets, { release: true });
  return engine;
}

/**
 * A sheet's rows typed, piece by piece, so each piece's raw rows are garbage before the next is
 * parsed. A sheet not split out of the file is in the workbook whole (readWorkbook dropped, and
 * reported, its rows that are not objects).
 */
function* sheetRows(sheet: SheetName, read: ReadWorkbook, problems: Problem[]): Generator<AnyRow[]> {
  const pieces = read.pieces![sheet];
  if (pieces) {
    yield* typedPieces(sheet, pieces, problems);
    return;
  }
  const rows = read.wb.sheets[sheet];
  yield rows.map((raw, key) => parseRow(sheet, key, raw!));
  rows.length = 0;
}
