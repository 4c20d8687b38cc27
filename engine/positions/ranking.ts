// Overlapping positions of one publisher and metric (metrics.md, "Overlapping positions of one
// metric: one row, one position; shortfall moves up"): the ranking that decides which position a
// row feeds, the rivals a position must yield rows to, and covers, to which shortfall moves.

import type { MetricRule } from '../metrics/rule';
import type { RowKey } from '../cells';
import { compareVersions } from './version';
import type { Position } from './position';

/**
 * The positions ranked before a position that can match some of the same rows. A row the position
 * matches feeds it only when none of its rivals matches the row.
 */
export interface Rivals {
  /** Every rival: for rows without a product (users), which match every product. */
  all: Position[];
  /**
   * For a `*` position: the rivals of rows of each named product (that product's positions and
   * the `*` ones before it); a product not listed meets only `star`. null for a named position,
   * whose rivals are all of its product or `*`.
   */
  byProduct: Map<string, Position[]> | null;
  star: Position[];
}

/** The rivals a row of this product must be checked against. */
export function rivalsOf(r: Rivals, product: string): Position[] {
  return r.byProduct === null ? r.all : r.byProduct.get(product) ?? r.star;
}

/**
 * A row's version against a position's: a blank position matches every version; a set one the
 * same text, and a downgrade position also every lower version. A row with a blank version
 * matches only positions with a blank version.
 */
export function versionMatches(p: { version: string; downgrade: boolean }, v: string): boolean {
  if (p.version === '' || v === p.version) return true;
  return p.downgrade && v !== '' && compareVersions(v, p.version) < 0;
}

/** 0: a set version without downgrade; 1: a downgrade right; 2: blank (rank (2) of metrics.md). */
const versionClass = (p: Position) => (p.version === '' ? 2 : p.downgrade ? 1 : 0);
const blankLast = (a: string, b: string) => (a === '' ? 1 : 0) - (b === '' ? 1 : 0);

/** The key of a position's earliest entitlement in sheet order. */
export function firstKey(p: Position): RowKey {
  let k = p.entitlements[0].key;
  for (const e of p.entitlements) if (e.key < k) k = e.key;
  return k;
}

/**
 * Most specific first (metrics.md): a named product before `*`; an equal version before a
 * downgrade match, lower downgrade versions first, any of these before a blank version; a set
 * edition, company, site, network before a blank one; then the earlier entitlement in sheet order.
 * Decision: a downgrade right for version V meeting a row of version V ranks as a downgrade match,
 * after a right for exactly V, so that a cover always ranks after what it covers (a right for V
 * with downgrade covers the right for exactly V). One order over all positions of a publisher and
 * metric serves every row: restricted to the positions that match a row, it is the row's ranking.
 */
export function rankCompare(a: Position, b: Position, first: (p: Position) => RowKey): number {
  const c = rankByFields(a, b);
  if (c !== 0) return c;
  const ka = first(a), kb = first(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** rankCompare without the tie-break by sheet order (ranks (1) to (6)). */
export function rankByFields(a: Position, b: Position): number {
  const star = (a.product === '*' ? 1 : 0) - (b.product === '*' ? 1 : 0);
  if (star !== 0) return star;
  const va = versionClass(a), vb = versionClass(b);
  if (va !== vb) return va - vb;
  if (va === 1) {
    const c = compareVersions(a.version, b.version);
    if (c !== 0) return c;
  }
  return blankLast(a.edition, b.edition) || blankLast(a.company, b.company) || blankLast(a.site, b.site) || blankLast(a.network, b.network);
}

/** Some non-blank version matches both positions (or one of them takes every version). */
function versionsMeet(a: Position, b: Position): boolean {
  if (a.version === '' || b.version === '') return true;
  if (a.downgrade && b.downgrade) return true;
  if (!a.downgrade && !b.downgrade) return a.version === b.version;
  return a.downgrade ? versionMatches(a, b.version) : versionMatches(b, a.version);
}

/** The rule reads no row without a version and edition besides installations (allocations are not ranked). */
const readsOnlyInstallations = (r: MetricRule) =>
  r.access === undefined && r.subscription === undefined && r.session === undefined && r.sensor === undefined
  && r.measurement === undefined && r.user === undefined;

/**
 * Whether two positions of one publisher and metric can match a common row; false only when they
 * cannot (different named products, versions no row has in common, different editions for rules
 * that read only installations). Company, site and network are left to the rules' own feeds:
 * whether they filter a row depends on the rule and the row (a session with neither user nor
 * device is in every scope). Users match every product's positions (a person counts for each
 * product), so positions of different named products never compete for them.
 */
export function mayOverlap(a: Position, b: Position, rule: MetricRule): boolean {
  if (a.product !== '*' && b.product !== '*' && a.product !== b.product) return false;
  // Decision: rows of the users sheet have no version or edition and match every position of
  // their metric (an employee counts against the most specific position whatever its version).
  if (rule.user !== undefined) return true;
  if (!versionsMeet(a, b)) return false;
  if (readsOnlyInstallations(rule) && a.edition !== '' && b.edition !== '' && a.edition !== b.edition) return false;
  return true;
}

/**
 * Q covers P (metrics.md): Q matches every row P can match. Q's product is P's or `*`; each of
 * edition, company, site and network that Q sets, P sets equal; and Q's version is blank, or
 * equal to P's while P has no downgrade, or Q has downgrade and its version is ≥ P's.
 */
export function covers(q: Position, p: Position): boolean {
  if (q === p) return false;
  if (q.product !== '*' && q.product !== p.product) return false;
  if (q.edition !== '' && q.edition !== p.edition) return false;
  if (q.company !== '' && q.company !== p.company) return false;
  if (q.site !== '' && q.site !== p.site) return false;
  if (q.network !== '' && q.network !== p.network) return false;
  if (q.version === '') return true;
  if (p.version === '') return false;
  if (q.version === p.version && !p.downgrade) return true;
  return q.downgrade && compareVersions(q.version, p.version) >= 0;
}

/**
 * Ranks the positions of one publisher and metric and sets each one's rivals and nearest cover.
 * Returns them in rank order (covered before cover). Positions are bucketed by product, so a
 * publisher with many products of one metric costs about one pass, not one per pair.
 */
export function rankGroup(positions: Iterable<Position>, rule: MetricRule): Position[] {
  const firsts = new Map<Position, RowKey>();
  for (const p of positions) firsts.set(p, firstKey(p));
  const ranked = [...firsts.keys()].sort((a, b) => rankCompare(a, b, (p) => firsts.get(p)!));
  ranked.forEach((p, i) => (p.rank = i));
  const rank = new Map(ranked.map((p, i) => [p, i]));
  const byProduct = new Map<string, Position[]>();
  const stars: Position[] = [];
  for (const p of ranked) {
    if (p.product === '*') stars.push(p);
    else {
      let list = byProduct.get(p.product);
      if (!list) byProduct.set(p.product, (list = []));
      list.push(p);
    }
  }
  // Shortfall moves neither into nor out of enterprise and site positions.
  const moves = rule.alwaysCompliant !== true;
  for (const p of ranked) {
    const at = rank.get(p)!;
    const before = (q: Position) => rank.get(q)! < at && mayOverlap(p, q, rule);
    const starRivals = stars.filter(before);
    let rivals: Rivals;
    if (p.product !== '*') rivals = { all: [...byProduct.get(p.product)!.filter(before), ...starRivals], byProduct: null, star: starRivals };
    else {
      const named = new Map<string, Position[]>();
      const all: Position[] = [];
      for (const [product, list] of byProduct) {
        const hit = list.filter(before);
        if (hit.length === 0) continue;
        named.set(product, [...hit, ...starRivals]);
        all.push(...hit);
      }
      all.push(...starRivals);
      rivals = { all, byProduct: named, star: starRivals };
    }
    p.rivals = rivals.all.length === 0 ? null : rivals;
    // The nearest cover ranks after p: the first position after it (in rank order) that covers it.
    p.cover = null;
    if (!moves) continue;
    const later = p.product === '*' ? stars : [...byProduct.get(p.product)!, ...stars].sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const q of later) if (rank.get(q)! > at && covers(q, p)) { p.cover = q; break; }
  }
  return ranked;
}
