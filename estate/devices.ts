// The device sheet: how many of each kind, end-user devices with owners, network gear,
// peripherals and OT equipment. Servers come from servers.ts.

import { Random, apportion, cumulative } from './random';
import { Kind, KIND_COUNT, Status, STATUS_NAMES, type DeviceColumns, type UserColumns } from './model';
import {
  CLIENT_BASE, CLIENT_PROCESSORS, COMPANIES, CONTOSO, DATA_CENTRES, DELL, DESKTOP_MODELS, FIREWALL_MODELS, HARDWARE_MODELS,
  HMI_MODELS, KIOSK_MODELS, LAB_MODELS, LAPTOP_MODELS, MOBILE_MODELS, MONITOR_MODELS, PLC_MODELS, PRINTER_MODELS,
  ROUTER_MODELS, SITES, STORAGE_MODELS, SWITCH_MODELS, TABLET_MODELS, TELCO_MODELS, THIN_MODELS, type Model,
} from './reference';
import { buildServers } from './servers';
import { DeviceSink, processorCells } from './sink';
import type { Row } from './types';

/** Share of the estate per Kind (normalised): a mid-size enterprise's CMDB. */
const KIND_SHARE: readonly number[] = [
  0.02, 0.12, 0.02, 0.009, 0.007, 0.003, 0.001, // Host, Vm, Cloud, Linux, Windows, Aix, Solaris
  0.27, 0.26, 0.01, 0.07, 0.01, // Desktop, Laptop, Thin, Mobile, Tablet
  0.02, 0.005, 0.003, 0.12, 0.025, 0.005, // Switch, Router, Firewall, Monitor, Printer, Storage
  0.003, 0.002, 0.001, 0.003, 0.002, 0.001, 0.0005, // Plc, Hmi, OtSwitch, Hardware, Telco, Kiosk, Lab
];

interface Spec { category: string; models: readonly Model[]; prefix: string; owned: number; ip: boolean; ot?: boolean; plant?: boolean; dc?: boolean }

/** Non-server kinds: model category, hardware, and how often they have an owner. */
const SPECS: Partial<Record<number, Spec>> = {
  [Kind.Desktop]: { category: 'Computer', models: DESKTOP_MODELS, prefix: 'DT', owned: 0.97, ip: true },
  [Kind.Laptop]: { category: 'Laptop', models: LAPTOP_MODELS, prefix: 'LT', owned: 0.97, ip: true },
  [Kind.Thin]: { category: 'Thin Client', models: THIN_MODELS, prefix: 'TC', owned: 0, ip: true, plant: true },
  [Kind.Mobile]: { category: 'Mobile Device', models: MOBILE_MODELS, prefix: 'MB', owned: 0.95, ip: false },
  [Kind.Tablet]: { category: 'Rugged Tablet', models: TABLET_MODELS, prefix: 'TB', owned: 0, ip: false, plant: true },
  [Kind.Switch]: { category: 'IP Switch', models: SWITCH_MODELS, prefix: 'SW', owned: 0, ip: true },
  [Kind.Router]: { category: 'IP Router', models: ROUTER_MODELS, prefix: 'RT', owned: 0, ip: true },
  [Kind.Firewall]: { category: 'Firewall', models: FIREWALL_MODELS, prefix: 'FW', owned: 0, ip: true },
  [Kind.Monitor]: { category: 'Monitor', models: MONITOR_MODELS, prefix: 'MON', owned: 0.6, ip: false },
  [Kind.Printer]: { category: 'Printer', models: PRINTER_MODELS, prefix: 'PRN', owned: 0, ip: true },
  [Kind.Storage]: { category: 'Storage Device', models: STORAGE_MODELS, prefix: 'STO', owned: 0, ip: true, dc: true },
  [Kind.Plc]: { category: 'PLC', models: PLC_MODELS, prefix: 'PLC', owned: 0, ip: true, ot: true, plant: true },
  [Kind.Hmi]: { category: 'Computer', models: HMI_MODELS, prefix: 'HMI', owned: 0, ip: true, ot: true, plant: true },
  [Kind.OtSwitch]: { category: 'IP Switch', models: SWITCH_MODELS, prefix: 'OSW', owned: 0, ip: true, ot: true, plant: true },
  [Kind.Hardware]: { category: 'Hardware', models: HARDWARE_MODELS, prefix: 'HW', owned: 0, ip: true },
  [Kind.Telco]: { category: 'Telco equipment', models: TELCO_MODELS, prefix: 'TEL', owned: 0, ip: true, dc: true },
  [Kind.Kiosk]: { category: 'Kiosk', models: KIOSK_MODELS, prefix: 'KSK', owned: 0, ip: true },
  [Kind.Lab]: { category: 'Lab Analyzer', models: LAB_MODELS, prefix: 'LAB', owned: 0, ip: true, plant: true },
};

const PLANT_SITES = SITES.map((s, i) => (s.company === CONTOSO && s.people > 0 ? i : -1)).filter((i) => i >= 0);
const OFFICE_CUM = cumulative(SITES.map((s) => s.people));
const CLIENT_CUM = cumulative([3, 2, 2, 1]);

export interface DeviceResult {
  devices: Row[];
  dev: DeviceColumns;
  ids: string[];
  clusters: Row[];
  clusterMobility: Uint8Array;
}

export function buildDevices(seed: number, count: number, usr: UserColumns, userIds: readonly string[]): DeviceResult {
  const counts = apportion(count, KIND_SHARE);
  const sink = new DeviceSink(count);
  const { clusters, mobility } = buildServers(seed, sink, {
    hosts: counts[Kind.Host], vms: counts[Kind.Vm], cloud: counts[Kind.Cloud], linux: counts[Kind.Linux],
    windows: counts[Kind.Windows], aix: counts[Kind.Aix], solaris: counts[Kind.Solaris],
  });
  const rng = new Random(seed, 'devices');
  // People who can own a device: active and not external.
  const owners: number[] = [];
  const everyone: number[] = [];
  for (let u = 0; u < usr.active.length; u++) {
    everyone.push(u);
    if (usr.active[u] && !usr.external[u]) owners.push(u);
  }
  for (let kind = Kind.Desktop; kind < KIND_COUNT; kind++) {
    const spec = SPECS[kind];
    if (spec) for (let n = 0; n < counts[kind]; n++) endUserDevice(rng, sink, kind, spec, usr, userIds, owners, everyone);
  }
  return { devices: sink.rows, dev: sink.dev, ids: sink.ids, clusters, clusterMobility: mobility };
}

function pickStatus(rng: Random): number {
  const x = rng.next();
  return x < 0.94 ? Status.InUse : x < 0.97 ? Status.InStock : x < 0.99 ? Status.Retired : Status.Disposed;
}

function endUserDevice(rng: Random, sink: DeviceSink, kind: number, spec: Spec, usr: UserColumns,
  userIds: readonly string[], owners: readonly number[], everyone: readonly number[]): void {
  const status = pickStatus(rng);
  // Devices in stock have been returned; retired ones may still name a leaver.
  let owner = -1;
  if (spec.owned > 0 && status !== Status.InStock && rng.chance(spec.owned)) {
    const pool = status === Status.InUse ? owners : everyone;
    if (pool.length > 0) owner = pool[rng.int(pool.length)];
  }
  const site = owner >= 0 ? usr.site[owner]
    : spec.plant ? PLANT_SITES[rng.int(PLANT_SITES.length)]
      : spec.dc ? DATA_CENTRES[rng.int(2)]
        : rng.weighted(OFFICE_CUM);
  const company = SITES[site].company;
  const i = sink.next(kind, site, company, status);
  const { dev, ids } = sink;
  dev.owner[i] = owner;
  const model = rng.pick(spec.models);
  dev.dell[i] = model[0] === DELL ? 1 : 0;
  const name = `${SITES[site].code}-${spec.prefix}-${ids[i].slice(1)}`;
  const statusName = STATUS_NAMES[status];
  if (kind === Kind.Desktop || kind === Kind.Laptop) {
    // The bulk of the sheet: built as one literal per shape (no property stores to grow).
    const p = rng.weighted(CLIENT_CUM);
    const proc = CLIENT_PROCESSORS[p];
    dev.proc[i] = CLIENT_BASE + p;
    dev.cpus[i] = 1;
    dev.cores[i] = proc.coresPerSocket;
    const ip = sink.ip(i);
    sink.rows[i] = owner >= 0
      ? {
        id: ids[i], name, modelCategory: spec.category, status: statusName, cpus: 1, cores: proc.coresPerSocket,
        processorManufacturer: proc.manufacturer, processorType: proc.type, processorModel: proc.model,
        processorFamily: proc.family, maxClockSpeed: proc.clock, site: SITES[site].name, company: COMPANIES[company],
        ownerId: userIds[owner], ipAddress: ip, hardwareManufacturer: model[0], hardwareModel: model[1],
      }
      : {
        id: ids[i], name, modelCategory: spec.category, status: statusName, cpus: 1, cores: proc.coresPerSocket,
        processorManufacturer: proc.manufacturer, processorType: proc.type, processorModel: proc.model,
        processorFamily: proc.family, maxClockSpeed: proc.clock, site: SITES[site].name, company: COMPANIES[company],
        ipAddress: ip, hardwareManufacturer: model[0], hardwareModel: model[1],
      };
    return;
  }
  const row: Row = { id: ids[i], name, modelCategory: spec.category, status: statusName };
  if (kind === Kind.Hmi) {
    const p = rng.weighted(CLIENT_CUM);
    const proc = CLIENT_PROCESSORS[p];
    dev.proc[i] = CLIENT_BASE + p;
    dev.cpus[i] = 1;
    dev.cores[i] = proc.coresPerSocket;
    row.cpus = 1;
    row.cores = proc.coresPerSocket;
    Object.assign(row, processorCells(proc));
  }
  row.site = SITES[site].name;
  row.company = COMPANIES[company];
  if (owner >= 0) row.ownerId = userIds[owner];
  if (spec.ot) row.ot = true;
  if (spec.ip) row.ipAddress = sink.ip(i);
  row.hardwareManufacturer = model[0];
  row.hardwareModel = model[1];
  sink.rows[i] = row;
}
