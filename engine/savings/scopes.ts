// Scopes: the unit of recomputation of reclaim candidates. Every candidate belongs to one scope,
// its device (`d:<id>`: installed-unused, not-seen, duplicate, copies-exceeded) or its user
// (`u:<id>`: inactive-holder, allocated-unused); a scope's candidates depend only on its rows,
// their neighbourhood and the usage of their products. After an edit the scopes it can reach are
// recomputed (savings.ts), found here from the edited rows and the units the engine re-evaluated.

import type { Device, Installation } from '../rows';
import type { Store } from '../store/store';
import type { Settings } from '../settings';
import type { Usage } from './usage';
import { DAY_MS } from '../cells';
import { FLAG_COPIES_EXCEEDED } from '../metrics/rule';
import type { Position } from '../positions/position';
import { WHOLE, type UnitKey } from '../metrics/rule';
import { byKey, type DeviceScope, type UserScope } from './reasons/context';

export const deviceScope = (idN: string): string => `d:${idN}`;
export const userScope = (idN: string): string => `u:${idN}`;

/**
 * A device scope's rows that can count (`counts`, Effects.installCounts: rows of a product no
 * counting position reads can hold no candidate); null when the id names no counting device or it
 * has no such row.
 */
export function readDeviceScope(store: Store, idN: string, counts: (i: Installation) => boolean): DeviceScope | null {
  const device = store.device(idN);
  if (!device || !device.counts) return null;
  const installs: Installation[] = [];
  for (const i of store.installsByDevice.get(idN)) if (counts(i)) installs.push(i);
  if (installs.length === 0) return null;
  installs.sort(byKey);
  const byProduct = new Map<string, Installation[]>();
  for (const i of installs) {
    const list = byProduct.get(i.productKey);
    if (list) list.push(i);
    else byProduct.set(i.productKey, [i]);
  }
  return { device, installs, byProduct };
}

export function readUserScope(store: Store, idN: string): UserScope {
  const user = store.first('users', idN);
  let shown = user?.id;
  if (shown === undefined) for (const a of store.allocationsByUser.get(idN)) { shown = a.userId; break; }
  if (shown === undefined) for (const s of store.subscriptionsByUser.get(idN)) { shown = s.userId; break; }
  return { idN, user, shown: shown ?? idN };
}

/**
 * Every scope that can hold a candidate, found without reading every row into a scope: devices not
 * seen, devices with an installation of a product that has usage data, devices with two rows of
 * one product, version and edition, devices on a flagged copies-exceeded unit; users who are
 * inactive or unknown and hold allocations or subscriptions, users with rights allocated and not
 * in use on a user_subscription position (its unit's breakdown), and users holding allocations of
 * a product with usage data. Each reason's own rule then decides (reasons/).
 */
export function seedScopes(store: Store, positions: Iterable<Position>, usage: Usage, settings: Settings, counts: (i: Installation) => boolean): Set<string> {
  const out = new Set<string>();
  const staleBefore = settings.asOf - settings.notSeenDays * DAY_MS;
  // Every device row (a repeated id's other rows too: its scope reads the device its id names).
  for (const dev of store.rows('devices')) {
    if (dev.counts && dev.lastSeen !== undefined && dev.lastSeen < staleBefore && dev.idN !== '') out.add(deviceScope(dev.idN));
  }
  // Devices by the row an installation resolves its deviceId to (Installation.device, the row
  // store.device names): an object is looked up faster than a million id strings, and a scope
  // exists only for a counting device.
  const devices = devicesWithDuplicates(store, counts);
  for (const key of usage.products()) {
    for (const i of store.installsByProduct.exactlyKey(key)) {
      // Every row of a product counts or none does.
      if (!counts(i)) break;
      if (i.device?.counts) devices.add(i.device);
    }
  }
  for (const d of devices) out.add(deviceScope(d.idN));
  for (const u of [...store.allocationsByUser.keys(), ...store.subscriptionsByUser.keys()]) {
    if (!store.first('users', u)?.active) out.add(userScope(u));
  }
  for (const p of positions) {
    // forEach: a position has up to a unit per device or user, and this loop runs once, cold.
    if (p.rule.id === 'per_copy_per_device') {
      // flagCounts[2]: how many of its units raise copies-exceeded.
      if (p.flagCounts[2] > 0) {
        p.units.forEach((unit, key) => {
          if (unit.flags & FLAG_COPIES_EXCEEDED && typeof key !== 'string' && key.sheet === 'devices') out.add(deviceScope(key.idN));
        });
      }
    } else if (p.rule.id === 'user_subscription') {
      p.units.forEach((unit, key) => {
        if ((unit.parts?.[1] ?? 0) > 0 && typeof key !== 'string' && key.sheet === 'users') out.add(userScope(key.idN));
      });
    } else if (p.rule.allocation && usage.of(p.publisher, p.product)) {
      for (const a of allocationsOn(store, p)) if (a.userId) out.add(userScope(a.userId));
    }
  }
  return out;
}

/**
 * Counting devices with two installations of one product, version and edition, among rows that
 * can count: product by product (every row of a product counts or none does), so rows of products
 * that never count are not read, and each row is compared only with the earlier rows of its
 * product on its device.
 */
function devicesWithDuplicates(store: Store, counts: (i: Installation) => boolean): Set<Device> {
  const out = new Set<Device>();
  // Each device's first row of the product being read (rows of earlier products are overwritten):
  // one map for every product, so it grows once.
  const first = new Map<Device, Installation>();
  // The rows of the product on a device after its first, on devices that have several.
  let more = new Map<Device, Installation[]>();
  // forEach, not for…of: this loop over every counting row runs once, cold, and an iterator makes
  // an object per row until V8 optimises it.
  const visit = (i: Installation) => {
    const d = i.device;
    if (d === undefined || !d.counts || out.has(d)) return;
    const j = first.get(d);
    if (j === undefined || j.productKey !== i.productKey) { first.set(d, i); return; }
    let list = more.get(d);
    if (!list) more.set(d, (list = [j]));
    if (list.some((k) => k.version === i.version && k.edition === i.edition)) out.add(d);
    else list.push(i);
  };
  for (const [publisher, product] of store.installsByProduct.allProducts()) {
    const rows = store.installsByProduct.exactly(publisher, product);
    let any: Installation | undefined;
    for (const i of rows as Iterable<Installation>) { any = i; break; }
    // Every row of a product counts or none does.
    if (any === undefined || !counts(any)) continue;
    if (more.size) more = new Map();
    rows.forEach(visit);
  }
  return out;
}

/** The device scopes of a host unit: the host and the VMs it hosts. */
function aroundHost(store: Store, d: Device, out: Set<string>): void {
  out.add(deviceScope(d.idN));
  for (const vm of store.vmsByHost.get(d.idN)) out.add(deviceScope(vm.idN));
}

/** Device scopes of every installation of a position's product(s). */
function ofProducts(store: Store, p: Position, out: Set<string>): void {
  for (const set of store.installsByProduct.of(p.publisher, p.product)) for (const i of set) if (i.deviceId !== '') out.add(deviceScope(i.deviceId));
}

/** The scopes whose rows can feed a unit of a position. */
export function scopesOfUnit(store: Store, p: Position, key: UnitKey, out: Set<string>): void {
  if (typeof key === 'string') {
    if (key.startsWith('c:')) for (const h of store.devicesByCluster.get(key.slice(2))) aroundHost(store, h, out);
    else if (key === WHOLE || key.startsWith('p:')) {
      ofProducts(store, p, out);
      for (const a of allocationsOn(store, p)) if (a.userId) out.add(userScope(a.userId));
      for (const set of store.subscriptionsByProduct.of(p.publisher, p.product)) for (const s of set) if (s.userId) out.add(userScope(s.userId));
    }
    return;
  }
  switch (key.sheet) {
    case 'devices': aroundHost(store, key, out); return;
    case 'users':
      out.add(userScope(key.idN));
      for (const i of store.installsByUser.get(key.idN)) if (i.deviceId) out.add(deviceScope(i.deviceId));
      for (const d of store.devicesByOwner.get(key.idN)) out.add(deviceScope(d.idN));
      return;
    case 'installations': if (key.deviceId) out.add(deviceScope(key.deviceId)); return;
    case 'allocations': case 'subscriptions': if (key.userId) out.add(userScope(key.userId)); return;
  }
}

function* allocationsOn(store: Store, p: Position) {
  const seen = new Set<string>();
  for (const e of p.entitlements) {
    if (e.idN === '' || seen.has(e.idN)) continue;
    seen.add(e.idN);
    yield* store.allocationsByEntitlement.get(e.idN);
  }
}

/** Every scope that can hold rows of a position: after it is re-evaluated whole, any of them may feed it now. */
export function scopesOfPosition(store: Store, p: Position, out: Set<string>): void {
  for (const key of p.units.keys()) scopesOfUnit(store, p, key, out);
  if (p.rule.install) ofProducts(store, p, out);
  for (const a of allocationsOn(store, p)) if (a.userId) out.add(userScope(a.userId));
  if (p.rule.subscription) for (const set of store.subscriptionsByProduct.of(p.publisher, p.product)) for (const s of set) if (s.userId) out.add(userScope(s.userId));
}
