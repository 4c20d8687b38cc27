// Pure pieces of the consumption estimate (expect.ts): factor and tier tables, peaks of
// concurrent sessions, measurements in the window, and bipartite matching.

import type { Estate } from './model';
import { AS_OF, FACTOR_ROWS, TIER_ROWS, type Processor } from './reference';
import type { Row } from './types';
import { dayNumber } from './util';

const ASOF_DAY = dayNumber(AS_OF);

/**
 * Factor lookup of metrics.md: rows of the kind and publisher (blank = any); a blank match
 * cell matches anything; most non-blank matches wins, then a named publisher, then the first.
 */
export function factorValue(kind: string, publisher: string, p: Processor | null, fallback: number): number {
  const fields: readonly (string | number | null)[] = p ? [p.manufacturer, p.type, p.model, p.family, p.clock] : [null, null, null, null, null];
  const pub = publisher.toLowerCase();
  let best: Row | null = null;
  let bestScore = -1;
  let bestNamed = false;
  for (const row of FACTOR_ROWS) {
    const rp = row.publisher === null ? '' : String(row.publisher).toLowerCase();
    if (row.kind !== kind || (rp && rp !== pub)) continue;
    const cells = [row.processorManufacturer, row.processorType, row.processorModel, row.processorFamily, row.maxClockSpeed];
    let score = 0;
    let ok = true;
    for (let c = 0; c < 5 && ok; c++) {
      if (cells[c] === null) continue;
      if (fields[c] === null || String(cells[c]).toLowerCase() !== String(fields[c]).toLowerCase()) ok = false;
      else score++;
    }
    if (ok && (score > bestScore || (score === bestScore && rp !== '' && !bestNamed))) {
      best = row;
      bestScore = score;
      bestNamed = rp !== '';
    }
  }
  return best ? Number(best.value) : fallback;
}

/** n counted items converted by the tiers sheet (items in no tier count one unit each). */
export function tierUnits(publisher: string, product: string, metric: string, n: number): number {
  const rows = TIER_ROWS.filter((t) => t.publisher === publisher && t.product === product && t.metric === metric)
    .sort((a, b) => Number(a.from) - Number(b.from));
  let units = 0;
  let covered = 0;
  for (const t of rows) {
    const hi = t.to === null ? Infinity : Number(t.to);
    const k = Math.max(0, Math.min(n, hi) - Number(t.from) + 1);
    units += k * Number(t.unitsPer);
    covered += k;
  }
  return units + (n - covered);
}

export interface PeakQuery {
  product: number;
  /** 0 = lic-us, 1 = lic-eu, -1 = any network. */
  network: number;
  weight: 'one' | 'tokens' | 'distinct-users';
  /** Only sessions of analysts and external contacts (asm_concurrent). */
  deskOnly: boolean;
  windowMinutes: number;
}

/** peak(S, weight) of metrics.md over the generator's session columns. */
export function peak(e: Estate, q: PeakQuery): number {
  const { ses, usr } = e;
  const picked: number[] = [];
  for (let s = 0; s < ses.product.length; s++) {
    if (ses.product[s] !== q.product || (q.network >= 0 && ses.network[s] !== q.network)) continue;
    const u = ses.user[s];
    if (q.deskOnly && (u < 0 || usr.role[u] === 0)) continue;
    picked.push(s);
  }
  // Events as numbers: (minute × 2 + start?) × M + session; a numeric sort puts ends
  // before starts at the same minute, as half-open intervals want.
  let M = 1;
  while (M <= ses.product.length) M *= 2;
  const events = new Float64Array(picked.length * 2);
  picked.forEach((s, k) => {
    const end = ses.end[s] < 0 ? q.windowMinutes : ses.end[s];
    events[2 * k] = (ses.start[s] * 2 + 1) * M + s;
    events[2 * k + 1] = end * 2 * M + s;
  });
  events.sort();
  const perUser = new Map<number, number>();
  let open = 0;
  let top = 0;
  for (let i = 0; i < events.length; i++) {
    const s = events[i] % M;
    const starting = Math.floor(events[i] / M) % 2 === 1;
    if (q.weight === 'distinct-users') {
      // A session with no user counts as its own user.
      const who = ses.user[s] < 0 ? -1 - s : ses.user[s];
      const before = perUser.get(who) ?? 0;
      perUser.set(who, before + (starting ? 1 : -1));
      if (starting && before === 0) open++;
      if (!starting && before === 1) open--;
    } else {
      const weight = q.weight === 'tokens' ? ses.tokens[s] : 1;
      open += starting ? weight : -weight;
    }
    if (open > top) top = open;
  }
  return top;
}

/** Measurements in [asOf − days, asOf): the latest (largest on that date), or the sum. */
export function measured(e: Estate, product: number, days: number, latestOnly: boolean): number {
  const start = ASOF_DAY - days;
  let latest = -1;
  let latestValue = 0;
  let total = 0;
  for (let m = 0; m < e.measProduct.length; m++) {
    const day = e.measDay[m];
    if (e.measProduct[m] !== product || day < start || day >= ASOF_DAY) continue;
    const q = e.measQuantity[m];
    total += q;
    if (day > latest) { latest = day; latestValue = q; } else if (day === latest) latestValue = Math.max(latestValue, q);
  }
  return latestOnly ? latestValue : total;
}

/** ⌈mean⌉ of per-period distinct-device counts (sensor metrics). */
export function ceilMean(counts: Int32Array | undefined, periods: number): number {
  if (!counts) return 0;
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i];
  return Math.ceil(s / periods);
}

/** Maximum bipartite matching (Kuhn), iterative so long alternating paths cannot overflow the stack. */
export function maxMatching(adj: Map<number, number[]>): number {
  const matchOfDevice = new Map<number, number>();
  let size = 0;
  for (const root of adj.keys()) {
    const visited = new Set<number>();
    const stack: { u: number; next: number }[] = [{ u: root, next: 0 }];
    // via[k]: the device stack[k]'s user tries; it leads to stack[k + 1] (its current holder).
    const via: number[] = [];
    let found = false;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = adj.get(top.u) ?? [];
      if (top.next >= edges.length) {
        stack.pop();
        if (via.length > 0 && via.length >= stack.length) via.pop();
        continue;
      }
      const d = edges[top.next++];
      if (visited.has(d)) continue;
      visited.add(d);
      via.push(d);
      const holder = matchOfDevice.get(d);
      if (holder === undefined) { found = true; break; }
      stack.push({ u: holder, next: 0 });
    }
    if (!found) continue;
    for (let k = 0; k < stack.length; k++) matchOfDevice.set(via[k], stack[k].u);
    size++;
  }
  return size;
}
