// Gathering the source rows of positions of one group (publisher and metric) into their units
// (metrics.md, "Overlapping positions of one metric: one row, one position"). Each row of a product
// is offered once to the group's positions that can match it, in rank order (the product's named
// positions, then the `*` ones), and the first whose rule counts it takes it. One pass over a
// product's rows serves every position being gathered, where asking each position's rivals about
// each of its rows cost positions × rows × rivals.
//
// Equivalence with feedOf (compute.ts), which an edit uses row by row: a row feeds p when p's own
// feed counts it and no rival ranked before p does. Positions ranked before p that are not its
// rivals cannot match a row p matches (mayOverlap), so "no rival before p counts it" is "no
// position before p in this chain counts it", and the first position of the chain that counts the
// row is the one it feeds. A position sees its rows in the order eachSource gave them: its
// product's rows in sheet order, product by product for `*` in the index's order, one kind of row
// after another; units, and so explanations, keep that order.

import type { Installation, User } from '../rows';
import type { World } from '../store/world';
import type { Bag } from '../store/multimap';
import type { MemberList, Members, MetricRule, UnitKey } from '../metrics/rule';
import type { Position } from './position';
import { installMatches } from './match';

/** A position's units and their members, in the order the units were first fed. */
export type Gathered = Map<UnitKey, Members>;

/**
 * A unit's members with every list in one order, absent ones undefined: rules read members made
 * of any mix of lists, and one shape keeps those reads monomorphic (see sameShape in metrics/index.ts).
 */
export const noMembers = (): Members => ({
  inst: undefined, alloc: undefined, access: undefined, subs: undefined, users: undefined, sessions: undefined, sensors: undefined, measurements: undefined,
});

export function addMember(m: Members, list: MemberList, row: unknown): void {
  const arr = m[list] as unknown[] | undefined;
  if (arr !== undefined) arr.push(row);
  else (m as Record<string, unknown[]>)[list] = [row];
}

function push(into: Gathered, key: UnitKey, list: MemberList, row: unknown): void {
  let m = into.get(key);
  if (m === undefined) into.set(key, (m = noMembers()));
  addMember(m, list, row);
}

function feed(into: Gathered, keys: UnitKey | UnitKey[], list: MemberList, row: unknown): void {
  if (Array.isArray(keys)) for (const k of keys) push(into, k, list, row);
  else push(into, keys, list, row);
}

type ProductFeed = 'access' | 'subscription' | 'session' | 'sensor' | 'measurement';
const PRODUCT_FEEDS: readonly [ProductFeed, MemberList, 'accessByProduct' | 'subscriptionsByProduct' | 'sessionsByProduct' | 'sensorsByProduct' | 'measurementsByProduct'][] = [
  ['access', 'access', 'accessByProduct'], ['subscription', 'subs', 'subscriptionsByProduct'], ['session', 'sessions', 'sessionsByProduct'],
  ['sensor', 'sensors', 'sensorsByProduct'], ['measurement', 'measurements', 'measurementsByProduct'],
];

/** The chain's positions up to its last target; null when it has no target (its rows feed none). */
function upToLastTarget(chain: readonly Position[], targets: ReadonlyMap<Position, Gathered>): Position[] | null {
  let end = chain.length;
  while (end > 0 && !targets.has(chain[end - 1])) end--;
  return end === 0 ? null : chain.slice(0, end);
}

/**
 * The units of each target (positions of one group), from every source row: `ranked` is the whole
 * group in rank order (positions that are not targets still take the rows they rank first for).
 */
export function gatherGroup(w: World, ranked: readonly Position[], targets: readonly Position[]): Map<Position, Gathered> {
  const out = new Map<Position, Gathered>();
  for (const p of targets) out.set(p, new Map());
  if (targets.length === 0) return out;
  const rule = targets[0].rule, publisher = targets[0].publisher, s = w.store;
  const named = new Map<string, Position[]>();
  const stars: Position[] = [];
  for (const p of ranked) {
    if (p.product === '*') stars.push(p);
    else {
      const list = named.get(p.product);
      if (list) list.push(p);
      else named.set(p.product, [p]);
    }
  }
  // The products whose rows can feed a target: every product of the publisher for a `*` target.
  const anyStar = stars.some((p) => out.has(p));
  const products = (rows: { products(publisher: string): Bag<string> }): Iterable<string> =>
    anyStar ? rows.products(publisher) : new Set(targets.map((p) => p.product));
  const chainOf = (product: string, blankVersionOnly: boolean): Position[] | null => {
    const own = product === '*' ? undefined : named.get(product);
    const chain = own ? [...own, ...stars] : stars;
    return upToLastTarget(blankVersionOnly ? chain.filter((p) => p.version === '') : chain, out);
  };

  if (rule.install) gatherInstallations(w, rule, publisher, products(s.installsByProduct), chainOf, out);
  if (rule.allocation) for (const p of targets) gatherAllocations(w, rule, p, out.get(p)!);
  for (const [feedName, list, index] of PRODUCT_FEEDS) {
    const f = rule[feedName] as ((w: World, p: Position, row: never) => UnitKey | UnitKey[] | null) | undefined;
    // Rows without a version feed only blank-version positions.
    if (!f) continue;
    for (const product of products(s[index])) {
      const chain = chainOf(product, true);
      if (!chain) continue;
      for (const row of s[index].exactly(publisher, product)) {
        for (const q of chain) {
          const fed = f(w, q, row as never);
          if (fed === null) continue;
          const into = out.get(q);
          if (into) feed(into, fed, list, row);
          break;
        }
      }
    }
  }
  if (rule.user) gatherUsers(w, rule, named, stars, out);
  return out;
}

function gatherInstallations(
  w: World, rule: MetricRule, publisher: string, products: Iterable<string>,
  chainOf: (product: string, blankVersionOnly: boolean) => Position[] | null, out: Map<Position, Gathered>,
): void {
  const install = rule.install!;
  for (const product of products) {
    const chain = chainOf(product, false);
    if (!chain) continue;
    const rows = w.store.installsByProduct.exactly(publisher, product) as Iterable<Installation>;
    if (chain.length === 1) {
      // One position can take these rows (the common case): no ranking to walk.
      const p = chain[0], into = out.get(p)!;
      for (const i of rows) {
        if (!installMatches(w, p, i)) continue;
        const fed = install(w, p, i);
        if (fed !== null) feed(into, fed, 'inst', i);
      }
      continue;
    }
    for (const i of rows) {
      for (const q of chain) {
        if (!installMatches(w, q, i)) continue;
        const fed = install(w, q, i);
        if (fed === null) continue;
        const into = out.get(q);
        if (into) feed(into, fed, 'inst', i);
        break;
      }
    }
  }
}

/** Allocations feed the position of the entitlement they name, and nothing else: never ranked. */
function gatherAllocations(w: World, rule: MetricRule, p: Position, into: Gathered): void {
  const seen = new Set<string>();
  for (const e of p.entitlements) {
    if (e.idN === '' || seen.has(e.idN)) continue;
    seen.add(e.idN);
    for (const a of w.store.allocationsByEntitlement.get(e.idN)) {
      const fed = rule.allocation!(w, p, a);
      if (fed !== null) feed(into, fed, 'alloc', a);
    }
  }
}

/**
 * Rows of the users sheet match every product (ranking.ts, mayOverlap): a person counts for each
 * named product of the group, once, at its most specific position; `*` positions take a person
 * no named position counts.
 */
function gatherUsers(w: World, rule: MetricRule, named: ReadonlyMap<string, Position[]>, stars: readonly Position[], out: Map<Position, Gathered>): void {
  const user = rule.user!;
  const starChain = upToLastTarget(stars, out);
  const lists: { chain: Position[]; targets: boolean }[] = [];
  for (const chain of named.values()) {
    const targets = chain.some((p) => out.has(p));
    // With `*` targets every named position matters, targets or not (a person any of them counts
    // is not the `*` ones'); without, a product's positions after its last target do not.
    if (starChain) lists.push({ chain, targets });
    else if (targets) lists.push({ chain: upToLastTarget(chain, out)!, targets });
  }
  for (const u of w.store.rows('users') as Iterable<User>) {
    let takenByNamed = false;
    for (const { chain, targets } of lists) {
      if (!targets && takenByNamed) continue;
      for (const q of chain) {
        const fed = user(w, q, u);
        if (fed === null) continue;
        takenByNamed = true;
        const into = out.get(q);
        if (into) feed(into, fed, 'users', u);
        break;
      }
    }
    if (takenByNamed || !starChain) continue;
    for (const q of starChain) {
      const fed = user(w, q, u);
      if (fed === null) continue;
      const into = out.get(q);
      if (into) feed(into, fed, 'users', u);
      break;
    }
  }
}
