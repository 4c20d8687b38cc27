// Processor metrics: further edge cases (host(d) with retired hosts and clouds, counting VMs,
// scope on VMs) and contributions that add up to the consumption.

import { ent, factor, host, inst, installs, table, vm, type Case } from './table';

const ESX = { modelCategory: 'ESX Server' };

const edges: Case[] = [
  {
    name: 'oracle_processor cloud VM on a retired host',
    why: 'v1 cloud with hyperthreading, hostId names retired h1 → no counting host → ⌈6/2⌉ = 3, no core factor',
    sheets: {
      devices: [host('h1', 2, 32, { status: 'retired' }), vm('v1', 'h1', 6, { cloud: 'gcp', hyperthreading: 'yes' })],
      installations: installs('v1'),
      factors: [factor('f1', 'core_factor', 0.25)],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 3 } },
  },
  {
    name: 'oracle_processor two VMs on one host',
    why: 'v1, v2 on h1 (10 cores × 0.5 = 5) → host once → 5',
    sheets: {
      devices: [host('h1', 1, 10), vm('v1', 'h1', 2), vm('v2', 'h1', 2)],
      installations: installs('v1', 'v2'),
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 5, sums: true, refs: { 'devices/h1': 5 } } },
  },
  {
    name: 'vmware_per_processor VM without host',
    why: 'v1 no host, vcpus 8: cpus = 8, cores = 8 → 8 × ⌈1/32⌉ = 8',
    sheets: { devices: [vm('v1', null, 8)], installations: installs('v1'), entitlements: [ent('e1', 'vmware_per_processor')] },
    expect: { e1: { consumed: 8 } },
  },
  {
    name: 'socket_pair counts only counting, matching VMs',
    why: 'h1 4 cpus: v1, v2 in use carry it, v3 retired carries it, v4 carries another product → ⌈2/2⌉ = 1',
    sheets: {
      devices: [host('h1', 4, 32), vm('v1', 'h1', 2), vm('v2', 'h1', 2), vm('v3', 'h1', 2, { status: 'retired' }), vm('v4', 'h1', 2)],
      installations: [...installs('v1', 'v2', 'v3'), inst('i9', 'v4', { product: 'Other' })],
      entitlements: [ent('e1', 'socket_pair')],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'per_core counts only matching VMs',
    why: 'h1 16 cores: v1 (4 vcpus) carries it, v2 (8 vcpus) carries another product → min(16, 4) = 4',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4), vm('v2', 'h1', 8)],
      installations: [...installs('v1'), inst('i9', 'v2', { product: 'Other' })],
      entitlements: [ent('e1', 'per_core')],
    },
    expect: { e1: { consumed: 4, sums: true, refs: { 'devices/h1': 4 } } },
  },
  {
    name: 'per_processor missing capacity',
    why: 'v1 virtual with neither vcpus nor cpus → 0 and flag missing-capacity; h1 2 cpus → 2',
    sheets: { devices: [host('h1', 2, 8), vm('v1', 'h1', null)], installations: installs('h1', 'v1'), entitlements: [ent('e1', 'per_processor')] },
    expect: { e1: { consumed: 2, flags: ['missing-capacity'] } },
  },
  {
    name: 'pvu sub-capacity on a VM without host',
    why: 'v1 no host: own host with cores = vcpus 4, installed on it → 4 × 100 = 400 (no-factor)',
    sheets: { devices: [vm('v1', null, 4)], installations: installs('v1'), entitlements: [ent('e1', 'pvu', 1000, { subcapacity: true })] },
    expect: { e1: { consumed: 400, flags: ['no-factor'] } },
  },
  {
    // Ambiguity decided: scope filters the devices carrying the installation (the "matching
    // installation" rule reads the device's company); its host is then licensed as the rule says.
    name: 'scope applies to the VM carrying the product; its host is counted',
    why: 'company Contoso: v1 (Contoso) on h1 (no company) → h1 16 cores; v2 (Fabrikam) on h2 out → 16',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4, { company: 'Contoso' }), host('h2', 2, 16, { company: 'Contoso' }), vm('v2', 'h2', 4, { company: 'Fabrikam' })],
      installations: installs('v1', 'v2'),
      entitlements: [ent('e1', 'per_core_sum', 100, { company: 'Contoso' })],
    },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'per_core_cal with a cluster of one ESX host and a physical non-ESX device',
    why: 'v1 on h1 (ESX, c1 alone, 12 cores) → c1 = 12; d1 physical with no model category 4 cores → 4; total 16',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1' }],
      devices: [host('h1', 1, 12, { ...ESX, cluster: 'c1' }), vm('v1', 'h1', 2), host('d1', 1, 4)],
      installations: installs('v1', 'd1'),
      entitlements: [ent('e1', 'per_core_cal')],
    },
    expect: { e1: { consumed: 16, sums: true, refs: { 'clusters/c1': 12, 'devices/d1': 4 } } },
  },
  {
    name: 'host(d) only for virtual devices; retired VMs bring nothing',
    why: 'd1 is physical though its hostId names h1 → d1 itself (4 cores); v1 retired on h2 → its installation counts nowhere, h2 not counted → 4',
    sheets: {
      devices: [host('h1', 2, 32), host('d1', 1, 4, { hostId: 'h1', virtual: false }), host('h2', 2, 16), vm('v1', 'h2', 2, { status: 'retired' })],
      installations: installs('d1', 'v1'),
      entitlements: [ent('e1', 'per_core_sum')],
    },
    expect: { e1: { consumed: 4, sums: true, refs: { 'devices/d1': 4 } } },
  },
  {
    name: 'missing capacity across rules',
    why: 'h1 cpus and cores blank, installed on itself: socket_pair ⌈0/2⌉ = 0, per_core max(0, 0, 0) = 0, oracle ⌈0⌉ = 0, vpc 0, each flagged missing-capacity (oracle and pvu also no-factor)',
    sheets: {
      devices: [host('h1', null, null)],
      installations: installs('h1'),
      entitlements: [ent('e1', 'socket_pair'), ent('e2', 'per_core'), ent('e3', 'oracle_processor'), ent('e4', 'vpc'), ent('e5', 'pvu')],
    },
    expect: {
      e1: { consumed: 0, flags: ['missing-capacity'] }, e2: { consumed: 0, flags: ['missing-capacity'] },
      e3: { consumed: 0, flags: ['missing-capacity', 'no-factor'] }, e4: { consumed: 0, flags: ['missing-capacity'] },
      e5: { consumed: 0, flags: ['missing-capacity', 'no-factor'] },
    },
  },
];

const sums: Case[] = [
  {
    name: 'contributions add up: per_cpu_multiplier',
    why: 'h1 2 cpus × 2 = 4, h2 1 cpu × 1 (no-factor) = 1 → 5',
    sheets: {
      devices: [host('h1', 2, 8, { processorManufacturer: 'Intel' }), host('h2', 1, 8)],
      installations: installs('h1', 'h2'),
      factors: [factor('f1', 'multiplier', 2, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'per_cpu_multiplier')],
    },
    expect: { e1: { consumed: 5, flags: ['no-factor'], sums: true, refs: { 'devices/h1': 4, 'devices/h2': 1 } } },
  },
  {
    name: 'contributions add up: per_processor',
    why: 'h1 2 cpus + v1 4 vcpus = 6, one contribution per device',
    sheets: { devices: [host('h1', 2, 8), vm('v1', 'h1', 4)], installations: installs('h1', 'v1'), entitlements: [ent('e1', 'per_processor')] },
    expect: { e1: { consumed: 6, sums: true, refs: { 'devices/h1': 2, 'devices/v1': 4 } } },
  },
  {
    name: 'contributions add up: vmware_per_processor and per_core',
    why: 'h1 2 cpus 80 cores → 2 × ⌈40/32⌉ = 4; per_core on h1 installed → 80',
    sheets: { devices: [host('h1', 2, 80)], installations: installs('h1'), entitlements: [ent('e1', 'vmware_per_processor'), ent('e2', 'per_core')] },
    expect: { e1: { consumed: 4, sums: true, refs: { 'devices/h1': 4 } }, e2: { consumed: 80, sums: true, refs: { 'devices/h1': 80 } } },
  },
  {
    name: 'contributions add up: per_cpu_constant and per_core_constant',
    why: 'h1 2 cpus / 8 cores × constant 3 → 6 and 24',
    sheets: { devices: [host('h1', 2, 8)], installations: installs('h1'), factors: [factor('f1', 'constant', 3)], entitlements: [ent('e1', 'per_cpu_constant'), ent('e2', 'per_core_constant')] },
    expect: { e1: { consumed: 6, sums: true, refs: { 'devices/h1': 6 } }, e2: { consumed: 24, sums: true, refs: { 'devices/h1': 24 } } },
  },
];

table('processor metrics: edge cases', edges);
table('processor metrics: contributions', sums);
