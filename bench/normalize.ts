// Normalization at scale: 1M installations with raw names (bench/raw-names.ts) and thousands of
// rules (generated, plus the default catalogue).
//   npx tsx bench/normalize.ts [--json] [--runs N]
// Figures: a full reconcile of the raw estate with and without the rules (alternating, medians and
// bests; the difference is what normalization adds, goal ≤ 1 s), the normalizer alone over every
// distinct raw pair, and one rule edit in an incremental engine (apply → patch; goal ≤ 50 ms).

import type { RawRow } from '../engine/cells';
import { Engine } from '../engine/engine';
import { Normalizer } from '../engine/normalize/normalizer';
import { parseRow, type Installation, type NormalizationRule } from '../engine/rows';
import { Normalization } from '../engine/normalize/normalization';
import { normShared } from '../engine/cells';
import { catalogueRules } from '../catalogue';
import { RAW_LARGE, rawEstate } from './raw-names';
import { ordinaryRuleEdits, ruleChange, ruleIndex, ruleKey, type RuleEditKind } from './rule-edit-kit';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const TODAY = '2026-11-01';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const round = (x: number) => Math.round(x * 10) / 10;

const estate = rawEstate(RAW_LARGE);
const rules: RawRow[] = [...(catalogueRules() as unknown as RawRow[]), ...estate.rules];

function load(withRules: boolean, incremental = false): Engine {
  const e = new Engine({ today: TODAY, incremental });
  e.load({ asOf: TODAY }, {
    devices: { rows: estate.devices }, installations: { rows: estate.installations }, entitlements: { rows: estate.entitlements },
    ...(withRules ? { normalization: { rows: rules, keys: rules.map((_, i) => ruleKey(i)) } } : {}),
  });
  return e;
}

/** A full reconcile (load and every result), in ms. */
function reconcileMs(withRules: boolean): number {
  gc();
  const t = performance.now();
  load(withRules).result();
  return performance.now() - t;
}

reconcileMs(false); // warm the code
reconcileMs(true);
const without: number[] = [], withRules: number[] = [];
for (let i = 0; i < runs; i++) {
  without.push(reconcileMs(false));
  withRules.push(reconcileMs(true));
}

// The normalizer alone: building it, and normalizing every distinct raw pair once.
const typed = rules.map((r, i) => parseRow('normalization', i, r) as NormalizationRule);
let t = performance.now();
const normalizer = new Normalizer(typed);
const buildMs = performance.now() - t;
const distinct = new Map<string, [string, string]>();
for (const i of estate.installations) distinct.set(`${i.publisher}\u0001${i.product}`, [normShared(i.publisher), normShared(i.product)]);
t = performance.now();
let renamed = 0, ignored = 0;
for (const [pub, prod] of distinct.values()) {
  const n = normalizer.normalize(pub, prod);
  if (n.ignored) ignored++;
  else if (n.productRule !== null) renamed++;
}
const pairsMs = performance.now() - t;

// The normalization work of a load alone, away from the noise of two whole reconciles: the rules
// put in force, every distinct pair normalized once, every installation's fields written.
const typedRows = estate.installations.map((r, i) => parseRow('installations', i, r) as Installation);
const rowsMs: number[] = [];
for (let i = 0; i < runs; i++) {
  gc();
  const names = new Normalization();
  const t0 = performance.now();
  names.reset(typed);
  for (const row of typedRows) names.apply(row);
  rowsMs.push(performance.now() - t0);
}
typedRows.length = 0;

// Rule edits in an incremental engine, warmed as the worker warms it.
gc();
const engine = load(true, true);
engine.initialPatch(); // what the worker sends the page first
const unrecognizedBefore = engine.unrecognizedResults().length;
engine.warm();
const edits: { what: string; ms: number; positions: number }[] = [];
const source = new Map<string, RawRow>();
const edit = (what: string, key: string, row: RawRow | undefined, kind: RuleEditKind) => {
  if (row) source.set(key, row);
  else source.delete(key);
  // No gc() here: a full collection just before leaves its sweeping to the edit being timed.
  const t0 = performance.now();
  const patch = engine.apply([ruleChange(kind, key, row)], (_sheet, k) => source.get(String(k)));
  edits.push({ what, ms: performance.now() - t0, positions: patch.positions.length });
};
for (let n = 0; n < 8; n++) {
  // A pattern renaming one product family, renamed again.
  const at = ruleIndex(rules, (r) => r.kind === 'pattern' && String(r.publisher ?? '').startsWith('Vendor'), n * 50);
  edit('pattern: new product name', ruleKey(at), { ...rules[at], toProduct: `Renamed ${n}` }, 'cellChanged');
  ordinaryRuleEdits(rules, n, () => engine.unrecognizedResults(), edit);
}
const editMs = edits.map((e) => e.ms);

const result = {
  installations: estate.installations.length, devices: estate.devices.length, rules: rules.length, rawPairs: estate.pairs, runs,
  reconcileWithoutRulesMs: Math.round(median(without)), reconcileWithRulesMs: Math.round(median(withRules)),
  addedByNormalizationMs: Math.round(median(withRules) - median(without)),
  best: { withoutMs: Math.round(Math.min(...without)), withMs: Math.round(Math.min(...withRules)), addedMs: Math.round(Math.min(...withRules) - Math.min(...without)) },
  goalAddedMs: 1000,
  normalizeRowsMs: Math.round(median(rowsMs)), normalizeRowsBestMs: Math.round(Math.min(...rowsMs)),
  normalizerBuildMs: round(buildMs), normalizePairsMs: round(pairsMs), pairsRenamed: renamed, pairsIgnored: ignored, unrecognizedPairs: unrecognizedBefore,
  ruleEditMedianMs: round(median(editMs)), ruleEditP95Ms: round(p95(editMs)), ruleEditMaxMs: round(Math.max(...editMs)), goalRuleEditMs: 50,
  ruleEdits: Object.fromEntries([...new Set(edits.map((e) => e.what))].map((w) => [w, round(median(edits.filter((e) => e.what === w).map((e) => e.ms)))])),
  samples: { withoutMs: without.map(Math.round), withMs: withRules.map(Math.round), normalizeRowsMs: rowsMs.map(Math.round), editMs: editMs.map(round) },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`normalization: ${result.installations.toLocaleString('en-US')} installations, ${result.rawPairs.toLocaleString('en-US')} raw pairs, ${result.rules.toLocaleString('en-US')} rules, median of ${runs}\n`);
  process.stdout.write(`  full reconcile without rules ${result.reconcileWithoutRulesMs} ms, with ${result.reconcileWithRulesMs} ms: normalization adds ${result.addedByNormalizationMs} ms (best ${result.best.addedMs} ms; goal ≤ ${result.goalAddedMs} ms)\n`);
  process.stdout.write(`  normalizing the installations alone (rules in force, every pair once, every row's fields): ${result.normalizeRowsMs} ms (best ${result.normalizeRowsBestMs} ms)\n`);
  process.stdout.write(`  normalizer alone: built in ${result.normalizerBuildMs} ms, every distinct pair in ${result.normalizePairsMs} ms (${renamed} renamed, ${ignored} ignored, ${unrecognizedBefore} unrecognized)\n`);
  process.stdout.write(`  one rule edit (engine apply → patch): median ${result.ruleEditMedianMs} ms, p95 ${result.ruleEditP95Ms} ms, max ${result.ruleEditMaxMs} ms (goal ≤ ${result.goalRuleEditMs} ms)\n`);
  for (const [w, ms] of Object.entries(result.ruleEdits)) process.stdout.write(`    ${w}: ${ms} ms\n`);
}
