// Entitlement rows: each position's purchased quantity is set from its estimated
// consumption so the position lands on its planned status, then split over several
// purchase records (plus expired and not-yet-started ones) as a real licence sheet has.

import { PI, PRODUCTS, type PositionDef, type Posture } from './catalog';
import { Random, apportion } from './random';
import { AS_OF } from './reference';
import type { Row } from './types';
import { dayNumber, idWidth, isoDay, makeId } from './util';

const ASOF_DAY = dayNumber(AS_OF);
const EPOCH_2018 = dayNumber('2018-01-01');

export interface Plan {
  key: string;
  metric: string;
  posture: Posture;
  /** Estimated consumption (generator-side, see expect.ts). */
  consumption: number;
  /** Σ quantity of the active entitlements. */
  purchased: number;
  warn1: number | null;
  warn2: number | null;
}

interface Levels { quantity: number; warn1: number | null; warn2: number | null; posture: Posture }

/** Quantity and warning levels that put consumption C where the posture wants it. */
export function levels(posture: Posture, c: number, metric: string): Levels {
  const ceil = Math.ceil(c);
  if (metric === 'enterprise' || metric === 'site') return { quantity: ceil, warn1: null, warn2: null, posture: 'compliant' };
  if (posture === 'noncompliant' && c >= 1) return { quantity: Math.floor(c * 0.85), warn1: null, warn2: null, posture };
  if (posture === 'warning1') {
    const quantity = Math.max(ceil + 2, Math.ceil(c * 1.15) + 1);
    return { quantity, warn1: Math.floor(c * 0.9), warn2: ceil + 1, posture };
  }
  if (posture === 'warning2') {
    return { quantity: ceil + Math.max(1, Math.ceil(c * 0.05)), warn1: Math.floor(c * 0.8), warn2: Math.floor(c * 0.95), posture };
  }
  const quantity = Math.ceil(c * 1.25) + 2;
  if (posture === 'expired') return { quantity, warn1: null, warn2: null, posture };
  // Compliant, with a warning level above today's use (between use and quantity).
  return { quantity, warn1: Math.ceil((c + quantity) / 2), warn2: null, posture: 'compliant' };
}

export interface EntitlementResult {
  rows: Row[];
  /** Per position: the id allocations point at (its first active entitlement). */
  allocationTarget: string[];
  plans: Plan[];
}

export function buildEntitlements(seed: number, total: number, positions: readonly PositionDef[], estimates: readonly number[]): EntitlementResult {
  const rng = new Random(seed, 'entitlements');
  const width = idWidth(total, 4);
  const rows: Row[] = [];
  const allocationTarget: string[] = [];
  const plans: Plan[] = [];
  // Every position gets one record; the rest go to big positions more than to small ones.
  const extra = apportion(total - positions.length, estimates.map((c) => 1 + Math.log10(1 + c)));
  positions.forEach((pos, index) => {
    const c = estimates[index];
    const lv = levels(pos.posture, c, pos.metric);
    const k = 1 + extra[index];
    // What each record is: the first always active (unless the whole position expired).
    const kinds: ('active' | 'expired' | 'future')[] = [];
    for (let r = 0; r < k; r++) {
      const x = rng.next();
      kinds.push(lv.posture === 'expired' ? 'expired' : r === 0 ? 'active' : x < 0.1 ? 'expired' : x < 0.14 ? 'future' : 'active');
    }
    let activeCount = kinds.filter((kind) => kind === 'active').length;
    // Never more active records than rights: surplus records become old, expired purchases.
    for (let r = k - 1; r > 0 && activeCount > Math.max(1, lv.quantity); r--) {
      if (kinds[r] === 'active') { kinds[r] = 'expired'; activeCount--; }
    }
    const activeParts = splitQuantity(rng, lv.posture === 'expired' ? 0 : lv.quantity, activeCount);
    let firstActive: string | null = null;
    let a = 0;
    for (let r = 0; r < k; r++) {
      const id = makeId('e', rows.length, width);
      const kind = kinds[r];
      const quantity = kind === 'active' ? activeParts[a++]
        : Math.max(1, Math.round((lv.quantity / k) * (0.5 + rng.next())));
      const row = entitlementRow(rng, id, pos, kind, quantity, r === 0 ? pos.unitCost : pos.unitCost * (0.85 + 0.15 * rng.next()));
      if (kind === 'active' && firstActive === null) {
        firstActive = id;
        if (lv.warn1 !== null) row.warn1 = lv.warn1;
        if (lv.warn2 !== null) row.warn2 = lv.warn2;
      }
      rows.push(withPosition(row, pos, r === 0));
      if (r === 0) allocationTarget.push(id);
    }
    if (firstActive) allocationTarget[index] = firstActive;
    plans.push({
      key: pos.key, metric: pos.metric, posture: lv.posture, consumption: c,
      purchased: lv.posture === 'expired' ? 0 : lv.quantity, warn1: lv.warn1, warn2: lv.warn2,
    });
  });
  return { rows, allocationTarget, plans };
}

/** `quantity` over n records, each at least 1 when there is enough to go round. */
function splitQuantity(rng: Random, quantity: number, n: number): number[] {
  if (n <= 0) return [];
  if (quantity < n) return Array.from({ length: n }, (_, i) => (i === 0 ? quantity : 0));
  const weights = Array.from({ length: n }, () => 0.3 + rng.next() * 1.4);
  return apportion(quantity - n, weights).map((q) => q + 1);
}

function entitlementRow(rng: Random, id: string, pos: PositionDef, kind: 'active' | 'expired' | 'future', quantity: number, unitCost: number): Row {
  const row: Row = { id, metric: pos.metric, quantity };
  if (pos.unitCost > 0) row.unitCost = Math.round(unitCost * 100) / 100;
  const term = pos.term === 'term';
  if (kind === 'active') {
    if (term) {
      const x = rng.next();
      // A few records exactly on the boundary: start = asOf, or end = asOf (both still active).
      row.start = isoDay(x < 0.03 ? ASOF_DAY : ASOF_DAY - rng.range(30, 700));
      row.end = isoDay(x >= 0.03 && x < 0.06 ? ASOF_DAY : ASOF_DAY + rng.range(30, 700));
    } else {
      // A perpetual licence for a dated version is bought after that version shipped.
      const from = /^20\d\d$/.test(pos.version ?? '') ? Math.max(EPOCH_2018, dayNumber(`${pos.version}-01-01`)) : EPOCH_2018;
      row.start = isoDay(from + rng.int(ASOF_DAY - 30 - from));
    }
  } else if (kind === 'expired') {
    const end = rng.chance(0.1) ? ASOF_DAY - 1 : ASOF_DAY - rng.range(2, 400);
    row.start = isoDay(end - rng.range(365, 1100));
    row.end = isoDay(end);
  } else {
    const start = ASOF_DAY + rng.range(1, 120);
    row.start = isoDay(start);
    if (term) row.end = isoDay(start + 365);
  }
  return row;
}

const KEY_COLUMNS = ['version', 'edition'] as const;
const DEAL_COLUMNS = ['warn1', 'warn2', 'unitCost', 'start', 'end'] as const;
const SCOPE_COLUMNS = ['company', 'site', 'network'] as const;

/** The record in workbook.md column order, with the position's product, key, scope and settings. */
function withPosition(row: Row, pos: PositionDef, first: boolean): Row {
  const star = pos.product.endsWith(':*');
  const def = star ? null : PRODUCTS[PI[pos.product as keyof typeof PI]];
  const out: Row = { id: row.id, publisher: def ? def.publisher : pos.product.slice(0, -2), product: def ? def.product : '*' };
  for (const c of KEY_COLUMNS) if (pos[c]) out[c] = pos[c] ?? null;
  out.metric = row.metric;
  out.quantity = row.quantity;
  for (const c of DEAL_COLUMNS) if (row[c] !== undefined) out[c] = row[c];
  for (const c of SCOPE_COLUMNS) if (pos[c]) out[c] = pos[c] ?? null;
  // Settings outside the key go on every record, so whichever is first active carries them.
  for (const [k, v] of Object.entries(pos.extra ?? {})) out[k] = v;
  // A term right renews when it ends, with 30, 60 or 90 days' notice (from its end date: no draw of
  // the generator's random stream, so the rest of the estate stays as it was).
  if (pos.term === 'term' && typeof row.end === 'string') {
    out.renewal = row.end;
    out.noticeDays = [30, 60, 90][dayNumber(row.end) % 3];
  }
  if (first && pos.notes) out.notes = pos.notes;
  return out;
}
