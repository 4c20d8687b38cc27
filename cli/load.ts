// Reading a workbook file into a reconciled engine, on two threads where the file is large.

import { isRow, notAnObject, type Problem, type RawRow } from '../engine/cells';
import { SHEETS, type SheetName } from '../engine/schema';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { parseRow, type AnyRow } from '../engine/rows';
import type { Workbook } from '../engine/workbook';
import { unpackInstallations } from '../engine/rows-pack';
import { readJsonWorkbook } from './input';
import { SplitError } from './json-split';
import { mark } from './timing';

/** The engine of a JSON workbook file, reconciled once; `problems` gets the file's own problems. */
export async function reconcileFile(file: string, today: string, problems: Problem[]): Promise<Engine> {
  const read = await readJsonWorkbook(file, problems);
  if (!read.pieces || !read.pending) return loaded(new Engine({ today }), read.wb);
  try {
    const engine = new Engine({ today });
    engine.begin(read.wb.settings);
    // Every other sheet is loaded while the installations are still being read.
    for (const sheet of LOAD_ORDER) {
      const pieces = read.pieces[sheet];
      if (pieces) addPieces(engine, sheet, pieces, problems);
      else if (sheet !== 'installations') engine.addSheet(sheet, { rows: read.wb.sheets[sheet] }, { release: true });
    }
    mark('other sheets loaded');
    engine.finish({ pending: 'installations' });
    mark('reconciled all but installations');
    const installations = await read.pending;
    if (!installations) throw new SplitError('the other thread did not read installations');
    problems.push(...installations.problems);
    const rows = unpackInstallations(installations.packed, (id) => engine.store.device(id), (id) => engine.store.first('users', id));
    mark('unpacked');
    engine.addSheet('installations', { typed: rows });
    mark('installations loaded');
    engine.finish();
    mark('finished');
    // The file's problems in sheet order, as a plain read lists them (sort is stable: row order holds).
    const order = new Map<string, number>(SHEETS.map((s, i) => [s, i]));
    problems.sort((a, b) => (order.get(a.sheet) ?? -1) - (order.get(b.sheet) ?? -1));
    return engine;
  } catch (err) {
    if (!(err instanceof SplitError)) throw err;
    // A split did not hold (see parallel-read.ts): read the whole file on one thread.
    await read.cancel?.();
    problems.length = 0;
    mark('plain read instead');
    const plain = await readJsonWorkbook(file, problems, { parallel: false });
    return loaded(new Engine({ today }), plain.wb);
  }
}

function loaded(engine: Engine, wb: Workbook): Engine {
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, { rows: wb.sheets[s] }]));
  engine.load(wb.settings, sheets, { release: true });
  return engine;
}

/** Types a sheet's rows piece by piece, so each piece's raw rows are garbage before the next is parsed. */
function addPieces(engine: Engine, sheet: SheetName, pieces: Iterable<unknown[]>, problems: Problem[]): void {
  let index = 0, key = 0;
  for (const piece of pieces) {
    const typed: AnyRow[] = [];
    for (const raw of piece) {
      if (isRow(raw)) typed.push(parseRow(sheet, key++, raw as RawRow));
      else problems.push(notAnObject(sheet, index));
      index++;
    }
    engine.addSheet(sheet, { typed });
  }
}
