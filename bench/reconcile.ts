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
// On a shared machine the best of several runs is the steadiest estimate of what a run costs;
// the median is reported beside it.
const best = (xs: number[]) => Math.min(...xs);

/**
 * JSON.parse of the file's text, alone and with reading the file first, in a process of its own:
 * parsed here, the bench's own heap (a gigabyte of garbage) would be collected by background
 * threads while the next command runs, and the two cores are what that command is measured on.
 */
const PARSE_SCRIPT = `
const { readFileSync } = require('node:fs');
const t0 = performance.now();
const text = readFileSync(process.argv[1], 'utf8');
const t1 = performance.now();
JSON.parse(text);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ parse: t2 - t1, readAndParse: t2 - t0 }));`;

function parseMs(): { parse: number; readAndParse: number } {
  const r = spawnSync(process.execPath, ['-e', PARSE_SCRIPT, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`JSON.parse of ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { parse: number; readAndParse: number };
}

/** The node options of `npm run reckon` (package.json), so the bench runs the command people run. */
const nodeOptions = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.reckon as string)
  .split(/\s+/).filter((a) => a.startsWith('--'));

/** The whole `reckon reconcile FILE` process, as `npm run reckon` runs it (bundle already built). */
function processRun(): { ms: number; peakMb: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...nodeOptions, join(root, 'cli/run.mjs'), 'reconcile', file], {
    cwd: root, encoding: 'utf8', env: { ...process.env, RECKON_TIMING: '1' }, maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`reckon reconcile failed: ${r.stderr}`);
  const peak = /timing peak memory (\d+) MB/.exec(r.stderr);
  return { ms, peakMb: peak ? Number(peak[1]) : NaN };
}

processRun(); // builds the bundle if sources changed, and warms the file cache
const parse: number[] = [], readAndParse: number[] = [], whole: number[] = [], peak: number[] = [];
for (let i = 0; i < runs; i++) {
  const p = parseMs();
  parse.push(p.parse);
  readAndParse.push(p.readAndParse);
  const r = processRun();
  whole.push(r.ms);
  peak.push(r.peakMb);
}
const result = {
  file, bytes: statSync(file).size, runs,
  jsonParseMs: Math.round(median(parse)),
  readAndJsonParseMs: Math.round(median(readAndParse)),
  reconcileProcessMs: Math.round(median(whole)),
  ratio: Number((median(whole) / median(parse)).toFixed(2)),
  ratioToReadAndParse: Number((median(whole) / median(readAndParse)).toFixed(2)),
  best: {
    jsonParseMs: Math.round(best(parse)),
    readAndJsonParseMs: Math.round(best(readAndParse)),
    reconcileProcessMs: Math.round(best(whole)),
    ratio: Number((best(whole) / best(parse)).toFixed(2)),
    ratioToReadAndParse: Number((best(whole) / best(readAndParse)).toFixed(2)),
  },
  goalRatio: 1.5,
  peakMemoryMb: Math.max(...peak),
  goalPeakMemoryMb: 3072,
  samples: { jsonParseMs: parse.map(Math.round), readAndJsonParseMs: readAndParse.map(Math.round), reconcileProcessMs: whole.map(Math.round) },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`reconcile ${file} (${(result.bytes / 1e6).toFixed(0)} MB), median of ${runs}\n`);
  process.stdout.write(`  JSON.parse of the text       ${result.jsonParseMs} ms\n`);
  process.stdout.write(`  reading + JSON.parse         ${result.readAndJsonParseMs} ms\n`);
  process.stdout.write(`  reckon reconcile (process)   ${result.reconcileProcessMs} ms  = ${result.ratio}× JSON.parse, ${result.ratioToReadAndParse}× reading + JSON.parse (goal ≤ ${result.goalRatio}×)\n`);
  process.stdout.write(`  best of ${runs}: JSON.parse ${result.best.jsonParseMs} ms, reading + JSON.parse ${result.best.readAndJsonParseMs} ms, reckon reconcile ${result.best.reconcileProcessMs} ms = ${result.best.ratio}× / ${result.best.ratioToReadAndParse}×\n`);
  process.stdout.write(`  peak memory                 ${result.peakMemoryMb} MB (goal < ${result.goalPeakMemoryMb} MB)\n`);
}
