// The generator's internal view of the estate: the rows being built plus compact typed
// columns the later builders and the consumption estimator read (cheaper than re-reading
// a million row objects by property name).

import type { Row } from './types';

/** Device kinds; each decides the model category, the hardware and the software profile. */
export const Kind = {
  Host: 0, Vm: 1, Cloud: 2, Linux: 3, Windows: 4, Aix: 5, Solaris: 6,
  Desktop: 7, Laptop: 8, Thin: 9, Mobile: 10, Tablet: 11, Switch: 12, Router: 13, Firewall: 14,
  Monitor: 15, Printer: 16, Storage: 17, Plc: 18, Hmi: 19, OtSwitch: 20, Hardware: 21, Telco: 22,
  Kiosk: 23, Lab: 24,
} as const;
export const KIND_COUNT = 25;

/** Server workloads: decide which server software a (virtual) server carries. */
export const Role = {
  None: 0, Generic: 1, Web: 2, App: 3, Sql: 4, Oracle: 5, OracleSe: 6, Db2: 7, Was: 8, WebLogic: 9,
  OpenShift: 10, Hypervisor: 11, CitrixSrv: 12, Exchange: 13, SharePoint: 14, VCenter: 15, Cognos: 16,
  Alemba: 17, Bmc: 18, Aria: 19, Doors: 20,
} as const;

export const Status = { InUse: 0, InStock: 1, Retired: 2, Disposed: 3 } as const;
export const STATUS_NAMES = ['in use', 'in stock', 'retired', 'disposed'] as const;

export const Os = { None: 0, Windows: 1, Linux: 2, Aix: 3, Solaris: 4 } as const;

export interface DeviceColumns {
  kind: Uint8Array;
  status: Uint8Array;
  /** Host device index for VMs, else -1. */
  host: Int32Array;
  /** Cluster index for ESX hosts, else -1. */
  cluster: Int32Array;
  cpus: Uint16Array;
  cores: Uint16Array;
  vcpus: Uint16Array;
  hyperthreading: Uint8Array;
  cloud: Uint8Array;
  company: Uint8Array;
  site: Uint8Array;
  /** Owner user index, else -1. */
  owner: Int32Array;
  production: Uint8Array;
  /** Index into ALL_PROCESSORS, else -1. */
  proc: Int16Array;
  /** Hardware made by Dell (the per_server entitlement filters on it). */
  dell: Uint8Array;
  hasIp: Uint8Array;
  role: Uint8Array;
  os: Uint8Array;
}

export interface UserColumns {
  active: Uint8Array;
  external: Uint8Array;
  /** 0 user, 1 analyst, 2 external contact. */
  role: Uint8Array;
  company: Uint8Array;
  site: Uint8Array;
}

export interface InstallColumns {
  device: Int32Array;
  product: Uint16Array;
  /** 1 + index into the product's versions, 0 = blank. */
  version: Uint8Array;
  edition: Uint8Array;
  /** Explicit userId (user index), else -1. */
  user: Int32Array;
}

export interface SessionColumns {
  product: number[];
  /** Minutes from windowStart. */
  start: number[];
  /** Minutes from windowStart; -1 = open (lasts to windowEnd). */
  end: number[];
  user: number[];
  tokens: number[];
  network: number[];
}

export interface Estate {
  seed: number;
  devices: Row[];
  dev: DeviceColumns;
  clusters: Row[];
  clusterMobility: Uint8Array;
  users: Row[];
  usr: UserColumns;
  installations: Row[];
  ins: InstallColumns;
  /** Installation indices grouped by product (CSR: items[offsets[p] .. offsets[p+1])). */
  byProduct: { offsets: Int32Array; items: Int32Array };
  /** Allocation rows; entitlementId is filled in once entitlements exist. */
  allocations: Row[];
  allocPosition: number[];
  allocUser: number[];
  allocType: (string | null)[];
  subscriptions: Row[];
  subProduct: number[];
  subActive: boolean[];
  sessions: Row[];
  ses: SessionColumns;
  access: Row[];
  accProduct: number[];
  accUser: number[];
  accDevice: number[];
  sensors: Row[];
  /** Per product: devices seen in each of the 672 hours / 4 weeks before asOf (computed while generating). */
  sensorHourly: Map<number, Int32Array>;
  sensorWeekly: Map<number, Int32Array>;
  measurements: Row[];
  measProduct: number[];
  measDay: number[];
  measQuantity: number[];
}
