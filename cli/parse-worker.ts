// Worker thread of the parallel reader (parallel-read.ts): reads the installations array from the
// file a piece at a time and posts its rows back typed and packed.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isRow, notAnObject, type Problem } from '../engine/cells';
import { InstallationPacker } from '../engine/rows-pack';
import { arrayPieces } from './json-split';
import { mark } from './timing';

interface Job { file: string; start: number; end: number }

function run({ file, start, end }: Job) {
  const bytes = Buffer.allocUnsafe(end - start);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < bytes.length) read += readSync(fd, bytes, read, bytes.length - read, start + read);
  } finally {
    closeSync(fd);
  }
  mark('worker read');
  // As readWorkbook does: a row that is not an object is a problem and is left out.
  const problems: Problem[] = [];
  const packer = new InstallationPacker();
  let index = 0;
  for (const piece of arrayPieces(bytes, { start: 0, end: bytes.length })) {
    for (const raw of piece) {
      if (isRow(raw)) packer.addRaw(raw);
      else problems.push(notAnObject('installations', index));
      index++;
    }
  }
  const packed = packer.finish();
  mark('worker packed');
  const arrays = [packed.ends, packed.deviceIndex, packed.userIndex, packed.idCased, packed.productIndex, packed.versionIndex, packed.editionIndex];
  parentPort!.postMessage({ ok: true, packed, problems }, arrays.map((a) => a.buffer as ArrayBuffer));
}

try {
  run(workerData as Job);
} catch (err) {
  parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) });
}
