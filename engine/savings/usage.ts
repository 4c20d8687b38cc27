// Usage data for reclaim reasons: which devices and users have a session of a product in the
// usage window. A session is "in the window" when it overlaps [windowStart, windowEnd): it starts
// before windowEnd and ends (an open one: at windowEnd) after windowStart; a session without a
// start, or ending before it starts, is a problem and is not counted (as for concurrent metrics).
// Ids are compared as written on the session (userId, deviceId), whoever they name: a session is
// evidence of use even by a user who has since left.

import type { Session } from '../rows';
import type { Store } from '../store/store';
import type { Settings } from '../settings';
import { productKey } from '../store/multimap';

export interface ProductUsage {
  /** Ids of the devices and users with a session of it in the window. */
  devices: Set<string>;
  users: Set<string>;
}

/** A product with a session in the window; who used it is read when first asked for. */
interface Present {
  publisher: string;
  product: string;
  usage: ProductUsage | null;
}

export function inWindow(s: Session, settings: Settings): boolean {
  if (s.start === undefined || (s.end !== undefined && s.end < s.start)) return false;
  const end = s.end ?? settings.windowEnd;
  return s.start < settings.windowEnd && end > settings.windowStart;
}

/**
 * Which products have usage data is found at once (a product's first session in the window is
 * enough); who used a product is read only when a reason asks (most products with sessions are of
 * no position, and nobody asks). Kept right by refreshPublisher whenever a session of the
 * publisher changes, which forgets what was read of it.
 */
export class Usage {
  /** By product key; a product without sessions in the window is absent. */
  private readonly byProduct = new Map<string, Present>();
  /** Publishers with sessions in the window (for a `*` position: every product of the publisher), and who, once asked. */
  private readonly byPublisher = new Map<string, ProductUsage | null>();

  constructor(private readonly store: Store) {}

  /** Finds the products with sessions in the window. */
  build(): void {
    this.byProduct.clear();
    this.byPublisher.clear();
    // The publishers with sessions, from the index (not a pass over every session).
    const publishers = new Set<string>();
    for (const [publisher] of this.store.sessionsByProduct.allProducts()) publishers.add(publisher);
    for (const pub of publishers) this.refreshPublisher(pub);
  }

  /** Reads a publisher's sessions again (one of them changed); returns the products whose usage changed presence. */
  refreshPublisher(publisher: string): Set<string> {
    const toggled = new Set<string>();
    const settings = this.store.settings;
    const seen = new Set<string>();
    let any = false;
    for (const product of [...this.store.sessionsByProduct.products(publisher)]) {
      const key = productKey(publisher, product);
      seen.add(key);
      let used = false;
      for (const s of this.store.sessionsByProduct.exactly(publisher, product)) if (inWindow(s, settings)) { used = true; break; }
      const had = this.byProduct.has(key);
      // Who used it is read again when next asked for.
      if (used) this.byProduct.set(key, { publisher, product, usage: null });
      else this.byProduct.delete(key);
      if (had !== used) toggled.add(key);
      any ||= used;
    }
    // Products of the publisher whose sessions are all gone.
    for (const key of [...this.byProduct.keys()]) {
      if (key.startsWith(`${publisher}\u0001`) && !seen.has(key)) {
        this.byProduct.delete(key);
        toggled.add(key);
      }
    }
    const had = this.byPublisher.has(publisher);
    if (any) this.byPublisher.set(publisher, null);
    else this.byPublisher.delete(publisher);
    if (had !== any) toggled.add(productKey(publisher, '*'));
    return toggled;
  }

  /** Usage of a product (`*`: any product of the publisher); undefined: no session in the window. */
  of(publisher: string, product: string): ProductUsage | undefined {
    if (product !== '*') return this.ofKey(productKey(publisher, product));
    if (!this.byPublisher.has(publisher)) return undefined;
    let usage = this.byPublisher.get(publisher);
    if (!usage) {
      usage = { devices: new Set(), users: new Set() };
      for (const p of this.store.sessionsByProduct.products(publisher)) this.read(publisher, p, usage);
      this.byPublisher.set(publisher, usage);
    }
    return usage;
  }

  /** Keys of the products with usage data. */
  products(): Iterable<string> {
    return this.byProduct.keys();
  }

  ofKey(key: string): ProductUsage | undefined {
    const present = this.byProduct.get(key);
    if (!present) return undefined;
    return (present.usage ??= this.read(present.publisher, present.product, { devices: new Set(), users: new Set() }));
  }

  /** Adds the devices and users of the product's sessions in the window. */
  private read(publisher: string, product: string, into: ProductUsage): ProductUsage {
    const settings = this.store.settings;
    for (const s of this.store.sessionsByProduct.exactly(publisher, product)) {
      if (!inWindow(s, settings)) continue;
      if (s.deviceId !== '') into.devices.add(s.deviceId);
      if (s.userId !== '') into.users.add(s.userId);
    }
    return into;
  }
}
