// A worker thread that parses an array from shared bytes as another thread reads them in, as the
// parallel reader's worker does (cli/parse-worker.ts), and posts what it got: the rows, where the
// array ended, and each count of bytes it was told were in. It says it is ready first, so that the
// bytes come in while it parses rather than while it starts.

import { parentPort, workerData } from 'node:worker_threads';
import { arrayPieces, SplitError } from '../../cli/json-split';
import { arrivingBytes } from '../../cli/parallel-read';

const { bytes, start, progress, piece, asked } = workerData as {
  bytes: SharedArrayBuffer; start: number; progress: SharedArrayBuffer; piece: number;
  /** The most bytes it has asked to be in, for the writer to wait on. */
  asked: SharedArrayBuffer;
};
parentPort!.postMessage('ready');
const readTo = arrivingBytes(progress);
const seen: number[] = [];
const pieces = arrayPieces(Buffer.from(bytes), start, { bytes: piece, readTo: (n) => { Atomics.store(new Int32Array(asked), 0, n); const got = readTo(n); seen.push(got); return got; } });
const rows: unknown[] = [];
try {
  for (let r = pieces.next(); ; r = pieces.next()) {
    if (r.done) {
      parentPort!.postMessage({ rows, end: r.value, seen });
      break;
    }
    rows.push(...r.value);
  }
} catch (err) {
  parentPort!.postMessage({ failed: err instanceof SplitError ? err.message : String(err), seen });
}
