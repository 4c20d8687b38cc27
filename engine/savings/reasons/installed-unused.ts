// installed-unused: an installation on a counting device whose product has usage data in the
// window (at least one session for its publisher and product, usage.ts), while neither its device
// nor its user (the installation's userId, else the device's owner) has a session for the product
// in the window. Installed, unused: removing it costs nobody their work. One candidate per device
// and product, holding every such installation of the product on the device.

import { productName, type DeviceScope, type Draft, type ReasonContext } from './context';

export function installedUnused(ctx: ReasonContext, scope: DeviceScope): Draft[] {
  const out: Draft[] = [];
  const d = scope.device;
  for (const [product, installs] of scope.byProduct) {
    const usage = ctx.usage.ofKey(product);
    if (!usage || usage.devices.has(d.idN)) continue;
    const rows = installs.filter((i) => {
      const user = i.userId !== '' ? i.userId : d.ownerId;
      return user === '' || !usage.users.has(user);
    });
    if (rows.length === 0) continue;
    const users = [...new Set(rows.map((i) => i.userId || d.ownerId).filter((u) => u !== ''))];
    const who = users.length ? ` or by ${users.length === 1 ? `its user ${users[0]}` : `its users ${users.join(', ')}`}` : '';
    out.push({
      id: `installed-unused|${d.idN}|${product}`, reason: 'installed-unused', action: 'remove', rows,
      publisher: rows[0].publisherName, product: rows[0].productName, deviceId: d.id, userId: users.length === 1 ? users[0] : null,
      why: `${productName(rows[0])} on ${d.id}: it has sessions in the window, none on this device${who}`,
    });
  }
  return out;
}
