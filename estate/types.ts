// Plain JSON shapes of a `reckon-workbook/1` file, as the estate generator produces them.
// Deliberately self-contained (not the engine's typed schema): the generator only needs to
// emit rows, and must not break while the engine's schema is still moving.

export type Cell = string | number | boolean | null;

export interface Row {
  id: string;
  [column: string]: Cell;
}

export interface Settings {
  asOf: string;
  currency: string;
  windowStart?: string;
  windowEnd?: string;
  hamLicenseVersion?: number;
  hamSolutions?: string[];
  hamEntitlements?: string[];
  customCategoryLicensing?: boolean;
  asmFreeConnectors?: string[];
}

/** Sheet order of the interchange file (workbook.md). */
export const SHEET_NAMES = [
  'entitlements', 'devices', 'installations', 'users', 'clusters', 'allocations', 'subscriptions',
  'sessions', 'access', 'sensors', 'measurements', 'factors', 'tiers', 'modelCategories', 'hamCategories',
] as const;
export type SheetName = (typeof SHEET_NAMES)[number];

export type Workbook = { format: 'reckon-workbook/1'; settings: Settings } & Record<SheetName, Row[]>;

/** Every metric id of metrics.md, in the order of its tables. */
export const METRIC_IDS = [
  'per_instance', 'per_device', 'per_copy_per_device', 'per_server', 'enterprise', 'site',
  'per_cpu_sum', 'per_cpu_multiplier', 'per_cpu_constant', 'per_core_sum', 'per_core_multiplier',
  'per_core_constant', 'per_processor', 'per_core', 'per_core_cal', 'vmware_per_processor', 'socket_pair',
  'oracle_processor', 'pvu', 'rvu', 'vpc',
  'per_user', 'named_user', 'authorized_user', 'auvu', 'euvu', 'external_uvu', 'employee', 'user_cal',
  'device_cal', 'oracle_nup', 'per_user_device', 'per_osi', 'sap_named_user', 'fue', 'user_subscription',
  'named_fixed',
  'floating', 'concurrent_user', 'token', 'network', 'engine_measurement', 'digital_access',
  'saas_consumption', 'sensor_hourly', 'sensor_subscription',
  'asm_analyst', 'asm_concurrent', 'asm_site', 'asm_connector',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export interface EstateOptions {
  /** Any integer; the same seed and options always give byte-identical output. */
  seed: number;
  /** Exact number of device rows. */
  devices: number;
  /** Exact number of installation rows (when there is at least one endpoint or server to hold them). */
  installations: number;
  /** Exact number of entitlement rows. Below the number of positions, the least essential are left out. */
  entitlements: number;
  /** Exact number of user rows. */
  users: number;
  /** Devices that report security-sensor check-ins (default: 1% of devices, at least 20). */
  sensorDevices?: number;
  /** Multiplies devices, installations, entitlements, users and sensorDevices (for reduced runs). */
  scale?: number;
  /** Number of deliberately bad cells / dangling references to inject (tests). Default 0. */
  brokenRefs?: number;
}
