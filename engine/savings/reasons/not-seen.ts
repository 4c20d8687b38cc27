// not-seen: installations on a counting device whose lastSeen (when discovery last saw it) is
// more than notSeenDays days (setting, default 90) before asOf. A device with no lastSeen is not
// judged. One candidate per device and product, holding every installation of the product on it.

import { DAY_MS } from '../../cells';
import { day, type DeviceScope, type Draft, type ReasonContext, productName } from './context';

export function notSeen(ctx: ReasonContext, scope: DeviceScope): Draft[] {
  const d = scope.device;
  const { asOf, notSeenDays } = ctx.settings;
  if (d.lastSeen === undefined || asOf - d.lastSeen <= notSeenDays * DAY_MS) return [];
  const days = Math.floor((asOf - d.lastSeen) / DAY_MS);
  const seen = day(d.lastSeen);
  const out: Draft[] = [];
  for (const [product, rows] of scope.byProduct) {
    out.push({
      id: `not-seen|${d.idN}|${product}`, reason: 'not-seen', action: 'remove', rows,
      publisher: rows[0].publisherName, product: rows[0].productName, deviceId: d.id, userId: null,
      why: `${productName(rows[0])} on ${d.id}, last seen by discovery ${seen}: ${days} days before asOf (more than ${notSeenDays})`,
    });
  }
  return out;
}
