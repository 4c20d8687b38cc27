// inactive-holder: an allocation on a counting position, or an active subscription that counts in
// one, whose userId names a user who is inactive or not on the users sheet. Allocations are
// removed; subscriptions are deactivated (active = false: the record stays, cancelled). One
// candidate per row.

import type { Allocation, Subscription } from '../../rows';
import type { Draft, ReasonContext, UserScope } from './context';

export function inactiveHolder(ctx: ReasonContext, scope: UserScope): Draft[] {
  if (scope.user?.active) return [];
  const state = scope.user ? 'inactive' : 'unknown to the users sheet';
  const out: Draft[] = [];
  for (const a of sorted(ctx.store.allocationsByUser.get(scope.idN))) {
    const positions = ctx.effects.belongsTo(a);
    if (positions.length === 0) continue;
    const e = positions[0].entitlements[0];
    out.push({
      id: `inactive-holder|${a.sheet}|${String(a.key)}`, reason: 'inactive-holder', action: 'remove', rows: [a],
      publisher: e.publisherName, product: e.productName, deviceId: null, userId: scope.shown,
      why: `allocation ${a.id} (${a.rights} right${a.rights === 1 ? '' : 's'} of entitlement ${a.entitlementId}) held by ${scope.shown}, ${state}`,
    });
  }
  for (const s of sorted(ctx.store.subscriptionsByUser.get(scope.idN))) {
    if (!s.active) continue;
    const positions = ctx.effects.belongsTo(s);
    if (positions.length === 0) continue;
    const e = positions[0].entitlements[0];
    out.push({
      id: `inactive-holder|${s.sheet}|${String(s.key)}`, reason: 'inactive-holder', action: 'deactivate', rows: [s],
      publisher: e.publisherName, product: e.productName, deviceId: null, userId: scope.shown,
      why: `active subscription ${s.id} of ${e.publisherName} ${e.productName} held by ${scope.shown}, ${state}`,
    });
  }
  return out;
}

function sorted<T extends Allocation | Subscription>(rows: Iterable<T>): T[] {
  return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
