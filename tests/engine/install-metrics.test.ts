// Install and device metrics (metrics.md, "Install and device metrics" and "Shared notions").

import { dev, ent, host, inst, installs, table, vm, type Case } from './table';

const cases: Case[] = [
  // ---- per_instance ----
  {
    name: 'per_instance counts installations',
    why: 'i1,i2 on d1 + i3 on d2 = 3 (i4 on retired d3 counts nowhere); 3 > 2 → noncompliant, shortfall 1',
    sheets: {
      devices: [dev('d1'), dev('d2'), dev('d3', { status: 'retired' })],
      installations: installs('d1', 'd1', 'd2', 'd3'),
      entitlements: [ent('e1', 'per_instance', 2)],
    },
    expect: { e1: { consumed: 3, status: 'noncompliant', shortfall: 1, available: -1, flags: [] } },
  },
  {
    name: 'per_instance version narrowing',
    why: 'e1 sets version 2021: only i1 (2021) matches; i2 (2019) and i3 (blank version) do not → 1; e2 without version counts the other 2 (i1 feeds the more specific e1 only)',
    sheets: {
      devices: [dev('d1')],
      installations: [inst('i1', 'd1', { version: '2021' }), inst('i2', 'd1', { version: '2019' }), inst('i3', 'd1')],
      entitlements: [ent('e1', 'per_instance', 5, { version: '2021' }), ent('e2', 'per_instance', 5)],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 2 } },
  },
  {
    name: 'per_instance edition narrowing',
    why: 'e1 sets edition Enterprise: i1 (" enterprise ") matches ignoring case/spaces, i2 (Standard) does not → 1',
    sheets: {
      devices: [dev('d1')],
      installations: [inst('i1', 'd1', { edition: ' enterprise ' }), inst('i2', 'd1', { edition: 'Standard' })],
      entitlements: [ent('e1', 'per_instance', 5, { edition: 'Enterprise' })],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'per_instance product *',
    why: 'product * = every product of Acme: Acme App + Acme Tool = 2; Beta App is another publisher',
    sheets: {
      devices: [dev('d1')],
      installations: [inst('i1', 'd1'), inst('i2', 'd1', { product: 'Tool' }), inst('i3', 'd1', { publisher: 'Beta' })],
      entitlements: [ent('e1', 'per_instance', 5, { product: '*' })],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'per_instance text comparisons',
    why: 'publisher " ACME " / product "app" match Acme/App ignoring case and spaces → 2',
    sheets: {
      devices: [dev('d1')],
      installations: [inst('i1', 'd1', { publisher: ' ACME ', product: 'app' }), inst('i2', 'd1')],
      entitlements: [ent('e1', 'per_instance', 5)],
    },
    expect: { e1: { consumed: 2 } },
  },
  // ---- per_device ----
  {
    name: 'per_device distinct devices',
    why: 'd1 (2 installs) + d2 + d5 (in stock still counts) = 3; d3 retired and d4 " Disposed " count nowhere; warn1 3 reached → warning1',
    sheets: {
      devices: [dev('d1'), dev('d2'), dev('d3', { status: ' Retired ' }), dev('d4', { status: 'disposed' }), dev('d5', { status: 'in stock' })],
      installations: installs('d1', 'd1', 'd2', 'd3', 'd4', 'd5'),
      entitlements: [ent('e1', 'per_device', 5, { warn1: 3 })],
    },
    expect: { e1: { consumed: 3, status: 'warning1', sums: true, refs: { 'devices/d1': 1, 'devices/d2': 1, 'devices/d5': 1 } } },
  },
  {
    name: 'per_device company scope',
    why: 'e1 company Contoso: only d1 (" contoso ") counts; d2 Fabrikam and d3 blank company do not → 1; e2 unscoped counts the other 2 (d1 feeds the scoped e1 only)',
    sheets: {
      devices: [dev('d1', { company: ' contoso ' }), dev('d2', { company: 'Fabrikam' }), dev('d3')],
      installations: installs('d1', 'd2', 'd3'),
      entitlements: [ent('e1', 'per_device', 5, { company: 'Contoso' }), ent('e2', 'per_device', 5)],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 2 } },
  },
  {
    name: 'per_device site scope',
    why: 'e1 site London: d1 and d2 at london count, d3 at Paris does not → 2',
    sheets: {
      devices: [dev('d1', { site: 'London' }), dev('d2', { site: 'LONDON' }), dev('d3', { site: 'Paris' })],
      installations: installs('d1', 'd2', 'd3'),
      entitlements: [ent('e1', 'per_device', 5, { site: 'London' })],
    },
    expect: { e1: { consumed: 2 } },
  },
  // ---- per_copy_per_device ----
  {
    name: 'per_copy_per_device within copiesPerDevice',
    why: 'd1 has 2 copies, copiesPerDevice 2: not exceeded; distinct devices d1,d2 = 2 ≤ 2 → compliant, no flag',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      installations: installs('d1', 'd1', 'd2'),
      entitlements: [ent('e1', 'per_copy_per_device', 2, { copiesPerDevice: 2 })],
    },
    expect: { e1: { consumed: 2, status: 'compliant', flags: [] } },
  },
  {
    name: 'per_copy_per_device copies exceeded (default 1)',
    why: 'copiesPerDevice default 1, d1 has 2 copies → noncompliant with copies-exceeded though 2 devices ≤ 10 purchased; shortfall stays 0',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      installations: installs('d1', 'd1', 'd2'),
      entitlements: [ent('e1', 'per_copy_per_device', 10)],
    },
    expect: { e1: { consumed: 2, status: 'noncompliant', flags: ['copies-exceeded'], shortfall: 0 } },
  },
  {
    name: 'per_copy_per_device copies on a retired device do not count',
    why: 'd2 is retired, so its 3 copies count nowhere; d1 has 1 copy → consumed 1, compliant, no flag',
    sheets: {
      devices: [dev('d1'), dev('d2', { status: 'retired' })],
      installations: installs('d1', 'd2', 'd2', 'd2'),
      entitlements: [ent('e1', 'per_copy_per_device', 1)],
    },
    expect: { e1: { consumed: 1, status: 'compliant', flags: [] } },
  },
  // ---- per_server ----
  {
    name: 'per_server distinct hosts',
    why: 'v1,v2 on h1 and h1 itself → one host h1; v3 with no host stands as its own host → 2',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 2), vm('v2', 'h1', 2), vm('v3', null, 4)],
      installations: installs('v1', 'v2', 'h1', 'v3'),
      entitlements: [ent('e1', 'per_server', 5)],
    },
    expect: { e1: { consumed: 2, sums: true, refs: { 'devices/h1': 1, 'devices/v3': 1 } } },
  },
  {
    name: 'per_server VMs on a retired host',
    why: 'h1 is retired, so v1 and v2 each stand as their own host → 2',
    sheets: {
      devices: [host('h1', 2, 16, { status: 'retired' }), vm('v1', 'h1', 2), vm('v2', 'h1', 2)],
      installations: installs('v1', 'v2'),
      entitlements: [ent('e1', 'per_server', 5)],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'per_server hardwareManufacturer filter',
    why: 'hardwareManufacturer Dell: host h1 (" dell ") of v1 counts, h2 (HP) does not → 1',
    sheets: {
      devices: [host('h1', 2, 16, { hardwareManufacturer: ' dell ' }), vm('v1', 'h1', 2), host('h2', 2, 16, { hardwareManufacturer: 'HP' })],
      installations: installs('v1', 'h2'),
      entitlements: [ent('e1', 'per_server', 5, { hardwareManufacturer: 'Dell' })],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'per_server hardwareManufacturer and hardwareModel filters',
    why: 'Dell + model r740: h1 Dell R740 counts; h3 Dell R640 and h2 HP R740 do not → 1',
    sheets: {
      devices: [
        host('h1', 2, 16, { hardwareManufacturer: 'Dell', hardwareModel: 'R740' }),
        host('h2', 2, 16, { hardwareManufacturer: 'HP', hardwareModel: 'R740' }),
        host('h3', 2, 16, { hardwareManufacturer: 'Dell', hardwareModel: 'R640' }),
      ],
      installations: installs('h1', 'h2', 'h3'),
      entitlements: [ent('e1', 'per_server', 5, { hardwareManufacturer: 'Dell', hardwareModel: 'r740' })],
    },
    expect: { e1: { consumed: 1 } },
  },
  // ---- enterprise / site ----
  {
    name: 'enterprise counts installations, always compliant',
    why: '3 installations on counting devices, 1 purchased at 500: compliant, shortfall 0, shortfallCost 0',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      installations: installs('d1', 'd1', 'd2'),
      entitlements: [ent('e1', 'enterprise', 1, { unitCost: 500 })],
    },
    expect: { e1: { consumed: 3, status: 'compliant', shortfall: 0, shortfallCost: 0 } },
  },
  {
    name: 'site counts installations at its site, always compliant',
    why: 'site London: i1,i2 on d1 (London) = 2; i3 on d2 (Paris) not counted; 1 purchased, still compliant',
    sheets: {
      devices: [dev('d1', { site: 'London' }), dev('d2', { site: 'Paris' })],
      installations: installs('d1', 'd1', 'd2'),
      entitlements: [ent('e1', 'site', 1, { site: 'london', unitCost: 10 })],
    },
    expect: { e1: { consumed: 2, status: 'compliant', shortfall: 0, shortfallCost: 0 } },
  },
];

table('install and device metrics', cases);
