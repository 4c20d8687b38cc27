// Unlicensed installations (metrics.md): on a counting device, matched by no entitlement of any
// metric, active or not, by publisher, product, version, edition, company and site.
// Invariant: an installation is counted here exactly when `isUnlicensed` holds for it now; every
// edit that can change that re-examines it before and after (see dependencies.ts).

import type { Installation } from './rows';
import type { World } from './store/world';
import { productKey } from './store/multimap';

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
  namedBy: string;
  installations: number;
  devices: Map<string, number>;
}

export class Unlicensed {
  private readonly tallies = new Map<string, Tally>();
  /** Products whose tally changed since the last `takeChanged`. */
  private changed = new Set<string>();

  isUnlicensed(w: World, i: Installation): boolean {
    const d = w.countingDevice(i.deviceId);
    if (!d) return false;
    const licensedBy = (list: Iterable<{ version: string; edition: string; company: string; site: string }>) => {
      for (const e of list) {
        if ((e.version === '' || e.version === i.version) && (e.edition === '' || e.edition === i.edition)
          && (e.company === '' || e.company === d.company) && (e.site === '' || e.site === d.site)) return true;
      }
      return false;
    };
    const index = w.store.entitlementsByProduct;
    return !licensedBy(index.exactly(i.publisher, i.product)) && !licensedBy(index.exactly(i.publisher, '*'));
  }

  /** Counts (sign 1) or uncounts (sign −1) an installation if it is unlicensed in the current state. */
  update(w: World, i: Installation, sign: 1 | -1): void {
    if (!this.isUnlicensed(w, i)) return;
    const key = productKey(i.publisher, i.product);
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = { publisher: i.publisherName, product: i.productName, namedBy: i.key, installations: 0, devices: new Map() }));
    else if (sign > 0 && i.key < t.namedBy) Object.assign(t, { publisher: i.publisherName, product: i.productName, namedBy: i.key });
    t.installations += sign;
    const n = (t.devices.get(i.deviceId) ?? 0) + sign;
    if (n === 0) t.devices.delete(i.deviceId);
    else t.devices.set(i.deviceId, n);
    if (t.installations === 0) this.tallies.delete(key);
    this.changed.add(key);
  }

  /** Recounts every installation of one product (after its entitlements changed). */
  recount(w: World, publisher: string, product: string): void {
    const key = productKey(publisher, product);
    if (this.tallies.delete(key)) this.changed.add(key);
    for (const i of w.store.installsByProduct.exactly(publisher, product)) this.update(w, i, 1);
  }

  /** Recounts every product of a publisher (an entitlement for product `*` changed). */
  recountPublisher(w: World, publisher: string): void {
    for (const product of [...w.store.installsByProduct.products(publisher)]) this.recount(w, publisher, product);
  }

  private resultOf(t: Tally): UnlicensedResult {
    return { publisher: t.publisher, product: t.product, installations: t.installations, devices: t.devices.size };
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
