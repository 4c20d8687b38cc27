// allocated-unused: rights allocated to an active user on the users sheet who does not use them.
// - user_subscription (metrics.md's allocation breakdown): a user whose allocated rights a on the
//   position exceed their active subscriptions s counting there (allocatedNotInUse = a − s > 0):
//   their allocations, latest first, that can go while a stays ≥ s.
// - any other metric that counts allocations (named_user, authorized_user, auvu, sap_named_user,
//   fue, named_fixed): the product has usage data in the window (sessions for it; product `*`:
//   any product of the publisher) and the user has no session for it there: their allocations on
//   the position.
// One candidate per user and position.

import type { Allocation } from '../../rows';
import type { Position } from '../../positions/position';
import { plural, type Draft, type ReasonContext, type UserScope } from './context';

export function allocatedUnused(ctx: ReasonContext, scope: UserScope): Draft[] {
  if (!scope.user?.active) return [];
  const byPosition = new Map<Position, Allocation[]>();
  for (const a of ctx.store.allocationsByUser.get(scope.idN)) {
    for (const p of ctx.effects.belongsTo(a)) {
      if (!p.rule.allocation) continue;
      const list = byPosition.get(p);
      if (list) list.push(a);
      else byPosition.set(p, [a]);
    }
  }
  const out: Draft[] = [];
  for (const [p, list] of [...byPosition].sort(([a], [b]) => (a.key < b.key ? -1 : 1))) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const e = p.entitlements[0];
    const base = { reason: 'allocated-unused' as const, action: 'remove' as const, publisher: e.publisherName, product: e.productName, deviceId: null, userId: scope.shown };
    if (p.rule.id === 'user_subscription') {
      let a = 0;
      for (const x of list) a += x.rights;
      let s = 0;
      for (const sub of ctx.store.subscriptionsByUser.get(scope.idN)) if (ctx.effects.feeds(sub).some((f) => f.p === p)) s++;
      if (a <= s) continue;
      const rows: Allocation[] = [];
      let left = a;
      for (const x of [...list].reverse()) if (left - x.rights >= s) { rows.push(x); left -= x.rights; }
      if (rows.length === 0) continue;
      out.push({ ...base, id: `allocated-unused|${scope.idN}|${p.key}`, rows: rows.reverse(),
        why: `${scope.shown} holds ${plural(a, 'right')} of ${e.publisherName} ${e.productName} allocated and ${plural(s, 'active subscription')}: ${plural(a - left, 'right')} allocated, not in use` });
      continue;
    }
    const usage = ctx.usage.of(p.publisher, p.product);
    if (!usage || usage.users.has(scope.idN)) continue;
    out.push({ ...base, id: `allocated-unused|${scope.idN}|${p.key}`, rows: list,
      why: `${scope.shown} holds ${plural(list.length, 'allocation')} of ${e.publisherName} ${e.productName} but no session of it in the window, where others have sessions of it` });
  }
  return out;
}
