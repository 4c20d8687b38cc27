// What removing source rows would do to the units they feed, without changing anything: the same
// gathering and evaluation the engine does on an edit (positions/compute.ts), over the members of
// each unit minus the removed rows. A unit's worth depends only on its members and their
// neighbourhood, so the effect of a removal is a sum of unit deltas; how a position's consumption
// and status follow from those is derive.ts. Read-only: the engine is never changed here.
//
// An Effects object caches each unit's members, which many candidates and plans share (a host's
// VMs, a product-wide unit), from one pass to the next: after the engine applies edits, the units
// it re-evaluated (its journal) are forgotten, and only they, since a unit's members change only
// when the engine re-evaluates it.

import type { Allocation, AnyRow, Installation, Subscription } from '../rows';
import type { World } from '../store/world';
import type { Positions } from '../positions/registry';
import type { Position } from '../positions/position';
import { feedOf, gatherAll, gatherUnits } from '../positions/compute';
import { allocationOn } from '../positions/match';
import { WHOLE, type MemberList, type Members, type Unit, type UnitKey } from '../metrics/rule';
import { WholeCover } from './whole-cover';

/** Rows a candidate can rest on: what acting on it removes (or deactivates: the same for every count). */
export type SourceRow = Installation | Allocation | Subscription;

export const listOf = (r: SourceRow): MemberList => (r.sheet === 'installations' ? 'inst' : r.sheet === 'allocations' ? 'alloc' : 'subs');

/** How one unit's worth changes: amounts in the rule's scale, parts, and each flag bit (−1, 0, +1). */
export interface UnitDelta {
  p: Position;
  key: UnitKey;
  amount: number;
  parts: number[] | null;
  flags: [number, number, number];
}

const MEMBER_LISTS: readonly MemberList[] = ['inst', 'alloc', 'access', 'subs', 'users', 'sessions', 'sensors', 'measurements'];

function without(m: Members, gone: ReadonlySet<AnyRow>): Members | null {
  const out: Members = { inst: undefined, alloc: undefined, access: undefined, subs: undefined, users: undefined, sessions: undefined, sensors: undefined, measurements: undefined };
  let any = false;
  for (const list of MEMBER_LISTS) {
    const rows = m[list] as AnyRow[] | undefined;
    if (!rows) continue;
    const kept = rows.filter((r) => !gone.has(r));
    if (kept.length) {
      (out as Record<string, unknown>)[list] = kept;
      any = true;
    }
  }
  // A unit with no member is no unit (the engine never evaluates one: per_device would count 1).
  return any ? out : null;
}

const bit = (u: Unit | null, b: number) => ((u?.flags ?? 0) & b ? 1 : 0);

export class Effects {
  private readonly members = new Map<Position, Map<UnitKey, Members | null>>();
  private readonly whole = new Map<Position, Map<UnitKey, Members>>();
  private readonly covers = new Map<Position, WholeCover>();
  /** The positions of each (publisher, product), for one pass (the registry changes only between passes). */
  private byProduct = new Map<string, Position[]>();

  constructor(readonly w: World, readonly positions: Positions) {}

  /** A new pass over the engine: what the registry said before may have changed. */
  newPass(): void {
    this.byProduct = new Map();
  }

  /** The positions a row of this product can feed (its own and its publisher's `*` ones), memoized for the pass. */
  forProduct(publisher: string, product: string): Position[] {
    const k = `${publisher}\u0001${product}`;
    let list = this.byProduct.get(k);
    if (!list) this.byProduct.set(k, (list = this.positions.forProduct(publisher, product)));
    return list;
  }

  /** Forgets the members of units the engine re-evaluated (and of positions it re-evaluated whole or dropped). */
  forget(units: ReadonlyMap<Position, ReadonlySet<UnitKey>>, whole: Iterable<Position>): void {
    for (const [p, keys] of units) {
      const byKey = this.members.get(p);
      if (byKey) for (const k of keys) byKey.delete(k);
      // Any unit of a position may share rows with the whole one: its cover is redone.
      this.whole.delete(p);
      this.covers.delete(p);
    }
    for (const p of whole) this.drop(p);
  }

  drop(p: Position): void {
    this.members.delete(p);
    this.whole.delete(p);
    this.covers.delete(p);
  }

  /** The positions (and their units) a row counts in now: where its removal can change anything. */
  feeds(row: SourceRow): { p: Position; keys: UnitKey[] }[] {
    const out: { p: Position; keys: UnitKey[] }[] = [];
    const list = listOf(row);
    const candidates = row.sheet === 'allocations' ? this.positions.forEntitlementId(row.entitlementId) : this.forProduct(row.publisher, row.product);
    for (const p of candidates) {
      const reads = list === 'inst' ? p.rule.install : list === 'alloc' ? p.rule.allocation : p.rule.subscription;
      if (!reads) continue;
      const fed = feedOf(this.w, p, list, row);
      if (fed !== null) out.push({ p, keys: Array.isArray(fed) ? fed : [fed] });
    }
    return out;
  }

  /** The counting positions a row belongs to: those it feeds, and for an allocation those it is on. */
  belongsTo(row: SourceRow): Position[] {
    const out = new Set<Position>();
    for (const f of this.feeds(row)) if (!f.p.rule.alwaysCompliant) out.add(f.p);
    if (row.sheet === 'allocations') for (const p of this.allocatedOn(row)) out.add(p);
    return [...out];
  }

  /** The counting positions an allocation is on (by its entitlementId), whether or not its user counts. */
  allocatedOn(a: Allocation): Position[] {
    const out: Position[] = [];
    for (const p of this.positions.forEntitlementId(a.entitlementId)) if (!p.rule.alwaysCompliant && allocationOn(p, a)) out.push(p);
    return out;
  }

  /** A unit's members as the engine would gather them now (null: it has none). */
  membersOf(p: Position, key: UnitKey): Members | null {
    let byKey = this.members.get(p);
    if (!byKey) this.members.set(p, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key)!;
    let m: Members | null;
    // The whole position's unit is gathered from every source row of the position, once a pass.
    if (key === WHOLE) {
      let all = this.whole.get(p);
      if (!all) this.whole.set(p, (all = gatherAll(this.w, this.positions.group(p).ranked, p)));
      m = all.get(key) ?? null;
    } else m = gatherUnits(this.w, p, new Set([key])).get(key) ?? null;
    byKey.set(key, m);
    return m;
  }

  /** A unit's worth now: the engine's own (an incremental engine keeps its units), else evaluated. */
  private worth(p: Position, key: UnitKey): Unit | null {
    if (this.w.store.incremental) return p.units.get(key) ?? null;
    const m = this.membersOf(p, key);
    return m ? p.rule.evaluate(this.w, p, key, m, null) : null;
  }

  /**
   * The delta of each unit the rows feed when every one of them is gone (rows of one unit are
   * removed together: two VMs of a host, a device's copies). Units that do not change are left out.
   */
  removal(rows: Iterable<SourceRow>): UnitDelta[] {
    return this.deltas(this.unitsFed(rows));
  }

  /** The units the rows feed, each with the rows of them that feed it. */
  unitsFed(rows: Iterable<SourceRow>): Map<Position, Map<UnitKey, Set<AnyRow>>> {
    const units = new Map<Position, Map<UnitKey, Set<AnyRow>>>();
    for (const row of rows) {
      for (const { p, keys } of this.feeds(row)) {
        let byKey = units.get(p);
        if (!byKey) units.set(p, (byKey = new Map()));
        for (const k of keys) {
          let gone = byKey.get(k);
          if (!gone) byKey.set(k, (gone = new Set()));
          gone.add(row);
        }
      }
    }
    return units;
  }

  /** The delta of each unit without the rows named for it (unchanged units left out). */
  deltas(units: Map<Position, Map<UnitKey, Set<AnyRow>>>): UnitDelta[] {
    const out: UnitDelta[] = [];
    for (const [p, byKey] of units) for (const [key, gone] of byKey) {
      const d = this.unitDelta(p, key, gone);
      if (d) out.push(d);
    }
    return out;
  }

  /** How one unit changes without these rows; null when it does not. */
  unitDelta(p: Position, key: UnitKey, gone: ReadonlySet<AnyRow>): UnitDelta | null {
    const m = this.membersOf(p, key);
    if (!m) return null;
    if (key === WHOLE && p.rule.id === 'per_user_device') {
      // The cover of the whole position, redone only on the components the rows are in.
      let c = this.covers.get(p);
      if (!c) this.covers.set(p, (c = new WholeCover(this.w, m)));
      const amount = c.delta(gone);
      return amount === 0 ? null : { p, key, amount, parts: null, flags: [0, 0, 0] };
    }
    const before = this.worth(p, key);
    const rest = without(m, gone);
    const after = rest ? p.rule.evaluate(this.w, p, key, rest, null) : null;
    const amount = (after?.amount ?? 0) - (before?.amount ?? 0);
    const n = p.rule.parts ?? 0;
    let parts: number[] | null = null;
    for (let k = 0; k < n; k++) {
      const dk = (after?.parts?.[k] ?? 0) - (before?.parts?.[k] ?? 0);
      if (dk !== 0) (parts ??= new Array<number>(n).fill(0))[k] = dk;
    }
    const flags: [number, number, number] = [bit(after, 1) - bit(before, 1), bit(after, 2) - bit(before, 2), bit(after, 4) - bit(before, 4)];
    if (amount === 0 && parts === null && flags[0] === 0 && flags[1] === 0 && flags[2] === 0) return null;
    return { p, key, amount, parts, flags };
  }
}
