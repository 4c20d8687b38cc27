// per_user_device counts one unit for the whole position: the minimum vertex cover of its (user,
// device) pairs (metrics/cover.ts). Re-evaluating that cover for every candidate is a matching over
// the whole position each time. A cover splits over the graph's connected components (no pair joins
// two components, so covering each is covering all, and no cover of all is smaller than the sum),
// so the effect of removing rows is computed on the components their pairs are in. Built once per
// pass (effect.ts), for a position whose whole unit a removal touches.

import type { AnyRow, Device, User } from '../rows';
import type { World } from '../store/world';
import type { Members } from '../metrics/rule';
import { minimumCover } from '../metrics/cover';

type Pair = [User | null, Device | null];

interface Component {
  pairs: Pair[];
  rows: AnyRow[];
  cover: number | null;
}

const size = (pairs: readonly Pair[]) => {
  const c = minimumCover(pairs);
  return c.users.length + c.devices.length;
};

export class WholeCover {
  private readonly componentOf = new Map<AnyRow, Component>();

  /** The pairs of the unit's members, exactly as per_user_device's evaluate makes them. */
  constructor(w: World, m: Members) {
    const rows: AnyRow[] = [], pairs: Pair[] = [];
    for (const i of m.inst ?? []) { rows.push(i); pairs.push([w.userOf(i, i.device) ?? null, i.device!]); }
    for (const a of m.access ?? []) { rows.push(a); pairs.push([w.countingUser(a.userId) ?? null, w.countingDevice(a.deviceId) ?? null]); }
    // Union–find over the vertices (users and devices) the pairs join.
    const parent = new Map<object, object>();
    const find = (x: object): object => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      for (let y = x; y !== r;) { const next = parent.get(y)!; parent.set(y, r); y = next; }
      return r;
    };
    const vertex = (x: object) => { if (!parent.has(x)) parent.set(x, x); return x; };
    for (const [u, d] of pairs) {
      const a = u ? vertex(u) : null, b = d ? vertex(d) : null;
      if (a && b) {
        const ra = find(a), rb = find(b);
        if (ra !== rb) parent.set(ra, rb);
      }
    }
    const byRoot = new Map<object, Component>();
    pairs.forEach((pair, k) => {
      const root = find((pair[0] ?? pair[1])!);
      let c = byRoot.get(root);
      if (!c) byRoot.set(root, (c = { pairs: [], rows: [], cover: null }));
      c.pairs.push(pair);
      c.rows.push(rows[k]);
      this.componentOf.set(rows[k], c);
    });
  }

  /** How the cover's size changes when these rows are gone. */
  delta(gone: ReadonlySet<AnyRow>): number {
    const touched = new Set<Component>();
    for (const r of gone) { const c = this.componentOf.get(r); if (c) touched.add(c); }
    let d = 0;
    for (const c of touched) {
      c.cover ??= size(c.pairs);
      const rest = c.pairs.filter((_, k) => !gone.has(c.rows[k]));
      d += (rest.length ? size(rest) : 0) - c.cover;
    }
    return d;
  }
}
