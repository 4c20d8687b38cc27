// A plan to compliance: for a noncompliant position, the cheapest mix of reclaiming candidates and
// buying rights at unit cost that brings it within its rights; and one for the whole workbook.
//
// Decisions (README, "Decisions where the spec is silent"):
// - Reclaiming costs nothing but disturbs people; buying costs rights × unit cost. So a plan first
//   reclaims what frees rights in the position (its own rows, and rows of the positions it covers,
//   whose shortfall moves up to it), but only as much as the shortfall needs, with as few
//   candidates as it can (largest rights first, then fewest rows; then any it can do without are
//   dropped), then buys the rest.
// - Buying goes to the position itself, at its unit cost, or to a position it covers whose
//   shortfall moves up to it when that one's unit cost is lower (both known): a right bought there
//   stops that much moving up. A position without a unit cost buys in itself; the plan says the
//   purchase is not priced rather than guessing.
// - "Compliant" is "no longer noncompliant": consumed ≤ purchased and no copies-exceeded. A plan
//   buys no rights beyond the shortfall, so a position with warning levels may end at a warning.
// - Copies beyond copiesPerDevice make a position noncompliant whatever is bought: the plan
//   reclaims them (copies-exceeded candidates, or any that removes those rows).

import type { AnyRow } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import type { Positions } from '../positions/registry';
import { MICRO } from '../metrics/common';
import { FLAG_COPIES_EXCEEDED, type UnitKey } from '../metrics/rule';
import type { Effects } from './effect';
import { currentOutcome, gainMicros, outcomes, priced, sumByPosition, type Outcome, type PositionDelta } from './derive';
import type { Plan, Purchase } from './types';
import { addMoney } from './surplus';

/** What a plan needs of a candidate. */
export interface PlanCandidate {
  id: string;
  reason: string;
  rows: readonly AnyRow[];
  /** The units its rows feed, with those rows. */
  units: ReadonlyMap<Position, ReadonlyMap<UnitKey, ReadonlySet<AnyRow>>>;
  /** Rights it frees alone, by position key, in millionths. */
  marginal(key: string): number;
}

export interface PlanContext {
  w: World;
  positions: Positions;
  effects: Effects;
  /** Candidates with rows counting in a position. */
  candidatesIn(p: Position): Iterable<PlanCandidate>;
}

/** A plan and what acting on it changes. */
export interface PlanState {
  plan: Plan;
  candidates: PlanCandidate[];
  /** Millionths of rights bought, by position. */
  purchases: Map<Position, number>;
}

/** Unit deltas of removing every candidate of a set together, summed by position. */
export function jointDeltas(effects: Effects, set: Iterable<PlanCandidate>): Map<Position, PositionDelta> {
  const units = new Map<Position, Map<UnitKey, Set<AnyRow>>>();
  for (const c of set) {
    for (const [p, byKey] of c.units) {
      let mine = units.get(p);
      if (!mine) units.set(p, (mine = new Map()));
      for (const [key, rows] of byKey) {
        let all = mine.get(key);
        if (!all) mine.set(key, (all = new Set()));
        for (const r of rows) all.add(r);
      }
    }
  }
  return sumByPosition(effects.deltas(units));
}

/** P and the positions whose chain of covers leads to it (their shortfall moves up to P). */
export function coveredBy(ctx: PlanContext, p: Position): Position[] {
  const out: Position[] = [];
  for (const q of ctx.positions.group(p).ranked) {
    for (let x: Position | null = q; x !== null; x = x.cover) if (x === p) { out.push(q); break; }
  }
  return out;
}

const shortfallOf = (o: Outcome) => Math.max(0, o.consumed - o.purchased);
const flagged = (o: Outcome) => (o.flags & FLAG_COPIES_EXCEEDED) !== 0;

/** The plan of one noncompliant position; null when it is not noncompliant. */
export function planFor(ctx: PlanContext, p: Position): PlanState | null {
  if (p.rule.alwaysCompliant) return null;
  const now = currentOutcome(p);
  const need = shortfallOf(now);
  if (need === 0 && !flagged(now)) return null;
  const below = coveredBy(ctx, p);
  const pool = [...new Set(below.flatMap((q) => [...ctx.candidatesIn(q)]))].sort((a, b) => (a.id < b.id ? -1 : 1));
  const after = (set: PlanCandidate[]) => outcomes(ctx.w, jointDeltas(ctx.effects, set)).get(p) ?? now;
  const relief = (o: Outcome) => gainMicros(p, o);

  // What reclaiming every candidate could do; the plan reclaims only as much as the shortfall needs.
  const best = after(pool);
  const target = Math.min(need, relief(best));
  const done = (o: Outcome) => relief(o) >= target && (!flagged(o) || flagged(best));
  const mandatory = flagged(now) ? pool.filter((c) => c.reason === 'copies-exceeded' && c.units.has(p)) : [];
  let chosen = [...mandatory];
  let got = chosen.length ? after(chosen) : now;
  const order = pool.filter((c) => !mandatory.includes(c))
    .sort((a, b) => b.marginal(p.key) - a.marginal(p.key) || a.rows.length - b.rows.length || (a.id < b.id ? -1 : 1));
  let next = 0, blind = 1;
  while (!done(got) && next < order.length) {
    // A batch whose rights alone would cover what is missing (at least one; candidates that free
    // nothing alone, such as one VM of a host, in growing batches), then the batch's joint effect.
    const missing = target - relief(got);
    let sum = 0;
    const batch: PlanCandidate[] = [];
    while (next < order.length && (batch.length === 0 || sum < missing)) {
      const c = order[next++];
      batch.push(c);
      const m = c.marginal(p.key);
      sum += m > 0 ? m : 0;
      if (m === 0 && batch.length >= blind) break;
    }
    if (sum === 0) blind *= 2;
    chosen.push(...batch);
    got = after(chosen);
  }
  // Fewest candidates: drop each one the rest can do without (latest chosen first).
  if (chosen.length <= 64) {
    for (let k = chosen.length - 1; k >= 0; k--) {
      const without = chosen.filter((_, j) => j !== k);
      const o = after(without);
      if (done(o)) { chosen = without; got = o; }
    }
  }
  const purchases = new Map<Position, number>();
  const buy = buyFor(ctx, p, below, jointDeltas(ctx.effects, chosen), purchases);
  return { plan: describe(p, now, need, relief(got), buy, chosen, flagged(now) && flagged(got)), candidates: chosen, purchases };
}

/**
 * Buys what is still short in p after the reclaims (deltas): first in the covered positions whose
 * unit cost is lower than p's (as far as their shortfall moves up to p), then in p. Adds to
 * `purchases` (millionths by position).
 */
function buyFor(ctx: PlanContext, p: Position, below: Position[], deltas: Map<Position, PositionDelta>, purchases: Map<Position, number>): Purchase[] {
  const unitCost = (q: Position) => q.result?.unitCost ?? null;
  const state = () => outcomes(ctx.w, deltas, purchases);
  let o = state();
  let short = shortfallOf(o.get(p) ?? currentOutcome(p));
  const own = unitCost(p);
  const cheaper = own === null ? [] : below.filter((q) => q !== p && unitCost(q) !== null && unitCost(q)! < own)
    .sort((a, b) => unitCost(a)! - unitCost(b)! || a.rank - b.rank);
  for (const q of cheaper) {
    if (short === 0) break;
    // What q hands up, as far as every position between it and p passes it on.
    let cap = Infinity;
    for (let x: Position | null = q; x !== null && x !== p; x = x.cover) cap = Math.min(cap, (o.get(x) ?? currentOutcome(x)).handed);
    const k = Math.min(short, cap);
    if (!(k > 0)) continue;
    purchases.set(q, (purchases.get(q) ?? 0) + k);
    o = state();
    short = shortfallOf(o.get(p) ?? currentOutcome(p));
  }
  if (short > 0) purchases.set(p, (purchases.get(p) ?? 0) + short);
  const out: Purchase[] = [];
  for (const q of [...below].reverse()) {
    const micros = purchases.get(q);
    if (!micros) continue;
    out.push({ key: q.key, rights: micros / MICRO, unitCost: unitCost(q), cost: priced(q, micros), entitlementId: raisedEntitlement(q)?.id ?? null });
  }
  return out;
}

/** The entitlement a purchase raises: the active one with the highest unit cost (first in sheet order); none active: null (a new one). */
export function raisedEntitlement(p: Position) {
  let best = null as (typeof p.active)[number] | null;
  for (const e of p.active) if (best === null || (e.unitCost ?? -Infinity) > (best.unitCost ?? -Infinity)) best = e;
  return best;
}

function describe(p: Position, now: Outcome, need: number, reclaimed: number, buy: Purchase[], chosen: PlanCandidate[], stillFlagged: boolean): Plan {
  const r = p.result!;
  const unitCost = r.unitCost;
  let buyCost: number | null = 0;
  for (const b of buy) buyCost = buyCost === null || b.cost === null ? null : addMoney(buyCost, b.cost);
  const buyOnlyCost = unitCost === null ? null : r.shortfallCost;
  const notes: string[] = [];
  if (flagged(now)) notes.push(stillFlagged ? 'copies beyond copiesPerDevice remain: no candidate removes them' : 'copies beyond copiesPerDevice make it noncompliant whatever is bought: the plan removes them');
  if (unitCost === null && need > 0) notes.push('no unit cost: the rights to buy are not priced');
  for (const b of buy) if (b.cost === null && b.key !== p.key) notes.push(`${b.key}: no unit cost`);
  return {
    key: p.key, positions: [p.key], shortfall: need / MICRO, shortfallCost: r.shortfallCost,
    reclaim: chosen.map((c) => c.id).sort(), reclaimed: Math.min(reclaimed, need) / MICRO, buy, buyCost, buyOnlyCost,
    saving: buyOnlyCost === null || buyCost === null ? null : addMoney(buyOnlyCost, -buyCost), currency: r.currency, note: notes.join('; '),
  };
}

/**
 * The whole workbook's plan: every position plan's reclaims together (a candidate chosen for one
 * may free rights in another), then what each noncompliant position still lacks, bought as its own
 * plan would. Costs are summed over the positions with a unit cost; the others are named.
 */
export function wholePlan(ctx: PlanContext, plans: PlanState[], currency: string): PlanState {
  const chosen = [...new Map(plans.flatMap((s) => s.candidates).map((c) => [c.id, c])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const deltas = jointDeltas(ctx.effects, chosen);
  const purchases = new Map<Position, number>();
  const buy: Purchase[] = [];
  let shortfall = 0, shortfallCost = 0, reclaimed = 0;
  let buyOnly = 0, buyCost = 0;
  const unpriced: string[] = [];
  const o = outcomes(ctx.w, deltas);
  for (const s of plans) {
    const p = ctx.positions.all.get(s.plan.key)!;
    const now = currentOutcome(p);
    const need = shortfallOf(now);
    shortfall += need;
    shortfallCost = addMoney(shortfallCost, s.plan.shortfallCost);
    reclaimed += Math.min(need, gainMicros(p, o.get(p) ?? now));
    const mine = buyFor(ctx, p, coveredBy(ctx, p), deltas, purchases);
    buy.push(...mine);
    if (p.result?.unitCost === null || mine.some((b) => b.cost === null)) { unpriced.push(p.key); continue; }
    buyOnly = addMoney(buyOnly, s.plan.shortfallCost);
    for (const b of mine) buyCost = addMoney(buyCost, b.cost!);
  }
  const plan: Plan = {
    key: '', positions: plans.map((s) => s.plan.key), shortfall: shortfall / MICRO, shortfallCost,
    reclaim: chosen.map((c) => c.id), reclaimed: reclaimed / MICRO, buy, buyCost, buyOnlyCost: buyOnly,
    saving: addMoney(buyOnly, -buyCost), currency,
    note: unpriced.length ? `${unpriced.length} position${unpriced.length === 1 ? ' has' : 's have'} no unit cost (not in the costs): ${unpriced.join(', ')}` : '',
  };
  return { plan, candidates: chosen, purchases };
}
