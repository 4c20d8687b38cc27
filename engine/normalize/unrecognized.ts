// Unrecognized software: the raw publisher/product pairs of installations that no rule recognises
// and no entitlement names, with how many installations and devices carry each, largest first.
// This is the list a team works through when a new estate comes in.
//
// A pair is recognised when a product rule decided it (an exact alias, an ignore rule or a pattern;
// a publisher alias alone does not name a product), or when an entitlement names its normalized
// publisher and product exactly. An entitlement for product `*` licenses a publisher's products
// without naming them (decision, in the README): they stay on the list until a rule names them.
// Installations on any device count here, and a device is counted by its id as the rows give it.
//
// Kept only when asked for (an incremental engine, or `reckon normalize`): a full count in one
// pass, then per edit a recount of just the pairs it touched (Engine marks them).

import type { RowKey } from '../cells';
import type { Installation } from '../rows';
import type { Store } from '../store/store';
import type { Normalized } from './normalizer';
import type { Normalization } from './normalization';

export interface UnrecognizedResult {
  /** The raw pair's key (comparison forms). */
  key: string;
  /** The raw names, as the installation first in sheet order gives them. */
  publisher: string;
  product: string;
  /** The publisher a publisher alias gives the pair ('' when none does). */
  canonicalPublisher: string;
  installations: number;
  devices: number;
}

interface Tally extends UnrecognizedResult { namedBy: RowKey; deviceIds: Set<string> }

const resultOf = (t: Tally): UnrecognizedResult => ({
  key: t.key, publisher: t.publisher, product: t.product, canonicalPublisher: t.canonicalPublisher, installations: t.installations, devices: t.deviceIds.size,
});

export function byCount(a: UnrecognizedResult, b: UnrecognizedResult): number {
  return b.installations - a.installations || b.devices - a.devices || a.publisher.localeCompare(b.publisher) || a.product.localeCompare(b.product) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export class Unrecognized {
  /** Counted and kept current (see the file's comment). */
  active = false;
  private readonly tallies = new Map<string, Tally>();
  private changed = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly dirtyProducts = new Set<string>();

  private recognized(store: Store, n: Normalized): boolean {
    if (n.productRule !== null) return true;
    const named = store.entitlementsByProduct.exactlyKey(n.productKey);
    return ('size' in named ? named.size : named.length) > 0;
  }

  private addTo(t: Tally, i: Installation): void {
    t.installations++;
    if (i.deviceId !== '') t.deviceIds.add(i.deviceId);
    if (i.key < t.namedBy) Object.assign(t, { publisher: i.raw.publisherName, product: i.raw.productName, namedBy: i.key });
  }

  private newTally(n: Normalized, i: Installation): Tally {
    return {
      key: n.rawKey, publisher: i.raw.publisherName, product: i.raw.productName, namedBy: i.key,
      canonicalPublisher: n.publisherRule !== null && n.publisherName !== null ? n.publisherName : '', installations: 0, devices: 0, deviceIds: new Set(),
    };
  }

  /** Counts every installation from nothing, and keeps the list current from now on. */
  countAll(store: Store, names: Normalization): void {
    this.active = true;
    for (const key of this.tallies.keys()) this.changed.add(key);
    this.tallies.clear();
    const verdict = new Map<string, boolean>();
    for (const i of store.rows('installations')) {
      const raw = i.raw;
      let unrecognized = verdict.get(raw.productKey);
      const n = names.ofNames(raw);
      if (unrecognized === undefined) verdict.set(raw.productKey, (unrecognized = !this.recognized(store, n)));
      if (!unrecognized) continue;
      let t = this.tallies.get(raw.productKey);
      if (!t) this.tallies.set(raw.productKey, (t = this.newTally(n, i)));
      this.addTo(t, i);
    }
    for (const key of this.tallies.keys()) this.changed.add(key);
  }

  /** A pair's installations or result may have changed. */
  touch(rawKey: string): void {
    if (this.active) this.dirty.add(rawKey);
  }

  /** Entitlements naming this (normalized) product changed. */
  touchProduct(productKey: string): void {
    if (this.active) this.dirtyProducts.add(productKey);
  }

  /** Recounts what was touched since the last flush. */
  flush(store: Store, names: Normalization): void {
    if (!this.active) return;
    if (this.dirtyProducts.size) {
      for (const n of names.entries()) if (this.dirtyProducts.has(n.productKey)) this.dirty.add(n.rawKey);
      this.dirtyProducts.clear();
    }
    for (const key of this.dirty) this.recount(store, names, key);
    this.dirty.clear();
  }

  private recount(store: Store, names: Normalization, rawKey: string): void {
    const had = this.tallies.delete(rawKey);
    const n = names.known(rawKey);
    let t: Tally | undefined;
    if (n && !this.recognized(store, n)) {
      for (const i of store.installsByProduct.exactlyKey(n.productKey)) {
        if (i.raw.productKey !== rawKey) continue;
        t ??= this.newTally(n, i);
        this.addTo(t, i);
      }
    }
    if (t) this.tallies.set(rawKey, t);
    if (t || had) this.changed.add(rawKey);
  }

  results(): UnrecognizedResult[] {
    return [...this.tallies.values()].map(resultOf).sort(byCount);
  }

  /** What changed since the last call: pairs to show, and keys to drop. */
  takeChanged(): { upsert: UnrecognizedResult[]; removed: string[] } {
    const upsert: UnrecognizedResult[] = [], removed: string[] = [];
    for (const key of this.changed) {
      const t = this.tallies.get(key);
      if (t) upsert.push(resultOf(t));
      else removed.push(key);
    }
    this.changed = new Set();
    return { upsert, removed };
  }
}
