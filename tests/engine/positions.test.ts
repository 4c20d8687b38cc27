// Positions and status (metrics.md, "Positions and status", "Active entitlement", "Entitlement
// settings outside the position key", "Unlicensed"), and contributions that explain consumption.

import { describe, expect, it } from 'vitest';
import { dev, ent, host, inst, installs, reckon, table, vm, type Case } from './table';

const four = { devices: [dev('d1'), dev('d2'), dev('d3'), dev('d4')], installations: installs('d1', 'd2', 'd3', 'd4') };

const pooling: Case[] = [
  {
    name: 'pooling: same key, text ignoring case and spaces',
    why: 'e1 (3) and e2 (" acme "/"APP", 2) pool into one position: purchased 5, consumed 4, available 1',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 3), ent('e2', 'per_device', 2, { publisher: ' acme ', product: 'APP' })] },
    expect: { e1: { purchased: 5, consumed: 4, available: 1, status: 'compliant', entitlementIds: ['e1', 'e2'] } },
  },
  {
    name: 'different version, metric, company, site or network: separate positions',
    why: 'e2 version 2, e3 per_instance, e4 site X, e5 network N each stand alone; e1 unversioned has only itself',
    sheets: {
      ...four,
      entitlements: [
        ent('e1', 'per_device', 1), ent('e2', 'per_device', 1, { version: '2' }), ent('e3', 'per_instance', 1),
        ent('e4', 'per_device', 1, { site: 'X' }), ent('e5', 'per_device', 1, { network: 'N' }),
      ],
    },
    expect: { e1: { entitlementIds: ['e1'], purchased: 1 }, e2: { entitlementIds: ['e2'] }, e3: { entitlementIds: ['e3'] }, e4: { entitlementIds: ['e4'] }, e5: { entitlementIds: ['e5'] } },
  },
  {
    name: 'expired and future entitlements stay pooled, not purchased',
    why: 'e1 3 active; e2 (ended 2026-01-01) and e3 (starts 2027-01-01) pooled but not purchased → purchased 3; 4 devices → shortfall 1 × highest unitCost 100 → 100',
    sheets: {
      ...four,
      entitlements: [
        ent('e1', 'per_device', 3, { unitCost: 100 }), ent('e2', 'per_device', 2, { start: '2025-01-01', end: '2026-01-01', unitCost: 40 }),
        ent('e3', 'per_device', 5, { start: '2027-01-01', unitCost: 60 }),
      ],
    },
    expect: { e1: { purchased: 3, consumed: 4, shortfall: 1, shortfallCost: 100, status: 'noncompliant', entitlementIds: ['e1', 'e2', 'e3'] } },
  },
  {
    name: 'active on its start and end days',
    why: 'start = asOf and end = asOf are both active (start ≤ asOf ≤ end): purchased 2 + 3 = 5; e3 ended the day before → not purchased',
    sheets: {
      ...four,
      entitlements: [ent('e1', 'per_device', 2, { start: '2026-11-01' }), ent('e2', 'per_device', 3, { end: '2026-11-01' }), ent('e3', 'per_device', 7, { end: '2026-10-31' })],
    },
    expect: { e1: { purchased: 5, consumed: 4, status: 'compliant' } },
  },
  {
    name: 'only expired entitlements: purchased 0',
    why: 'e1 ended: purchased 0, consumed 4 → noncompliant, shortfall 4, available -4',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 10, { end: '2026-06-30' })] },
    expect: { e1: { purchased: 0, consumed: 4, shortfall: 4, available: -4, status: 'noncompliant' } },
  },
  {
    name: 'shortfall cost uses the highest unit cost',
    why: 'e1 2 at 50, e2 0 at 80: 4 devices − 2 = 2 short × 80 = 160',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 2, { unitCost: 50 }), ent('e2', 'per_device', 0, { unitCost: 80 })] },
    expect: { e1: { shortfall: 2, shortfallCost: 160 } },
  },
  {
    name: 'no unit cost: shortfall cost 0',
    why: '4 devices, 1 purchased → shortfall 3 at no unit cost → 0',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 1)] },
    expect: { e1: { shortfall: 3, shortfallCost: 0 } },
  },
];

const warn = (w: Record<string, number>): Case['sheets'] => ({ ...four, entitlements: [ent('e1', 'per_device', 10, w)] });
const levels: Case[] = [
  { name: 'below warn1', why: '4 < warn1 5 → compliant', sheets: warn({ warn1: 5, warn2: 8 }), expect: { e1: { status: 'compliant' } } },
  { name: 'at warn1', why: '4 ≥ warn1 4, < warn2 6 → warning1', sheets: warn({ warn1: 4, warn2: 6 }), expect: { e1: { status: 'warning1' } } },
  { name: 'at warn2', why: '4 ≥ warn2 4 → warning2 (checked before warn1)', sheets: warn({ warn1: 2, warn2: 4 }), expect: { e1: { status: 'warning2' } } },
  { name: 'warn2 only', why: 'warn2 3 set, warn1 not: 4 ≥ 3 → warning2', sheets: warn({ warn2: 3 }), expect: { e1: { status: 'warning2' } } },
  {
    name: 'over purchased beats warnings',
    why: '4 > 3 purchased → noncompliant though warn levels are reached',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 3, { warn1: 1, warn2: 2 })] },
    expect: { e1: { status: 'noncompliant' } },
  },
  {
    name: 'pooled warn levels sum over active entitlements that set them',
    why: 'e1 warn1 2 + e2 warn1 2 = 4 (e3 expired warn1 1 left out; e4 sets none) → 4 ≥ 4 → warning1; purchased 40',
    sheets: {
      ...four,
      entitlements: [
        ent('e1', 'per_device', 10, { warn1: 2 }), ent('e2', 'per_device', 10, { warn1: 2 }),
        ent('e3', 'per_device', 10, { warn1: 1, end: '2026-01-01' }), ent('e4', 'per_device', 20),
      ],
    },
    expect: { e1: { status: 'warning1', purchased: 40 } },
  },
  {
    name: 'pooled warn levels not yet reached',
    why: 'e1 warn1 3 + e2 warn1 2 = 5 > 4 consumed → compliant (a single entitlement\'s 3 would have warned)',
    sheets: { ...four, entitlements: [ent('e1', 'per_device', 10, { warn1: 3 }), ent('e2', 'per_device', 10, { warn1: 2 })] },
    expect: { e1: { status: 'compliant' } },
  },
  {
    name: 'enterprise and site always compliant',
    why: 'enterprise 1 purchased, 4 installs at unitCost 9; site London 0 purchased, 2 installs there: both compliant, shortfall 0, cost 0',
    sheets: {
      devices: [dev('d1', { site: 'London' }), dev('d2', { site: 'London' }), dev('d3'), dev('d4')],
      installations: installs('d1', 'd2', 'd3', 'd4'),
      entitlements: [ent('e1', 'enterprise', 1, { unitCost: 9, warn1: 1 }), ent('e2', 'site', 0, { site: 'London', unitCost: 9 })],
    },
    expect: { e1: { consumed: 4, status: 'compliant', shortfall: 0, shortfallCost: 0 }, e2: { consumed: 2, status: 'compliant', shortfall: 0, shortfallCost: 0 } },
  },
];

const firstActive: Case[] = [
  {
    name: 'copiesPerDevice from the first active entitlement that sets it',
    why: 'e1 expired sets 1 (ignored); e2 active sets none; e3 active sets 2 → 2: d1 has 2 copies → not exceeded',
    sheets: {
      devices: [dev('d1')], installations: installs('d1', 'd1'),
      entitlements: [ent('e1', 'per_copy_per_device', 5, { copiesPerDevice: 1, end: '2026-01-01' }), ent('e2', 'per_copy_per_device', 5), ent('e3', 'per_copy_per_device', 5, { copiesPerDevice: 2 })],
    },
    expect: { e1: { consumed: 1, status: 'compliant', flags: [] } },
  },
  {
    name: 'the first in sheet order wins',
    why: 'e1 active copiesPerDevice 1 before e2 with 5 → 1: d1 with 2 copies → copies-exceeded',
    sheets: {
      devices: [dev('d1')], installations: installs('d1', 'd1'),
      entitlements: [ent('e1', 'per_copy_per_device', 5, { copiesPerDevice: 1 }), ent('e2', 'per_copy_per_device', 5, { copiesPerDevice: 5 })],
    },
    expect: { e1: { status: 'noncompliant', flags: ['copies-exceeded'] } },
  },
  {
    name: 'core minimums from the first active entitlement',
    why: 'e1 (future) minCoresPerServer 100 ignored; e2 16 → h1 8 cores installed → max(8, 0, 16) = 16',
    sheets: {
      devices: [host('h1', 1, 8)], installations: installs('h1'),
      entitlements: [ent('e1', 'per_core', 5, { minCoresPerServer: 100, start: '2027-01-01' }), ent('e2', 'per_core', 50, { minCoresPerServer: 16 })],
    },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'subcapacity from the first active entitlement',
    why: 'e1 active subcapacity false, e2 true: false wins → full 16 cores × 100 = 1600 (flag no-factor)',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 2)], installations: installs('v1'),
      entitlements: [ent('e1', 'pvu', 5, { subcapacity: false }), ent('e2', 'pvu', 5, { subcapacity: true })],
    },
    expect: { e1: { consumed: 1600, flags: ['no-factor'] } },
  },
];

const explanations: Case[] = [
  {
    name: 'contributions: per_core_sum by host',
    why: 'devices/h1 16 (once for v1,v2) + devices/h2 8 = 24',
    sheets: { devices: [host('h1', 2, 16), vm('v1', 'h1', 2), vm('v2', 'h1', 2), host('h2', 1, 8)], installations: installs('v1', 'v2', 'h2'), entitlements: [ent('e1', 'per_core_sum')] },
    expect: { e1: { consumed: 24, sums: true, refs: { 'devices/h1': 16, 'devices/h2': 8 } } },
  },
  {
    name: 'contributions: per_instance and per_device',
    why: 'per_instance 3 and per_device 2, each explained by contributions that add up',
    sheets: { devices: [dev('d1'), dev('d2')], installations: installs('d1', 'd1', 'd2'), entitlements: [ent('e1', 'per_instance'), ent('e2', 'per_device')] },
    expect: { e1: { consumed: 3, sums: true }, e2: { consumed: 2, sums: true, refs: { 'devices/d1': 1, 'devices/d2': 1 } } },
  },
  {
    name: 'contributions: oracle_processor by cluster and host',
    why: 'mobile cluster c1 (8 + 8 cores) → clusters/c1 16; separate h3 4 cores → devices/h3 4; total 20',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: [host('h1', 1, 8, { cluster: 'c1' }), host('h2', 1, 8, { cluster: 'c1' }), host('h3', 1, 4)],
      installations: installs('h1', 'h3'),
      factors: [{ id: 'f1', kind: 'core_factor', publisher: 'Acme', value: 1 }],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 20, sums: true, refs: { 'clusters/c1': 16, 'devices/h3': 4 } } },
  },
  {
    name: 'contributions: per_user by user',
    why: 'users/u1 1 + users/u2 1 + one user-less installation 1 = 3',
    sheets: {
      users: [{ id: 'u1' }, { id: 'u2' }], devices: [dev('d1')],
      installations: [inst('i1', 'd1', { userId: 'u1' }), inst('i2', 'd1', { userId: 'u2' }), inst('i3', 'd1')],
      entitlements: [ent('e1', 'per_user')],
    },
    expect: { e1: { consumed: 3, sums: true, refs: { 'users/u1': 1, 'users/u2': 1 } } },
  },
];

table('positions: pooling, dates, cost', pooling);
table('positions: warning levels and always-compliant metrics', levels);
table('positions: settings from the first active entitlement', firstActive);
table('positions: contributions', explanations);

describe('unlicensed', () => {
  const r = reckon({
    devices: [dev('d1'), dev('d2'), dev('d3', { status: 'retired' }), dev('d4', { company: 'Fabrikam' })],
    installations: [
      inst('t1', 'd1', { publisher: 'Beta', product: 'Tool' }), inst('t2', 'd1', { publisher: 'Beta', product: 'Tool' }), inst('t3', 'd2', { publisher: ' beta', product: 'TOOL' }),
      inst('t4', 'd3', { publisher: 'Beta', product: 'Tool' }),
      inst('o1', 'd1', { product: 'Old' }),
      inst('v1', 'd1', { product: 'Versioned', version: '1' }), inst('v2', 'd2', { product: 'Versioned', version: '2' }),
      inst('c1', 'd4', { product: 'Scoped' }), inst('c2', 'd1', { product: 'Scoped' }),
      inst('w1', 'd1', { publisher: 'Gamma', product: 'Anything' }),
      inst('n1', 'nope', { publisher: 'Delta', product: 'Ghost' }),
    ],
    entitlements: [
      ent('e1', 'per_device', 1, { product: 'Old', end: '2020-01-01' }),
      ent('e2', 'floating', 1, { product: 'Versioned', version: '2' }),
      ent('e3', 'per_device', 1, { product: 'Scoped', company: 'Contoso' }),
      ent('e4', 'per_user', 1, { publisher: 'Gamma', product: '*' }),
    ],
  });
  const find = (pub: string, prod: string) => r.unlicensed.find((u) => u.publisher.trim().toLowerCase() === pub && u.product.trim().toLowerCase() === prod);

  it('installations that no entitlement matches, per publisher and product', () => {
    // t1,t2 on d1 and t3 on d2 (case/spaces ignored) → 3 installations on 2 devices; t4 on retired d3 not.
    expect(find('beta', 'tool')).toMatchObject({ installations: 3, devices: 2 });
  });
  it('an expired entitlement of any metric still licenses', () => {
    expect(find('acme', 'old')).toBeUndefined();
  });
  it('version must match: v1 (version 1) is unlicensed, v2 is not', () => {
    expect(find('acme', 'versioned')).toMatchObject({ installations: 1, devices: 1 });
  });
  it('company must match: c1 on a Fabrikam device and c2 with no company are unlicensed under a Contoso entitlement', () => {
    expect(find('acme', 'scoped')).toMatchObject({ installations: 2, devices: 2 });
  });
  it('an installation on an unknown device is not on a counting device: not unlicensed', () => {
    expect(find('delta', 'ghost')).toBeUndefined();
  });
  it('product * licenses every product of the publisher', () => {
    expect(find('gamma', 'anything')).toBeUndefined();
  });
});
