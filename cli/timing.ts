// Stage timings of a command, printed to stderr when RECKON_TIMING is set (for `npm run bench`).

const on = Boolean(process.env.RECKON_TIMING);
const start = performance.now();
let last = start;

export function mark(stage: string): void {
  if (!on) return;
  const now = performance.now();
  process.stderr.write(`timing ${stage.padEnd(24)} +${(now - last).toFixed(0).padStart(6)} ms  at ${(now - start).toFixed(0).padStart(6)} ms\n`);
  last = now;
}
