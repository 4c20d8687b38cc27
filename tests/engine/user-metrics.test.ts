// User metrics (metrics.md, "User metrics"): counting users, users of installations, scope,
// tiers, allocations, vertex cover, FUE and the subscription breakdown.

import { access, alloc, dev, ent, factor, host, inst, table, tier, user, users, vm, type Case } from './table';

const people: Case[] = [
  {
    name: 'per_user counts the users of access records too',
    why: 'u1 installs it and has an access record (once); u2 only accesses the server; u3 is inactive; a record with no user counts nothing; a record for another product is not for it; a versioned position gets no access records (they have no version) → e1 2, e2 (version 7) 0',
    sheets: {
      users: [user('u1'), user('u2'), user('u3', { active: false })],
      devices: [dev('d1')],
      installations: [inst('i1', 'd1', { userId: 'u1' })],
      access: [access('x1', { userId: 'u1' }), access('x2', { userId: 'u2' }), access('x3', { userId: 'u3' }), access('x4', { deviceId: 'd1' }), access('x5', { userId: 'u2', product: 'Other' })],
      entitlements: [ent('e1', 'per_user', 5), ent('e2', 'per_user', 5, { version: '7' })],
    },
    expect: { e1: { consumed: 2, sums: true, refs: { 'users/u1': 1, 'users/u2': 1 } }, e2: { consumed: 0 } },
  },
  {
    name: 'per_user distinct users; no user counts on its own',
    why: 'u1 on d1 and d2 → 1; u2 → 1; i4, i5 with no user (d3 has no owner) → 1 each; total 4',
    sheets: {
      users: users('u1', 'u2'),
      devices: [dev('d1'), dev('d2'), dev('d3')],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd2', { userId: 'U1 ' }), inst('i3', 'd2', { userId: 'u2' }), inst('i4', 'd3'), inst('i5', 'd3')],
      entitlements: [ent('e1', 'per_user')],
    },
    expect: { e1: { consumed: 4, sums: true, refs: { 'users/u1': 1, 'users/u2': 1 } } },
  },
  {
    name: 'per_user falls back to the device owner',
    why: 'i1 on d1 (owner u1) has no userId → u1; i2 userId u1 on d2 → same user → 1',
    sheets: {
      users: users('u1'),
      devices: [dev('d1', { ownerId: 'u1' }), dev('d2')],
      installations: [inst('i1', 'd1'), inst('i2', 'd2', { userId: 'u1' })],
      entitlements: [ent('e1', 'per_user')],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'per_user inactive and unknown users count on their own',
    why: 'u9 inactive (2 installs) and zz unknown (1 install) count as no user: each installation 1 on its own → 3; u1 → 1; total 4',
    sheets: {
      users: [user('u1'), user('u9', { active: false })],
      devices: [dev('d1'), dev('d2')],
      installations: [inst('i1', 'd1', { userId: 'u9' }), inst('i2', 'd2', { userId: 'u9' }), inst('i3', 'd1', { userId: 'zz' }), inst('i4', 'd1', { userId: 'u1' })],
      entitlements: [ent('e1', 'per_user')],
    },
    expect: { e1: { consumed: 4 } },
  },
  {
    // Ambiguity decided: "its userId, else its device's ownerId": a set userId is the installation's
    // user, and when it names no counting user the installation counts on its own; the owner is
    // consulted only when userId is blank. This is the literal order and the conservative count.
    name: 'per_user inactive userId does not fall back to the owner',
    why: 'i1 userId u9 (inactive) on d1 owned by u1 → no counting user → 1 on its own; i2 userId u1 → u1; total 2',
    sheets: {
      users: [user('u1'), user('u9', { active: 'no' })],
      devices: [dev('d1', { ownerId: 'u1' })],
      installations: [inst('i1', 'd1', { userId: 'u9' }), inst('i2', 'd1', { userId: 'u1' })],
      entitlements: [ent('e1', 'per_user')],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'per_user company scope filters users, not devices',
    why: 'company Contoso: u1 (Contoso) counts though d1 is Fabrikam; u2 (Fabrikam) on a Contoso device does not → 1; retired d3 counts nowhere',
    sheets: {
      users: [user('u1', { company: 'Contoso' }), user('u2', { company: 'Fabrikam' }), user('u3', { company: 'Contoso' })],
      devices: [dev('d1', { company: 'Fabrikam' }), dev('d2', { company: 'Contoso' }), dev('d3', { company: 'Contoso', status: 'retired' })],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd2', { userId: 'u2' }), inst('i3', 'd3', { userId: 'u3' })],
      entitlements: [ent('e1', 'per_user', 5, { company: 'contoso' })],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'named_user allocations or installations',
    why: 'u1 allocated and installed, u2 installed → 2; u3 inactive allocated, u4 allocated on another position (e2): not counted',
    sheets: {
      users: [user('u1'), user('u2'), user('u3', { active: false }), user('u4')],
      devices: [dev('d1')],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd1', { userId: 'u2' })],
      allocations: [alloc('a1', 'e1', { userId: 'u1' }), alloc('a2', 'e1', { userId: 'u3' }), alloc('a3', 'e2', { userId: 'u4' })],
      entitlements: [ent('e1', 'named_user'), ent('e2', 'named_user', 5, { product: 'Other' })],
    },
    expect: { e1: { consumed: 2 }, e2: { consumed: 1 } },
  },
  {
    name: 'authorized_user access records or allocations',
    why: 'access u1 (twice), u2; allocation u3 → 3; access for product Other, by unknown u9 or inactive u5 do not count',
    sheets: {
      users: [...users('u1', 'u2', 'u3'), user('u5', { active: false })],
      access: [access('x1', { userId: 'u1' }), access('x2', { userId: 'u1' }), access('x3', { userId: 'u2' }), access('x4', { userId: 'u4', product: 'Other' }), access('x5', { userId: 'u9' }), access('x6', { userId: 'u5' })],
      allocations: [alloc('a1', 'e1', { userId: 'u3' })],
      entitlements: [ent('e1', 'authorized_user')],
    },
    expect: { e1: { consumed: 3 } },
  },
  {
    name: 'auvu: authorized users through tiers',
    why: '5 authorized users; tiers 1–2 ×1, 3– ×0.5 → 2 + 1.5 = 3.5 (exact, no rounding)',
    sheets: {
      users: users('u1', 'u2', 'u3', 'u4', 'u5'),
      access: ['u1', 'u2', 'u3', 'u4', 'u5'].map((u, k) => access(`x${k}`, { userId: u })),
      tiers: [tier('t1', 1, 2, 1, { metric: 'auvu' }), tier('t2', 3, null, 0.5, { metric: 'auvu' })],
      entitlements: [ent('e1', 'auvu')],
    },
    expect: { e1: { consumed: 3.5 } },
  },
  {
    name: 'auvu: items in no tier count one each',
    why: '6 users; tiers 1–2 ×2 and 5– ×0.5 (blank product/metric = any): 4 + items 3,4 at 1 each = 2 + 1 → 7',
    sheets: {
      users: users('u1', 'u2', 'u3', 'u4', 'u5', 'u6'),
      allocations: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((u, k) => alloc(`a${k}`, 'e1', { userId: u })),
      tiers: [tier('t2', 5, null, 0.5, { product: '', metric: '' }), tier('t1', 1, 2, 2, { metric: 'AUVU' }), tier('tx', 1, null, 100, { product: 'Other' })],
      entitlements: [ent('e1', 'auvu')],
    },
    expect: { e1: { consumed: 7 } },
  },
  {
    name: 'euvu: the 700 → 340 example',
    why: '700 employees, tiers 1–100 ×1, 101–500 ×0.5, 501– ×0.2 → 100 + 200 + 40 = 340; 5 externals and 3 inactive left out',
    sheets: {
      users: [
        ...Array.from({ length: 700 }, (_, k) => user(`u${k}`, { employeeType: k % 3 === 0 ? 'contractor' : k % 3 === 1 ? '' : 'employee' })),
        ...Array.from({ length: 5 }, (_, k) => user(`x${k}`, { employeeType: 'External' })),
        ...Array.from({ length: 3 }, (_, k) => user(`z${k}`, { active: false })),
      ],
      tiers: [tier('t1', 1, 100, 1, { metric: 'euvu' }), tier('t2', 101, 500, 0.5, { metric: 'euvu' }), tier('t3', 501, null, 0.2, { metric: 'euvu' })],
      entitlements: [ent('e1', 'euvu', 340)],
    },
    expect: { e1: { consumed: 340, status: 'compliant' } },
  },
  {
    name: 'euvu / external_uvu / employee split by employeeType',
    why: 'u1 employee, u2 blank (employee), u3 contractor, u4 external, u5 " External ", u6 inactive external, u7 inactive employee: non-external 3, external 2; no tiers → 1 each; employee is not a tier metric, so a tier row naming it changes nothing → 3',
    sheets: {
      users: [
        user('u1', { employeeType: 'employee' }), user('u2'), user('u3', { employeeType: 'contractor' }), user('u4', { employeeType: 'external' }),
        user('u5', { employeeType: ' External ' }), user('u6', { employeeType: 'external', active: false }), user('u7', { active: false }),
      ],
      tiers: [tier('t1', 1, null, 10, { product: '', metric: 'employee' })],
      entitlements: [ent('e1', 'euvu'), ent('e2', 'external_uvu'), ent('e3', 'employee')],
    },
    expect: { e1: { consumed: 3 }, e2: { consumed: 2 }, e3: { consumed: 3 } },
  },
  {
    name: 'employee company scope',
    why: 'company Contoso: u1, u2 employees of Contoso → 2; u3 Fabrikam and u4 external Contoso out',
    sheets: {
      users: [user('u1', { company: 'Contoso' }), user('u2', { company: 'contoso' }), user('u3', { company: 'Fabrikam' }), user('u4', { company: 'Contoso', employeeType: 'external' })],
      entitlements: [ent('e1', 'employee', 5, { company: 'Contoso' })],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'user_cal and device_cal',
    why: 'user_cal: u1 (twice), u2 → 2 (u9 unknown, u5 inactive out); device_cal: d1 (twice), d2 → 2 (d3 retired out, record without device adds nothing)',
    sheets: {
      users: [...users('u1', 'u2'), user('u5', { active: false })],
      devices: [dev('d1'), dev('d2'), dev('d3', { status: 'retired' })],
      access: [
        access('x1', { userId: 'u1', deviceId: 'd1' }), access('x2', { userId: 'u1', deviceId: 'd1' }), access('x3', { userId: 'u2', deviceId: 'd2' }),
        access('x4', { userId: 'u9', deviceId: 'd3' }), access('x5', { userId: 'u5' }),
      ],
      entitlements: [ent('e1', 'user_cal'), ent('e2', 'device_cal')],
    },
    expect: { e1: { consumed: 2 }, e2: { consumed: 2 } },
  },
  {
    name: 'per_osi',
    why: 'devices with an ipAddress in access records: d1 (twice) → 1; d2 has no ipAddress → 0; total 1',
    sheets: {
      devices: [dev('d1', { ipAddress: '10.0.0.1' }), dev('d2')],
      access: [access('x1', { deviceId: 'd1' }), access('x2', { deviceId: 'd1' }), access('x3', { deviceId: 'd2' })],
      entitlements: [ent('e1', 'per_osi')],
    },
    expect: { e1: { consumed: 1 } },
  },
];

const nupAndCover: Case[] = [
  {
    name: 'oracle_nup minimum per processor',
    why: 'users: u1 (access), u2 (installation), u3 (owner of d1) = 3; P = ⌈4 × 0.5⌉ = 2, nupPerProcessor 25 → 50; max(3, 50) = 50',
    sheets: {
      users: users('u1', 'u2', 'u3'),
      devices: [host('d1', 1, 4, { ownerId: 'u3' })],
      installations: [inst('i1', 'd1', { userId: 'u2' }), inst('i2', 'd1')],
      access: [access('x1', { userId: 'u1' })],
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_nup', 100, { nupPerProcessor: 25 })],
    },
    expect: { e1: { consumed: 50 } },
  },
  {
    name: 'oracle_nup users above the minimum; default 0',
    why: 'e1 nupPerProcessor 1: max(3 users, 1 × 2) = 3; e2 (other product, same data) nupPerProcessor default 0 → 3',
    sheets: {
      users: users('u1', 'u2', 'u3'),
      devices: [host('d1', 1, 4)],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd1', { userId: 'u2' }), inst('i3', 'd1', { userId: 'u3', product: 'Other' }), inst('i4', 'd1', { userId: 'u2', product: 'Other' }), inst('i5', 'd1', { userId: 'u1', product: 'Other' })],
      access: [access('x1', { userId: 'u3' })],
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_nup', 100, { nupPerProcessor: 1 }), ent('e2', 'oracle_nup', 100, { product: 'Other' })],
    },
    expect: { e1: { consumed: 3 }, e2: { consumed: 3 } },
  },
  {
    name: 'oracle_nup mobile cluster counted whole',
    why: 'v1 on h1 in mobile c1 (h1 8 + h2 8 cores × 0.5 → P = 8); nupPerProcessor 25 → 200 > 1 user',
    sheets: {
      users: users('u1'),
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: [host('h1', 1, 8, { cluster: 'c1' }), host('h2', 1, 8, { cluster: 'c1' }), vm('v1', 'h1', 2)],
      installations: [inst('i1', 'v1', { userId: 'u1' })],
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_nup', 100, { nupPerProcessor: 25 })],
    },
    expect: { e1: { consumed: 200 } },
  },
  {
    name: 'per_user_device minimum vertex cover',
    why: 'pairs (u1,d1) (u1,d2) (u2,d2) (u3,d2) (u4,d3): cover {u1, d2, u4|d3} → 3',
    sheets: {
      users: users('u1', 'u2', 'u3', 'u4'),
      devices: [dev('d1'), dev('d2'), dev('d3')],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd2', { userId: 'u1' }), inst('i3', 'd2', { userId: 'u2' }), inst('i4', 'd2', { userId: 'u3' }), inst('i5', 'd3', { userId: 'u4' })],
      entitlements: [ent('e1', 'per_user_device', 3)],
    },
    expect: { e1: { consumed: 3, status: 'compliant', refs: { 'users/u1': null, 'devices/d2': null } } },
  },
  {
    name: 'per_user_device star and matching',
    why: 'u1 on d1,d2,d3 (star) → cover {u1} = 1; access pairs (u2,d4) (u3,d5) disjoint → 2; total 3',
    sheets: {
      users: users('u1', 'u2', 'u3'),
      devices: ['d1', 'd2', 'd3', 'd4', 'd5'].map((d) => dev(d)),
      installations: ['d1', 'd2', 'd3'].map((d, k) => inst(`i${k}`, d, { userId: 'u1' })),
      access: [access('x1', { userId: 'u2', deviceId: 'd4' }), access('x2', { userId: 'u3', deviceId: 'd5' })],
      entitlements: [ent('e1', 'per_user_device')],
    },
    expect: { e1: { consumed: 3, refs: { 'users/u1': 1 } } },
  },
  {
    name: 'per_user_device missing sides force the present side',
    why: 'i1 on d1 with no user forces d1, covering (u1,d1); access with only u2 forces u2; access with only d2 forces d2; inactive u9 on d3 is no user → d3; total 4',
    sheets: {
      users: [user('u1'), user('u2'), user('u9', { active: false })],
      devices: [dev('d1'), dev('d2'), dev('d3')],
      installations: [inst('i1', 'd1'), inst('i2', 'd1', { userId: 'u1' }), inst('i3', 'd3', { userId: 'u9' })],
      access: [access('x1', { userId: 'u2' }), access('x2', { deviceId: 'd2' })],
      entitlements: [ent('e1', 'per_user_device')],
    },
    expect: { e1: { consumed: 4, refs: { 'devices/d1': null, 'users/u2': null, 'devices/d2': null, 'devices/d3': null } } },
  },
  {
    name: 'per_user_device company scope on users and devices',
    why: 'company Contoso: pair (u1 Contoso, d1 Contoso) counts → 1; pair (u2 Fabrikam, d2 Fabrikam) is out of scope',
    sheets: {
      users: [user('u1', { company: 'Contoso' }), user('u2', { company: 'Fabrikam' })],
      devices: [dev('d1', { company: 'Contoso' }), dev('d2', { company: 'Fabrikam' })],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd2', { userId: 'u2' })],
      entitlements: [ent('e1', 'per_user_device', 5, { company: 'Contoso' })],
    },
    expect: { e1: { consumed: 1 } },
  },
];

const sap: Case[] = [
  {
    name: 'sap_named_user by userType',
    why: 'userType Professional: u1 professional, u2 " PROFESSIONAL " → 2; u3 limited, u4 inactive professional, u5 on e9 out; e2 (blank userType, other product) → u1,u3 = 2',
    sheets: {
      users: [...users('u1', 'u2', 'u3', 'u5'), user('u4', { active: false })],
      allocations: [
        alloc('a1', 'e1', { userId: 'u1', userType: 'professional' }), alloc('a2', 'e1', { userId: 'u2', userType: ' PROFESSIONAL ' }),
        alloc('a3', 'e1', { userId: 'u3', userType: 'limited' }), alloc('a4', 'e1', { userId: 'u4', userType: 'Professional' }),
        alloc('a5', 'e2', { userId: 'u1', userType: 'professional' }), alloc('a6', 'e2', { userId: 'u3', userType: 'limited' }),
        alloc('a7', 'e9', { userId: 'u5', userType: 'professional' }),
      ],
      entitlements: [ent('e1', 'sap_named_user', 5, { userType: 'Professional' }), ent('e2', 'sap_named_user', 5, { product: 'Other' }), ent('e9', 'sap_named_user', 5, { product: 'Third' })],
    },
    expect: { e1: { consumed: 2 }, e2: { consumed: 2 } },
  },
  {
    name: 'fue highest class per user, rounded up',
    why: 'u1 advanced+core → 1; u2 core+self-service → 1/5; u3 core → 1/5; u4 self-service → 1/30; u5 inactive advanced out: ⌈1.4333⌉ = 2',
    sheets: {
      users: [...users('u1', 'u2', 'u3', 'u4'), user('u5', { active: false })],
      allocations: [
        alloc('a1', 'e1', { userId: 'u1', userType: 'advanced' }), alloc('a2', 'e1', { userId: 'u1', userType: 'core' }),
        alloc('a3', 'e1', { userId: 'u2', userType: 'Core' }), alloc('a4', 'e1', { userId: 'u2', userType: 'self-service' }),
        alloc('a5', 'e1', { userId: 'u3', userType: 'core' }), alloc('a6', 'e1', { userId: 'u4', userType: ' Self-Service ' }),
        alloc('a7', 'e1', { userId: 'u5', userType: 'advanced' }),
      ],
      entitlements: [ent('e1', 'fue', 2)],
    },
    expect: { e1: { consumed: 2, status: 'compliant' } },
  },
  {
    name: 'fue exact fifths and thirtieths',
    why: '5 core users → 5 × 1/5 = 1 exactly → ⌈1⌉ = 1 (not 2); plus 30 self-service users on e2 → 1',
    sheets: {
      users: Array.from({ length: 35 }, (_, k) => user(`u${k}`)),
      allocations: [
        ...Array.from({ length: 5 }, (_, k) => alloc(`a${k}`, 'e1', { userId: `u${k}`, userType: 'core' })),
        ...Array.from({ length: 30 }, (_, k) => alloc(`b${k}`, 'e2', { userId: `u${k + 5}`, userType: 'self-service' })),
      ],
      entitlements: [ent('e1', 'fue', 1), ent('e2', 'fue', 1, { product: 'Other' })],
    },
    expect: { e1: { consumed: 1, status: 'compliant' }, e2: { consumed: 1 } },
  },
  {
    name: 'user_subscription with the allocation breakdown',
    why: 'active rows: u1 ×2, u2, no-user row = 4 (u3 row inactive). u1 a=1 s=2 → in use 1, not allocated 1; u2 a=2 s=1 → in use 1, not in use 1; u4 a=1 s=0 → not in use 1; no-user row → not allocated 1',
    sheets: {
      users: users('u1', 'u2', 'u3', 'u4'),
      subscriptions: [
        { id: 's1', userId: 'u1', publisher: 'Acme', product: 'App' }, { id: 's2', userId: 'u1', publisher: 'Acme', product: 'App', active: 'yes' },
        { id: 's3', userId: 'u2', publisher: 'Acme', product: 'App' }, { id: 's4', publisher: 'Acme', product: 'App' },
        { id: 's5', userId: 'u3', publisher: 'Acme', product: 'App', active: false }, { id: 's6', userId: 'u4', publisher: 'Acme', product: 'Other' },
      ],
      allocations: [alloc('a1', 'e1', { userId: 'u1' }), alloc('a2', 'e1', { userId: 'u2', rights: 2 }), alloc('a3', 'e1', { userId: 'u4', rights: 1 }), alloc('a4', 'e2', { userId: 'u3', rights: 5 })],
      entitlements: [ent('e1', 'user_subscription', 4), ent('e2', 'per_device', 5, { product: 'Other' })],
    },
    expect: { e1: { consumed: 4, status: 'compliant', allocation: { allocatedInUse: 2, allocatedNotInUse: 2, notAllocatedInUse: 2 } }, e2: { allocation: null } },
  },
  {
    name: 'named_fixed allocated users',
    why: 'u1 (2 allocations), u2 → 2; u3 inactive and u9 unknown drop out',
    sheets: {
      users: [...users('u1', 'u2'), user('u3', { active: false })],
      allocations: [alloc('a1', 'e1', { userId: 'u1' }), alloc('a2', 'e1', { userId: 'u1' }), alloc('a3', 'e1', { userId: 'u2' }), alloc('a4', 'e1', { userId: 'u3' }), alloc('a5', 'e1', { userId: 'u9' })],
      entitlements: [ent('e1', 'named_fixed', 1)],
    },
    expect: { e1: { consumed: 2, status: 'noncompliant', shortfall: 1 } },
  },
];

table('user metrics: people', people);
table('user metrics: Oracle NUP and per user/device', nupAndCover);
table('user metrics: SAP, subscriptions, named fixed', sap);
