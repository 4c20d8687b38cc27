// User, usage and service-desk metrics: further edge cases and contributions.

import type { RawRow } from '../../engine/cells';
import { access, alloc, dev, ent, host, inst, installs, OCTOBER, session, t, table, tier, user, users, type Case } from './table';

const measure = (id: string, date: string, quantity: number, more: RawRow = {}): RawRow => ({ id, publisher: 'Acme', product: 'App', date, quantity, ...more });

const userEdges: Case[] = [
  {
    name: 'named_user: user of an installation through the device owner',
    why: 'i1 on d1 (owner u1, no userId) → u1; i2 on d2 with no user and no owner adds nobody → 1',
    sheets: { users: users('u1'), devices: [dev('d1', { ownerId: 'u1' }), dev('d2')], installations: installs('d1', 'd2'), entitlements: [ent('e1', 'named_user')] },
    expect: { e1: { consumed: 1, sums: true, refs: { 'users/u1': 1 } } },
  },
  {
    name: 'user metrics site scope',
    why: 'site London: named_user counts u1 (London) not u2 (Paris); employee counts u1 and u3 (London)',
    sheets: {
      users: [user('u1', { site: 'London' }), user('u2', { site: 'Paris' }), user('u3', { site: 'london' })],
      devices: [dev('d1', { site: 'Paris' })],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd1', { userId: 'u2' })],
      entitlements: [ent('e1', 'named_user', 5, { site: 'London' }), ent('e2', 'employee', 5, { site: 'London' })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 2 } },
  },
  {
    name: 'oracle_nup: inactive users drop out, no installation means P = 0',
    why: 'access by u1 (active) and u2 (inactive), no installation: max(1, 25 × 0) = 1',
    sheets: {
      users: [user('u1'), user('u2', { active: false })],
      access: [access('x1', { userId: 'u1' }), access('x2', { userId: 'u2' })],
      entitlements: [ent('e1', 'oracle_nup', 5, { nupPerProcessor: 25 })],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'auvu with nobody authorized',
    why: 'no access records or allocations → 0 items → 0 units',
    sheets: { users: users('u1'), tiers: [tier('t1', 1, null, 2)], entitlements: [ent('e1', 'auvu')] },
    expect: { e1: { consumed: 0, status: 'compliant' } },
  },
  {
    name: 'tiers with a blank publisher apply to every publisher',
    why: 'external_uvu: 3 externals; tier row publisher blank, metric external_uvu, 1– at 2 → 6',
    sheets: {
      users: ['x1', 'x2', 'x3'].map((u) => user(u, { employeeType: 'external' })),
      tiers: [tier('t1', 1, null, 2, { publisher: '', product: '', metric: 'external_uvu' })],
      entitlements: [ent('e1', 'external_uvu')],
    },
    expect: { e1: { consumed: 6 } },
  },
  {
    name: 'device_cal and per_osi: retired and unknown devices drop out',
    why: 'access on d1, retired d2 (with IP), unknown d9 → device_cal 1; per_osi: d1 has an IP → 1',
    sheets: {
      devices: [dev('d1', { ipAddress: '10.0.0.1' }), dev('d2', { ipAddress: '10.0.0.2', status: 'retired' })],
      access: [access('x1', { deviceId: 'd1' }), access('x2', { deviceId: 'd2' }), access('x3', { deviceId: 'd9' })],
      entitlements: [ent('e1', 'device_cal'), ent('e2', 'per_osi')],
    },
    expect: { e1: { consumed: 1, sums: true, refs: { 'devices/d1': 1 } }, e2: { consumed: 1 } },
  },
  {
    name: 'user_subscription product * and rights',
    why: 'product *: u1 rows for App and Tool = 2 records; u1 allocated 3 rights → in use 2, not in use 1',
    sheets: {
      users: users('u1'),
      subscriptions: [{ id: 's1', userId: 'u1', publisher: 'Acme', product: 'App' }, { id: 's2', userId: 'u1', publisher: 'acme', product: 'Tool' }, { id: 's3', userId: 'u1', publisher: 'Beta', product: 'App' }],
      allocations: [alloc('a1', 'e1', { userId: 'u1', rights: 3 })],
      entitlements: [ent('e1', 'user_subscription', 2, { product: '*' })],
    },
    expect: { e1: { consumed: 2, allocation: { allocatedInUse: 2, allocatedNotInUse: 1, notAllocatedInUse: 0 } } },
  },
  {
    name: 'contributions add up: user_cal, named_fixed, employee',
    why: 'user_cal u1,u2 → 2; named_fixed u1 → 1; employee u1,u2,u3 → 3',
    sheets: {
      users: users('u1', 'u2', 'u3'),
      access: [access('x1', { userId: 'u1' }), access('x2', { userId: 'u2' })],
      allocations: [alloc('a1', 'e2', { userId: 'u1' })],
      entitlements: [ent('e1', 'user_cal'), ent('e2', 'named_fixed'), ent('e3', 'employee')],
    },
    expect: {
      e1: { consumed: 2, sums: true, refs: { 'users/u1': 1, 'users/u2': 1 } },
      e2: { consumed: 1, sums: true, refs: { 'users/u1': 1 } },
      e3: { consumed: 3, sums: true, refs: { 'users/u3': 1 } },
    },
  },
];

const usageEdges: Case[] = [
  {
    // Ambiguity decided: "the latest measurement (of several on that date, the largest)": a date is
    // the UTC calendar day, so two readings on Oct 20 at different times compare by size.
    name: 'engine_measurement: date-times on one day compare by size',
    why: 'Oct 20 08:00Z 70 and Oct 20 20:00Z 50 are on the same (latest) date → 70; Oct 19 90 is earlier',
    sheets: {
      settings: OCTOBER,
      measurements: [measure('m1', '2026-10-19', 90), measure('m2', '2026-10-20T08:00:00Z', 70), measure('m3', '2026-10-20T20:00:00Z', 50)],
      entitlements: [ent('e1', 'engine_measurement')],
    },
    expect: { e1: { consumed: 70 } },
  },
  {
    name: 'contributions add up: digital_access',
    why: 'm1 10 + m2 5 = 15, each measurement its own contribution',
    sheets: { settings: OCTOBER, measurements: [measure('m1', '2026-10-02', 10), measure('m2', '2026-10-03', 5)], entitlements: [ent('e1', 'digital_access')] },
    expect: { e1: { consumed: 15, sums: true, refs: { 'measurements/m1': 10, 'measurements/m2': 5 } } },
  },
  {
    name: 'floating: a peak explained by the sessions open at it',
    why: 's1 and s2 overlap → 2; contributions name them',
    sheets: { settings: OCTOBER, sessions: [session('s1', t('09:00'), t('11:00')), session('s2', t('10:00'), t('12:00'))], entitlements: [ent('e1', 'floating')] },
    expect: { e1: { consumed: 2, refs: { 'sessions/s1': null, 'sessions/s2': null } } },
  },
  {
    name: 'sensor metrics with product *',
    why: 'd1 seen for App and d2 for Tool in week 1 (Oct 4–11) → weekly 2,0,0,0 → ⌈0.5⌉ = 1; hourly: both in the same hour → ⌈2/672⌉ = 1',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      sensors: [
        { id: 'z1', deviceId: 'd1', publisher: 'Acme', product: 'App', seenAt: '2026-10-05T10:15:00Z' },
        { id: 'z2', deviceId: 'd2', publisher: 'Acme', product: 'Tool', seenAt: '2026-10-05T10:45:00Z' },
      ],
      entitlements: [ent('e1', 'sensor_subscription', 5, { product: '*' }), ent('e2', 'sensor_hourly', 5, { product: '*' })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 1 } },
  },
  {
    name: 'asm_site and asm_analyst contributions',
    why: 'asm_site: srv1 production → devices/srv1 1; asm_analyst: a1 → users/a1 1',
    sheets: {
      users: [user('a1', { role: 'analyst' })],
      devices: [host('srv1', 1, 4, { environment: 'production' })],
      installations: [{ id: 'i1', deviceId: 'srv1', publisher: 'Alemba', product: 'Service Manager' }],
      entitlements: [
        { id: 'e1', publisher: 'Alemba', product: 'Service Manager', metric: 'asm_site', quantity: 1 },
        { id: 'e2', publisher: 'Alemba', product: 'Service Manager', metric: 'asm_analyst', quantity: 1 },
      ],
    },
    expect: { e1: { consumed: 1, sums: true, refs: { 'devices/srv1': 1 } }, e2: { consumed: 1, sums: true, refs: { 'users/a1': 1 } } },
  },
];

table('user metrics: edge cases', userEdges);
table('usage and service desk: edge cases', usageEdges);
