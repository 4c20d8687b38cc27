// copies-exceeded: on a per_copy_per_device position, a device with more matching installations
// than copiesPerDevice (default 1) makes the position noncompliant whatever is bought. The copies
// beyond the allowed number (the later ones in sheet order) are the candidate, one per device and
// position: removing them clears the flag on that device.

import type { Installation } from '../../rows';
import type { Position } from '../../positions/position';
import { byKey, plural, productName, type DeviceScope, type Draft, type ReasonContext } from './context';

export function copiesExceeded(ctx: ReasonContext, scope: DeviceScope): Draft[] {
  const d = scope.device;
  const out: Draft[] = [];
  const positions = new Set<Position>();
  for (const installs of scope.byProduct.values()) {
    const first = installs[0];
    // Most products have no per_copy_per_device position: skip their rows without feeding them.
    if (!ctx.effects.forProduct(first.publisher, first.product).some((p) => p.rule.id === 'per_copy_per_device')) continue;
    for (const i of installs) for (const f of ctx.effects.feeds(i)) if (f.p.rule.id === 'per_copy_per_device' && f.keys.includes(d)) positions.add(f.p);
  }
  for (const p of [...positions].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const members = (ctx.effects.membersOf(p, d)?.inst ?? []) as Installation[];
    const allowed = p.cfg.copiesPerDevice;
    if (members.length <= allowed) continue;
    const rows = [...members].sort(byKey).slice(allowed);
    out.push({
      id: `copies-exceeded|${d.idN}|${p.key}`, reason: 'copies-exceeded', action: 'remove', rows,
      publisher: rows[0].publisherName, product: rows[0].productName, deviceId: d.id, userId: null,
      why: `${plural(members.length, 'copy', 'copies')} of ${productName(rows[0])} on ${d.id}, ${allowed} allowed per device: ${rows.map((r) => r.id).join(', ')} beyond it`,
    });
  }
  return out;
}
