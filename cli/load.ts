// Reading a workbook file into a reconciled engine, on two threads where the file is large.

import type { Problem } from '../engine/cells';
import { SHEETS } from '../engine/schema';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { readJsonWorkbook } from './input';
import { mark } from './timing';
import { unpackInstallations } from '../engine/rows-pack';

/** The engine of a JSON workbook file, reconciled once; `problems` gets the file's own problems. */
export async function reconcileFile(file: string, today: string, problems: Problem[]): Promise<Engine> {
  const read = await readJsonWorkbook(file, problems);
  const engine = new Engine({ today });
  engine.begin(read.wb.settings);
  // Every other sheet is loaded while the installations are still being read.
  for (const sheet of LOAD_ORDER) {
    if (sheet === 'installations' && read.pending) continue;
    engine.addSheet(sheet, { rows: read.wb.sheets[sheet] }, { release: true });
  }
  mark('other sheets loaded');
  if (read.pending) {
    engine.finish({ pending: 'installations' });
    mark('reconciled all but installations');
    const installations = await read.pending;
    if (!installations) {
      // The split did not hold (see parallel-read.ts): read the whole file on one thread.
      problems.length = 0;
      mark('plain read instead');
      return reconcileFilePlain(file, today, problems);
    }
    problems.push(...installations.problems);
    const rows = unpackInstallations(installations.packed, (id) => engine.store.device(id), (id) => engine.store.first('users', id));
    mark('unpacked');
    engine.addSheet('installations', { typed: rows });
    mark('installations loaded');
  }
  engine.finish();
  mark('finished');
  return engine;
}

async function reconcileFilePlain(file: string, today: string, problems: Problem[]): Promise<Engine> {
  const read = await readJsonWorkbook(file, problems, { parallel: false });
  const engine = new Engine({ today });
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, { rows: read.wb.sheets[s] }]));
  engine.load(read.wb.settings, sheets, { release: true });
  return engine;
}
