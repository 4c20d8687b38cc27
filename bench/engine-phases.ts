// Where one engine spends a one-shot reconcile of an estate file, phase by phase, in CPU time (the
// steadier measure on a shared machine): typing the rows, loading each sheet, finish, computing the
// positions, and the result with explanations (--contributions). The file is parsed first, outside
// the figures. For finding where a shape's time goes; `bench/reconcile.ts` measures the command.
//   node --single-threaded-gc --no-turbo-inlining --import tsx bench/engine-phases.ts FILE [--contributions] [--runs N]

import { readFileSync } from 'node:fs';
import { Engine, LOAD_ORDER } from '../engine/engine';
import { parseRow, type AnyRow } from '../engine/rows';
import type { RawRow } from '../engine/cells';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: bench/engine-phases.ts FILE [--contributions] [--runs N]');
const contributions = args.includes('--contributions');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;

const wb = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

for (let run = 0; run < runs; run++) {
  const phases: [string, number][] = [];
  let last = cpu();
  const phase = (name: string) => { const now = cpu(); phases.push([name, Math.round(now - last)]); last = now; };
  const typed = new Map<string, AnyRow[]>();
  for (const sheet of LOAD_ORDER) {
    const rows = (wb[sheet] ?? []) as RawRow[];
    if (rows.length === 0) continue;
    typed.set(sheet, rows.map((r, k) => parseRow(sheet, k, r)));
  }
  phase('type');
  const engine = new Engine({ today: '2026-11-01' });
  engine.begin((wb.settings ?? {}) as Record<string, unknown>);
  for (const [sheet, rows] of typed) {
    engine.addSheet(sheet as never, { typed: rows });
    if (rows.length > 20_000) phase(`add ${sheet}`);
  }
  phase('add the rest');
  engine.finish();
  phase('finish');
  engine.positionResults();
  phase('positions');
  let lines = 0;
  const result = engine.result({ contributions });
  for (const p of result.positions) lines += p.contributions?.length ?? 0;
  phase(contributions ? `result (${lines} lines)` : 'result');
  const total = phases.reduce((n, [, ms]) => n + ms, 0);
  process.stdout.write(`${phases.map(([n, ms]) => `${n} ${ms}`).join(' | ')} | total ${total} ms cpu\n`);
}
