// Reading a workbook file and reconciling it, on two threads where the file is large.

import type { Problem } from '../engine/cells';
import type { Result } from '../engine/changes';
import { SHEETS, sheetRank, type SheetName } from '../engine/schema';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { INSTALLATION_SIDE_SHEETS } from '../engine/installation-side';
import { parseRow, type AnyRow } from '../engine/rows';
import { RowPacker, type PackedRows } from '../engine/rows-columns';
import type { Settings } from '../engine/settings';
import { typedPieces, type Workbook } from '../engine/workbook';
import { readJsonWorkbook, type ReadWorkbook } from './input';
import { SplitError } from './json-split';
import { mark } from './timing';

/** A reconciled workbook: its result (contributions as asked when reconciling) and its settings. */
export interface Reconciled {
  settings: Settings;
  result(): Result;
}

export function reconciledEngine(engine: Engine, options: { contributions?: boolean }): Reconciled {
  return { settings: engine.store.settings, result: () => engine.result(options) };
}

/** Sheets in the order the parallel path loads them: what the installation side reads comes first. */
const PARALLEL_ORDER: readonly SheetName[] = [
  ...LOAD_ORDER.filter((s) => INSTALLATION_SIDE_SHEETS.includes(s)),
  ...LOAD_ORDER.filter((s) => !INSTALLATION_SIDE_SHEETS.includes(s) && s !== 'installations'),
];

/** A JSON workbook file, reconciled; `problems` gets the file's own problems. */
export async function reconcileFile(file: string, today: string, problems: Problem[], options: { contributions?: boolean } = {}): Promise<Reconciled> {
  const read = await readJsonWorkbook(file, problems, { contributions: options.contributions });
  if (!read.pieces || !read.side) return reconciledEngine(loaded(new Engine({ today }), read.wb), options);
  try {
    return await reconcileOnTwoThreads(read, today, problems, options);
  } catch (err) {
    if (!(err instanceof SplitError)) throw err;
    // A split did not hold (see parallel-read.ts): read the whole file on one thread.
    await read.cancel?.();
    problems.length = 0;
    mark('plain read instead');
    const plain = await readJsonWorkbook(file, problems, { parallel: false });
    return reconciledEngine(loaded(new Engine({ today }), plain.wb), options);
  }
}

/**
 * This thread reconciles everything but installations while the worker, the installation side,
 * reads them; it hands the worker the sheets that side reads as soon as they are typed.
 */
async function reconcileOnTwoThreads(read: ReadWorkbook, today: string, problems: Problem[], options: { contributions?: boolean }): Promise<Reconciled> {
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
  const complete = engine.resultBesidesInstallations(options);
  mark('result but installations');
  const installations = await side.installations;
  if (!installations) throw new SplitError('the other thread did not reconcile installations');
  problems.push(...installations.problems);
  // The file's problems in sheet order, as a plain read lists them (sort is stable: row order holds).
  problems.sort((a, b) => sheetRank(a.sheet) - sheetRank(b.sheet));
  return { settings: engine.store.settings, result: () => complete(installations.results) };
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
