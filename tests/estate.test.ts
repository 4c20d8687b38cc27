import { describe, expect, it } from 'vitest';
import { DEMO, LARGE, generateEstate, type Workbook } from '../estate/generate';
import { SHEET_NAMES } from '../estate/types';

// Every metric id of metrics.md, copied from the spec on purpose (not imported from the
// generator), so a metric the generator forgets fails here.
const METRICS_MD = [
  'per_instance', 'per_device', 'per_copy_per_device', 'per_server', 'enterprise', 'site',
  'per_cpu_sum', 'per_cpu_multiplier', 'per_cpu_constant', 'per_core_sum', 'per_core_multiplier', 'per_core_constant',
  'per_processor', 'per_core', 'per_core_cal', 'vmware_per_processor', 'socket_pair', 'oracle_processor', 'pvu', 'rvu', 'vpc',
  'per_user', 'named_user', 'authorized_user', 'auvu', 'euvu', 'external_uvu', 'employee', 'user_cal', 'device_cal',
  'oracle_nup', 'per_user_device', 'per_osi', 'sap_named_user', 'fue', 'user_subscription', 'named_fixed',
  'floating', 'concurrent_user', 'token', 'network', 'engine_measurement', 'digital_access', 'saas_consumption',
  'sensor_hourly', 'sensor_subscription',
  'asm_analyst', 'asm_concurrent', 'asm_site', 'asm_connector',
];

const BUILT_IN_CATEGORIES = [
  'Computer', 'Server', 'AIX Server', 'ESX Server', 'HPUX Server', 'Linux Server', 'Netware Server', 'OS/X Server',
  'Solaris Server', 'Unix Server', 'Windows Server', 'Network Gear', 'IP Switch', 'IP Router', 'Mobile Device', 'Card',
  'Network Interface', 'Logical connection', 'Physical connection', 'Telco equipment', 'Hardware', 'Monitor',
  'Storage Device', 'Printer',
];

/** Reference columns of workbook.md: column → the sheet whose ids it names. */
const REFS: Record<string, 'devices' | 'clusters' | 'users' | 'entitlements'> = {
  deviceId: 'devices', hostId: 'devices', serverId: 'devices', cluster: 'clusters', userId: 'users', ownerId: 'users',
  entitlementId: 'entitlements',
};

function danglingRefs(wb: Workbook): string[] {
  const ids = new Map<string, Set<string>>();
  for (const sheet of SHEET_NAMES) ids.set(sheet, new Set(wb[sheet].map((r) => r.id)));
  const categories = new Set([...BUILT_IN_CATEGORIES, ...wb.modelCategories.map((r) => String(r.name))]);
  const bad: string[] = [];
  for (const sheet of SHEET_NAMES) {
    for (const row of wb[sheet]) {
      for (const [column, target] of Object.entries(REFS)) {
        const v = row[column];
        if (v !== undefined && v !== null && !ids.get(target)!.has(String(v))) bad.push(`${sheet}/${row.id}.${column}=${v}`);
      }
      if (sheet === 'modelCategories' && row.parent != null && !categories.has(String(row.parent))) bad.push(`${sheet}/${row.id}.parent`);
    }
  }
  return bad;
}

function duplicateIds(wb: Workbook): string[] {
  const dups: string[] = [];
  for (const sheet of SHEET_NAMES) {
    const seen = new Set<string>();
    for (const row of wb[sheet]) {
      if (typeof row.id !== 'string' || row.id === '' || seen.has(row.id)) dups.push(`${sheet}/${row.id}`);
      seen.add(row.id);
    }
  }
  return dups;
}

const demo = generateEstate(DEMO);
const reducedLarge = generateEstate({ ...LARGE, scale: 0.05 });

describe('estate generator', () => {
  it('is deterministic: same seed, byte-identical JSON; another seed, another estate', () => {
    const json = JSON.stringify(demo);
    expect(JSON.stringify(generateEstate(DEMO))).toBe(json);
    expect(JSON.stringify(generateEstate({ ...DEMO, seed: DEMO.seed + 1 }))).not.toBe(json);
  });

  it('writes a complete reckon-workbook/1 object', () => {
    expect(demo.format).toBe('reckon-workbook/1');
    expect(demo.settings.asOf).toBe('2026-11-01');
    expect(demo.settings.currency).toBe('USD');
    for (const sheet of SHEET_NAMES) expect(Array.isArray(demo[sheet]), sheet).toBe(true);
  });

  it.each([['DEMO', demo], ['reduced LARGE', reducedLarge]])('%s uses every metric of metrics.md', (_name, wb) => {
    const used = new Set(wb.entitlements.map((e) => e.metric));
    expect(METRICS_MD.filter((m) => !used.has(m))).toEqual([]);
    expect([...used].filter((m) => !METRICS_MD.includes(String(m)))).toEqual([]);
  });

  it.each([['DEMO', demo], ['reduced LARGE', reducedLarge]])('%s has unique ids and no dangling references', (_name, wb) => {
    expect(duplicateIds(wb)).toEqual([]);
    expect(danglingRefs(wb)).toEqual([]);
  });

  it('has the requested counts at the preset sizes and when scaled', () => {
    expect(demo.devices).toHaveLength(DEMO.devices);
    expect(demo.installations).toHaveLength(DEMO.installations);
    expect(demo.entitlements).toHaveLength(DEMO.entitlements);
    expect(demo.users).toHaveLength(DEMO.users);
    expect(reducedLarge.devices).toHaveLength(5000);
    expect(reducedLarge.installations).toHaveLength(50_000);
    expect(reducedLarge.entitlements).toHaveLength(150);
    expect(reducedLarge.users).toHaveLength(1500);
    const odd = generateEstate({ seed: 7, devices: 1234, installations: 4321, entitlements: 99, users: 321 });
    expect([odd.devices.length, odd.installations.length, odd.entitlements.length, odd.users.length]).toEqual([1234, 4321, 99, 321]);
    expect(danglingRefs(odd)).toEqual([]);
  });

  it('looks like a real estate', () => {
    const hosts = demo.devices.filter((d) => d.modelCategory === 'ESX Server');
    expect(hosts.length).toBeGreaterThan(10);
    for (const h of hosts) {
      expect(h.cpus).toBe(2);
      expect(Number(h.cores)).toBeGreaterThanOrEqual(16);
      expect(Number(h.cores)).toBeLessThanOrEqual(64);
    }
    const perCluster = new Map<string, number>();
    for (const h of hosts) if (h.cluster) perCluster.set(String(h.cluster), (perCluster.get(String(h.cluster)) ?? 0) + 1);
    expect(Math.max(...perCluster.values())).toBe(32);
    expect(new Set(demo.clusters.map((c) => c.mobility))).toEqual(new Set([true, false]));
    const byId = new Map(demo.devices.map((d) => [d.id, d]));
    const vms = demo.devices.filter((d) => d.virtual === true && d.hostId);
    expect(vms.length).toBeGreaterThan(100);
    for (const vm of vms) expect(byId.get(String(vm.hostId))!.modelCategory).toBe('ESX Server');
    expect(demo.devices.some((d) => d.cloud === 'aws' && d.hyperthreading === true && !d.hostId)).toBe(true);
    for (const category of ['Laptop', 'Computer', 'Mobile Device', 'IP Switch', 'IP Router', 'Monitor', 'Printer', 'Storage Device', 'AIX Server']) {
      expect(demo.devices.some((d) => d.modelCategory === category), category).toBe(true);
    }
    expect(demo.devices.some((d) => d.ot === true)).toBe(true);
    expect(demo.devices.some((d) => d.status === 'retired' || d.status === 'disposed')).toBe(true);
    expect(demo.modelCategories.find((c) => c.name === 'Laptop')?.parent).toBe('Computer');
    // Roughly ten installations per device; Office on most endpoints.
    const endpoints = demo.devices.filter((d) => d.modelCategory === 'Computer' || d.modelCategory === 'Laptop').length;
    const office = new Set(demo.installations.filter((i) => i.product === 'Office Professional Plus').map((i) => i.deviceId)).size;
    expect(office / endpoints).toBeGreaterThan(0.8);
    // Some positions are bought short and carry a cost; some entitlements have expired.
    expect(demo.entitlements.some((e) => e.product === '*')).toBe(true);
    expect(demo.entitlements.some((e) => typeof e.end === 'string' && e.end < '2026-11-01')).toBe(true);
    // Usage sits inside the 90-day window before asOf; sensors in the weeks before it.
    for (const s of demo.sessions) {
      expect(String(s.start) >= '2026-08-03' && String(s.start) < '2026-11-01').toBe(true);
    }
    expect(demo.sensors.length).toBeGreaterThan(1000);
    expect(new Set(demo.users.map((u) => u.employeeType)).size).toBeGreaterThanOrEqual(4);
    expect(demo.users.some((u) => u.active === false)).toBe(true);
    expect(demo.allocations.some((a) => a.userType === 'advanced')).toBe(true);
    expect(demo.factors.some((f) => f.kind === 'core_factor' && f.processorManufacturer === 'Intel' && f.value === 0.5)).toBe(true);
  });

  it('injects broken references and cells only when asked', () => {
    const broken = generateEstate({ ...DEMO, scale: 0.2, brokenRefs: 12 });
    expect(danglingRefs(broken).length).toBeGreaterThanOrEqual(7);
    expect(duplicateIds(broken).length).toBe(1);
    expect(broken.devices.some((d) => d.cores === 'abc')).toBe(true);
    expect(broken.entitlements.some((e) => e.metric === 'per_banana')).toBe(true);
  });
});
