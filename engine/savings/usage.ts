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
  /** Sessions of the product in the window. */
  sessions: number;
  devices: Set<string>;
  users: Set<string>;
}

export function inWindow(s: Session, settings: Settings): boolean {
  if (s.start === undefined || (s.end !== undefined && s.end < s.start)) return false;
  const end = s.end ?? settings.windowEnd;
  return s.start < settings.windowEnd && end > settings.windowStart;
}

export class Usage {
  /** By product key; a product without sessions in the window is absent. */
  private readonly byProduct = new Map<string, ProductUsage>();
  /** By publisher (for a `*` position: every product of the publisher). */
  private readonly byPublisher = new Map<string, ProductUsage>();

  constructor(private readonly store: Store) {}

  /** Reads every session. */
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
    const pub: ProductUsage = { sessions: 0, devices: new Set(), users: new Set() };
    const seen = new Set<string>();
    for (const product of [...this.store.sessionsByProduct.products(publisher)]) {
      const key = productKey(publisher, product);
      seen.add(key);
      const u: ProductUsage = { sessions: 0, devices: new Set(), users: new Set() };
      for (const s of this.store.sessionsByProduct.exactly(publisher, product)) {
        if (!inWindow(s, settings)) continue;
        u.sessions++;
        if (s.deviceId !== '') u.devices.add(s.deviceId);
        if (s.userId !== '') u.users.add(s.userId);
      }
      const had = this.byProduct.has(key);
      if (u.sessions > 0) this.byProduct.set(key, u);
      else this.byProduct.delete(key);
      if (had !== u.sessions > 0) toggled.add(key);
      pub.sessions += u.sessions;
      for (const d of u.devices) pub.devices.add(d);
      for (const x of u.users) pub.users.add(x);
    }
    // Products of the publisher whose sessions are all gone.
    for (const key of [...this.byProduct.keys()]) {
      if (key.startsWith(`${publisher}\u0001`) && !seen.has(key)) {
        this.byProduct.delete(key);
        toggled.add(key);
      }
    }
    const had = this.byPublisher.has(publisher);
    if (pub.sessions > 0) this.byPublisher.set(publisher, pub);
    else this.byPublisher.delete(publisher);
    if (had !== pub.sessions > 0) toggled.add(productKey(publisher, '*'));
    return toggled;
  }

  /** Usage of a product (`*`: any product of the publisher); undefined: no session in the window. */
  of(publisher: string, product: string): ProductUsage | undefined {
    return product === '*' ? this.byPublisher.get(publisher) : this.byProduct.get(productKey(publisher, product));
  }

  /** Keys of the products with usage data. */
  products(): Iterable<string> {
    return this.byProduct.keys();
  }

  ofKey(key: string): ProductUsage | undefined {
    return this.byProduct.get(key);
  }
}
