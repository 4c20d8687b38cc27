// Gathering a position's units from its source rows, and evaluating them. Two ways in, one
// meaning: `computeWhole` groups every source row of positions of a group (load, rebuilds:
// dispatch.ts); `computeUnits` re-gathers just the given units from the rows near them (edits). A unit's members are exactly the
// matched source rows whose feed names it, whichever way they were found.

import type {
  Access, Allocation, Device, Installation, Measurement, Sensor, Session, Subscription, User,
} from '../rows';
import type { World } from '../store/world';
import { FLAG_NAMES, WHOLE, type MemberList, type Members, type UnitKey, type Why } from '../metrics/rule';
import { MICRO, fmt } from '../metrics/common';
import { receivedInRankOrder, type Position } from './position';
import { rivalsOf } from './ranking';
import { allocationOn, forProduct, installMatches, ofProduct } from './match';
import { addMember, gatherGroup, noMembers, type Gathered } from './dispatch';

/** The units a row would feed in this position by its own match alone, rivals aside. */
function ownFeed(w: World, p: Position, list: MemberList, row: unknown): UnitKey | UnitKey[] | null {
  const r = p.rule;
  switch (list) {
    case 'inst': return r.install && installMatches(w, p, row as Installation) ? r.install(w, p, row as Installation) : null;
    case 'alloc': return r.allocation && allocationOn(p, row as Allocation) ? r.allocation(w, p, row as Allocation) : null;
    case 'access': return r.access && forProduct(p, row as Access) ? r.access(w, p, row as Access) : null;
    case 'subs': return r.subscription && forProduct(p, row as Subscription) ? r.subscription(w, p, row as Subscription) : null;
    case 'sessions': return r.session && forProduct(p, row as Session) ? r.session(w, p, row as Session) : null;
    case 'sensors': return r.sensor && forProduct(p, row as Sensor) ? r.sensor(w, p, row as Sensor) : null;
    case 'measurements': return r.measurement && forProduct(p, row as Measurement) ? r.measurement(w, p, row as Measurement) : null;
    case 'users': return r.user ? r.user(w, p, row as User) : null;
  }
}

/**
 * A row this position matches is taken by a position ranked before it that matches it too (metrics.md,
 * "Most specific first"): a row feeds only the most specific position of its metric. "Matches"
 * is the rule's own feed (which applies scope the rule's way). Allocations feed the position of the
 * entitlement they name, and nothing else, so they are never taken.
 */
export function takenAbove(w: World, p: Position, list: MemberList, row: unknown): boolean {
  const rivals = p.rivals;
  if (rivals === null || list === 'alloc') return false;
  const above = list === 'users' ? rivals.all : rivalsOf(rivals, (row as { product: string }).product);
  for (const q of above) if (ownFeed(w, q, list, row) !== null) return true;
  return false;
}

/** Every unit of one position with its members, from its rows (`ranked`: its group in rank order). */
export function gatherAll(w: World, ranked: readonly Position[], p: Position): Gathered {
  return gatherGroup(w, ranked, [p]).get(p)!;
}

/**
 * Rebuilds every unit of these positions of one group from scratch (`ranked`: the whole group in
 * rank order), from one pass over their rows (dispatch.ts).
 */
export function computeWhole(w: World, ranked: readonly Position[], positions: readonly Position[]): void {
  // Units are kept only where edits will re-evaluate them; a one-shot reconcile needs the sums.
  const keep = w.store.incremental;
  for (const [p, units] of gatherGroup(w, ranked, positions)) {
    p.clearUnits();
    for (const [key, m] of units) {
      const u = p.rule.evaluate(w, p, key, m, null);
      if (keep) p.setUnit(key, u);
      else if (u) p.account(u, 1);
    }
  }
}

/** The feed of one source row into this position: when the row matches it and no position ranked before it. */
export function feedOf(w: World, p: Position, list: MemberList, row: unknown): UnitKey | UnitKey[] | null {
  const fed = ownFeed(w, p, list, row);
  return fed !== null && p.rivals !== null && takenAbove(w, p, list, row) ? null : fed;
}

/** The rows that could feed a unit: wide enough to hold every member, filtered by feedOf after. */
function candidates(w: World, p: Position, key: UnitKey, visit: (list: MemberList, row: unknown) => void): void {
  const s = w.store;
  const installsOn = (deviceIdN: string) => { for (const i of s.installsByDevice.get(deviceIdN)) visit('inst', i); };
  const aroundHost = (h: Device) => {
    installsOn(h.idN);
    for (const vm of s.vmsByHost.get(h.idN)) installsOn(vm.idN);
  };
  if (typeof key === 'string') {
    if (key.startsWith('c:')) for (const h of s.devicesByCluster.get(key.slice(2))) aroundHost(h);
    else if (key.startsWith('p:')) for (const i of s.installsByProduct.exactly(p.publisher, key.slice(2))) visit('inst', i);
    return;
  }
  // A unit that is a row itself has that row as its only member, while the row exists.
  const live = !s.isRemoved(key);
  switch (key.sheet) {
    case 'devices':
      aroundHost(key);
      for (const a of s.accessByDevice.get(key.idN)) visit('access', a);
      return;
    case 'users':
      for (const i of s.installsByUser.get(key.idN)) visit('inst', i);
      for (const d of s.devicesByOwner.get(key.idN)) installsOn(d.idN);
      for (const a of s.allocationsByUser.get(key.idN)) visit('alloc', a);
      for (const a of s.accessByUser.get(key.idN)) visit('access', a);
      for (const x of s.subscriptionsByUser.get(key.idN)) visit('subs', x);
      if (live) visit('users', key);
      return;
    case 'installations': if (live) visit('inst', key); return;
    case 'subscriptions': if (live) visit('subs', key); return;
    case 'allocations': if (live) visit('alloc', key); return;
  }
}

/**
 * Re-gathers and re-evaluates the given units of a position (they may appear, change or vanish).
 * The candidates of all of them are visited once: a cluster's unit and its hosts' units share rows.
 */
export function computeUnits(w: World, ranked: readonly Position[], p: Position, keys: ReadonlySet<UnitKey>): void {
  if (keys.has(WHOLE)) {
    computeWhole(w, ranked, [p]);
    return;
  }
  const members = gatherUnits(w, p, keys);
  for (const key of keys) {
    const m = members.get(key);
    p.setUnit(key, m ? p.rule.evaluate(w, p, key, m, null) : null);
  }
}

/**
 * The members of the given units (not WHOLE), from the rows near them: what computeUnits evaluates.
 * A unit with no member is absent. Needs the store's edit indexes (Store.makeEditable).
 */
export function gatherUnits(w: World, p: Position, keys: ReadonlySet<UnitKey>): Map<UnitKey, Members> {
  const members = new Map<UnitKey, Members>();
  const seen = new Set<unknown>();
  const take = (list: MemberList, row: unknown) => {
    // Most installations around a host are of other products: drop them before the seen-set.
    if (list === 'inst' && !ofProduct(p, row as Installation)) return;
    if (seen.has(row)) return;
    seen.add(row);
    const fed = feedOf(w, p, list, row);
    if (fed === null) return;
    for (const k of Array.isArray(fed) ? fed : [fed]) {
      if (!keys.has(k)) continue;
      let m = members.get(k);
      if (!m) members.set(k, (m = noMembers()));
      addMember(m, list, row);
    }
  };
  for (const key of keys) candidates(w, p, key, take);
  return members;
}

/**
 * Writes the explanation of every unit of a position (in unit order) into `out`, from its units'
 * members (gatherGroup). `forPeople` (the explanation panel) adds each line's flags and the name of
 * the row it names; results keep the three fields every engine gives.
 */
export function explainPosition(w: World, p: Position, units: Gathered, out: NonNullable<Why>, forPeople = false): void {
  let amount = 0;
  const parts = new Array<number>(p.rule.parts ?? 0).fill(0);
  for (const [key, m] of units) {
    const from = out.length;
    const u = p.rule.evaluate(w, p, key, m, out);
    if (!u) continue;
    // The unit's flags go on its lines: the explanation shows what raised them first.
    if (forPeople && u.flags) {
      const flags = FLAG_NAMES.filter(([bit]) => u.flags & bit).map(([, name]) => name);
      for (let i = from; i < out.length; i++) out[i].flags = flags;
    }
    amount += u.amount;
    u.parts?.forEach((x, k) => (parts[k] += x));
  }
  // Where the consumption is not simply the sum, the last line says how it follows from it.
  const total = p.rule.explainTotal?.(w, p, amount, parts);
  if (total) out.push({ ref: 'total', amount: p.rule.combine!(w, p, amount, parts), why: total });
  // Shortfall moved between overlapping positions: a line on both, naming the other.
  for (const m of receivedInRankOrder(p)) {
    out.push({ ref: `positions/${m.other.key}`, amount: m.micros / MICRO, why: `shortfall of ${fmt(m.micros / MICRO)} moved up from ${positionName(m.other)}, which this position covers` });
  }
  const given = p.moveOut;
  if (given) out.push({ ref: `positions/${given.other.key}`, amount: -given.micros / MICRO, why: `shortfall of ${fmt(given.micros / MICRO)} moved up to ${positionName(given.other)}, its nearest cover` });
  if (forPeople) for (const c of out) {
    const name = nameOf(w, c.ref);
    if (name) c.name = name;
  }
}

/** The name people know a contribution's row by (a device's, a user's, a cluster's), '' when none. */
function nameOf(w: World, ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return '';
  const sheet = ref.slice(0, slash), idN = ref.slice(slash + 1).toLowerCase();
  const row = sheet === 'devices' ? w.device(idN) : sheet === 'users' ? w.user(idN) : sheet === 'clusters' ? w.cluster(idN) : undefined;
  return row?.name ?? '';
}

/** A position in words: "Microsoft Office 2019 and lower (per_device, north)". */
export function positionName(p: Position): string {
  const e = p.entitlements[0];
  const version = e.versionName === '' ? '' : p.downgrade ? ` ${e.versionName} and lower` : ` ${e.versionName}`;
  const scope = [e.editionName, p.company, p.site, p.network].filter((x) => x !== '');
  return `${e.publisherName} ${e.productName}${version} (${[p.metric, ...scope].join(', ')})`;
}
