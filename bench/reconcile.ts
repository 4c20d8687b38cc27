// Issue "Speed that holds on any estate": `reckon reconcile` as a whole process against JSON.parse of
// the same file, measured in the same run, with and without --json, on every estate shape
// (bench/shapes.ts: the estate/ generator's LARGE estate and three shapes of other proportions),
// and its peak memory.
//   npx tsx bench/reconcile.ts [--json] [--shapes bench,capacity,overlap,dense] [--file FILE] [--runs N]
// Missing estate files are generated once into .cache/.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHAPES } from './shapes';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes('--json');
const runs = Number(option('--runs') ?? 3);
const shapeNames = option('--file') ? ['file'] : (option('--shapes') ?? ['bench', ...SHAPES.map((x) => x.name)].join(',')).split(',');

/** The estate file of a shape, generated once into .cache/. */
function estateFile(shape: string): string {
  if (shape === 'file') return option('--file')!;
  const file = join(root, '.cache', shape === 'bench' ? 'estate-large.json' : `shape-${shape}.json`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    const how = shape === 'bench' ? ['--preset', 'large'] : ['--shape', shape];
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/generate.ts'), ...how, '--out', file], { stdio: 'inherit' });
  }
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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

function parseMs(file: string): { parse: number; readAndParse: number } {
  const r = spawnSync(process.execPath, ['-e', PARSE_SCRIPT, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`JSON.parse of ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { parse: number; readAndParse: number };
}

/** The node options of `npm run reckon` (package.json), so the bench runs the command people run. */
const nodeOptions = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.reckon as string)
  .split(/\s+/).filter((a) => a.startsWith('--'));

/** The whole `reckon reconcile FILE` process, as `npm run reckon` runs it (bundle already built). */
function processRun(file: string, withJson: boolean): { ms: number; peakMb: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...nodeOptions, join(root, 'cli/run.mjs'), 'reconcile', file, ...(withJson ? ['--json'] : [])], {
    // The output is written (to nowhere), as a terminal or a pipe would take it.
    cwd: root, encoding: 'utf8', env: { ...process.env, RECKON_TIMING: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`reckon reconcile failed: ${r.stderr}`);
  const peak = /timing peak memory (\d+) MB/.exec(r.stderr);
  return { ms, peakMb: peak ? Number(peak[1]) : NaN };
}

/** One shape: JSON.parse, then the table and --json processes, interleaved run by run. */
function measure(shape: string) {
  const file = estateFile(shape);
  processRun(file, false); // builds the bundle if sources changed, and warms the file cache
  const parse: number[] = [], readAndParse: number[] = [], table: number[] = [], withJson: number[] = [], peak: number[] = [];
  for (let i = 0; i < runs; i++) {
    const p = parseMs(file);
    parse.push(p.parse);
    readAndParse.push(p.readAndParse);
    const t = processRun(file, false), j = processRun(file, true);
    table.push(t.ms);
    withJson.push(j.ms);
    peak.push(t.peakMb, j.peakMb);
  }
  const ratio = (xs: number[], to: number[]) => Number((median(xs) / median(to)).toFixed(2));
  return {
    shape, file, bytes: statSync(file).size, runs,
    jsonParseMs: Math.round(median(parse)),
    readAndJsonParseMs: Math.round(median(readAndParse)),
    tableProcessMs: Math.round(median(table)),
    jsonProcessMs: Math.round(median(withJson)),
    ratio: ratio(table, parse),
    ratioJson: ratio(withJson, parse),
    ratioRange: [Number((Math.min(...table) / Math.max(...parse)).toFixed(2)), Number((Math.max(...table) / Math.min(...parse)).toFixed(2))],
    peakMemoryMb: Math.max(...peak),
    samples: { jsonParseMs: parse.map(Math.round), tableProcessMs: table.map(Math.round), jsonProcessMs: withJson.map(Math.round) },
  };
}

const shapes = shapeNames.map(measure);
const result = { runs, goalRatio: 1.5, goalPeakMemoryMb: 2048, shapes };
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`reckon reconcile against JSON.parse of the same file, medians of ${runs} (goal ≤ ${result.goalRatio}×, peak < ${result.goalPeakMemoryMb} MB)\n`);
  for (const r of shapes) {
    process.stdout.write(`  ${r.shape.padEnd(9)} ${(r.bytes / 1e6).toFixed(0).padStart(4)} MB  JSON.parse ${r.jsonParseMs} ms  `
      + `table ${r.tableProcessMs} ms = ${r.ratio}×  --json ${r.jsonProcessMs} ms = ${r.ratioJson}×  peak ${r.peakMemoryMb} MB\n`);
  }
}
