// Worker thread of the parallel reader (parallel-read.ts): reads one sheet's array from the file,
// parses it and its rows, and posts the typed rows back packed.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem, RawRow } from '../engine/cells';
import { parseRow, type Installation } from '../engine/rows';
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
  const rows: unknown = JSON.parse(bytes.toString('utf8'));
  mark('worker parse');
  if (!Array.isArray(rows)) throw new Error('not an array');
  // As readWorkbook does: a row that is not an object is a problem and is left out.
  const problems: Problem[] = [];
  const typed: Installation[] = [];
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i] as unknown;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) typed.push(parseRow('installations', typed.length, raw as RawRow));
    else problems.push({ sheet: 'installations', rowId: `#${i + 1}`, column: '', message: `row ${i + 1} is not an object; it is left out` });
    rows[i] = undefined;
  }
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
