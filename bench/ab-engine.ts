// The engine of another checkout against this one, in one process, alternating on the same parsed
// workbook (load and result, one-shot): for comparing a change when the machine is too busy for
// whole-process runs to say anything. The other checkout is e.g. `git archive main | tar -x -C DIR`
// with node_modules linked.
//   node --expose-gc --max-old-space-size=8000 --import tsx bench/ab-engine.ts --base DIR [--file F] [--runs N]

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../engine/engine';

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const baseDir = option('--base');
if (!baseDir) throw new Error('--base DIR: the checkout to compare with');
const file = option('--file') ?? join(import.meta.dirname, '..', '.cache', 'estate-large.json');
const runs = Number(option('--runs') ?? 5);

const { Engine: BaseEngine } = (await import(pathToFileURL(resolve(baseDir, 'engine/engine.ts')).href)) as { Engine: typeof Engine };
const wb = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const sheets = Object.fromEntries(Object.entries(wb).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, { rows: v as never[] }]));

function once(E: typeof Engine): number {
  const t = performance.now();
  const e = new E({ today: '2026-11-01' });
  e.load(wb.settings as Record<string, unknown>, sheets);
  e.result();
  const ms = performance.now() - t;
  (globalThis as { gc?: () => void }).gc?.();
  return ms;
}

const base: number[] = [], current: number[] = [];
for (let k = 0; k < runs; k++) {
  base.push(once(BaseEngine));
  current.push(once(Engine));
}
const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
process.stdout.write(`${JSON.stringify({ file, runs, baseMs: base.map(Math.round), currentMs: current.map(Math.round), baseMedianMs: Math.round(median(base)), currentMedianMs: Math.round(median(current)) })}\n`);
