// Worker thread of the parallel reader (parallel-read.ts): reads one sheet's array from the file,
// parses it and its rows, and posts the typed rows back packed.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '../engine/cells';
import { scanSheetArray } from '../engine/json-scan';
import type { Installation } from '../engine/rows';
import { packInstallations } from '../engine/rows-pack';
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
  const problems: Problem[] = [];
  const typed = scanSheetArray(bytes.toString('utf8'), 'installations', problems) as Installation[];
  mark('worker rows');
  const packed = packInstallations(typed);
  mark('worker packed');
  const arrays = [packed.ends, packed.deviceIndex, packed.userIndex, packed.idCased, packed.productIndex, packed.versionIndex, packed.editionIndex];
  parentPort!.postMessage({ ok: true, packed, problems }, arrays.map((a) => a.buffer as ArrayBuffer));
}

try {
  run(workerData as Job);
} catch (err) {
  parentPort!.postMessage({ ok: false, reason: err instanceof Error ? err.message : String(err) });
}
