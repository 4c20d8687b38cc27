// User metrics (metrics.md, "User metrics"). Units are users, so a person counts once however many
// installations, allocations or access records name them. A user id that is unknown or inactive
// counts as no user: it drops out of every count of people.

import type { Access, Allocation, Device, Installation, Subscription, User } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { NONE, WHOLE, unit, type MetricRule, type UnitKey } from './rule';
import { ceilDiv, convertByTiers, deviceRef, explainTiers, fmt, userRef } from './common';
import { oracleFeed, oracleUnit } from './processor';
import { minimumCover } from './cover';

/** The counting user a row names, when the position's scope admits them. */
function scopedUser(w: World, p: Position, userIdN: string): User | null {
  const u = w.countingUser(userIdN);
  return u && w.inUserScope(p, u) ? u : null;
}

/** The counting user of a matched installation, in scope. */
function installUser(w: World, p: Position, i: Installation): User | null {
  const u = w.userOf(i, i.device);
  return u && w.inUserScope(p, u) ? u : null;
}

const byUserId = (w: World, p: Position, row: { userId: string }) => scopedUser(w, p, row.userId);

const countsOne = (say: string) => (_w: World, _p: Position, key: UnitKey, _m: unknown, why: import('./rule').Why) => {
  why?.push({ ref: userRef(key as User), amount: 1, why: say });
  return unit(1);
};

const notExternal = (u: User) => u.employeeType !== 'external';

/**
 * A rule over every active row of the users sheet (in scope) that passes `keep`. A row whose id is
 * blank or duplicated is reported as a problem and still counted: it is a person on the sheet.
 */
function everyUser(id: string, keep: (u: User) => boolean, say: string, tiers: boolean): MetricRule {
  return {
    id,
    scope: 'user',
    usesTiers: tiers || undefined,
    user: (w, p, u) => (u.active && keep(u) && w.inUserScope(p, u) ? u : null),
    evaluate: countsOne(say),
    combine: tiers ? (w, p, amount) => convertByTiers(w, p, amount) : undefined,
    explainTotal: tiers ? (w, p, amount) => explainTiers(w, p, amount) : undefined,
  };
}

/** FUE weights in thirtieths: advanced 1, core 1/5, self-service 1/30. */
const FUE_THIRTIETHS: Record<string, number> = { advanced: 30, core: 6, 'self-service': 1 };

export const USER_RULES: MetricRule[] = [
  /**
   * per_user: distinct users of matching installations and of access records for the product (a
   * server product reconciled through client access licenses the users accessing it); an
   * installation with no user counts 1 on its own. Decision: an access record with no counting
   * user counts nothing (a record of nobody's access licenses nobody).
   */
  {
    id: 'per_user',
    scope: 'user',
    access: byUserId,
    install: (w, p, i) => {
      const d = i.device!;
      const u = w.userOf(i, d);
      if (u) return w.inUserScope(p, u) ? u : null;
      // No counting user: scope falls back to the device the installation is on.
      return w.inDeviceScope(p, d) ? i : null;
    },
    evaluate(w, _p, key, m, why) {
      if ((key as User | Installation).sheet === 'users') {
        const inst = (m.inst ?? NONE).length, access = (m.access ?? NONE).length;
        const how = [inst ? `${inst} installation${inst === 1 ? '' : 's'}` : '', access ? `${access} access record${access === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
        why?.push({ ref: userRef(key as User), amount: 1, why: `uses it (${how})` });
      } else {
        const i = key as Installation;
        why?.push({ ref: `installations/${i.id}`, amount: 1, why: `installation on ${i.device?.id} with no counting user counts on its own` });
      }
      return unit(1);
    },
  },
  /** named_user: distinct users with an allocation on the position or a matching installation. */
  {
    id: 'named_user', scope: 'user', install: installUser, allocation: byUserId,
    evaluate: countsOne('allocated or installed'),
  },
  /** authorized_user: distinct users with an access record for the product or an allocation on the position. */
  { id: 'authorized_user', scope: 'user', access: byUserId, allocation: byUserId, evaluate: countsOne('authorized (access or allocation)') },
  /** auvu: the authorized_user count, converted by tiers. */
  {
    id: 'auvu', scope: 'user', usesTiers: true, access: byUserId, allocation: byUserId,
    evaluate: countsOne('authorized user'), combine: (w, p, amount) => convertByTiers(w, p, amount),
    explainTotal: (w, p, amount) => explainTiers(w, p, amount),
  },
  /** euvu: users whose employeeType is not external, converted by tiers. */
  everyUser('euvu', notExternal, 'employee (not external)', true),
  /** external_uvu: users whose employeeType is external, converted by tiers. */
  everyUser('external_uvu', (u) => !notExternal(u), 'external user', true),
  /** employee: users whose employeeType is not external, whether or not they use it. */
  everyUser('employee', notExternal, 'employee (not external)', false),
  /** user_cal: distinct users in access records for the product. */
  { id: 'user_cal', scope: 'user', access: byUserId, evaluate: countsOne('accesses the server product') },
  /** device_cal: distinct devices in access records for the product. */
  {
    id: 'device_cal',
    scope: 'device',
    access: (w, p, a) => {
      const d = w.countingDevice(a.deviceId);
      return d && w.inDeviceScope(p, d) ? d : null;
    },
    evaluate(_w, _p, key, _m, why) {
      why?.push({ ref: deviceRef(key as Device), amount: 1, why: 'accesses the server product' });
      return unit(1);
    },
  },
  /**
   * oracle_nup: max(distinct users in access records and of matching installations,
   * nupPerProcessor × P), P being what oracle_processor consumes for the same installations.
   * User units give the amount; Oracle processor units give part 0.
   */
  {
    id: 'oracle_nup',
    scope: 'both',
    parts: 1,
    install: (w, p, i) => {
      const u = installUser(w, p, i);
      const proc = oracleFeed(w, p, i);
      return u && proc ? [u, proc] : u ?? proc;
    },
    access: byUserId,
    evaluate(w, p, key, _m, why) {
      if (typeof key !== 'string' && key.sheet === 'users') {
        why?.push({ ref: userRef(key), amount: 1, why: 'named user (access or installation)' });
        return unit(1);
      }
      const proc = oracleUnit(w, p, key, why);
      return unit(0, proc.flags, [proc.amount]);
    },
    combine: (_w, p, users, parts) => Math.max(users, p.cfg.nupPerProcessor * parts[0]),
    explainTotal: (_w, p, users, parts) =>
      `max(${users} named users, ${fmt(p.cfg.nupPerProcessor)} per processor × ${parts[0]} processors = ${fmt(p.cfg.nupPerProcessor * parts[0])}) = ${fmt(Math.max(users, p.cfg.nupPerProcessor * parts[0]))}`,
  },
  /**
   * per_user_device: the (user, device) pairs of matching installations and access records; the
   * size of a minimum vertex cover. A pair with one side missing forces its present side in. Scope
   * filters both sides: a row matches a scoped position when each side it has is in scope.
   */
  {
    id: 'per_user_device',
    scope: 'both',
    install: (w, p, i) => {
      const d = i.device!;
      if (!w.inDeviceScope(p, d)) return null;
      const u = w.userOf(i, d);
      return u && !w.inUserScope(p, u) ? null : WHOLE;
    },
    access: (w, p, a) => {
      const u = w.countingUser(a.userId), d = w.countingDevice(a.deviceId);
      if (!u && !d) return null;
      return (u && !w.inUserScope(p, u)) || (d && !w.inDeviceScope(p, d)) ? null : WHOLE;
    },
    evaluate(w, _p, _key, m, why) {
      const pairs: [User | null, Device | null][] = [];
      for (const i of m.inst ?? NONE) pairs.push([w.userOf(i, i.device) ?? null, i.device!]);
      for (const a of m.access ?? NONE) pairs.push([w.countingUser(a.userId) ?? null, w.countingDevice(a.deviceId) ?? null]);
      const cover = minimumCover(pairs);
      if (why) {
        for (const u of cover.users) why.push({ ref: userRef(u), amount: 1, why: 'user licensed (covers their devices)' });
        for (const d of cover.devices) why.push({ ref: deviceRef(d), amount: 1, why: 'device licensed (covers its users)' });
      }
      const n = cover.users.length + cover.devices.length;
      return n > 0 ? unit(n) : null;
    },
  },
  /** per_osi: distinct devices with an ipAddress in access records for the product. */
  {
    id: 'per_osi',
    scope: 'device',
    access: (w, p, a) => {
      const d = w.countingDevice(a.deviceId);
      return d && d.ipAddress !== '' && w.inDeviceScope(p, d) ? d : null;
    },
    evaluate(_w, _p, key, _m, why) {
      const d = key as Device;
      why?.push({ ref: deviceRef(d), amount: 1, why: `operating system instance at ${d.ipAddress}` });
      return unit(1);
    },
  },
  /** sap_named_user: distinct users with an allocation whose userType equals the entitlement's (blank = any). */
  {
    id: 'sap_named_user',
    scope: 'user',
    allocation: (w, p, a) => (p.cfg.userType === '' || a.userType === p.cfg.userType ? scopedUser(w, p, a.userId) : null),
    evaluate: countsOne('allocated with the user type'),
  },
  /** fue: ⌈Σ over distinct allocated users of their highest class: advanced 1, core 1/5, self-service 1/30⌉. */
  {
    id: 'fue',
    scope: 'user',
    scale: 30,
    allocation: byUserId,
    evaluate(_w, _p, key, m, why) {
      // A class that is blank or not an FUE class counts as advanced: the auditor's full rate.
      let best = 0;
      for (const a of m.alloc ?? NONE) best = Math.max(best, FUE_THIRTIETHS[a.userType] ?? 30);
      why?.push({ ref: userRef(key as User), amount: best / 30, why: `highest class ${best === 30 ? 'advanced (1)' : best === 6 ? 'core (1/5)' : 'self-service (1/30)'}` });
      return unit(best);
    },
    combine: (_w, _p, thirtieths) => ceilDiv(thirtieths, 30),
    explainTotal: (_w, _p, thirtieths) => `⌈${thirtieths}/30 = ${fmt(thirtieths / 30)}⌉ = ${ceilDiv(thirtieths, 30)} FUE`,
  },
  /**
   * user_subscription: active subscription rows for the product, each one; with the allocation
   * breakdown per user (a = Σ rights allocated, s = active subscriptions): allocatedInUse min(a, s),
   * allocatedNotInUse max(0, a − s), notAllocatedInUse max(0, s − a). Rows with no user stand alone.
   * Subscription records are not a count of people, so an inactive user's subscription still counts.
   */
  {
    id: 'user_subscription',
    scope: 'user',
    parts: 3,
    subscription: (w, p, s) => {
      if (!s.active) return null;
      const u = w.user(s.userId);
      if (u && !w.inUserScope(p, u)) return null;
      return u ?? s;
    },
    allocation: (w, p, a) => {
      const u = w.user(a.userId);
      if (u && !w.inUserScope(p, u)) return null;
      return u ?? a;
    },
    evaluate(_w, _p, key, m, why) {
      let a = 0;
      for (const x of m.alloc ?? NONE) a += x.rights;
      const s = (m.subs ?? NONE).length;
      if (a === 0 && s === 0) return null;
      const parts = [Math.min(a, s), Math.max(0, a - s), Math.max(0, s - a)];
      if (why) {
        const k = key as User | Subscription | Allocation;
        const ref = k.sheet === 'users' ? userRef(k) : `${k.sheet}/${k.id}`;
        why.push({ ref, amount: s, why: `${s} active subscription(s), ${fmt(a)} right(s) allocated` });
      }
      return unit(s, 0, parts);
    },
    breakdown: (parts) => ({ allocatedInUse: parts[0], allocatedNotInUse: parts[1], notAllocatedInUse: parts[2] }),
  },
  /** named_fixed: distinct users with an allocation on the position. */
  { id: 'named_fixed', scope: 'user', allocation: byUserId, evaluate: countsOne('allocated') },
];

export type { Access, Allocation };
