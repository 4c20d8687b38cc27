// The positions of a workbook and the indexes from a source row to the positions it can feed.
// Invariant: a position exists exactly while it has entitlements; every index names it under the
// current values of its entitlements (membership changes go through join/leave).
// Positions of one publisher and metric form a group: which of them a row feeds, and where
// shortfall moves, depend on all of them (ranking.ts). A group is ranked again, lazily (rank()),
// after a position comes or goes or a position's earliest entitlement changes.

import type { Entitlement } from '../rows';
import type { MetricRule } from '../metrics/rule';
import { MultiMap, productKey } from '../store/multimap';
import { RULES } from '../metrics';
import { Position, positionKey } from './position';
import { firstKey, mayOverlap, rankByFields, rankGroup } from './ranking';

/** Rules whose units can be whole clusters: a host's edit can change such a unit elsewhere. */
const CLUSTER_RULES = new Set(['oracle_processor', 'oracle_nup', 'per_core_cal']);

/** The positions of one publisher and metric. */
export class Group {
  readonly members = new Set<Position>();
  /** In rank order, covered before cover; valid while the group is not stale. */
  ranked: Position[] = [];
  /** Some member has a cover: shortfall can move within the group. */
  hasCovers = false;

  constructor(readonly rule: MetricRule) {}
}

export class Positions {
  readonly all = new Map<string, Position>();
  private readonly byProduct = new MultiMap<string, Position>();
  private readonly byEntitlementId = new MultiMap<string, Position>();
  private readonly groups = new Map<string, Group>();
  private readonly groupOf = new Map<Position, Group>();
  private readonly stale = new Set<Group>();
  /** Groups whose covers may have changed (a position came, went or ranks anew): their moves are redone. */
  private movesDue = new Set<Group>();
  /** Positions whose rows may now feed another position, or another's theirs: to be recomputed whole. */
  private reranked = new Set<Position>();
  /** Positions whose rule reads the users sheet itself. */
  readonly overUsers = new Set<Position>();
  readonly overClusters = new Set<Position>();
  private removed: string[] = [];

  /** Positions are being made from a whole sheet: every one is recomputed, so none is marked. */
  private bulk = false;

  /** join() for every entitlement of a sheet being loaded (each position is then reconciled whole). */
  joinAll(entitlements: Iterable<Entitlement>): void {
    this.bulk = true;
    try {
      for (const e of entitlements) this.join(e);
    } finally {
      this.bulk = false;
    }
  }

  /** Adds an entitlement to its position (creating it); null when the entitlement has no metric. */
  join(e: Entitlement): Position | null {
    const rule = RULES.get(e.metric);
    if (!rule) return null;
    const key = positionKey(e);
    let p = this.all.get(key);
    if (!p) {
      p = new Position(key, e.metric, rule, e);
      this.all.set(key, p);
      this.byProduct.add(productKey(p.publisher, p.product), p);
      if (rule.user) this.overUsers.add(p);
      if (CLUSTER_RULES.has(rule.id)) this.overClusters.add(p);
      this.removed = this.removed.filter((k) => k !== key);
      p.entitlements.push(e);
      this.enterGroup(p);
    } else {
      const was = firstKey(p);
      p.entitlements.push(e);
      if (e.key < was) this.rankAgain(p);
    }
    if (e.idN !== '') this.byEntitlementId.add(e.idN, p);
    return p;
  }

  /** Takes an entitlement out of its position; the position is dropped when it empties. */
  leave(e: Entitlement): Position | null {
    const p = this.all.get(positionKey(e));
    if (!p) return null;
    const was = firstKey(p);
    p.entitlements = p.entitlements.filter((x) => x !== e);
    if (e.idN !== '' && !p.entitlements.some((x) => x.idN === e.idN)) this.byEntitlementId.delete(e.idN, p);
    if (p.entitlements.length === 0) {
      this.all.delete(p.key);
      this.byProduct.delete(productKey(p.publisher, p.product), p);
      this.overUsers.delete(p);
      this.overClusters.delete(p);
      this.removed.push(p.key);
      this.leaveGroup(p);
    } else if (e.key === was) this.rankAgain(p);
    return p;
  }

  private enterGroup(p: Position): void {
    const gk = `${p.publisher}\u0001${p.metric}`;
    let g = this.groups.get(gk);
    if (!g) this.groups.set(gk, (g = new Group(p.rule)));
    g.members.add(p);
    this.groupOf.set(p, g);
    this.rankAgain(p);
  }

  private leaveGroup(p: Position): void {
    const g = this.groupOf.get(p)!;
    this.rankAgain(p);
    g.members.delete(p);
    this.groupOf.delete(p);
    this.reranked.delete(p);
    p.rivals = null;
    p.cover = null;
    if (g.members.size === 0) {
      this.groups.delete(`${p.publisher}\u0001${p.metric}`);
      this.stale.delete(g);
      this.movesDue.delete(g);
    }
  }

  /**
   * p came, goes, or ranks anew among its group (its earliest entitlement changed): the positions
   * ranked after it (or tied with it before the sheet-order tie-break) that can share rows with it
   * may now feed differently. Those ranked before it keep their rows (p is no rival of theirs);
   * their shortfall may now move to p, which the group's move pass redoes (p is recomputed).
   * A position alone in its group, the common case, touches only itself.
   */
  private rankAgain(p: Position): void {
    const g = this.groupOf.get(p)!;
    this.reranked.add(p);
    this.movesDue.add(g);
    if (g.members.size === 1) {
      // Alone in its group: nothing to rank against.
      this.stale.delete(g);
      g.ranked = [p];
      g.hasCovers = false;
      p.rivals = null;
      p.cover = null;
      p.rank = 0;
      return;
    }
    this.stale.add(g);
    if (this.bulk) return;
    for (const q of g.members) if (q !== p && rankByFields(q, p) >= 0 && mayOverlap(p, q, g.rule)) this.reranked.add(q);
  }

  /** Ranks the groups changed since the last call; call before rows are fed. */
  rank(): void {
    if (this.stale.size === 0) return;
    for (const g of this.stale) {
      g.ranked = rankGroup(g.members, g.rule);
      g.hasCovers = g.ranked.some((p) => p.cover !== null);
    }
    this.stale.clear();
  }

  /** The positions (alive) whose rows may have moved to or from others since the last call. */
  takeReranked(): Set<Position> {
    const out = this.reranked;
    this.reranked = new Set();
    return out;
  }

  /** The groups whose covers may have changed since the last call. */
  takeMovesDue(): Set<Group> {
    const out = this.movesDue;
    this.movesDue = new Set();
    return out;
  }

  /** The group of a position (ranked: call rank() first). */
  group(p: Position): Group {
    return this.groupOf.get(p)!;
  }

  /** Positions a row of this product can feed: the product's own and its publisher's `*` ones. */
  forProduct(publisher: string, product: string): Position[] {
    return [...this.byProduct.get(productKey(publisher, product)), ...this.byProduct.get(productKey(publisher, '*'))];
  }

  forEntitlementId(idN: string): Iterable<Position> {
    return this.byEntitlementId.get(idN);
  }

  takeRemoved(): string[] {
    const out = this.removed;
    this.removed = [];
    return out;
  }

  /** Positions in sheet order of their first entitlement. */
  ordered(): Position[] {
    return [...this.all.values()].sort((a, b) => (a.entitlements[0].key < b.entitlements[0].key ? -1 : 1));
  }
}
