// Processor metrics (metrics.md, "Processor metrics"): each host counted once, host(d) rules,
// capacities, factor lookup and defaults.

import { ent, factor, host, installs, table, vm, type Case } from './table';

const ESX = { modelCategory: 'ESX Server' };

const hostSums: Case[] = [
  {
    name: 'per_cpu_sum each host once',
    why: 'v1,v2 on h1 (2 cpus) → 2 once; h2 (4 cpus) installed on itself → 4; total 6',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4), vm('v2', 'h1', 4), host('h2', 4, 8)],
      installations: installs('v1', 'v2', 'h2'),
      entitlements: [ent('e1', 'per_cpu_sum')],
    },
    expect: { e1: { consumed: 6, flags: [], sums: true, refs: { 'devices/h1': 2, 'devices/h2': 4 } } },
  },
  {
    name: 'per_cpu_sum VMs without a counting host',
    why: 'v1 no host, vcpus 4, cpus blank → cpus 4; v2 no host, cpus 1 vcpus 8 → cpus 1; v3 on retired h9 (8 cpus) → own host, vcpus 2 → 2; total 7',
    sheets: {
      devices: [vm('v1', null, 4), vm('v2', null, 8, { cpus: 1 }), host('h9', 8, 64, { status: 'retired' }), vm('v3', 'h9', 2)],
      installations: installs('v1', 'v2', 'v3'),
      entitlements: [ent('e1', 'per_cpu_sum')],
    },
    expect: { e1: { consumed: 7, flags: [] } },
  },
  {
    name: 'per_cpu_sum blank capacity',
    why: 'h1 cpus blank → 0 and flag missing-capacity; h2 2 cpus → total 2',
    sheets: {
      devices: [host('h1', null, 16), host('h2', 2, 8)],
      installations: installs('h1', 'h2'),
      entitlements: [ent('e1', 'per_cpu_sum')],
    },
    expect: { e1: { consumed: 2, flags: ['missing-capacity'] } },
  },
  {
    name: 'per_cpu_sum VM with neither cpus nor vcpus and no host',
    why: 'v1 stands as its own host with cpus = cpus or vcpus = blank → 0, flag missing-capacity',
    sheets: { devices: [vm('v1', null, null)], installations: installs('v1'), entitlements: [ent('e1', 'per_cpu_sum')] },
    expect: { e1: { consumed: 0, flags: ['missing-capacity'] } },
  },
  {
    name: 'per_core_sum',
    why: 'h1 16 cores once for v1,v2; v3 no host, cores blank, vcpus 4 → 4; v4 no host cores 6 vcpus 2 → 6; total 26',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4), vm('v2', 'h1', 8), vm('v3', null, 4), vm('v4', null, 2, { cores: 6 })],
      installations: installs('v1', 'v2', 'v3', 'v4'),
      entitlements: [ent('e1', 'per_core_sum')],
    },
    expect: { e1: { consumed: 26, sums: true, refs: { 'devices/h1': 16 } } },
  },
  {
    name: 'per_core_sum unreadable capacity',
    why: 'h1 cores "abc" → 0 with missing-capacity; h2 8 → 8',
    sheets: { devices: [host('h1', 2, 'abc'), host('h2', 1, 8)], installations: installs('h1', 'h2'), entitlements: [ent('e1', 'per_core_sum')] },
    expect: { e1: { consumed: 8, flags: ['missing-capacity'] } },
  },
  {
    name: 'per_cpu_multiplier factor and catch-all',
    why: 'f1 Intel ×2 (1 match cell) beats f2 blank ×3 (0 cells) for h1 Intel 2 cpus → 4; h2 AMD 1 cpu → f2 → 3; total 7, no flag',
    sheets: {
      devices: [host('h1', 2, 16, { processorManufacturer: 'Intel' }), host('h2', 1, 8, { processorManufacturer: 'AMD' })],
      installations: installs('h1', 'h2'),
      factors: [factor('f1', 'multiplier', 2, { processorManufacturer: 'Intel' }), factor('f2', 'multiplier', 3, { publisher: '' })],
      entitlements: [ent('e1', 'per_cpu_multiplier')],
    },
    expect: { e1: { consumed: 7, flags: [] } },
  },
  {
    name: 'per_cpu_multiplier no factor',
    why: 'only a constant row and a multiplier row of another publisher: default multiplier 1, flag no-factor; 2 cpus → 2',
    sheets: {
      devices: [host('h1', 2, 16, { processorManufacturer: 'Intel' })],
      installations: installs('h1'),
      factors: [factor('f1', 'constant', 5), factor('f2', 'multiplier', 7, { publisher: 'Other' })],
      entitlements: [ent('e1', 'per_cpu_multiplier')],
    },
    expect: { e1: { consumed: 2, flags: ['no-factor'] } },
  },
  {
    name: 'per_cpu_constant',
    why: 'constant 1.5 × 3 cpus = 4.5 exactly (no rounding)',
    sheets: { devices: [host('h1', 3, 12)], installations: installs('h1'), factors: [factor('f1', 'constant', 1.5)], entitlements: [ent('e1', 'per_cpu_constant')] },
    expect: { e1: { consumed: 4.5, flags: [] } },
  },
  {
    name: 'per_cpu_constant default',
    why: 'no constant row: default 1, flag no-factor; 3 cpus → 3',
    sheets: { devices: [host('h1', 3, 12)], installations: installs('h1'), entitlements: [ent('e1', 'per_cpu_constant')] },
    expect: { e1: { consumed: 3, flags: ['no-factor'] } },
  },
  {
    name: 'per_core_multiplier with and without factor',
    why: 'h1 Intel 16 cores × 0.5 = 8; h2 AMD 8 cores, no row → × 1 = 8, flag no-factor; total 16',
    sheets: {
      devices: [host('h1', 2, 16, { processorManufacturer: 'Intel' }), host('h2', 1, 8, { processorManufacturer: 'AMD' })],
      installations: installs('h1', 'h2'),
      factors: [factor('f1', 'multiplier', 0.5, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 16, flags: ['no-factor'], sums: true, refs: { 'devices/h1': 8, 'devices/h2': 8 } } },
  },
  {
    name: 'per_core_constant',
    why: '10 cores × constant 2 = 20',
    sheets: { devices: [host('h1', 2, 10)], installations: installs('h1'), factors: [factor('f1', 'constant', 2)], entitlements: [ent('e1', 'per_core_constant')] },
    expect: { e1: { consumed: 20 } },
  },
];

const specificity: Case[] = [
  {
    name: 'factor: most non-blank match cells wins',
    why: 'f1 Intel ×2 (1 cell), f2 Intel+Xeon ×3 (2 cells): h1 Intel Xeon 10 cores → 30',
    sheets: {
      devices: [host('h1', 1, 10, { processorManufacturer: 'Intel', processorType: 'Xeon' })],
      installations: installs('h1'),
      factors: [factor('f1', 'multiplier', 2, { processorManufacturer: 'Intel' }), factor('f2', 'multiplier', 3, { processorManufacturer: 'Intel', processorType: 'Xeon' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 30 } },
  },
  {
    name: 'factor: a row naming the publisher beats a blank one',
    why: 'f1 blank publisher Intel ×2, f2 Acme Intel ×3, same number of cells: f2 wins though listed second → 10 × 3 = 30',
    sheets: {
      devices: [host('h1', 1, 10, { processorManufacturer: 'Intel' })],
      installations: installs('h1'),
      factors: [factor('f1', 'multiplier', 2, { publisher: '', processorManufacturer: 'Intel' }), factor('f2', 'multiplier', 3, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 30 } },
  },
  {
    name: 'factor: then the first row',
    why: 'f1 Intel ×2 and f2 Xeon ×3 both Acme with 1 cell each: the first (f1) → 10 × 2 = 20',
    sheets: {
      devices: [host('h1', 1, 10, { processorManufacturer: 'Intel', processorType: 'Xeon' })],
      installations: installs('h1'),
      factors: [factor('f1', 'multiplier', 2, { processorManufacturer: 'Intel' }), factor('f2', 'multiplier', 3, { processorType: 'Xeon' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 20 } },
  },
  {
    name: 'factor: a non-matching cell rules a row out; text ignores case',
    why: 'f1 Intel+EPYC ×9 does not match h1 (type Xeon); f2 " intel " ×2 matches INTEL → 10 × 2 = 20',
    sheets: {
      devices: [host('h1', 1, 10, { processorManufacturer: 'INTEL', processorType: 'Xeon' })],
      installations: installs('h1'),
      factors: [factor('f1', 'multiplier', 9, { processorManufacturer: 'Intel', processorType: 'EPYC' }), factor('f2', 'multiplier', 2, { processorManufacturer: ' intel ' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 20 } },
  },
  {
    name: 'factor: maxClockSpeed compared as a number',
    why: 'f1 maxClockSpeed "2.50" ×4 matches h1 at 2.5 (as numbers); f2 at 3 ×7 does not; h1 10 cores → 40',
    sheets: {
      devices: [host('h1', 1, 10, { maxClockSpeed: 2.5 })],
      installations: installs('h1'),
      factors: [factor('f2', 'multiplier', 7, { maxClockSpeed: 3 }), factor('f1', 'multiplier', 4, { maxClockSpeed: '2.50' })],
      entitlements: [ent('e1', 'per_core_multiplier')],
    },
    expect: { e1: { consumed: 40, flags: [] } },
  },
];

const perProcessor: Case[] = [
  {
    name: 'per_processor distinct devices',
    why: 'h1 physical 2 cpus → 2; v1 on h1 vcpus 4 → 4 (devices, not hosts); v2 vcpus blank cpus 1 → 1; h1 twice installed counts once; total 7',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4), vm('v2', 'h1', null, { cpus: 1 })],
      installations: installs('h1', 'h1', 'v1', 'v2'),
      entitlements: [ent('e1', 'per_processor')],
    },
    expect: { e1: { consumed: 7 } },
  },
  {
    name: 'per_core minimum per processor on the host',
    why: 'h1 2 cpus 8 cores, minCoresPerProcessor 8: P = max(8, 16, 0) = 16, installed on host → 16',
    sheets: { devices: [host('h1', 2, 8)], installations: installs('h1'), entitlements: [ent('e1', 'per_core', 100, { minCoresPerProcessor: 8 })] },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'per_core minimum per server',
    why: 'h1 1 cpu 8 cores, minCoresPerProcessor 8, minCoresPerServer 16: P = max(8, 8, 16) = 16',
    sheets: { devices: [host('h1', 1, 8)], installations: installs('h1'), entitlements: [ent('e1', 'per_core', 100, { minCoresPerProcessor: 8, minCoresPerServer: 16 })] },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'per_core VM-only with minCoresPerVm',
    why: 'h1 32 cores; v1 vcpus 2, v2 vcpus 6, minCoresPerVm 4: Σ max(2,4)+max(6,4) = 10; min(32, 10) = 10',
    sheets: {
      devices: [host('h1', 2, 32), vm('v1', 'h1', 2), vm('v2', 'h1', 6)],
      installations: installs('v1', 'v2'),
      entitlements: [ent('e1', 'per_core', 100, { minCoresPerVm: 4 })],
    },
    expect: { e1: { consumed: 10 } },
  },
  {
    name: 'per_core VM-only capped at the host',
    why: 'h1 1 cpu 8 cores; VMs 6 + 6 vcpus = 12; min(P = 8, 12) = 8',
    sheets: { devices: [host('h1', 1, 8), vm('v1', 'h1', 6), vm('v2', 'h1', 6)], installations: installs('v1', 'v2'), entitlements: [ent('e1', 'per_core')] },
    expect: { e1: { consumed: 8 } },
  },
  {
    name: 'per_core installed on host and VMs',
    why: 'installed on h1 itself → P = 16 (its VMs add nothing); minimums default 0',
    sheets: { devices: [host('h1', 2, 16), vm('v1', 'h1', 4)], installations: installs('h1', 'v1'), entitlements: [ent('e1', 'per_core')] },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'per_core VM without host',
    why: 'v1 no host: own host with cores = vcpus 4, installed on it → P = 4',
    sheets: { devices: [vm('v1', null, 4)], installations: installs('v1'), entitlements: [ent('e1', 'per_core')] },
    expect: { e1: { consumed: 4 } },
  },
  {
    name: 'per_core_cal ESX cluster',
    why: 'h1,h2 ESX Server in c1 (16 cores each) → unit c1 = 32, though only v1 on h1 carries it; h3 Linux Server in c1 is not an ESX host: not in c1; h4 Windows Server 8 cores installed → 8; total 40',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1' }],
      devices: [
        host('h1', 2, 16, { ...ESX, cluster: 'c1' }), host('h2', 2, 16, { modelCategory: ' esx server ', cluster: 'C1' }), vm('v1', 'h1', 4),
        host('h3', 1, 8, { modelCategory: 'Linux Server', cluster: 'c1' }), host('h4', 1, 8, { modelCategory: 'Windows Server' }),
      ],
      installations: installs('v1', 'h4'),
      entitlements: [ent('e1', 'per_core_cal')],
    },
    expect: { e1: { consumed: 40, sums: true, refs: { 'clusters/c1': 32, 'devices/h4': 8 } } },
  },
  {
    name: 'per_core_cal cluster counted once; retired host and non-ESX host',
    why: 'VMs on h1 and h2 (both ESX in c1) → c1 once = 16 + 16 (h5 retired not counted) = 32; h3 Linux in c1 carrying it → its own 8; h6 ESX without cluster → itself 4; total 44',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: [
        host('h1', 2, 16, { ...ESX, cluster: 'c1' }), host('h2', 2, 16, { ...ESX, cluster: 'c1' }), host('h5', 2, 16, { ...ESX, cluster: 'c1', status: 'retired' }),
        vm('v1', 'h1', 2), vm('v2', 'h2', 2), host('h3', 1, 8, { modelCategory: 'Linux Server', cluster: 'c1' }), host('h6', 1, 4, ESX),
      ],
      installations: installs('v1', 'v2', 'h3', 'h6'),
      entitlements: [ent('e1', 'per_core_cal')],
    },
    expect: { e1: { consumed: 44 } },
  },
  {
    name: 'vmware_per_processor 32-core rule',
    why: 'h1 2 cpus 64 cores → 2 × ⌈32/32⌉ = 2; h2 2 cpus 80 cores → 2 × ⌈40/32⌉ = 4; VMs on h1 add nothing; total 6',
    sheets: {
      devices: [host('h1', 2, 64), host('h2', 2, 80), vm('v1', 'h1', 8)],
      installations: installs('h1', 'v1', 'h2'),
      entitlements: [ent('e1', 'vmware_per_processor')],
    },
    expect: { e1: { consumed: 6 } },
  },
  {
    name: 'vmware_per_processor maxCoresPerProcessor override',
    why: 'maxCoresPerProcessor 16: h2 2 cpus 80 cores → 2 × ⌈40/16⌉ = 6',
    sheets: { devices: [host('h2', 2, 80)], installations: installs('h2'), entitlements: [ent('e1', 'vmware_per_processor', 100, { maxCoresPerProcessor: 16 })] },
    expect: { e1: { consumed: 6 } },
  },
  {
    name: 'vmware_per_processor blank cpus',
    why: 'h1 cpus blank → 0 × … = 0, flag missing-capacity',
    sheets: { devices: [host('h1', null, 16)], installations: installs('h1'), entitlements: [ent('e1', 'vmware_per_processor')] },
    expect: { e1: { consumed: 0, flags: ['missing-capacity'] } },
  },
  {
    name: 'socket_pair host vs VMs',
    why: 'h1 3 cpus installed on itself (plus 5 VMs) → ⌈3/2⌉ = 2; h2 (4 cpus) VMs only: 3 matching VMs → ⌈3/2⌉ = 2; h3 one VM → 1; total 5',
    sheets: {
      devices: [
        host('h1', 3, 24), vm('a1', 'h1', 2), vm('a2', 'h1', 2), vm('a3', 'h1', 2), vm('a4', 'h1', 2), vm('a5', 'h1', 2),
        host('h2', 4, 32), vm('b1', 'h2', 2), vm('b2', 'h2', 2), vm('b3', 'h2', 2), host('h3', 2, 16), vm('c1', 'h3', 2),
      ],
      installations: installs('h1', 'a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'c1'),
      entitlements: [ent('e1', 'socket_pair')],
    },
    expect: { e1: { consumed: 5, sums: true, refs: { 'devices/h1': 2, 'devices/h2': 2, 'devices/h3': 1 } } },
  },
];

const oracleIbm: Case[] = [
  {
    name: 'oracle_processor mobile cluster licensed whole',
    why: 'c1 mobility: h1 16 + h2 16 (h2 without the product) Intel × 0.5 → ⌈16⌉ = 16',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: [host('h1', 2, 16, { cluster: 'c1', processorManufacturer: 'Intel' }), host('h2', 2, 16, { cluster: 'c1', processorManufacturer: 'Intel' }), vm('v1', 'h1', 4)],
      installations: installs('v1'),
      factors: [factor('f1', 'core_factor', 0.5, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 16, flags: [], refs: { 'clusters/c1': 16 } } },
  },
  {
    name: 'oracle_processor cluster without mobility',
    why: 'c1 no mobility: only h1 → ⌈16 × 0.5⌉ = 8',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: false }],
      devices: [host('h1', 2, 16, { cluster: 'c1', processorManufacturer: 'Intel' }), host('h2', 2, 16, { cluster: 'c1', processorManufacturer: 'Intel' }), vm('v1', 'h1', 4)],
      installations: installs('v1'),
      factors: [factor('f1', 'core_factor', 0.5, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 8 } },
  },
  {
    name: 'oracle_processor rounds per unit',
    why: 'separate hosts h1,h2 with 3 cores × 0.5 → ⌈1.5⌉ + ⌈1.5⌉ = 4; mobile cluster c1 of h3,h4 (3 cores each) → ⌈3⌉ = 3; total 7',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: 'yes' }],
      devices: [host('h1', 1, 3), host('h2', 1, 3), host('h3', 1, 3, { cluster: 'c1' }), host('h4', 1, 3, { cluster: 'c1' })],
      installations: installs('h1', 'h2', 'h3'),
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 7 } },
  },
  {
    name: 'oracle_processor cloud VMs',
    why: 'v1 cloud, hyperthreading, 5 vcpus → ⌈5/2⌉ = 3; v2 cloud, no hyperthreading, 5 vcpus → 5; no core factor (0.5 catch-all ignored); total 8',
    sheets: {
      devices: [vm('v1', null, 5, { cloud: 'aws', hyperthreading: true }), vm('v2', null, 5, { cloud: 'azure', hyperthreading: false })],
      installations: installs('v1', 'v2'),
      factors: [factor('f1', 'core_factor', 0.5)],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 8 } },
  },
  {
    name: 'oracle_processor non-cloud VM without host, default factor',
    why: 'v1 not cloud, no host → own host with cores = vcpus 4; no core_factor row → 1, flag no-factor → 4',
    sheets: { devices: [vm('v1', null, 4)], installations: installs('v1'), entitlements: [ent('e1', 'oracle_processor')] },
    expect: { e1: { consumed: 4, flags: ['no-factor'] } },
  },
  {
    name: 'oracle_processor retired host left out of a mobile cluster',
    why: 'c1 mobility: h1 8 cores + h2 retired (8) → ⌈8 × 1⌉ = 8 (factor 1 from a row, no flag)',
    sheets: {
      clusters: [{ id: 'c1', name: 'C1', mobility: true }],
      devices: [host('h1', 1, 8, { cluster: 'c1' }), host('h2', 1, 8, { cluster: 'c1', status: 'retired' })],
      installations: installs('h1'),
      factors: [factor('f1', 'core_factor', 1)],
      entitlements: [ent('e1', 'oracle_processor')],
    },
    expect: { e1: { consumed: 8, flags: [] } },
  },
  {
    name: 'pvu full capacity',
    why: 'not subcapacity: h1 16 cores × pvu 70 (Intel) = 1120 though only v1 (4 vcpus) carries it',
    sheets: {
      devices: [host('h1', 2, 16, { processorManufacturer: 'Intel' }), vm('v1', 'h1', 4)],
      installations: installs('v1'),
      factors: [factor('f1', 'pvu', 70, { processorManufacturer: 'Intel' })],
      entitlements: [ent('e1', 'pvu', 2000)],
    },
    expect: { e1: { consumed: 1120, flags: [] } },
  },
  {
    name: 'pvu sub-capacity',
    why: 'subcapacity: h1 min(4, 16) × 70 = 280; h2 VMs 12+12 = 24 > 16 → 16 × 70 = 1120; h3 installed on itself → 8 × 70 = 560; total 1960',
    sheets: {
      devices: [
        host('h1', 2, 16), vm('v1', 'h1', 4), host('h2', 2, 16), vm('v2', 'h2', 12), vm('v3', 'h2', 12), host('h3', 1, 8), vm('v4', 'h3', 2),
      ],
      installations: installs('v1', 'v2', 'v3', 'h3', 'v4'),
      factors: [factor('f1', 'pvu', 70)],
      entitlements: [ent('e1', 'pvu', 2000, { subcapacity: 'yes' })],
    },
    expect: { e1: { consumed: 1960, sums: true, refs: { 'devices/h1': 280, 'devices/h2': 1120, 'devices/h3': 560 } } },
  },
  {
    name: 'pvu default',
    why: 'no pvu row: 100 per core, flag no-factor; 4 cores → 400',
    sheets: { devices: [host('h1', 1, 4)], installations: installs('h1'), entitlements: [ent('e1', 'pvu', 2000)] },
    expect: { e1: { consumed: 400, flags: ['no-factor'] } },
  },
  {
    name: 'rvu counted cores converted by tiers',
    why: 'h1 16 + h2 8 = 24 cores; rvu tiers 1–10 ×1, 11–20 ×0.5, 21– ×0.25 → 10 + 5 + 1 = 16; the auvu tier row does not apply',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 2), host('h2', 1, 8)],
      installations: installs('v1', 'h2'),
      tiers: [
        { id: 't0', publisher: 'Acme', product: 'App', metric: 'auvu', from: 1, to: null, unitsPer: 9 },
        { id: 't3', publisher: 'Acme', product: 'App', metric: 'rvu', from: 21, to: null, unitsPer: 0.25 },
        { id: 't1', publisher: 'Acme', product: 'App', metric: 'rvu', from: 1, to: 10, unitsPer: 1 },
        { id: 't2', publisher: 'Acme', product: 'App', metric: 'rvu', from: 11, to: 20, unitsPer: 0.5 },
      ],
      entitlements: [ent('e1', 'rvu')],
    },
    expect: { e1: { consumed: 16 } },
  },
  {
    name: 'rvu sub-capacity without tiers',
    why: 'subcapacity: h1 min(2, 16) = 2, h2 installed on itself 8 → 10 counted cores; no tiers → 10',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 2), host('h2', 1, 8)],
      installations: installs('v1', 'h2'),
      entitlements: [ent('e1', 'rvu', 100, { subcapacity: true })],
    },
    expect: { e1: { consumed: 10 } },
  },
  {
    name: 'vpc',
    why: 'h1 16 cores: VMs 4 + 2 = 6; h2 installed on itself → 8; h3 4 cores, VMs 4 + 4 = 8 → min 4; total 18',
    sheets: {
      devices: [host('h1', 2, 16), vm('v1', 'h1', 4), vm('v2', 'h1', 2), host('h2', 1, 8), host('h3', 1, 4), vm('v3', 'h3', 4), vm('v4', 'h3', 4)],
      installations: installs('v1', 'v2', 'h2', 'v3', 'v4'),
      entitlements: [ent('e1', 'vpc')],
    },
    expect: { e1: { consumed: 18, sums: true, refs: { 'devices/h1': 6, 'devices/h2': 8, 'devices/h3': 4 } } },
  },
];

/** Issue 21: Microsoft's minimums for per_core_cal; hostless VMs stay VMs for per_core and socket_pair. */
const minimumsAndHostless: Case[] = [
  {
    name: 'per_core_cal minimums per host and per cluster host',
    why: 'minCoresPerProcessor 8, minCoresPerServer 16: h1 (2 × 4 cores) max(4, 16, 16) = 16; h2 (2 CPUs, 24 cores) 24; ESX cluster c1: e1 (2, 8) 16 + e2 (4, 12) 32 = 48; total 88',
    sheets: {
      devices: [host('h1', 2, 4), host('h2', 2, 24), host('e1', 2, 8, { ...ESX, cluster: 'c1' }), host('e2', 4, 12, { ...ESX, cluster: 'c1' }), vm('v1', 'e1', 2)],
      clusters: [{ id: 'c1' }],
      installations: installs('h1', 'h2', 'v1'),
      entitlements: [ent('e1', 'per_core_cal', 100, { minCoresPerProcessor: 8, minCoresPerServer: 16 })],
    },
    expect: { e1: { consumed: 88, sums: true, refs: { 'devices/h1': 16, 'devices/h2': 24, 'clusters/c1': 48 } } },
  },
  {
    name: 'per_core_cal without minimums, a blank CPU count needs none',
    why: 'no minimums: h1 4 cores → 4, its blank cpus is never read (no missing-capacity)',
    sheets: { devices: [host('h1', null, 4)], installations: installs('h1'), entitlements: [ent('e1', 'per_core_cal')] },
    expect: { e1: { consumed: 4, flags: [] } },
  },
  {
    name: 'per_core hostless VMs: max(vcpus, minCoresPerVm), no processor or server minimums',
    why: 'minimums 8 / 16 / VM 4: v1 (no host, 2 vCPUs) 4; v2 (host h9 unknown, 12 vCPUs, 2 CPUs) 12; v3 (retired host, blank vCPUs) 4 and missing-capacity; total 20',
    sheets: {
      devices: [vm('v1', null, 2, { cpus: 2, cores: 16 }), vm('v2', 'h9', 12, { cpus: 2 }), host('hr', 2, 32, { status: 'retired' }), vm('v3', 'hr', null)],
      installations: installs('v1', 'v2', 'v3'),
      entitlements: [ent('e1', 'per_core', 100, { minCoresPerProcessor: 8, minCoresPerServer: 16, minCoresPerVm: 4 })],
    },
    expect: { e1: { consumed: 20, flags: ['missing-capacity'], sums: true, refs: { 'devices/v1': 4, 'devices/v2': 12, 'devices/v3': 4 } } },
  },
  {
    name: 'socket_pair counts hostless VMs two per subscription',
    why: 'v1, v2, v3 hostless (8 vCPUs each): ⌈3 / 2⌉ = 2; h1 installed on itself (4 sockets) 2; total 4, the last line saying how',
    sheets: {
      devices: [vm('v1', null, 8), vm('v2', null, 8), vm('v3', 'gone', 8), host('h1', 4, 32)],
      installations: installs('v1', 'v2', 'v3', 'h1'),
      entitlements: [ent('e1', 'socket_pair')],
    },
    expect: { e1: { consumed: 4, refs: { 'devices/v1': 0, 'devices/h1': 2, total: 4 } } },
  },
];

table('processor metrics: host sums and factors', hostSums);
table('processor metrics: minimums and hostless VMs', minimumsAndHostless);
table('processor metrics: factor specificity', specificity);
table('processor metrics: per processor, per core, CAL, VMware, socket pairs', perProcessor);
table('processor metrics: Oracle and IBM', oracleIbm);
