// Issue "Reconciliation engine and command line", speed: `reckon reconcile` as a whole process
// against JSON.parse of the same file, measured in the same run, and its peak memory.
//   npx tsx bench/reconcile.ts [--json] [--file FILE] [--runs N]
// Without --file it generates (once) the 100k-device, 1M-installation estate into .cache/.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const runs = Number(option('--runs') ?? 3);
const file = option('--file') ?? join(root, '.cache', 'estate-large.json');

if (!existsSync(file)) {
  process.stderr.write(`generating ${file} …\n`);
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/generate.ts'), '--preset', 'large', '--out', file], { stdio: 'inherit' });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** JSON.parse of the file's text, in this process (reading the file is not counted). */
function parseMs(): number {
  const text = readFileSync(file, 'utf8');
  const t = performance.now();
  JSON.parse(text);
  return performance.now() - t;
}

/** The whole `reckon reconcile FILE` process, as `npm run reckon` runs it (bundle already built). */
function processRun(): { ms: number; peakMb: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'cli/run.mjs'), 'reconcile', file], {
    cwd: root, encoding: 'utf8', env: { ...process.env, RECKON_TIMING: '1' }, maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`reckon reconcile failed: ${r.stderr}`);
  const peak = /timing peak memory (\d+) MB/.exec(r.stderr);
  return { ms, peakMb: peak ? Number(peak[1]) : NaN };
}

processRun(); // builds the bundle if sources changed, and warms the file cache
const parse: number[] = [], whole: number[] = [], peak: number[] = [];
for (let i = 0; i < runs; i++) {
  parse.push(parseMs());
  const r = processRun();
  whole.push(r.ms);
  peak.push(r.peakMb);
}
const result = {
  file, bytes: statSync(file).size, runs,
  jsonParseMs: Math.round(median(parse)),
  reconcileProcessMs: Math.round(median(whole)),
  ratio: Number((median(whole) / median(parse)).toFixed(2)),
  goalRatio: 1.5,
  peakMemoryMb: Math.max(...peak),
  goalPeakMemoryMb: 3072,
  samples: { jsonParseMs: parse.map(Math.round), reconcileProcessMs: whole.map(Math.round) },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`reconcile ${file} (${(result.bytes / 1e6).toFixed(0)} MB), median of ${runs}\n`);
  process.stdout.write(`  JSON.parse of the file      ${result.jsonParseMs} ms\n`);
  process.stdout.write(`  reckon reconcile (process)  ${result.reconcileProcessMs} ms  = ${result.ratio}× JSON.parse (goal ≤ ${result.goalRatio}×)\n`);
  process.stdout.write(`  peak memory                 ${result.peakMemoryMb} MB (goal < ${result.goalPeakMemoryMb} MB)\n`);
}
