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

import type { Device, Installation, User } from '../rows';
import type { World } from '../store/world';
import type { Bag } from '../store/multimap';
import type { MemberList, Members, MetricRule, UnitKey } from '../metrics/rule';
import type { Position } from './position';
import { installMatches } from './match';

/**
 * Where a device or user is a unit, in the Gathered objects of one gathering (gatherGroups): kept
 * in the row's scratch mark (`seen`) while that gathering runs. A row is a unit of a few positions
 * of a publisher at most (one per metric), so a list is searched. A mark left by an earlier
 * gathering, or by another pass that uses the scratch mark (unlicensed.ts), is replaced.
 */
class UnitPlaces {
  readonly owners: Gathered[] = [];
  readonly units: number[] = [];
  constructor(readonly gathering: object) {}
}

const marked = (key: UnitKey): key is Device | User => typeof key === 'object' && (key.sheet === 'devices' || key.sheet === 'users');

/**
 * A position's units and their members, in the order the units were first fed. Kept flat while
 * gathering: every member row in one array, each unit's members a chain through `next`; a unit's
 * Members object is built as it is read (by evaluate or an explanation) and is dropped with it.
 * A load gathers a membership per row and metric (ten million on an estate of many `*` positions),
 * and an object and an array per unit, all alive until their group was evaluated, made the young
 * generation copy and promote most of what was allocated.
 */
export class Gathered {
  /** Units that are neither devices nor users (clusters, lone rows, the whole position): their places. */
  private readonly index = new Map<UnitKey, number>();
  private readonly keys: UnitKey[] = [];
  /** Per unit: its first and last member (places in rows). */
  private readonly head: number[] = [];
  private readonly tail: number[] = [];
  private readonly rows: unknown[] = [];
  private readonly lists: MemberList[] = [];
  /** Per member: the next member of its unit, -1 after the last. */
  private readonly next: number[] = [];

  /** `gathering`: the gatherGroups call this is part of (UnitPlaces). */
  constructor(private readonly gathering: object) {}

  get size(): number {
    return this.keys.length;
  }

  add(key: UnitKey, list: MemberList, row: unknown): void {
    const at = this.rows.length;
    this.rows.push(row);
    this.lists.push(list);
    this.next.push(-1);
    const u = marked(key) ? this.markedUnit(key) : this.index.get(key);
    if (u === undefined) {
      if (!marked(key)) this.index.set(key, this.keys.length);
      this.keys.push(key);
      this.head.push(at);
      this.tail.push(at);
    } else {
      this.next[this.tail[u]] = at;
      this.tail[u] = at;
    }
  }

  /**
   * A device's or user's unit here, found through the row's scratch mark (UnitPlaces) rather than
   * a map: most memberships of a load are of devices (as devices or hosts) and users, and a map
   * probe each was most of the cost of gathering. undefined: not a unit yet, and now marked as the
   * next one.
   */
  private markedUnit(row: Device | User): number | undefined {
    let places = row.seen as UnitPlaces | undefined;
    if (places === undefined || places.gathering !== this.gathering) row.seen = places = new UnitPlaces(this.gathering);
    const k = places.owners.indexOf(this);
    if (k >= 0) return places.units[k];
    places.owners.push(this);
    places.units.push(this.keys.length);
    return undefined;
  }

  /** A unit's members, each list in the order its rows were fed; undefined when it has none. */
  get(key: UnitKey): Members | undefined {
    const u = marked(key) ? this.keys.indexOf(key) : this.index.get(key) ?? -1;
    return u < 0 ? undefined : this.membersOf(u);
  }

  private membersOf(u: number): Members {
    const m = noMembers();
    for (let at = this.head[u]; at !== -1; at = this.next[at]) addMember(m, this.lists[at], this.rows[at]);
    return m;
  }

  /** Every unit with its members, in the order the units were first fed. */
  forEach(visit: (key: UnitKey, m: Members) => void): void {
    for (let u = 0; u < this.keys.length; u++) visit(this.keys[u], this.membersOf(u));
  }

  *[Symbol.iterator](): IterableIterator<[UnitKey, Members]> {
    for (let u = 0; u < this.keys.length; u++) yield [this.keys[u], this.membersOf(u)];
  }
}

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

function feed(into: Gathered, keys: UnitKey | UnitKey[], list: MemberList, row: unknown): void {
  if (Array.isArray(keys)) for (const k of keys) into.add(k, list, row);
  else into.add(keys, list, row);
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

/** One group being gathered: its targets' units, and the chains its rows are offered to. */
interface GroupPass {
  readonly rule: MetricRule;
  readonly publisher: string;
  readonly out: Map<Position, Gathered>;
  readonly named: Map<string, Position[]>;
  readonly stars: Position[];
  /** Some `*` position is a target: every product of the publisher can feed it. */
  readonly anyStar: boolean;
  chainOf(product: string, blankVersionOnly: boolean): Position[] | null;
}

function passOf(ranked: readonly Position[], targets: readonly Position[], gathering: object): GroupPass {
  const out = new Map<Position, Gathered>();
  for (const p of targets) out.set(p, new Gathered(gathering));
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
  return {
    rule: targets[0].rule, publisher: targets[0].publisher, out, named, stars,
    anyStar: stars.some((p) => out.has(p)),
    chainOf(product, blankVersionOnly) {
      const own = product === '*' ? undefined : named.get(product);
      const chain = own ? [...own, ...stars] : stars;
      return upToLastTarget(blankVersionOnly ? chain.filter((p) => p.version === '') : chain, out);
    },
  };
}

/** The products whose rows can feed a target of the pass: every product of the publisher for a `*` target. */
function productsOf(pass: GroupPass, rows: { products(publisher: string): Bag<string> }): Iterable<string> {
  return pass.anyStar ? rows.products(pass.publisher) : new Set([...pass.out.keys()].map((p) => p.product));
}

/** One group whose targets are gathered: the whole group in rank order, and the positions wanted. */
export interface GroupTargets {
  readonly ranked: readonly Position[];
  readonly targets: readonly Position[];
}

/**
 * The units of each target (positions of one group), from every source row: `ranked` is the whole
 * group in rank order (positions that are not targets still take the rows they rank first for).
 */
export function gatherGroup(w: World, ranked: readonly Position[], targets: readonly Position[]): Map<Position, Gathered> {
  return gatherGroups(w, [{ ranked, targets }])[0];
}

/**
 * gatherGroup for several groups at once, one result per group, each exactly what gatherGroup gives
 * it alone. Groups of one publisher share one pass over the publisher's installations: a row is
 * offered to every group's chain while it is at hand, where a pass per group read each row (and
 * its device, its host, its user) once per metric the publisher has, `*` positions reading all of
 * them. Each group still sees its rows product by product in the index's order, rows in sheet order.
 */
export function gatherGroups(w: World, groups: readonly GroupTargets[]): Map<Position, Gathered>[] {
  // One token for the whole gathering: every Gathered of it marks devices under it (UnitPlaces).
  const gathering = {};
  const passes = groups.map(({ ranked, targets }) => (targets.length === 0 ? null : passOf(ranked, targets, gathering)));
  const byPublisher = new Map<string, GroupPass[]>();
  for (const pass of passes) {
    if (!pass?.rule.install) continue;
    const list = byPublisher.get(pass.publisher);
    if (list) list.push(pass);
    else byPublisher.set(pass.publisher, [pass]);
  }
  for (const [publisher, list] of byPublisher) gatherInstallations(w, publisher, list);
  for (const pass of passes) if (pass) gatherOtherRows(w, pass);
  return passes.map((pass) => pass?.out ?? new Map());
}

/** Every source row but installations, for one group. */
function gatherOtherRows(w: World, pass: GroupPass): void {
  const { rule, publisher, out } = pass, s = w.store;
  if (rule.allocation) for (const p of out.keys()) gatherAllocations(w, rule, p, out.get(p)!);
  for (const [feedName, list, index] of PRODUCT_FEEDS) {
    const f = rule[feedName] as ((w: World, p: Position, row: never) => UnitKey | UnitKey[] | null) | undefined;
    // Rows without a version feed only blank-version positions.
    if (!f) continue;
    for (const product of productsOf(pass, s[index])) {
      const chain = pass.chainOf(product, true);
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
  if (rule.user) gatherUsers(w, rule, pass.named, pass.stars, out);
}

/** One group's chain for the rows of one product. */
interface ProductChain {
  readonly install: NonNullable<MetricRule['install']>;
  readonly chain: Position[];
  readonly out: Map<Position, Gathered>;
}

/**
 * The installations of one publisher offered to the groups of it being gathered. Products in the
 * index's order: a group with a `*` target reads them all in that order (as gatherGroup alone
 * does); a group without one reads only its targets' products, and each of its positions only
 * its own product's rows, so the order of products does not matter to it.
 */
function gatherInstallations(w: World, publisher: string, passes: readonly GroupPass[]): void {
  const index = w.store.installsByProduct;
  const wanted = passes.map((pass) => (pass.anyStar ? null : new Set(productsOf(pass, index))));
  for (const product of index.products(publisher)) {
    const chains: ProductChain[] = [];
    passes.forEach((pass, k) => {
      if (wanted[k] !== null && !wanted[k]!.has(product)) return;
      const chain = pass.chainOf(product, false);
      if (chain) chains.push({ install: pass.rule.install!, chain, out: pass.out });
    });
    if (chains.length === 0) continue;
    const rows = index.exactly(publisher, product) as Iterable<Installation>;
    if (chains.length === 1 && chains[0].chain.length === 1) {
      // One position can take these rows (the common case): no ranking to walk.
      const { install, chain: [p], out } = chains[0], into = out.get(p)!;
      for (const i of rows) {
        if (!installMatches(w, p, i)) continue;
        const fed = install(w, p, i);
        if (fed !== null) feed(into, fed, 'inst', i);
      }
      continue;
    }
    for (const i of rows) {
      for (const { install, chain, out } of chains) {
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
