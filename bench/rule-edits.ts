// Rule edits on the normalization bench estate (bench/raw-names.ts: 1M raw installations, 9,024
// rules), in an incremental engine warmed as the worker warms it: engine apply → patch, per kind
// of edit, p50 / p95 / max, and the widest edits (the patterns deciding the most installations).
//   npx tsx bench/rule-edits.ts [--json] [--rounds N] [--profile FILE.cpuprofile]
// --profile: a CPU profile of the edits alone (not the load), for Chrome DevTools or speedscope.
// Kinds: a wide pattern's product renamed (rows leave a licensed product for a new name) and put
// back; a wide pattern pointed at another licensed product (rows move between two positions); an
// exact alias renamed; a rule made from an unrecognized pair; an ignore rule removed and restored.

import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { RawRow } from '../engine/cells';
import { Engine } from '../engine/engine';
import { catalogueRules } from '../catalogue';
import { benchArgs } from './args';
import { RAW_LARGE, rawEstate } from './raw-names';
import { ordinaryRuleEdits, ruleChange, ruleKey, type RuleEditKind } from './rule-edit-kit';

const args = benchArgs();
const rounds = args.option('--rounds', 8);
const TODAY = '2026-11-01';
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const round = (x: number) => Math.round(x * 10) / 10;

const estate = rawEstate(RAW_LARGE);
const rules: RawRow[] = [...(catalogueRules() as unknown as RawRow[]), ...estate.rules];

args.log('loading 1M installations with rules…');
const engine = new Engine({ today: TODAY, incremental: true });
engine.load({ asOf: TODAY }, {
  devices: { rows: estate.devices }, installations: { rows: estate.installations }, entitlements: { rows: estate.entitlements },
  normalization: { rows: rules, keys: rules.map((_, i) => ruleKey(i)) },
});
engine.initialPatch();
engine.warm();

// The installations each rule decides (its product rule), to find the widest patterns.
const byRule = new Map<string, number>();
for (const i of engine.store.rows('installations')) {
  const rule = (i.raw.normalized as { productRule: string | null } | undefined)?.productRule;
  if (rule) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
}
// Patterns renaming a licensed product (a position counts its rows), widest first.
const licensedKeys = new Set(estate.entitlements.map((e) => `${String(e.publisher).toLowerCase()}|${String(e.product).toLowerCase()}`));
const widest = [...byRule].filter(([k]) => {
  const r = rules[Number(k.slice(1))];
  return r?.kind === 'pattern' && licensedKeys.has(`${String(r.publisher).toLowerCase()}|${String(r.toProduct).toLowerCase()}`);
}).sort((a, b) => b[1] - a[1]);
const licensed = estate.entitlements.map((e) => ({ toPublisher: String(e.publisher), toProduct: String(e.product) }));

// The flush (units and positions re-evaluated, the patch made) timed apart from the rest of apply.
let flushMs = 0;
const proto = Engine.prototype as unknown as { flush: () => unknown };
const flush = proto.flush;
proto.flush = function timed(this: unknown) {
  const t0 = performance.now();
  try {
    return flush.call(this);
  } finally {
    flushMs += performance.now() - t0;
  }
};

const loadBefore = loadavg()[0];
const source = new Map<string, RawRow>();
const edits: { what: string; ms: number; cpuMs: number; flushMs: number; rows: number }[] = [];
function edit(what: string, key: string, row: RawRow | undefined, kind: RuleEditKind, rows = 0): void {
  if (row) source.set(key, row);
  else source.delete(key);
  flushMs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  engine.apply([ruleChange(kind, key, row)], (_sheet, k) => source.get(String(k)));
  const ms = performance.now() - t0, cpu = process.cpuUsage(c0);
  edits.push({ what, ms, cpuMs: (cpu.user + cpu.system) / 1000, flushMs, rows });
}
const cells = (i: number) => ({ ...rules[i] });

const profileTo = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : null;
const session = profileTo ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
for (let n = 0; n < rounds; n++) {
  const [key, rows] = widest[n % widest.length];
  const at = Number(key.slice(1));
  edit('wide pattern: new product name', key, { ...cells(at), toProduct: `Renamed ${n}` }, 'cellChanged', rows);
  edit('wide pattern: name put back', key, cells(at), 'cellChanged', rows);
  edit('wide pattern: another licensed product', key, { ...cells(at), ...licensed[(n * 7 + 3) % licensed.length] }, 'cellChanged', rows);
  edit('wide pattern: name put back', key, cells(at), 'cellChanged', rows);
  const ig = ordinaryRuleEdits(rules, n, () => engine.unrecognizedResults(), edit);
  edit('ignore rule restored', ruleKey(ig), cells(ig), 'rowAdded');
}

if (session && profileTo) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileTo, JSON.stringify(profile));
}
const all = edits.map((e) => e.ms);
const kinds = [...new Set(edits.map((e) => e.what))];
const byKind = Object.fromEntries(kinds.map((w) => {
  const ms = edits.filter((e) => e.what === w).map((e) => e.ms);
  const fl = edits.filter((e) => e.what === w).map((e) => e.flushMs), cpu = edits.filter((e) => e.what === w).map((e) => e.cpuMs);
  return [w, { p50: round(median(ms)), p95: round(p95(ms)), max: round(Math.max(...ms)), cpuP50: round(median(cpu)), cpuP95: round(p95(cpu)), flushP50: round(median(fl)), n: ms.length }];
}));
const wide = edits.filter((e) => e.what.startsWith('wide')).map((e) => e.ms);
const wideCpu = edits.filter((e) => e.what.startsWith('wide')).map((e) => e.cpuMs);
const result = {
  rules: rules.length, installations: estate.installations.length, rounds,
  widestRows: widest.slice(0, rounds).map(([, n]) => n),
  p50: round(median(all)), p95: round(p95(all)), max: round(Math.max(...all)),
  // The first edit of the process (the widest pattern renamed), its code not yet optimised by V8.
  firstEdit: { ms: round(edits[0].ms), cpuMs: round(edits[0].cpuMs) },
  widest: { p50: round(median(wide)), p95: round(p95(wide)), max: round(Math.max(...wide)), cpuP50: round(median(wideCpu)), cpuP95: round(p95(wideCpu)) },
  goalEngineMs: 20, loadAverage: [round(loadBefore), round(loadavg()[0])], byKind, samples: edits.map((e) => [e.what, round(e.ms)]),
};
if (args.asJson) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  console.log(`rule edits: ${edits.length} edits, all kinds p50 ${result.p50} ms, p95 ${result.p95} ms, max ${result.max} ms; widest patterns (${result.widestRows.join(', ')} installations) p50 ${result.widest.p50}, p95 ${result.widest.p95} ms (CPU p50 ${result.widest.cpuP50}, p95 ${result.widest.cpuP95} ms)`);
  for (const [w, f] of Object.entries(byKind)) console.log(`  ${w}: p50 ${f.p50}, p95 ${f.p95}, max ${f.max} ms; CPU p50 ${f.cpuP50}, p95 ${f.cpuP95} ms (${f.n}; flush p50 ${f.flushP50} ms)`);
  console.log(`  first edit (cold code): ${result.firstEdit.ms} ms, CPU ${result.firstEdit.cpuMs} ms`);
  console.log(`  load average (1 min) ${result.loadAverage.join(' → ')}`);
}
