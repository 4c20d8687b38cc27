// Stage timings of a command, printed to stderr when RECKON_TIMING is set (for `npm run bench`).
// Written straight to file descriptor 2: a worker's process.stderr goes through the main thread,
// which prints it late or, when the worker is stopped, not at all. Beside the wall time each mark
// gives the CPU time this thread has used (Linux), which a busy neighbour on a shared machine
// disturbs far less than the wall time.

import { readFileSync, writeSync } from 'node:fs';

const on = Boolean(process.env.RECKON_TIMING);
const start = performance.timeOrigin + performance.now();
let last = start;

/** This thread's CPU time in ms, from /proc (the first field of schedstat is in ns); NaN elsewhere. */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** Marks the end of a stage; times are from this thread's start (a worker's starts later). */
export function mark(stage: string): void {
  if (!on) return;
  const now = performance.timeOrigin + performance.now();
  writeSync(2, `timing ${stage.padEnd(24)} +${(now - last).toFixed(0).padStart(6)} ms  at ${(now - start).toFixed(0).padStart(6)} ms  cpu ${threadCpuMs().toFixed(0).padStart(6)} ms\n`);
  last = now;
}
