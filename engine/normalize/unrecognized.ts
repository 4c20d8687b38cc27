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
// pass, then per edit of an installation its row taken off and put on its pair's tally (a pair of a
// widely installed product would otherwise be recounted whole for each edit), and a recount of the
// pairs whose verdict may have changed (rules or entitlements edited: Engine marks them), or whose
// naming row left (the next first row in sheet order is not known without looking).

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

/** Invariant: counts exactly the live installations of its pair (kept only while the pair is unrecognized). */
interface Tally extends UnrecognizedResult { namedBy: RowKey; deviceIds: Map<string, number> }

/**
 * What a tally reads of an installation, taken when the edit is recorded: the store may update a
 * row's object in place, so the old version's values must not be read back at flush.
 */
interface Seen { key: RowKey; rawKey: string; deviceId: string; publisher: string; product: string }

const seen = (i: Installation): Seen => ({ key: i.key, rawKey: i.raw.productKey, deviceId: i.deviceId, publisher: i.raw.publisherName, product: i.raw.productName });

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
  /** Installations taken off (-1) or put on (+1) since the last flush, in order. */
  private readonly moves: { row: Seen; sign: 1 | -1 }[] = [];

  private recognized(store: Store, n: Normalized): boolean {
    if (n.productRule !== null) return true;
    const named = store.entitlementsByProduct.exactlyKey(n.productKey);
    return ('size' in named ? named.size : named.length) > 0;
  }

  private addTo(t: Tally, i: Seen): void {
    t.installations++;
    if (i.deviceId !== '') t.deviceIds.set(i.deviceId, (t.deviceIds.get(i.deviceId) ?? 0) + 1);
    if (i.key < t.namedBy) Object.assign(t, { publisher: i.publisher, product: i.product, namedBy: i.key });
  }

  private newTally(n: Normalized, i: Seen): Tally {
    return {
      key: n.rawKey, publisher: i.publisher, product: i.product, namedBy: i.key,
      canonicalPublisher: n.publisherRule !== null && n.publisherName !== null ? n.publisherName : '', installations: 0, devices: 0, deviceIds: new Map(),
    };
  }

  /** Counts every installation from nothing, and keeps the list current from now on. */
  countAll(store: Store, names: Normalization): void {
    this.active = true;
    for (const key of this.tallies.keys()) this.changed.add(key);
    this.tallies.clear();
    // A count from nothing stands for every edit before it.
    this.moves.length = 0;
    this.dirty.clear();
    const verdict = new Map<string, boolean>();
    for (const i of store.rows('installations')) {
      const raw = i.raw;
      let unrecognized = verdict.get(raw.productKey);
      const n = names.ofNames(raw);
      if (unrecognized === undefined) verdict.set(raw.productKey, (unrecognized = !this.recognized(store, n)));
      if (!unrecognized) continue;
      let t = this.tallies.get(raw.productKey);
      const row = seen(i);
      if (!t) this.tallies.set(raw.productKey, (t = this.newTally(n, row)));
      this.addTo(t, row);
    }
    for (const key of this.tallies.keys()) this.changed.add(key);
  }

  /** A pair's installations or result may have changed. */
  touch(rawKey: string): void {
    if (this.active) this.dirty.add(rawKey);
  }

  /** An installation row was replaced (old and new version; either may be absent). */
  rowReplaced(old: Installation | undefined, fresh: Installation | undefined): void {
    if (!this.active) return;
    if (old) this.moves.push({ row: seen(old), sign: -1 });
    if (fresh) this.moves.push({ row: seen(fresh), sign: 1 });
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
    for (const { row, sign } of this.moves) if (!this.dirty.has(row.rawKey)) this.move(store, names, row, sign);
    this.moves.length = 0;
    for (const key of this.dirty) this.recount(store, names, key);
    this.dirty.clear();
  }

  /** Takes one installation off its pair's tally, or puts it on (a tally is made for a pair first seen unrecognized). */
  private move(store: Store, names: Normalization, i: Seen, sign: 1 | -1): void {
    const rawKey = i.rawKey;
    let t = this.tallies.get(rawKey);
    if (sign > 0) {
      if (!t) {
        const n = names.known(rawKey);
        if (!n || this.recognized(store, n)) return;
        this.tallies.set(rawKey, (t = this.newTally(n, i)));
      }
      this.addTo(t, i);
    } else {
      if (!t) return;
      if (i.key === t.namedBy) return void this.dirty.add(rawKey);
      t.installations--;
      const d = t.deviceIds.get(i.deviceId);
      if (d !== undefined) {
        if (d > 1) t.deviceIds.set(i.deviceId, d - 1);
        else t.deviceIds.delete(i.deviceId);
      }
      if (t.installations === 0) this.tallies.delete(rawKey);
    }
    this.changed.add(rawKey);
  }

  private recount(store: Store, names: Normalization, rawKey: string): void {
    const had = this.tallies.delete(rawKey);
    const n = names.known(rawKey);
    let t: Tally | undefined;
    if (n && !this.recognized(store, n)) {
      for (const i of store.installsByProduct.exactlyKey(n.productKey)) {
        if (i.raw.productKey !== rawKey) continue;
        const row = seen(i);
        t ??= this.newTally(n, row);
        this.addTo(t, row);
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
