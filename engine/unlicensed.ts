// Unlicensed installations (metrics.md): on a counting device, matched by no entitlement of any
// metric, active or not, by publisher, product, version (a downgrade right's lower versions
// included), edition, company and site.
// Invariant: an installation is counted here exactly when `isUnlicensed` holds for it now; every
// edit that can change that re-examines it before and after (see dependencies.ts).

import type { Device, Entitlement, Installation } from './rows';
import type { RowKey } from './cells';
import type { World } from './store/world';
import type { Bag } from './store/multimap';
import { versionMatches } from './positions/ranking';
import { IGNORED_PUBLISHER } from './normalize/normalizer';

export interface UnlicensedResult {
  publisher: string;
  product: string;
  installations: number;
  devices: number;
}

interface Tally {
  publisher: string;
  product: string;
  /** The key of the installation the names were taken from (the first in sheet order seen). */
  namedBy: RowKey;
  installations: number;
  /**
   * Unlicensed installations per device (a device counts once): built when an edit first adds or
   * takes away one of the product's installations; until then only how many devices (`deviceCount`).
   */
  devices: Map<Device, number> | null;
  deviceCount: number;
  /** The product's key, to rebuild `devices` from its installations. */
  key: string;
}

/** A product while countAll passes over the installations. */
interface ProductCount {
  /** The entitlements that may license its installations; null when one licenses them all. */
  candidates: Entitlement[] | null;
  tally: Tally | null;
  /** The devices of its unlicensed installations, each run of one device's rows once. */
  devices: Device[];
  last: Device | undefined;
}

/** Whether any of these entitlements matches the installation (on device d). */
function licensedBy(list: Bag<Entitlement>, i: Installation, d: Device): boolean {
  for (const e of list) {
    if ((e.version === '' || e.version === i.version || (e.downgrade && versionMatches(e, i.version))) && (e.edition === '' || e.edition === i.edition)
      && (e.company === '' || e.company === d.company) && (e.site === '' || e.site === d.site)) return true;
  }
  return false;
}

/** An entitlement that matches every installation of its product, whatever its version or place. */
const matchesAll = (e: Entitlement) => e.version === '' && e.edition === '' && e.company === '' && e.site === '';

/**
 * The entitlements that may license a product's installations (its own and its publisher's `*`);
 * null when one of them licenses every one, so the product is skipped whole.
 */
function candidatesOf(w: World, publisher: string, key: string): Entitlement[] | null {
  // An installation a rule ignores needs no license (engine/normalize/): never unlicensed.
  if (publisher === IGNORED_PUBLISHER) return null;
  const index = w.store.entitlementsByProduct;
  const list = [...index.exactlyKey(key), ...index.exactly(publisher, '*')];
  return list.some(matchesAll) ? null : list;
}

/** A product's tally, named after installation i, with nothing counted yet. */
function newTally(i: Installation, devices: Map<Device, number> | null): Tally {
  return { publisher: i.publisherName, product: i.productName, namedBy: i.key, installations: 0, devices, deviceCount: 0, key: i.productKey };
}

/** A tally is named after its installation with the smallest key (the first in sheet order). */
function nameAfter(t: Tally, i: Installation): void {
  if (i.key < t.namedBy) Object.assign(t, { publisher: i.publisherName, product: i.productName, namedBy: i.key });
}

export class Unlicensed {
  private readonly tallies = new Map<string, Tally>();
  /** Products whose tally changed since the last `takeChanged`. */
  private changed = new Set<string>();

  isUnlicensed(w: World, i: Installation): boolean {
    const d = i.device;
    if (!d || !d.counts || i.publisher === IGNORED_PUBLISHER) return false;
    const index = w.store.entitlementsByProduct;
    return !licensedBy(index.exactlyKey(i.productKey), i, d) && !licensedBy(index.exactly(i.publisher, '*'), i, d);
  }

  /** Counts (sign 1) or uncounts (sign −1) an installation if it is unlicensed in the current state. */
  update(w: World, i: Installation, sign: 1 | -1): void {
    if (this.isUnlicensed(w, i)) this.tally(i, sign);
  }

  /**
   * update() for installations of one product (a normalization rule edit moves them between
   * products: uncounted before, counted after), with the product's entitlements looked up once.
   */
  updateProduct(w: World, rows: readonly Installation[], sign: 1 | -1): void {
    if (rows.length === 0) return;
    const key = rows[0].productKey;
    const candidates = candidatesOf(w, rows[0].publisher, key);
    if (candidates === null) return;
    let t = this.tallies.get(key);
    for (const i of rows) {
      const d = i.device;
      if (!d || !d.counts || (candidates.length > 0 && licensedBy(candidates, i, d))) continue;
      if (!t) this.tallies.set(key, (t = newTally(i, new Map())));
      else if (sign > 0 && i.key < t.namedBy) nameAfter(t, i);
      t.installations += sign;
      const devices = t.devices!;
      const n = (devices.get(d) ?? 0) + sign;
      if (n === 0) devices.delete(d);
      else devices.set(d, n);
    }
    if (!t) return;
    if (t.installations === 0) this.tallies.delete(key);
    this.changed.add(key);
  }

  /** The key of the installation a product's tally is named after; undefined when none is unlicensed. */
  namedBy(key: string): RowKey | undefined {
    return this.tallies.get(key)?.namedBy;
  }

  /**
   * Builds the per-device counts edits need, product by product, until about `budget`
   * installations are counted; true when every product has them. Must complete before an edit.
   */
  preparePart(w: World, budget: number): boolean {
    for (const t of this.tallies.values()) {
      if (t.devices) continue;
      const devices = new Map<Device, number>();
      for (const i of w.store.installsByProduct.exactlyKey(t.key)) {
        if (this.isUnlicensed(w, i)) devices.set(i.device!, (devices.get(i.device!) ?? 0) + 1);
        budget--;
      }
      t.devices = devices;
      if (budget <= 0) return false;
    }
    return true;
  }

  private tally(i: Installation, sign: 1 | -1): void {
    const key = i.productKey;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = newTally(i, new Map())));
    else if (sign > 0) nameAfter(t, i);
    t.installations += sign;
    const d = i.device!;
    // Built before any edit (preparePart): mid-edit the store is ahead of the tallies.
    const devices = t.devices!;
    const n = (devices.get(d) ?? 0) + sign;
    if (n === 0) devices.delete(d);
    else devices.set(d, n);
    if (t.installations === 0) this.tallies.delete(key);
    this.changed.add(key);
  }

  /**
   * Counts every installation of one product from nothing. A product whose entitlements include
   * one without version, edition, company or site is licensed everywhere and is skipped whole.
   */
  recount(w: World, publisher: string, product: string): void {
    const index = w.store.installsByProduct;
    const installs = index.exactly(publisher, product);
    const key = index.keyOf(publisher, product);
    if (this.tallies.delete(key)) this.changed.add(key);
    const candidates = candidatesOf(w, publisher, key);
    if (candidates === null) return;
    // Tallied here in one pass, then filed once: a product can have a hundred thousand installations.
    let t: Tally | undefined;
    const devices = new Map<Device, number>();
    for (const i of installs) {
      const d = i.device;
      if (!d || !d.counts || (candidates.length > 0 && licensedBy(candidates, i, d))) continue;
      if (!t) t = newTally(i, devices);
      else nameAfter(t, i);
      t.installations++;
      devices.set(d, (devices.get(d) ?? 0) + 1);
    }
    if (t) {
      this.tallies.set(key, t);
      this.changed.add(key);
    }
  }

  /** Recounts every product of a publisher (an entitlement for product `*` changed), with per-device counts. */
  recountPublisher(w: World, publisher: string): void {
    for (const product of [...w.store.installsByProduct.products(publisher)]) this.recount(w, publisher, product);
  }

  /**
   * Counts every installation of the store from nothing (a fresh load; per-device counts come
   * later, preparePart): recount of every product, in one pass in sheet order. The rows lie in
   * memory in that order, and a file lists a device's installations together, so the pass reads
   * memory in order where product by product it waits on it. What is counted does not depend on
   * the order: the names are the smallest key's, and each product's devices are told apart after
   * the pass, product by product, by marking them.
   */
  countAll(w: World): void {
    for (const key of this.tallies.keys()) this.changed.add(key);
    this.tallies.clear();
    const products = new Map<string, ProductCount>();
    for (const i of w.store.rows('installations')) {
      const d = i.device;
      if (!d || !d.counts) continue;
      let c = products.get(i.productKey);
      if (c === undefined) products.set(i.productKey, (c = { candidates: candidatesOf(w, i.publisher, i.productKey), tally: null, devices: [], last: undefined }));
      if (c.candidates === null || (c.candidates.length > 0 && licensedBy(c.candidates, i, d))) continue;
      if (!c.tally) c.tally = newTally(i, null);
      else nameAfter(c.tally, i);
      c.tally.installations++;
      if (d !== c.last) c.devices.push((c.last = d));
    }
    for (const [key, { tally, devices }] of products) {
      if (!tally) continue;
      for (const d of devices) {
        if (d.seen === tally) continue;
        d.seen = tally;
        tally.deviceCount++;
      }
      this.tallies.set(key, tally);
      this.changed.add(key);
    }
  }

  private resultOf(t: Tally): UnlicensedResult {
    return { publisher: t.publisher, product: t.product, installations: t.installations, devices: t.devices ? t.devices.size : t.deviceCount };
  }

  results(): UnlicensedResult[] {
    return [...this.tallies.values()].map((t) => this.resultOf(t))
      .sort((a, b) => b.installations - a.installations || a.publisher.localeCompare(b.publisher) || a.product.localeCompare(b.product));
  }

  /** What changed since the last call: results to show, and product keys to drop. */
  takeChanged(): { upsert: (UnlicensedResult & { key: string })[]; removed: string[] } {
    const upsert: (UnlicensedResult & { key: string })[] = [], removed: string[] = [];
    for (const key of this.changed) {
      const t = this.tallies.get(key);
      if (t) upsert.push({ key, ...this.resultOf(t) });
      else removed.push(key);
    }
    this.changed = new Set();
    return { upsert, removed };
  }
}
