// Worker thread of the parallel reader (parallel-read.ts): the installation side of the workbook
// (engine/installation-side.ts). It reads its part of the file into memory shared with the main
// thread, parses the installations array from there a piece at a time, takes the other sheets
// their results read from the main thread (typed there, packed column by column), reconciles what
// reads installations and posts those results back.

import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '../engine/cells';
import { Engine, LOAD_ORDER } from '../engine/engine';
import type { Installation } from '../engine/rows';
import { unpackRows } from '../engine/rows-columns';
import { typedPieces } from '../engine/workbook';
import { arrayPieces } from './json-split';
import { readRange, type ReadJob, type SideSheets, type WorkerAnswer, type WorkerJob } from './parallel-read';
import { mark } from './timing';

/** Messages from the main thread, in order: the read, the job, then the sheets the installation side reads. */
const fromMain: unknown[] = [];
const waiting: ((message: unknown) => void)[] = [];
parentPort!.on('message', (message: unknown) => { const take = waiting.shift(); if (take) take(message); else fromMain.push(message); });
const nextMessage = <T>() => new Promise<T>((resolve) => { if (fromMain.length) resolve(fromMain.shift() as T); else waiting.push(resolve as (m: unknown) => void); });

/** The installations, parsed and typed (their devices and users are found once those arrive). */
function readInstallations(job: WorkerJob, problems: Problem[]): Installation[] {
  // The main thread reads no byte of this range while the worker runs (parallel-read.ts).
  const bytes = Buffer.from(job.bytes, job.start, job.end - job.start);
  const rows: Installation[] = [];
  for (const typed of typedPieces('installations', arrayPieces(bytes, { start: 0, end: bytes.length }), problems)) {
    for (const row of typed) rows.push(row as Installation);
  }
  mark('worker typed');
  return rows;
}

/** Reads the worker's part of the file into the shared bytes, then wakes the main thread (readShared). */
function readPart({ file, bytes, from, to, done }: ReadJob): void {
  const state = new Int32Array(done);
  try {
    const fd = openSync(file, 'r');
    try {
      Atomics.store(state, 1, readRange(fd, new Uint8Array(bytes), from, to) - from);
    } finally {
      closeSync(fd);
    }
    Atomics.store(state, 0, 1);
  } catch {
    Atomics.store(state, 0, -1);
  }
  Atomics.notify(state, 0);
}

async function run({ contributions }: { contributions: boolean }): Promise<WorkerAnswer> {
  readPart(await nextMessage<ReadJob>());
  const problems: Problem[] = [];
  const installations = readInstallations(await nextMessage<WorkerJob>(), problems);
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
  const results = engine.installationResults({ contributions });
  mark('worker reconciled');
  return { ok: true, results, problems };
}

run(workerData as { contributions: boolean }).then(
  (answer) => parentPort!.postMessage(answer, answer.ok && answer.results.contributions ? [answer.results.contributions.amounts.buffer as ArrayBuffer] : []),
  (err: unknown) => parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) } satisfies WorkerAnswer),
);
