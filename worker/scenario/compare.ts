// Comparing results: a baseline against one or several scenarios, position by position (purchased,
// consumed, available, status, shortfall, shortfall cost on every side and the differences), HAM
// units per category, and totals. Pure (results in, comparison out): the worker compares its
// sides' results with it and `reckon diff` compares two reconciled workbooks with it.

import type { HamResult } from '../../engine/ham/ham';
import type { PositionResult } from '../../engine/positions/position';

/** A position's figures on one side, as the engine gives them. */
export type SideFigures = Pick<PositionResult, 'purchased' | 'consumed' | 'available' | 'status' | 'shortfall' | 'shortfallCost' | 'currency'>;

export interface FiguresDelta {
  purchased: number;
  consumed: number;
  available: number;
  shortfall: number;
  shortfallCost: number;
}

/** A position compared: its identity (the engine's), then its figures on every side. */
export interface ComparedPosition extends Pick<PositionResult, 'publisher' | 'product' | 'version' | 'edition' | 'metric' | 'company' | 'site' | 'network'> {
  key: string;
  /** The baseline's figures; null when the position does not exist there. */
  base: SideFigures | null;
  /** Each scenario's figures, in the order given; null where the position does not exist. */
  sides: (SideFigures | null)[];
  /** Each scenario minus the baseline (a missing position counts as all zeros). */
  delta: FiguresDelta[];
  /** Some scenario differs from the baseline (a figure, the status, or whether it exists). */
  changed: boolean;
}

export interface HamUnits {
  assets: number;
  units: number;
}

export interface ComparedHam {
  category: string;
  ot: boolean;
  base: HamUnits | null;
  sides: (HamUnits | null)[];
  changed: boolean;
}

export interface Totals {
  positions: number;
  noncompliant: number;
  shortfallCost: number;
  /** The currency of the shortfall costs ('' with no position; several: joined with '/'). */
  currency: string;
  hamUnits: number;
  otUnits: number;
}

export interface TotalsDelta {
  positions: number;
  noncompliant: number;
  shortfallCost: number;
  hamUnits: number;
  otUnits: number;
}

export interface Comparison {
  /** Changed positions first, by the size of their largest shortfall cost change; then the rest. */
  positions: ComparedPosition[];
  ham: ComparedHam[];
  totals: { base: Totals; sides: Totals[]; delta: TotalsDelta[] };
  /** Number of changed positions. */
  changed: number;
}

/** What a side brings: its positions and its HAM result. */
export interface SideResults {
  positions: Iterable<PositionResult>;
  ham: HamResult | null;
}

const figures = (p: PositionResult): SideFigures => ({
  purchased: p.purchased, consumed: p.consumed, available: p.available, status: p.status,
  shortfall: p.shortfall, shortfallCost: p.shortfallCost, currency: p.currency,
});

/** Differences are rounded to millionths: figures are exact decimals (engine amounts), their difference need not be. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function deltaOf(base: SideFigures | null, side: SideFigures | null): FiguresDelta {
  const b = base, s = side;
  const d = (f: keyof FiguresDelta) => round((s?.[f] ?? 0) - (b?.[f] ?? 0));
  return { purchased: d('purchased'), consumed: d('consumed'), available: d('available'), shortfall: d('shortfall'), shortfallCost: d('shortfallCost') };
}

function sameFigures(a: SideFigures | null, b: SideFigures | null): boolean {
  if (a === null || b === null) return a === b;
  return a.purchased === b.purchased && a.consumed === b.consumed && a.available === b.available && a.status === b.status
    && a.shortfall === b.shortfall && a.shortfallCost === b.shortfallCost && a.currency === b.currency;
}

function totalsOf(positions: Iterable<PositionResult>, ham: HamResult | null): Totals {
  let n = 0, noncompliant = 0, cost = 0;
  const currencies = new Set<string>();
  for (const p of positions) {
    n++;
    if (p.status === 'noncompliant') noncompliant++;
    cost += p.shortfallCost;
    currencies.add(p.currency);
  }
  return { positions: n, noncompliant, shortfallCost: round(cost), currency: [...currencies].sort().join('/'), hamUnits: ham?.totalUnits ?? 0, otUnits: ham?.otTotalUnits ?? 0 };
}

/** The cost change that ranks a position: its largest change over the scenarios, by size. */
const rank = (p: ComparedPosition): number => Math.max(0, ...p.delta.map((d) => Math.abs(d.shortfallCost)));
const rankConsumed = (p: ComparedPosition): number => Math.max(0, ...p.delta.map((d) => Math.abs(d.consumed)));

/** Compares a baseline's results with each scenario's. */
export function compareResults(baseResults: SideResults, sideResults: readonly SideResults[]): Comparison {
  // Iterables may be read once only (a map's values): take them as arrays.
  const base = { positions: [...baseResults.positions], ham: baseResults.ham };
  const sides = sideResults.map((s) => ({ positions: [...s.positions], ham: s.ham }));
  const byKey = new Map<string, ComparedPosition>();
  const order: string[] = [];
  const entry = (p: PositionResult): ComparedPosition => {
    let e = byKey.get(p.key);
    if (!e) {
      byKey.set(p.key, (e = {
        key: p.key, publisher: p.publisher, product: p.product, version: p.version, edition: p.edition, metric: p.metric,
        company: p.company, site: p.site, network: p.network, base: null, sides: sides.map(() => null), delta: [], changed: false,
      }));
      order.push(p.key);
    }
    return e;
  };
  for (const p of base.positions) entry(p).base = figures(p);
  sides.forEach((s, i) => { for (const p of s.positions) entry(p).sides[i] = figures(p); });
  let changed = 0;
  for (const e of byKey.values()) {
    e.delta = e.sides.map((s) => deltaOf(e.base, s));
    e.changed = e.sides.some((s) => !sameFigures(e.base, s));
    if (e.changed) changed++;
  }
  const index = new Map(order.map((k, i) => [k, i]));
  const positions = [...byKey.values()].sort((a, b) =>
    Number(b.changed) - Number(a.changed) || rank(b) - rank(a) || rankConsumed(b) - rankConsumed(a) || index.get(a.key)! - index.get(b.key)!);

  const hamRows = new Map<string, ComparedHam>();
  const hamEntry = (category: string, ot: boolean) => {
    let h = hamRows.get(category);
    if (!h) hamRows.set(category, (h = { category, ot, base: null, sides: sides.map(() => null), changed: false }));
    return h;
  };
  const otOf = (r: HamResult | null) => new Set((r?.categories ?? []).filter((c) => c.solution === 'otam').map((c) => c.category));
  const baseOt = otOf(base.ham);
  for (const c of base.ham?.categories ?? []) hamEntry(c.category, baseOt.has(c.category)).base = { assets: c.assets, units: c.units };
  sides.forEach((s, i) => {
    const ot = otOf(s.ham);
    for (const c of s.ham?.categories ?? []) hamEntry(c.category, ot.has(c.category)).sides[i] = { assets: c.assets, units: c.units };
  });
  const sameUnits = (a: HamUnits | null, b: HamUnits | null) => (a?.assets ?? 0) === (b?.assets ?? 0) && (a?.units ?? 0) === (b?.units ?? 0);
  for (const h of hamRows.values()) h.changed = h.sides.some((s) => !sameUnits(h.base, s));

  const baseTotals = totalsOf(base.positions, base.ham);
  const sideTotals = sides.map((s) => totalsOf(s.positions, s.ham));
  const delta = sideTotals.map((t) => ({
    positions: t.positions - baseTotals.positions, noncompliant: t.noncompliant - baseTotals.noncompliant,
    shortfallCost: round(t.shortfallCost - baseTotals.shortfallCost), hamUnits: t.hamUnits - baseTotals.hamUnits, otUnits: t.otUnits - baseTotals.otUnits,
  }));
  return { positions, ham: [...hamRows.values()], totals: { base: baseTotals, sides: sideTotals, delta }, changed };
}
