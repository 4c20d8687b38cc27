// Small pieces the metric families share: references and numbers in explanations, exact scaled
// arithmetic, tier conversion and peaks of open sessions.

import type { Device, Tier, User } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { FLAG_MISSING_CAPACITY } from './rule';

/** Factors and other decimals are held as integer millionths, so sums are exact in any order. */
export const MICRO = 1_000_000;
export const toMicro = (x: number): number => Math.round(x * MICRO);

export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 1e6) / 1e6);
}

export const deviceRef = (d: Device) => `devices/${d.id}`;
export const userRef = (u: User) => `users/${u.id}`;

/** ⌈a / b⌉ for non-negative integers, without floating-point error. */
export function ceilDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b < a ? q + 1 : q;
}

/** A capacity number of a host; blank counts 0 and raises `missing-capacity`. */
export interface Capacity { value: number; flags: number }
export function capacity(v: number | undefined): Capacity {
  return v === undefined ? { value: 0, flags: FLAG_MISSING_CAPACITY } : { value: v, flags: 0 };
}

/**
 * Tiers (metrics.md): the counted items are numbered 1..n; each tier converts the items numbered
 * from..to (blank to: no end) at unitsPer each; items in no tier count one unit each. Overlapping
 * tiers: an item is converted by the first tier (by from) that holds it. Result in millionths.
 */
export function tierMicros(n: number, tiers: readonly Tier[]): number {
  let total = 0;
  let next = 1; // the first item not yet converted
  for (const t of tiers) {
    if (next > n) break;
    const from = Math.max(t.from ?? 1, 1);
    const to = t.to ?? Infinity;
    if (from > next) {
      const gapEnd = Math.min(from - 1, n);
      total += (gapEnd - next + 1) * MICRO;
      next = gapEnd + 1;
    }
    const lo = Math.max(from, next), hi = Math.min(to, n);
    if (hi >= lo) {
      total += (hi - lo + 1) * toMicro(t.unitsPer ?? 1);
      next = hi + 1;
    }
  }
  if (next <= n) total += (n - next + 1) * MICRO;
  return total;
}

export function convertByTiers(w: World, p: Position, n: number): number {
  return tierMicros(n, w.tiersFor(p)) / MICRO;
}

/** The tier conversion in words: "700 items: 1–100 × 1 + 101–500 × 0.5 + 501–700 × 0.2 = 340". */
export function explainTiers(w: World, p: Position, n: number): string {
  const tiers = w.tiersFor(p);
  if (tiers.length === 0) return `${n} items, no tiers: one unit each = ${n}`;
  const parts: string[] = [];
  let next = 1;
  const piece = (lo: number, hi: number, per: number) => parts.push(`${lo}–${hi} × ${fmt(per)}`);
  for (const t of tiers) {
    if (next > n) break;
    const from = Math.max(t.from ?? 1, 1), to = t.to ?? Infinity;
    if (from > next) { const end = Math.min(from - 1, n); piece(next, end, 1); next = end + 1; }
    const lo = Math.max(from, next), hi = Math.min(to, n);
    if (hi >= lo) { piece(lo, hi, t.unitsPer ?? 1); next = hi + 1; }
  }
  if (next <= n) piece(next, n, 1);
  return `${n} items by tiers: ${parts.join(' + ') || 'none'} = ${fmt(convertByTiers(w, p, n))}`;
}

export interface Interval<K> {
  start: number;
  end: number;
  weight: number;
  /** Who holds it, for distinct counting; undefined: nobody else shares it. */
  holder?: K;
}

export interface Peak<K> {
  value: number;
  at: number;
  open: Interval<K>[];
}

/**
 * The largest total weight of intervals open at one instant; an interval is open on [start, end),
 * so one that ends as another starts does not overlap it. With `distinct`, each holder counts once
 * (weight 1) however many of its intervals are open.
 */
export function peak<K>(intervals: Interval<K>[], distinct: boolean): Peak<K> {
  // Event e is interval e >> 1 starting (e even) or ending (e odd), at time[e].
  const time = new Float64Array(2 * intervals.length);
  let count = 0, low = Infinity, high = -Infinity;
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i];
    if (!(iv.end > iv.start)) continue;
    time[2 * i] = iv.start;
    time[2 * i + 1] = iv.end;
    count += 2;
    if (iv.start < low) low = iv.start;
    if (iv.end > high) high = iv.end;
  }
  const events = eventsInTimeOrder(time, count, low, high);
  // Distinct: each holder numbered once (a map lookup per interval, not two per event), then how
  // many of its intervals are open is a slot of an array.
  const holderOf = distinct ? numberHolders(intervals) : null;
  const openOf = new Int32Array(holderOf ? holderOf.count : 0);
  let current = 0, best = 0, at = NaN;
  for (let k = 0; k < events.length; k++) {
    const e = events[k], t = time[e], i = e >> 1;
    if (holderOf) {
      const h = holderOf.of[i];
      if (e & 1) { if (--openOf[h] === 0) current--; } else if (openOf[h]++ === 0) current++;
    } else current += e & 1 ? -intervals[i].weight : intervals[i].weight;
    // Only after the last event at an instant is the count at that instant known: an interval that
    // ends as another starts does not overlap it (half-open).
    const last = k === events.length - 1 || time[events[k + 1]] !== t;
    if (last && current > best) { best = current; at = t; }
  }
  const open = Number.isNaN(at) ? [] : intervals.filter((iv) => iv.start <= at && at < iv.end);
  return { value: best, at, open };
}

/** Each interval's holder as a number from 0 (an interval without one is its own holder). */
function numberHolders<K>(intervals: Interval<K>[]): { of: Int32Array; count: number } {
  const numbers = new Map<unknown, number>();
  const of = new Int32Array(intervals.length);
  for (let i = 0; i < intervals.length; i++) {
    const who = intervals[i].holder ?? intervals[i];
    let n = numbers.get(who);
    if (n === undefined) numbers.set(who, (n = numbers.size));
    of[i] = n;
  }
  return { of, count: numbers.size };
}

/**
 * The events with an interval (count of them, their times within [low, high]) in time order;
 * within an instant any order, as peak reads its count only after an instant's last event.
 * Where every (time − low, event) pair fits one exact integer of a double (times of whole
 * milliseconds over a span of years, a million events), the pairs are sorted as plain numbers by
 * the engine's native sort, several times faster than a sort calling back per comparison, which
 * takes the rest.
 */
function eventsInTimeOrder(time: Float64Array, count: number, low: number, high: number): ArrayLike<number> {
  const slots = 2 ** Math.max(1, Math.ceil(Math.log2(time.length)));
  if (count > 0 && Number.isInteger(low) && (high - low + 1) * slots <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(count);
    let k = 0, whole = true;
    for (let e = 0; e < time.length; e += 2) {
      if (!(time[e + 1] > time[e])) continue;
      whole &&= Number.isInteger(time[e]) && Number.isInteger(time[e + 1]);
      keys[k++] = (time[e] - low) * slots + e;
      keys[k++] = (time[e + 1] - low) * slots + e + 1;
    }
    if (whole) {
      keys.sort();
      const events = new Uint32Array(count);
      for (let j = 0; j < count; j++) events[j] = keys[j] % slots;
      return events;
    }
  }
  const events: number[] = [];
  for (let e = 0; e < time.length; e += 2) if (time[e + 1] > time[e]) events.push(e, e + 1);
  events.sort((a, b) => time[a] - time[b]);
  return events;
}
