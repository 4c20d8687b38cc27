// Property of issue 22: a plan to compliance applied in a what-if scenario (its row changes written
// through the scenario's edit functions, as the Savings view does) leaves each position it plans
// compliant and changes nothing else: the scenario's change list is exactly the plan's rows, every
// position it does not reach keeps its result, and no position is worse. Checked for each
// position's plan and the whole workbook's plan of random workbooks, against a full reconcile of the
// scenario's layered view.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import type { PositionResult } from '../../engine/positions/position';
import type { Plan, SavingsEdit, SavingsResult } from '../../engine/savings/types';
import { loadDocument } from '../../worker/bridge';
import { WorkbookReader } from '../../worker/doc/reader';
import { scenarioChanges } from '../../worker/scenario/changes';
import { LayeredReader } from '../../worker/scenario/reader';
import { applySavingsEdits } from '../../worker/scenario/savings';
import { testDoc } from '../doc/helpers';
import { TODAY, savingsWorkbookArb } from '../helpers/savings';
import { forkDoc, modelOfReader, seedBase } from './harness';

const RANK = { compliant: 0, warning1: 1, warning2: 2, noncompliant: 3 } as const;
const strip = ({ contributions: _c, ...rest }: PositionResult & { contributions?: unknown }) => rest;

function reconcile(reader: WorkbookReader | LayeredReader): Map<string, ReturnType<typeof strip>> {
  const e = new Engine({ today: TODAY });
  modelOfReader(reader).load(e);
  return new Map(e.result().positions.map((p) => [p.key, strip(p)]));
}

/** The positions a plan can change: those it plans and buys in, and where its candidates count, and their neighbours by moved shortfall. */
function reach(plan: Plan, savings: SavingsResult, before: Map<string, PositionResult>, after: Map<string, PositionResult>): Set<string> {
  const keys = new Set<string>([...plan.positions, ...plan.buy.map((b) => b.key)]);
  for (const id of plan.reclaim) {
    const c = savings.candidates.find((x) => x.id === id)!;
    for (const k of [...c.positions, ...c.freed.map((f) => f.key)]) keys.add(k);
  }
  // Shortfall moves up chains of covers: a position reached hands or takes shortfall from its neighbours.
  for (let grown = true; grown;) {
    grown = false;
    for (const k of [...keys]) for (const side of [before, after]) for (const m of side.get(k)?.moves ?? []) if (!keys.has(m.key)) { keys.add(m.key); grown = true; }
  }
  return keys;
}

function check(edits: SavingsEdit[], plan: Plan, savings: SavingsResult, baseReader: WorkbookReader, label: string, client: number): void {
  const doc = forkDoc(client);
  const layered = new LayeredReader(baseReader, doc);
  applySavingsEdits(layered, edits);
  // The scenario holds exactly the plan's rows: removed, cells set, entitlements added.
  const ch = scenarioChanges(layered);
  const got = ch.sheets.flatMap((s) => [
    ...s.removed.map((r) => `delete ${s.sheet} ${r.key}`),
    ...s.cells.map((c) => `set ${s.sheet} ${c.key} ${c.column}=${JSON.stringify(c.value)}`),
    ...s.added.map((a) => `add ${s.sheet} ${a.id}`),
  ]).sort();
  const want = edits.map((e) => (e.op === 'delete' ? `delete ${e.sheet} ${e.key}` : e.op === 'set' ? `set ${e.sheet} ${e.key} ${e.column}=${JSON.stringify(e.value)}` : `add ${e.sheet} ${e.cells.id}`)).sort();
  expect(got, `${label}: the scenario's changes`).toEqual(want);
  expect(ch.settings, `${label}: no setting changed`).toEqual([]);

  const before = reconcile(baseReader) as Map<string, PositionResult>, after = reconcile(layered) as Map<string, PositionResult>;
  for (const key of plan.positions) {
    const p = after.get(key);
    expect(p, `${label}: ${key} still there`).toBeDefined();
    expect(p!.shortfall, `${label}: ${key} shortfall after the plan`).toBe(0);
    expect(p!.status, `${label}: ${key} after the plan`).not.toBe('noncompliant');
  }
  const reached = reach(plan, savings, before, after);
  expect([...after.keys()].sort(), `${label}: the same positions`).toEqual([...before.keys()].sort());
  for (const [key, b] of before) {
    const a = after.get(key)!;
    if (!reached.has(key)) expect(a, `${label}: ${key}, which the plan does not reach, unchanged`).toEqual(b);
    expect(a.available, `${label}: ${key} available`).toBeGreaterThanOrEqual(b.available - 1e-9);
    expect(RANK[a.status], `${label}: ${key} status no worse`).toBeLessThanOrEqual(RANK[b.status]);
  }
  layered.destroy();
  doc.destroy();
}

const met = { plans: 0, reclaimed: 0, bought: 0 };

function run(wb: Record<string, Record<string, unknown>[]>): void {
  const base = testDoc(1);
  seedBase(base, wb, { asOf: TODAY, currency: 'USD' });
  const reader = new WorkbookReader(base);
  const engine = loadDocument(new Engine({ today: TODAY, incremental: true }), reader);
  engine.initialPatch();
  const savings = engine.savings();
  const result = savings.result();
  let client = 10;
  for (const plan of result.plans) {
    met.plans++;
    if (plan.reclaim.length) met.reclaimed++;
    if (plan.buy.length) met.bought++;
    check(savings.edits({ plan: plan.key }), plan, result, reader, `plan of ${plan.key}`, client++);
  }
  if (result.plans.length > 1) check(savings.edits({ whole: true }), result.whole, result, reader, 'the whole plan', client++);
  reader.destroy();
  base.destroy();
}

const STRESS = Number(process.env.RECKON_STRESS ?? 0);
/** Seeds that once failed (`runs` reaches the failing case). */
const PINNED: { seed: number; runs: number; note: string }[] = [];

describe('a plan applied in a scenario', () => {
  it('leaves each planned position compliant and changes nothing else (seeded)', () => {
    fc.assert(fc.property(savingsWorkbookArb(), run), STRESS ? { numRuns: STRESS } : { seed: 20262202, numRuns: 80 });
    // The cases met plans that reclaim and plans that buy.
    expect(met.reclaimed).toBeGreaterThan(0);
    expect(met.bought).toBeGreaterThan(0);
  });
  for (const pin of PINNED) {
    it(`pinned seed ${pin.seed}: ${pin.note}`, () => {
      fc.assert(fc.property(savingsWorkbookArb(), run), { seed: pin.seed, numRuns: pin.runs });
    });
  }
});
