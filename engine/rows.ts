// Typed rows: each sheet's cells read once into a fixed-shape object. Text that rules compare is
// kept in its comparison form (trimmed, lower case); names shown to people keep their display form.
// Numbers that were blank or unreadable are `undefined`: the rules decide what that means.

import { CellReader, display, norm, type Problem, type RawRow } from './cells';
import {
  DEVICE_STATUSES, EMPLOYEE_TYPES, FACTOR_KINDS, USER_ROLES, type SheetName, COLUMNS,
} from './schema';
import { METRIC_IDS } from './metrics/catalog';
import { RESOURCE_CATEGORIES, OT_CATEGORIES } from './ham/categories';

interface RowBase {
  /** Stable key of the row in its document; sheet order is the order of keys. */
  key: string;
  /** The id cell as shown, and its comparison form. */
  id: string;
  idN: string;
  problems: Problem[];
}

export interface Entitlement extends RowBase {
  readonly sheet: 'entitlements';
  publisher: string; product: string; version: string; edition: string;
  publisherName: string; productName: string; versionName: string; editionName: string;
  /** '' when blank or not a metric id (the row then joins no position). */
  metric: string;
  quantity: number;
  warn1: number | undefined; warn2: number | undefined; unitCost: number | undefined;
  start: number | undefined; end: number | undefined;
  company: string; site: string; network: string;
  copiesPerDevice: number | undefined; maxCoresPerProcessor: number | undefined;
  minCoresPerProcessor: number | undefined; minCoresPerServer: number | undefined; minCoresPerVm: number | undefined;
  nupPerProcessor: number | undefined; subcapacity: boolean | undefined;
  hardwareManufacturer: string; hardwareModel: string; userType: string;
}

export interface Device extends RowBase {
  readonly sheet: 'devices';
  name: string;
  modelCategory: string; modelCategoryName: string;
  status: string;
  /** status is neither retired nor disposed. */
  counts: boolean;
  virtual: boolean;
  hostId: string; cluster: string;
  cpus: number | undefined; cores: number | undefined; vcpus: number | undefined;
  hyperthreading: boolean;
  cloud: boolean;
  processorManufacturer: string; processorType: string; processorModel: string; processorFamily: string;
  maxClockSpeed: number | undefined;
  site: string; company: string; ownerId: string; ot: boolean; ipAddress: string; environment: string;
  hardwareManufacturer: string; hardwareModel: string;
}

export interface Cluster extends RowBase { readonly sheet: 'clusters'; name: string; mobility: boolean }

export interface Installation extends RowBase {
  readonly sheet: 'installations';
  deviceId: string; publisher: string; product: string; version: string; edition: string; userId: string;
  publisherName: string; productName: string;
}

export interface User extends RowBase {
  readonly sheet: 'users';
  name: string; company: string; site: string; employeeType: string; role: string; active: boolean;
}

export interface Allocation extends RowBase {
  readonly sheet: 'allocations';
  entitlementId: string; userId: string; deviceId: string; rights: number; userType: string;
}

export interface Subscription extends RowBase {
  readonly sheet: 'subscriptions';
  userId: string; publisher: string; product: string; active: boolean;
}

export interface Session extends RowBase {
  readonly sheet: 'sessions';
  publisher: string; product: string; userId: string; deviceId: string;
  start: number | undefined; end: number | undefined; tokens: number; network: string; client: string;
}

export interface Access extends RowBase {
  readonly sheet: 'access';
  publisher: string; product: string; serverId: string; userId: string; deviceId: string;
}

export interface Sensor extends RowBase {
  readonly sheet: 'sensors';
  deviceId: string; publisher: string; product: string; seenAt: number | undefined;
}

export interface Measurement extends RowBase {
  readonly sheet: 'measurements';
  publisher: string; product: string; quantity: number | undefined; date: number | undefined;
}

export interface Factor extends RowBase {
  readonly sheet: 'factors';
  kind: string; publisher: string;
  processorManufacturer: string; processorType: string; processorModel: string; processorFamily: string;
  maxClockSpeed: number | undefined; value: number | undefined;
}

export interface Tier extends RowBase {
  readonly sheet: 'tiers';
  publisher: string; product: string; metric: string;
  from: number | undefined; to: number | undefined; unitsPer: number | undefined;
}

export interface ModelCategory extends RowBase {
  readonly sheet: 'modelCategories';
  name: string; nameDisplay: string; parent: string;
  /** The resource category it maps to, by its canonical name; '' when none. */
  resourceCategory: string;
}

export interface HamCategory extends RowBase {
  readonly sheet: 'hamCategories';
  /** Canonical category name; '' when blank or unknown. */
  category: string; ratio: number | undefined; optedIn: boolean | undefined;
}

export interface RowOf {
  entitlements: Entitlement; devices: Device; clusters: Cluster; installations: Installation; users: User;
  allocations: Allocation; subscriptions: Subscription; sessions: Session; access: Access; sensors: Sensor;
  measurements: Measurement; factors: Factor; tiers: Tier; modelCategories: ModelCategory; hamCategories: HamCategory;
}
export type AnyRow = RowOf[SheetName];

const lowerSet = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
const METRIC_SET = lowerSet(METRIC_IDS);
const STATUS_SET = lowerSet(DEVICE_STATUSES);
const EMPLOYEE_SET = lowerSet(EMPLOYEE_TYPES);
const ROLE_SET = lowerSet(USER_ROLES);
const KIND_SET = lowerSet(FACTOR_KINDS);
const canonical = (names: readonly string[]) => new Map(names.map((n) => [n.toLowerCase(), n]));
const RESOURCE_NAMES = canonical(RESOURCE_CATEGORIES);
const HAM_CATEGORY_NAMES = canonical([...RESOURCE_CATEGORIES, ...OT_CATEGORIES]);
const RESOURCE_SET = new Set(RESOURCE_NAMES.keys());
const HAM_CATEGORY_SET = new Set(HAM_CATEGORY_NAMES.keys());

type Parser<S extends SheetName> = (c: CellReader, key: string) => RowOf[S];

const base = (c: CellReader, key: string) => {
  const id = c.text('id');
  return { key, id, idN: id.toLowerCase(), problems: c.problems };
};

const PARSERS: { [S in SheetName]: Parser<S> } = {
  entitlements: (c, key) => {
    const publisherName = c.text('publisher'), productName = c.text('product');
    const versionName = c.text('version'), editionName = c.text('edition');
    const row: Entitlement = {
      sheet: 'entitlements', ...base(c, key),
      publisher: publisherName.toLowerCase(), product: productName.toLowerCase(),
      version: versionName.toLowerCase(), edition: editionName.toLowerCase(),
      publisherName, productName, versionName, editionName,
      metric: c.oneOf('metric', METRIC_SET) ?? '',
      quantity: c.number('quantity', 0) ?? 0,
      warn1: c.number('warn1', 0), warn2: c.number('warn2', 0), unitCost: c.number('unitCost', 0),
      start: c.time('start'), end: c.time('end'),
      company: c.norm('company'), site: c.norm('site'), network: c.norm('network'),
      copiesPerDevice: c.count('copiesPerDevice'), maxCoresPerProcessor: c.count('maxCoresPerProcessor'),
      minCoresPerProcessor: c.count('minCoresPerProcessor'), minCoresPerServer: c.count('minCoresPerServer'),
      minCoresPerVm: c.count('minCoresPerVm'), nupPerProcessor: c.number('nupPerProcessor', 0),
      subcapacity: c.bool('subcapacity'),
      hardwareManufacturer: c.norm('hardwareManufacturer'), hardwareModel: c.norm('hardwareModel'),
      userType: c.norm('userType'),
    };
    if (row.metric === '' && c.cell('metric') === undefined) c.report('metric', 'metric is required: the entitlement joins no position');
    if (row.start !== undefined && row.end !== undefined && row.end < row.start) c.report('end', 'end is before start');
    row.problems = c.problems;
    return row;
  },
  devices: (c, key) => {
    const modelCategoryName = c.text('modelCategory');
    const status = c.oneOf('status', STATUS_SET) ?? 'in use';
    return {
      sheet: 'devices', ...base(c, key),
      name: c.text('name'), modelCategory: modelCategoryName.toLowerCase(), modelCategoryName,
      status, counts: status !== 'retired' && status !== 'disposed',
      virtual: c.bool('virtual') ?? false, hostId: c.norm('hostId'), cluster: c.norm('cluster'),
      cpus: c.count('cpus'), cores: c.count('cores'), vcpus: c.count('vcpus'),
      hyperthreading: c.bool('hyperthreading') ?? false, cloud: c.norm('cloud') !== '',
      processorManufacturer: c.norm('processorManufacturer'), processorType: c.norm('processorType'),
      processorModel: c.norm('processorModel'), processorFamily: c.norm('processorFamily'),
      maxClockSpeed: c.number('maxClockSpeed', 0),
      site: c.norm('site'), company: c.norm('company'), ownerId: c.norm('ownerId'), ot: c.bool('ot') ?? false,
      ipAddress: c.text('ipAddress'), environment: c.norm('environment'),
      hardwareManufacturer: c.norm('hardwareManufacturer'), hardwareModel: c.norm('hardwareModel'),
      problems: c.problems,
    };
  },
  clusters: (c, key) => ({ sheet: 'clusters', ...base(c, key), name: c.text('name'), mobility: c.bool('mobility') ?? false, problems: c.problems }),
  installations: (c, key) => {
    const publisherName = c.text('publisher'), productName = c.text('product');
    return {
      sheet: 'installations', ...base(c, key),
      deviceId: c.norm('deviceId'), publisher: publisherName.toLowerCase(), product: productName.toLowerCase(),
      version: c.norm('version'), edition: c.norm('edition'), userId: c.norm('userId'), publisherName, productName,
      problems: c.problems,
    };
  },
  users: (c, key) => ({
    sheet: 'users', ...base(c, key),
    name: c.text('name'), company: c.norm('company'), site: c.norm('site'),
    employeeType: c.oneOf('employeeType', EMPLOYEE_SET) ?? 'employee', role: c.oneOf('role', ROLE_SET) ?? 'user',
    active: c.bool('active') ?? true, problems: c.problems,
  }),
  allocations: (c, key) => ({
    sheet: 'allocations', ...base(c, key),
    entitlementId: c.norm('entitlementId'), userId: c.norm('userId'), deviceId: c.norm('deviceId'),
    rights: c.number('rights', 0) ?? 1, userType: c.norm('userType'), problems: c.problems,
  }),
  subscriptions: (c, key) => ({
    sheet: 'subscriptions', ...base(c, key),
    userId: c.norm('userId'), publisher: c.norm('publisher'), product: c.norm('product'), active: c.bool('active') ?? true,
    problems: c.problems,
  }),
  sessions: (c, key) => {
    const row: Session = {
      sheet: 'sessions', ...base(c, key),
      publisher: c.norm('publisher'), product: c.norm('product'), userId: c.norm('userId'), deviceId: c.norm('deviceId'),
      start: c.time('start'), end: c.time('end'), tokens: c.number('tokens', 0) ?? 1, network: c.norm('network'),
      client: c.norm('client'),
    };
    // A session must start to be placed in time; one that ends before it starts is not placed either.
    if (row.start === undefined && c.cell('start') === undefined) c.report('start', 'start is required: the session is not counted');
    if (row.start !== undefined && row.end !== undefined && row.end < row.start) {
      c.report('end', 'end is before start: the session is not counted');
      row.start = undefined;
    }
    row.problems = c.problems;
    return row;
  },
  access: (c, key) => ({
    sheet: 'access', ...base(c, key),
    publisher: c.norm('publisher'), product: c.norm('product'), serverId: c.norm('serverId'), userId: c.norm('userId'),
    deviceId: c.norm('deviceId'), problems: c.problems,
  }),
  sensors: (c, key) => ({
    sheet: 'sensors', ...base(c, key),
    deviceId: c.norm('deviceId'), publisher: c.norm('publisher'), product: c.norm('product'), seenAt: c.time('seenAt'),
    problems: c.problems,
  }),
  measurements: (c, key) => ({
    sheet: 'measurements', ...base(c, key),
    publisher: c.norm('publisher'), product: c.norm('product'), quantity: c.number('quantity'), date: c.time('date'),
    problems: c.problems,
  }),
  factors: (c, key) => ({
    sheet: 'factors', ...base(c, key),
    kind: c.oneOf('kind', KIND_SET) ?? '', publisher: c.norm('publisher'),
    processorManufacturer: c.norm('processorManufacturer'), processorType: c.norm('processorType'),
    processorModel: c.norm('processorModel'), processorFamily: c.norm('processorFamily'),
    maxClockSpeed: c.number('maxClockSpeed', 0), value: c.number('value', 0), problems: c.problems,
  }),
  tiers: (c, key) => {
    const row: Tier = {
      sheet: 'tiers', ...base(c, key),
      publisher: c.norm('publisher'), product: c.norm('product'), metric: c.oneOf('metric', METRIC_SET) ?? '',
      from: c.count('from'), to: c.count('to'), unitsPer: c.number('unitsPer', 0),
    };
    if (row.from !== undefined && row.to !== undefined && row.to < row.from) c.report('to', 'to is below from: the tier converts nothing');
    row.problems = c.problems;
    return row;
  },
  modelCategories: (c, key) => {
    const nameDisplay = c.text('name');
    const resource = c.oneOf('resourceCategory', RESOURCE_SET);
    return {
      sheet: 'modelCategories', ...base(c, key),
      name: nameDisplay.toLowerCase(), nameDisplay, parent: c.norm('parent'),
      resourceCategory: resource ? RESOURCE_NAMES.get(resource)! : '', problems: c.problems,
    };
  },
  hamCategories: (c, key) => {
    const category = c.oneOf('category', HAM_CATEGORY_SET);
    return {
      sheet: 'hamCategories', ...base(c, key),
      category: category ? HAM_CATEGORY_NAMES.get(category)! : '', ratio: c.number('ratio', 0, true),
      optedIn: c.bool('optedIn'), problems: c.problems,
    };
  },
};

/** Readers are reused across rows: parsing a million rows must not allocate one per row. */
const readers = new Map<SheetName, CellReader>();

/** Reads one raw row of a sheet. Its cell problems are on `row.problems`. */
export function parseRow<S extends SheetName>(sheet: S, key: string, raw: RawRow): RowOf[S] {
  let reader = readers.get(sheet);
  if (!reader) readers.set(sheet, (reader = new CellReader(sheet)));
  const row = (PARSERS[sheet] as Parser<S>)(reader.start(key, raw), key);
  if (row.id === '') {
    reader.report('id', 'id is required');
    row.problems = reader.problems;
  }
  return row;
}

export { display, norm };
export const KNOWN_COLUMNS: Readonly<Record<SheetName, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(COLUMNS).map(([s, cols]) => [s, new Set(cols.map((c) => c.name))]),
) as unknown as Record<SheetName, ReadonlySet<string>>;
