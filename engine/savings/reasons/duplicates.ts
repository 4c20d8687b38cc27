// duplicate: installation rows of one device with the same publisher, product, version and
// edition (compared as text is: ignoring case and surrounding spaces). The first in sheet order
// stays; each later one is a candidate, one per device and (product, version, edition).

import { plural, productName, type DeviceScope, type Draft, type ReasonContext } from './context';

export function duplicates(_ctx: ReasonContext, scope: DeviceScope): Draft[] {
  const d = scope.device;
  const out: Draft[] = [];
  for (const [product, installs] of scope.byProduct) {
    if (installs.length < 2) continue;
    const groups = new Map<string, typeof installs>();
    for (const i of installs) {
      const k = `${i.version}\u0001${i.edition}`;
      const g = groups.get(k);
      if (g) g.push(i);
      else groups.set(k, [i]);
    }
    for (const [k, g] of groups) {
      if (g.length < 2) continue;
      const rows = g.slice(1);
      const first = g[0];
      const what = [productName(first), first.version, first.edition].filter(Boolean).join(' ');
      out.push({
        id: `duplicate|${d.idN}|${product}|${k}`, reason: 'duplicate', action: 'remove', rows,
        publisher: first.publisherName, product: first.productName, deviceId: d.id, userId: null,
        why: `${plural(g.length, 'row')} of ${what} on ${d.id} (same device, product, version and edition): ${first.id} stays, ${rows.map((r) => r.id).join(', ')} ${rows.length === 1 ? 'is a' : 'are'} duplicate${rows.length === 1 ? '' : 's'}`,
      });
    }
  }
  return out;
}
