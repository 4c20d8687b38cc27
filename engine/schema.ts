// The workbook's sheets and columns (workbook.md), as data: the engine parses with it, the
// document model stores by it, the UI picks editors from it and import matches names against it.

import { METRIC_IDS } from './metrics/catalog';
import { RESOURCE_CATEGORIES, OT_CATEGORIES } from './ham/categories';

export const SHEETS = [
  'entitlements', 'devices', 'installations', 'users', 'clusters', 'allocations', 'subscriptions',
  'sessions', 'access', 'sensors', 'measurements', 'factors', 'tiers', 'modelCategories', 'hamCategories', 'normalization',
] as const;
export type SheetName = (typeof SHEETS)[number];

const SHEET_RANK = new Map<string, number>(SHEETS.map((s, i) => [s, i]));
/** A sheet's place in SHEETS, the order problems are listed in; -1 for anything else ('settings'). */
export const sheetRank = (sheet: string): number => SHEET_RANK.get(sheet) ?? -1;

export type ColumnKind =
  | 'id' // the row's id: text, unique in its sheet
  | 'text'
  | 'number' // any finite number (min applies)
  | 'count' // a whole number ≥ 0
  | 'bool'
  | 'date' // ISO 8601 date or date-time
  | 'enum'
  | 'ref'; // the id of a row in another sheet

export interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
  /** enum: the allowed values (compared ignoring case and surrounding spaces). */
  readonly values?: readonly string[];
  /** ref: the sheet whose ids it names. */
  readonly ref?: SheetName | 'modelCategoryName';
  /** number: the smallest allowed value. */
  readonly min?: number;
  /** number: the value must be greater than min, not equal. */
  readonly above?: boolean;
}

const id: Column = { name: 'id', kind: 'id' };
const text = (name: string): Column => ({ name, kind: 'text' });
const nonNegative = (name: string): Column => ({ name, kind: 'number', min: 0 });
const count = (name: string): Column => ({ name, kind: 'count' });
const bool = (name: string): Column => ({ name, kind: 'bool' });
const date = (name: string): Column => ({ name, kind: 'date' });
const ref = (name: string, sheet: SheetName | 'modelCategoryName'): Column => ({ name, kind: 'ref', ref: sheet });
const oneOf = (name: string, values: readonly string[]): Column => ({ name, kind: 'enum', values });

export const DEVICE_STATUSES = ['in use', 'in stock', 'retired', 'disposed'] as const;
export const EMPLOYEE_TYPES = ['employee', 'contractor', 'agent', 'consultant', 'temporary', 'part-time', 'external'] as const;
export const USER_ROLES = ['analyst', 'external contact', 'user'] as const;
export const FACTOR_KINDS = ['multiplier', 'constant', 'pvu', 'core_factor'] as const;
/** Normalization rule kinds, in the order they are tried (engine/normalize/normalizer.ts). */
export const RULE_KINDS = ['alias', 'ignore', 'pattern'] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];

const processorColumns = [
  text('processorManufacturer'), text('processorType'), text('processorModel'), text('processorFamily'),
  { name: 'maxClockSpeed', kind: 'number', min: 0 } as Column,
];

export const COLUMNS: Readonly<Record<SheetName, readonly Column[]>> = {
  entitlements: [
    id, text('publisher'), text('product'), text('version'), text('edition'), oneOf('metric', METRIC_IDS),
    nonNegative('quantity'), nonNegative('warn1'), nonNegative('warn2'), nonNegative('unitCost'), date('start'), date('end'),
    text('company'), text('site'), text('network'), count('copiesPerDevice'), count('maxCoresPerProcessor'),
    count('minCoresPerProcessor'), count('minCoresPerServer'), count('minCoresPerVm'), nonNegative('nupPerProcessor'),
    bool('subcapacity'), text('hardwareManufacturer'), text('hardwareModel'), text('userType'),
    bool('downgrade'), date('renewal'), count('noticeDays'), text('notes'),
  ],
  devices: [
    id, text('name'), text('modelCategory'), oneOf('status', DEVICE_STATUSES), bool('virtual'), ref('hostId', 'devices'),
    ref('cluster', 'clusters'), count('cpus'), count('cores'), count('vcpus'), bool('hyperthreading'), text('cloud'),
    ...processorColumns, text('site'), text('company'), ref('ownerId', 'users'), bool('ot'), text('ipAddress'),
    text('environment'), text('hardwareManufacturer'), text('hardwareModel'), date('lastSeen'),
  ],
  clusters: [id, text('name'), bool('mobility')],
  installations: [
    id, ref('deviceId', 'devices'), text('publisher'), text('product'), text('version'), text('edition'), ref('userId', 'users'),
  ],
  users: [
    id, text('name'), text('company'), text('site'), oneOf('employeeType', EMPLOYEE_TYPES), oneOf('role', USER_ROLES), bool('active'),
  ],
  allocations: [
    id, ref('entitlementId', 'entitlements'), ref('userId', 'users'), ref('deviceId', 'devices'), nonNegative('rights'), text('userType'),
  ],
  subscriptions: [id, ref('userId', 'users'), text('publisher'), text('product'), bool('active')],
  sessions: [
    id, text('publisher'), text('product'), ref('userId', 'users'), ref('deviceId', 'devices'), date('start'), date('end'),
    nonNegative('tokens'), text('network'), text('client'),
  ],
  access: [id, text('publisher'), text('product'), ref('serverId', 'devices'), ref('userId', 'users'), ref('deviceId', 'devices')],
  sensors: [id, ref('deviceId', 'devices'), text('publisher'), text('product'), date('seenAt')],
  measurements: [id, text('publisher'), text('product'), nonNegative('quantity'), date('date')],
  factors: [id, oneOf('kind', FACTOR_KINDS), text('publisher'), ...processorColumns, { name: 'value', kind: 'number', min: 0 }],
  tiers: [id, text('publisher'), text('product'), oneOf('metric', METRIC_IDS), count('from'), count('to'), nonNegative('unitsPer')],
  modelCategories: [id, text('name'), ref('parent', 'modelCategoryName'), oneOf('resourceCategory', RESOURCE_CATEGORIES)],
  hamCategories: [
    id, oneOf('category', [...RESOURCE_CATEGORIES, ...OT_CATEGORIES]), { name: 'ratio', kind: 'number', min: 0, above: true }, bool('optedIn'),
  ],
  // Rules that turn raw publisher/product/version/edition text into the names entitlements use
  // (engine/normalize/). publisher/product are what a rule matches; to* what it writes.
  normalization: [
    id, oneOf('kind', RULE_KINDS), text('publisher'), text('product'),
    text('toPublisher'), text('toProduct'), text('toVersion'), text('toEdition'), text('notes'),
  ],
};

export const SETTING_KEYS = [
  'asOf', 'currency', 'windowStart', 'windowEnd', 'hamLicenseVersion', 'hamSolutions', 'hamEntitlements',
  'customCategoryLicensing', 'asmFreeConnectors', 'notSeenDays',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export function columnOf(sheet: SheetName, name: string): Column | undefined {
  return COLUMNS[sheet].find((c) => c.name === name);
}

export function isSheetName(name: string): name is SheetName {
  return (SHEETS as readonly string[]).includes(name);
}
