// Stage timings of a command, printed to stderr when RECKON_TIMING is set (for `npm run bench`).
// Written straight to file descriptor 2: a worker's process.stderr goes through the main thread,
// which prints it late or, when the worker is stopped, not at all.

import { writeSync } from 'node:fs';

const on = Boolean(process.env.RECKON_TIMING);
const start = performance.timeOrigin + performance.now();
let last = start;

/** Marks the end of a stage; times are from this thread's start (a worker's starts later). */
export function mark(stage: string): void {
  if (!on) return;
  const now = performance.timeOrigin + performance.now();
  writeSync(2, `timing ${stage.padEnd(24)} +${(now - last).toFixed(0).padStart(6)} ms  at ${(now - start).toFixed(0).padStart(6)} ms\n`);
  last = now;
}
