// The shared notions of metrics.md ("Shared notions"), over the store: counting devices and users,
// host(d), capacities, the user of an installation, scope, factor lookup and tiers.

import type { Cluster, Device, Factor, Installation, Tier, User } from '../rows';
import type { FactorKind } from '../schema';
import type { Store } from './store';

/** What a position's rules need to know of it to resolve scope, factors and tiers. */
export interface ScopeOf {
  publisher: string;
  product: string;
  metric: string;
  company: string;
  site: string;
}

export interface FactorHit {
  value: number;
  /** false: no row matched and the default was used (flag `no-factor`). */
  found: boolean;
  /** The factor row that decided, for explanations. */
  row: Factor | undefined;
}

const MATCH_CELLS = ['processorManufacturer', 'processorType', 'processorModel', 'processorFamily'] as const;

export class World {
  private factorCache = new Map<string, FactorHit>();
  private factorRows: Factor[] | null = null;
  private tierRows: Tier[] | null = null;

  constructor(readonly store: Store) {}

  get settings() {
    return this.store.settings;
  }

  /** Forget what was derived from the factors sheet (call after it changes). */
  factorsChanged(): void {
    this.factorCache.clear();
    this.factorRows = null;
  }

  tiersChanged(): void {
    this.tierRows = null;
  }

  device(idN: string): Device | undefined {
    return this.store.device(idN);
  }

  /** A device counts unless retired or disposed. */
  countingDevice(idN: string): Device | undefined {
    const d = this.store.device(idN);
    return d !== undefined && d.counts ? d : undefined;
  }

  user(idN: string): User | undefined {
    return this.store.first('users', idN);
  }

  /** Active and present in the users sheet; any other user id counts as no user. */
  countingUser(idN: string): User | undefined {
    const u = this.store.first('users', idN);
    return u !== undefined && u.active ? u : undefined;
  }

  cluster(idN: string): Cluster | undefined {
    return this.store.first('clusters', idN);
  }

  /** host(d): the counting device d.hostId names when d is virtual, otherwise d itself. */
  hostOf(d: Device): Device {
    if (!d.virtual || d.hostId === '') return d;
    const h = this.store.device(d.hostId);
    return h !== undefined && h.counts ? h : d;
  }

  /**
   * A host's physical cores. A virtual device standing as a host (no counting host of its own, or
   * named as the host of another VM) falls back to its vCPUs. undefined: blank or unreadable.
   */
  coresOf(h: Device): number | undefined {
    return h.virtual ? h.cores ?? h.vcpus : h.cores;
  }

  cpusOf(h: Device): number | undefined {
    return h.virtual ? h.cpus ?? h.vcpus : h.cpus;
  }

  /** The user of an installation: its userId, else its device's ownerId; counting users only. */
  userOf(i: Installation, device: Device | undefined): User | undefined {
    if (i.userId !== '') return i.user !== undefined && i.user.active ? i.user : undefined;
    const owner = device?.ownerId ?? '';
    return owner === '' ? undefined : this.countingUser(owner);
  }

  inDeviceScope(s: ScopeOf, d: Device): boolean {
    return (s.company === '' || d.company === s.company) && (s.site === '' || d.site === s.site);
  }

  inUserScope(s: ScopeOf, u: User): boolean {
    return (s.company === '' || u.company === s.company) && (s.site === '' || u.site === s.site);
  }

  /** Counting physical hosts whose cluster cell names this cluster. */
  clusterHosts(clusterN: string): Device[] {
    const hosts: Device[] = [];
    for (const d of this.store.devicesByCluster.get(clusterN)) if (d.counts && !d.virtual) hosts.push(d);
    return hosts.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** The cluster a host is licensed with when its cluster has live migration (mobility). */
  mobileCluster(h: Device): string | undefined {
    if (h.cluster === '') return undefined;
    return this.cluster(h.cluster)?.mobility ? h.cluster : undefined;
  }

  /**
   * Factor lookup (metrics.md): rows of the kind and the publisher (blank publisher = any); a blank
   * match cell matches anything; most non-blank match cells wins, then a row naming the publisher,
   * then the first row. No row: the default, not found.
   */
  factor(kind: FactorKind, publisher: string, h: Device, fallback: number): FactorHit {
    const sig = `${kind}\u0001${publisher}\u0001${h.processorManufacturer}\u0001${h.processorType}\u0001${h.processorModel}\u0001${h.processorFamily}\u0001${h.maxClockSpeed ?? ''}`;
    let hit = this.factorCache.get(sig);
    if (hit === undefined) {
      hit = this.lookupFactor(kind, publisher, h, fallback);
      this.factorCache.set(sig, hit);
    }
    return hit.found ? hit : { value: fallback, found: false, row: undefined };
  }

  private lookupFactor(kind: FactorKind, publisher: string, h: Device, fallback: number): FactorHit {
    this.factorRows ??= this.store.ordered('factors');
    let best: Factor | undefined, bestScore = -1;
    for (const f of this.factorRows) {
      if (f.kind !== kind || f.value === undefined) continue;
      if (f.publisher !== '' && f.publisher !== publisher) continue;
      let score = 0, matches = true;
      for (const cell of MATCH_CELLS) {
        if (f[cell] === '') continue;
        if (f[cell] !== h[cell]) { matches = false; break; }
        score += 2;
      }
      if (!matches) continue;
      if (f.maxClockSpeed !== undefined) {
        if (f.maxClockSpeed !== h.maxClockSpeed) continue;
        score += 2;
      }
      if (f.publisher !== '') score += 1; // the publisher breaks ties between equally specific rows
      if (score > bestScore) { best = f; bestScore = score; }
    }
    return best ? { value: best.value!, found: true, row: best } : { value: fallback, found: false, row: undefined };
  }

  /** Tier rows for a position's publisher, product and metric (blank = any), by `from`. */
  tiersFor(s: ScopeOf): Tier[] {
    this.tierRows ??= this.store.ordered('tiers');
    return this.tierRows
      .filter((t) => t.unitsPer !== undefined && (t.publisher === '' || t.publisher === s.publisher)
        && (t.product === '' || t.product === s.product) && (t.metric === '' || t.metric === s.metric))
      .sort((a, b) => (a.from ?? 1) - (b.from ?? 1));
  }
}
