// Worker thread of the parallel reader (parallel-read.ts): reads its sheets' arrays from the file a
// piece at a time and posts each sheet's rows back typed and packed, one message per sheet, in the
// order it was given them.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isRow, notAnObject, type Problem, type RawRow } from '../engine/cells';
import { parseRow } from '../engine/rows';
import { RowPacker, packedBuffers } from '../engine/rows-columns';
import { InstallationPacker, installationBuffers } from '../engine/rows-pack';
import type { SheetName } from '../engine/schema';
import { arrayPieces } from './json-split';
import { mark } from './timing';
import type { WorkerJob, WorkerSheet } from './parallel-read';

function readRange(file: string, start: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(end - start);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < bytes.length) read += readSync(fd, bytes, read, bytes.length - read, start + read);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Each row of the array in `bytes`, or a problem for one that is not an object (as readWorkbook does). */
function eachRow(sheet: SheetName, bytes: Buffer, problems: Problem[], add: (raw: RawRow) => void): void {
  let index = 0;
  for (const piece of arrayPieces(bytes, { start: 0, end: bytes.length })) {
    for (const raw of piece) {
      if (isRow(raw)) add(raw);
      else problems.push(notAnObject(sheet, index));
      index++;
    }
  }
}

function read({ file, sheet, start, end }: WorkerJob): [WorkerSheet, ArrayBuffer[]] {
  const bytes = readRange(file, start, end);
  const problems: Problem[] = [];
  if (sheet === 'installations') {
    // No Installation objects: the packer reads raw cells (rows-pack.ts).
    const packer = new InstallationPacker();
    eachRow(sheet, bytes, problems, (raw) => packer.addRaw(raw));
    const packed = packer.finish();
    return [{ sheet, installations: packed, problems }, installationBuffers(packed)];
  }
  const packer = new RowPacker();
  let key = 0;
  eachRow(sheet, bytes, problems, (raw) => packer.add(parseRow(sheet, key++, raw)));
  const rows = packer.finish();
  return [{ sheet, rows, problems }, packedBuffers(rows)];
}

try {
  for (const job of (workerData as { jobs: WorkerJob[] }).jobs) {
    const [answer, buffers] = read(job);
    mark(`worker read ${job.sheet}`);
    parentPort!.postMessage({ ok: true, answer }, buffers);
  }
} catch (err) {
  parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) });
}
