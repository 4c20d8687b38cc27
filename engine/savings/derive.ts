// From unit deltas to what positions would show: each position's own consumption from its units'
// sums (the rule's combine: tiers, FUE's rounding, Named User Plus's maximum), then shortfall moving
// up to covers exactly as positions/moves.ts does it, on shadow figures; purchases raise purchased.
// The outcome of a position is what a full reconcile of the changed workbook gives it, so "rights
// freed" is the compare view's change in available. Read-only.

import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { exactProduct, purchasedOf } from '../positions/position';
import { finalMicros } from '../positions/moves';
import { FLAG_COPIES_EXCEEDED } from '../metrics/rule';
import { MICRO, toMicro } from '../metrics/common';
import type { UnitDelta } from './effect';
import type { Freed } from './types';

/** A position's units' deltas summed. */
export interface PositionDelta {
  amount: number;
  parts: number[] | null;
  flags: [number, number, number];
}

/** What a position would show: consumed and purchased after moves, in millionths, and its flag bits. */
export interface Outcome {
  consumed: number;
  purchased: number;
  flags: number;
  /** Shortfall it hands up to its cover (0 without one). */
  handed: number;
}

export function sumByPosition(deltas: Iterable<UnitDelta>, into = new Map<Position, PositionDelta>(), sign: 1 | -1 = 1): Map<Position, PositionDelta> {
  for (const d of deltas) addDelta(into, d.p, d, sign);
  return into;
}

export function addDelta(into: Map<Position, PositionDelta>, p: Position, d: Omit<PositionDelta, never>, sign: 1 | -1): void {
  let t = into.get(p);
  if (!t) into.set(p, (t = { amount: 0, parts: null, flags: [0, 0, 0] }));
  t.amount += sign * d.amount;
  if (d.parts) {
    t.parts ??= new Array<number>(d.parts.length).fill(0);
    for (let k = 0; k < d.parts.length; k++) t.parts[k] += sign * d.parts[k];
  }
  for (let b = 0; b < 3; b++) t.flags[b] += sign * d.flags[b];
}

/** The position's consumption from its own rows with its unit sums changed by d, in millionths. */
function ownMicros(w: World, p: Position, d: PositionDelta | undefined): number {
  if (!d) return toMicro(p.own);
  const r = p.rule;
  const amount = p.amount + d.amount;
  const parts = d.parts ? p.parts.map((x, k) => x + (d.parts![k] ?? 0)) : p.parts;
  return toMicro(r.combine ? r.combine(w, p, amount, parts) : amount / (r.scale ?? 1));
}

function flagsOf(p: Position, d: PositionDelta | undefined): number {
  let f = 0;
  for (let b = 0; b < 3; b++) if (p.flagCounts[b] + (d?.flags[b] ?? 0) > 0) f |= 1 << b;
  return f;
}

export function currentOutcome(p: Position): Outcome {
  return { consumed: finalMicros(p), purchased: purchasedOf(p), flags: p.flags(), handed: p.moveOut?.micros ?? 0 };
}

const byRank = (a: Position, b: Position) => a.rank - b.rank;

/**
 * The outcome of every position whose figures change: those with deltas or purchases (millionths
 * of rights added to purchased), and the covers up their chains as far as what moves up changes.
 * Positions are taken in rank order, so each comes after what it covers (moves.ts, moveFrom).
 */
export function outcomes(w: World, deltas: ReadonlyMap<Position, PositionDelta>, purchases: ReadonlyMap<Position, number> = new Map()): Map<Position, Outcome> {
  const out = new Map<Position, Outcome>();
  const inDelta = new Map<Position, number>();
  const queue = [...deltas.keys()];
  for (const p of purchases.keys()) if (!deltas.has(p)) queue.push(p);
  if (queue.length > 1) queue.sort(byRank);
  // Most calls price one candidate in one position: no set to look positions up in.
  let queued = queue.length > 1 ? new Set(queue) : null;
  for (let k = 0; k < queue.length; k++) {
    const p = queue[k];
    const d = deltas.get(p);
    const own = ownMicros(w, p, d);
    const inMicros = p.inMicros + (inDelta.get(p) ?? 0);
    const purchased = purchasedOf(p) + (purchases.get(p) ?? 0);
    const handed = p.cover === null ? 0 : Math.max(0, own + inMicros - purchased);
    out.set(p, { consumed: own + inMicros - handed, purchased, flags: flagsOf(p, d), handed });
    const was = p.moveOut?.micros ?? 0;
    const cover = p.cover;
    if (cover === null || handed === was) continue;
    inDelta.set(cover, (inDelta.get(cover) ?? 0) + handed - was);
    if (queued ? queued.has(cover) : queue[0] === cover) continue;
    (queued ??= new Set(queue)).add(cover);
    let at = queue.length;
    while (at > k + 1 && queue[at - 1].rank > cover.rank) at--;
    queue.splice(at, 0, cover);
  }
  return out;
}

/** Rights a position gains (available after − before), in millionths; enterprise and site gain none. */
export function gainMicros(p: Position, o: Outcome): number {
  if (p.rule.alwaysCompliant) return 0;
  const now = currentOutcome(p);
  return (o.purchased - o.consumed) - (now.purchased - now.consumed);
}

/** The position is noncompliant with this outcome (metrics.md: consumed > purchased, or copies exceeded). */
export function noncompliant(p: Position, o: Outcome): boolean {
  return !p.rule.alwaysCompliant && (o.consumed > o.purchased || (o.flags & FLAG_COPIES_EXCEEDED) !== 0);
}

/** Rights × the position's unit cost, exactly (null without a unit cost). */
export function priced(p: Position, micros: number): number | null {
  const unitCost = p.result?.unitCost ?? null;
  return unitCost === null ? null : exactProduct(micros, toMicro(unitCost));
}

/** The rights each position gains from a removal (without purchases), those that gain any. */
export function freedOf(w: World, deltas: ReadonlyMap<Position, PositionDelta>): Freed[] {
  const out: Freed[] = [];
  for (const [p, o] of outcomes(w, deltas)) {
    const gain = gainMicros(p, o);
    if (gain > 0) out.push({ key: p.key, rights: gain / MICRO, cost: priced(p, gain) });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
