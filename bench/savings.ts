// Savings at scale (issue 22): surplus, reclaim candidates and plans to compliance on the LARGE
// estate (100k devices, 1M installations), in the engine as the worker runs it.
//   npx tsx bench/savings.ts [--json] [--edits N] [--preset large|demo]
// 1. Loads the estate into an incremental engine and warms it (what the worker has done before
//    savings are first asked for).
// 2. Computes every candidate, total and plan from scratch: the full figure (goal ≤ 1 s), three
//    times.
// 3. Makes N edits of several kinds (an installation moved to a device not seen for months, an
//    entitlement's quantity, a device's lastSeen, a user made inactive, a session added) and times
//    each: the engine's apply, then savings brought up to date and its patch taken (what the worker
//    sends to the page). The page's share (structured clone, grid transaction) is measured by the
//    browser bench; this is the worker's.
// Prints figures and goals; not a test (no pass/fail).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine/engine';
import { SHEETS } from '../engine/schema';
import type { Change, RowSource } from '../engine/changes';
import type { RawRow } from '../engine/cells';
import { DEMO, LARGE, generateEstate } from '../estate/generate';
import { benchArgs } from './args';

const args = process.argv.slice(2);
if (!(globalThis as { gc?: unknown }).gc && !args.includes('--child')) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8000', '--import', 'tsx', fileURLToPath(import.meta.url), ...args, '--child'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { asJson: json, option, log } = benchArgs(args);
const EDITS = option('--edits', 60) || 60;
const preset = args.includes('--preset') && args[args.indexOf('--preset') + 1] === 'demo' ? DEMO : LARGE;
const ms = (x: number) => Math.round(x * 10) / 10;
const time = <T>(f: () => T): [T, number] => { const t = performance.now(); const r = f(); return [r, performance.now() - t]; };
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: ms(s[Math.floor(s.length * 0.5)]), p95: ms(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]), max: ms(s[s.length - 1]) };
};
let seed = 4242;
const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };

const out: Record<string, unknown> = { preset: preset === LARGE ? 'LARGE' : 'DEMO' };

// 1. The estate in an incremental engine, keyed as a document keys it, warmed.
const wb = generateEstate(preset) as unknown as Record<string, RawRow[]> & { settings: Record<string, unknown> };
const rows = new Map<string, Map<string, RawRow>>();
const keyOf = (sheet: string, i: number) => `${sheet.slice(0, 3)}${String(i).padStart(8, '0')}`;
const engine = new Engine({ today: '2026-11-01', incremental: true });
const [, loadMs] = time(() => {
  engine.load(wb.settings, Object.fromEntries(SHEETS.map((s) => {
    const list = wb[s] ?? [];
    const keys = list.map((_, i) => keyOf(s, i));
    rows.set(s, new Map(list.map((r, i) => [keys[i], r])));
    return [s, { rows: [...list], keys }];
  })));
  engine.initialPatch();
});
const [, warmMs] = time(() => engine.warm());
log(`load ${ms(loadMs)} ms, warm ${ms(warmMs)} ms`);
out.loadMs = ms(loadMs);
out.warmMs = ms(warmMs);

// 2. Everything from scratch.
const fulls: number[] = [];
const [savings, firstMs] = time(() => engine.savings());
fulls.push(firstMs);
for (let k = 0; k < 2; k++) fulls.push(time(() => (savings as unknown as { full(): void }).full())[1]);
const result = savings.result();
const byReason: Record<string, number> = {};
for (const c of result.candidates) byReason[c.reason] = (byReason[c.reason] ?? 0) + 1;
out.full = { ms: fulls.map(ms), goalMs: 1000, candidates: result.candidates.length, byReason, plans: result.plans.length,
  patchBytes: JSON.stringify(savings.takePatch()).length };
log(`full: ${fulls.map(ms).join(' / ')} ms (goal ≤ 1000 ms); ${result.candidates.length} candidates ${JSON.stringify(byReason)}, ${result.plans.length} plans`);
log(`totals: ${JSON.stringify(result.totals.reclaim.cost)} reclaimable, surplus ${result.totals.surplus.cost}, whole plan saving ${result.whole.saving}`);

// 3. Edits, one at a time: engine apply, then savings update + patch.
const source: RowSource = (sheet, key) => rows.get(sheet)?.get(String(key));
const keysOf = (sheet: string) => [...rows.get(sheet)!.keys()];
const installKeys = keysOf('installations'), entKeys = keysOf('entitlements'), devKeys = keysOf('devices'), userKeys = keysOf('users');
const staleDevices = devKeys.filter((k) => String(rows.get('devices')!.get(k)!.lastSeen ?? '9') < '2026-08-01');
const sessions = rows.get('sessions')!;
let added = 0;
const cell = (sheet: string, key: string, column: string, value: unknown): Change => {
  rows.get(sheet)!.get(key)![column] = value;
  return { kind: 'cellChanged', sheet: sheet as never, key, column, value };
};
const kinds: [string, () => Change][] = [
  ['installation to a device not seen', () => cell('installations', installKeys[rand(installKeys.length)], 'deviceId', rows.get('devices')!.get(staleDevices[rand(staleDevices.length)])!.id)],
  ['entitlement quantity', () => cell('entitlements', entKeys[rand(entKeys.length)], 'quantity', 1 + rand(500))],
  ['device lastSeen', () => cell('devices', devKeys[rand(devKeys.length)], 'lastSeen', rand(2) ? '2026-01-15' : '2026-10-30')],
  ['user active', () => cell('users', userKeys[rand(userKeys.length)], 'active', rand(2) === 0)],
  ['session added', () => {
    const any = [...sessions.values()][rand(sessions.size)];
    const key = `ses9${String(added++).padStart(7, '0')}`;
    const cells = { ...any, id: `bench-${key}` };
    sessions.set(key, cells);
    return { kind: 'rowAdded', sheet: 'sessions', key, cells };
  }],
];
const figures: Record<string, { engine: ReturnType<typeof stats>; savings: ReturnType<typeof stats>; total: ReturnType<typeof stats> }> = {};
const all: number[] = [];
for (const [name, make] of kinds) {
  const e: number[] = [], s: number[] = [], t: number[] = [];
  for (let k = 0; k < Math.ceil(EDITS / kinds.length); k++) {
    const change = make();
    const [, a] = time(() => engine.apply([change], source));
    const [, b] = time(() => { engine.savings(); savings.takePatch(); });
    e.push(a); s.push(b); t.push(a + b); all.push(a + b);
  }
  figures[name] = { engine: stats(e), savings: stats(s), total: stats(t) };
  log(`edit "${name}": engine p50 ${stats(e).p50} ms, savings p50 ${stats(s).p50} / p95 ${stats(s).p95} / max ${stats(s).max} ms`);
}
out.edits = { ...figures, all: stats(all), goalMs: 100 };
log(`edit → savings updated (worker side), all kinds: p50 ${stats(all).p50} ms, p95 ${stats(all).p95} ms (goal ≤ 100 ms to screen)`);
if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
