// Worker thread of the parallel reader (parallel-read.ts): the installation side of the workbook
// (engine/installation-side.ts). It parses the installations array a piece at a time from memory
// shared with the main thread, as the main thread reads the file into it, takes the other sheets
// their results read from the main thread (typed there, packed column by column), reconciles what
// reads installations and posts those results back; then it explains its positions on request.

import { parentPort } from 'node:worker_threads';
import type { Problem } from '../engine/cells';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { packContributions } from '../engine/installation-side';
import type { Installation } from '../engine/rows';
import { unpackRows } from '../engine/rows-columns';
import { typedPieces } from '../engine/workbook';
import { arrayPieces } from './json-split';
import { arrivingBytes, SCANNED_SHEETS, type SideSheets, type ExplainRequest, type WorkerAnswer, type WorkerJob } from './parallel-read';
import { RowScanner } from './row-scan';
import { mark } from './timing';

/** Messages from the main thread, in order: the job, then the sheets the installation side reads. */
const fromMain: unknown[] = [];
const waiting: ((message: unknown) => void)[] = [];
parentPort!.on('message', (message: unknown) => { const take = waiting.shift(); if (take) take(message); else fromMain.push(message); });
const nextMessage = <T>() => new Promise<T>((resolve) => { if (fromMain.length) resolve(fromMain.shift() as T); else waiting.push(resolve as (m: unknown) => void); });

/** The installations, parsed and typed (their devices and users are found once those arrive), and where their array ends. */
function readInstallations(job: WorkerJob, problems: Problem[]): { rows: Installation[]; end: number } {
  const bytes = Buffer.from(job.bytes);
  let end = -1;
  const scanner = SCANNED_SHEETS.has('installations') ? new RowScanner('installations', bytes) : undefined;
  const pieces = { *[Symbol.iterator]() { end = yield* arrayPieces(bytes, job.start, { readTo: arrivingBytes(job.progress), scanner }); } };
  // Gathered piece by piece and copied once: a million pushes would copy a growing array over and over.
  const typed = [...typedPieces('installations', pieces, problems)];
  const rows = new Array<Installation>(typed.reduce((n, piece) => n + piece.length, 0));
  let k = 0;
  for (const piece of typed) for (const row of piece) rows[k++] = row as Installation;
  mark('worker typed');
  return { rows, end };
}

async function run(): Promise<void> {
  const problems: Problem[] = [];
  const { rows: installations, end } = readInstallations(await nextMessage<WorkerJob>(), problems);
  const side = await nextMessage<SideSheets>();
  mark('worker has sheets');
  const engine = new Engine({ today: side.today });
  engine.begin(side.settings);
  for (const sheet of LOAD_ORDER) {
    const rows = side.sheets[sheet];
    if (rows) engine.addSheet(sheet, { typed: unpackRows(rows) });
  }
  mark('worker sheets loaded');
  engine.addSheet('installations', { typed: installations });
  mark('worker loaded');
  engine.finish({ only: 'installations' });
  mark('worker finished');
  const results = engine.installationResults();
  mark('worker reconciled');
  parentPort!.postMessage({ ok: true, results, problems, end } satisfies WorkerAnswer);
  // Contribution lines (--json) are asked for a batch of positions at a time, as the main thread
  // writes them, so no thread holds all of them at once; the main thread stops this one when done.
  for (;;) {
    const { explain } = await nextMessage<ExplainRequest>();
    const lines = packContributions(engine.explainMany(explain));
    parentPort!.postMessage(lines, [lines.amounts.buffer as ArrayBuffer]);
  }
}

run().catch((err: unknown) => parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) } satisfies WorkerAnswer));
