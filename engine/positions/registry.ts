// The positions of a workbook and the indexes from a source row to the positions it can feed.
// Invariant: a position exists exactly while it has entitlements; every index names it under the
// current values of its entitlements (membership changes go through join/leave).

import type { Entitlement } from '../rows';
import { MultiMap, productKey } from '../store/multimap';
import { RULES } from '../metrics';
import { Position, positionKey } from './position';

/** Rules whose units can be whole clusters: a host's edit can change such a unit elsewhere. */
const CLUSTER_RULES = new Set(['oracle_processor', 'oracle_nup', 'per_core_cal']);

export class Positions {
  readonly all = new Map<string, Position>();
  private readonly byProduct = new MultiMap<string, Position>();
  private readonly byEntitlementId = new MultiMap<string, Position>();
  /** Positions whose rule reads the users sheet itself. */
  readonly overUsers = new Set<Position>();
  readonly overClusters = new Set<Position>();
  private removed: string[] = [];

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
    }
    p.entitlements.push(e);
    if (e.idN !== '') this.byEntitlementId.add(e.idN, p);
    return p;
  }

  /** Takes an entitlement out of its position; the position is dropped when it empties. */
  leave(e: Entitlement): Position | null {
    const p = this.all.get(positionKey(e));
    if (!p) return null;
    p.entitlements = p.entitlements.filter((x) => x !== e);
    if (e.idN !== '' && !p.entitlements.some((x) => x.idN === e.idN)) this.byEntitlementId.delete(e.idN, p);
    if (p.entitlements.length === 0) {
      this.all.delete(p.key);
      this.byProduct.delete(productKey(p.publisher, p.product), p);
      this.overUsers.delete(p);
      this.overClusters.delete(p);
      this.removed.push(p.key);
    }
    return p;
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
