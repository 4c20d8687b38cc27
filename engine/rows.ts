// Typed rows: each sheet's cells read once into a fixed-shape object. Text that rules compare is
// kept in its comparison form (trimmed, lower case); names shown to people keep their display form.
// Numbers that were blank or unreadable are `undefined`: the rules decide what that means.

import { CellReader, display, isBlank, MAX_AMOUNT, NO_PROBLEMS, norm, toTime, type Problem, type RawRow, type RowKey } from './cells';
import {
  DEVICE_STATUSES, EMPLOYEE_TYPES, FACTOR_KINDS, RULE_KINDS, USER_ROLES, type SheetName, COLUMNS,
} from './schema';
import { METRIC_IDS } from './metrics/catalog';
import { RESOURCE_CATEGORIES, OT_CATEGORIES } from './ham/categories';
import { normShared } from './cells';
import { productKey } from './store/multimap';
import { checkRule } from './normalize/rules';

interface RowBase {
  /** Stable key of the row in its document; sheet order is the order of keys. */
  key: RowKey;
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
  /**
   * The right also covers lower versions (metrics.md, "Overlapping positions"); part of the
   * position key. Decision: false when the version is blank, where "lower versions" means nothing
   * (a blank version already matches every version).
   */
  downgrade: boolean;
  /** When the right is up for renewal, and how many days before that notice must be given: no count reads them. */
  renewal: number | undefined; noticeDays: number | undefined;
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
  /** When discovery last saw the device: no count reads it. */
  lastSeen: number | undefined;
  /** Scratch mark for one-pass distinct counts (see unlicensed.ts); means nothing between passes. */
  seen: unknown;
}

export interface Cluster extends RowBase { readonly sheet: 'clusters'; name: string; mobility: boolean }

/**
 * Rows that name a product carry its publisher and product normalized (engine/normalize/) in the
 * fields rules read, and the raw cells' comparison forms beside them: a rule edit re-normalizes
 * from those, and the document keeps the raw cells.
 */
export interface Installation extends RowBase {
  readonly sheet: 'installations';
  deviceId: string; publisher: string; product: string; version: string; edition: string; userId: string;
  publisherName: string; productName: string;
  /** productKey(publisher, product), shared by every installation of the product. */
  productKey: string;
  /** The device deviceId names (the first row with that id), kept current by the store. */
  device: Device | undefined;
  /** The user userId names (the first row with that id), kept current by the store. */
  user: User | undefined;
  /** The raw publisher and product (shared by every installation with the same cells). */
  raw: ProductNames;
  rawVersion: string; rawEdition: string;
}

export interface User extends RowBase {
  readonly sheet: 'users';
  name: string; company: string; site: string; employeeType: string; role: string; active: boolean;
}

export interface Allocation extends RowBase {
  readonly sheet: 'allocations';
  entitlementId: string; userId: string; deviceId: string; rights: number; userType: string;
}

/** A row naming a product besides installations: its raw publisher and product's comparison forms. */
interface RawProduct { rawPublisher: string; rawProduct: string }

export interface Subscription extends RowBase, RawProduct {
  readonly sheet: 'subscriptions';
  userId: string; publisher: string; product: string; active: boolean;
}

export interface Session extends RowBase, RawProduct {
  readonly sheet: 'sessions';
  publisher: string; product: string; userId: string; deviceId: string;
  start: number | undefined; end: number | undefined; tokens: number; network: string; client: string;
}

export interface Access extends RowBase, RawProduct {
  readonly sheet: 'access';
  publisher: string; product: string; serverId: string; userId: string; deviceId: string;
}

export interface Sensor extends RowBase, RawProduct {
  readonly sheet: 'sensors';
  deviceId: string; publisher: string; product: string; seenAt: number | undefined;
}

export interface Measurement extends RowBase, RawProduct {
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

/** A normalization rule (engine/normalize/rules.ts says what each kind does). */
export interface NormalizationRule extends RowBase {
  readonly sheet: 'normalization';
  /** alias, ignore or pattern; '' when blank or unknown (the rule does nothing). */
  kind: string;
  /** Comparison form; '' for any publisher. */
  publisher: string;
  /** Display form: an exact product (alias) or a pattern (ignore, pattern). */
  product: string;
  toPublisher: string; toProduct: string; toVersion: string; toEdition: string;
  /** No problem keeps the rule from doing something. */
  valid: boolean;
}

export interface RowOf {
  entitlements: Entitlement; devices: Device; clusters: Cluster; installations: Installation; users: User;
  allocations: Allocation; subscriptions: Subscription; sessions: Session; access: Access; sensors: Sensor;
  measurements: Measurement; factors: Factor; tiers: Tier; modelCategories: ModelCategory; hamCategories: HamCategory;
  normalization: NormalizationRule;
}
export type AnyRow = RowOf[SheetName];

const lowerSet = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
const METRIC_SET = lowerSet(METRIC_IDS);
const STATUS_SET = lowerSet(DEVICE_STATUSES);
const EMPLOYEE_SET = lowerSet(EMPLOYEE_TYPES);
const ROLE_SET = lowerSet(USER_ROLES);
const KIND_SET = lowerSet(FACTOR_KINDS);
const RULE_KIND_SET = lowerSet(RULE_KINDS);
const canonical = (names: readonly string[]) => new Map(names.map((n) => [n.toLowerCase(), n]));
const RESOURCE_NAMES = canonical(RESOURCE_CATEGORIES);
const HAM_CATEGORY_NAMES = canonical([...RESOURCE_CATEGORIES, ...OT_CATEGORIES]);
const RESOURCE_SET = new Set(RESOURCE_NAMES.keys());
const HAM_CATEGORY_SET = new Set(HAM_CATEGORY_NAMES.keys());

/**
 * A publisher and product as cells name them: comparison and display forms, and their product key.
 * `normalized`/`normalizedBy` cache what an engine's rules make of them (engine/normalize/
 * normalization.ts): an installation reads it from the object it shares with every installation of
 * the same cells, instead of looking its pair up.
 */
export interface ProductNames {
  publisher: string; product: string; publisherName: string; productName: string; productKey: string;
  normalized: unknown; normalizedBy: unknown;
}

/** Names of a product by its raw cells: a million installations name a few hundred products. */
const PRODUCTS = new Map<string, Map<string, ProductNames>>();

function productNamesOf(publisherName: string, productName: string): ProductNames {
  const publisher = normShared(publisherName), product = normShared(productName);
  return { publisher, product, publisherName, productName, productKey: productKey(publisher, product), normalized: undefined, normalizedBy: undefined };
}

/** The cached names for two text cells; undefined when either is not text (read them cell by cell). */
function productNames(rawPublisher: unknown, rawProduct: unknown): ProductNames | undefined {
  if (typeof rawPublisher !== 'string' || typeof rawProduct !== 'string') return undefined;
  let byProduct = PRODUCTS.get(rawPublisher);
  if (!byProduct) {
    // Bounded like the texts it keeps: a file of distinct or huge names is read name by name.
    if (PRODUCTS.size >= 10_000 || rawPublisher.length > 256 || rawProduct.length > 256) return productNamesOf(rawPublisher.trim(), rawProduct.trim());
    PRODUCTS.set(rawPublisher, (byProduct = new Map()));
  }
  let names = byProduct.get(rawProduct);
  if (!names) {
    names = productNamesOf(rawPublisher.trim(), rawProduct.trim());
    if (byProduct.size < 10_000) byProduct.set(rawProduct, names);
  }
  return names;
}

/**
 * An installation row. The fields every pass over a million of them reads (its device, product,
 * version and edition) come first, so that one or two cache lines of the row hold them all: a
 * pass product by product (a position's) meets rows that lie in file order, and waits on memory.
 */
function installation(key: RowKey, id: string, deviceId: string, p: ProductNames, version: string, edition: string, userId: string, problems: Problem[]): Installation {
  return {
    sheet: 'installations', key, device: undefined, publisher: p.publisher, product: p.product, version, edition, productKey: p.productKey,
    user: undefined, userId, deviceId, problems, id, idN: id.toLowerCase(), publisherName: p.publisherName, productName: p.productName,
    raw: p, rawVersion: version, rawEdition: edition,
  };
}

type Parser<S extends SheetName> = (c: CellReader, key: RowKey, id: string) => RowOf[S];

const PARSERS: { [S in SheetName]: Parser<S> } = {
  entitlements: (c, key, id) => {
    const publisherName = c.text('publisher'), productName = c.text('product');
    const versionName = c.text('version'), editionName = c.text('edition');
    const row: Entitlement = {
      sheet: 'entitlements', key, id, idN: id.toLowerCase(),
      publisher: normShared(publisherName), product: normShared(productName),
      version: normShared(versionName), edition: normShared(editionName),
      publisherName, productName, versionName, editionName,
      metric: c.oneOf('metric', METRIC_SET) ?? '',
      quantity: c.number('quantity', 0) ?? 0,
      warn1: c.number('warn1', 0), warn2: c.number('warn2', 0), unitCost: c.number('unitCost', 0),
      start: c.time('start'), end: c.time('end'),
      company: c.shared('company'), site: c.shared('site'), network: c.shared('network'),
      copiesPerDevice: c.count('copiesPerDevice'), maxCoresPerProcessor: c.count('maxCoresPerProcessor'),
      minCoresPerProcessor: c.count('minCoresPerProcessor'), minCoresPerServer: c.count('minCoresPerServer'),
      minCoresPerVm: c.count('minCoresPerVm'), nupPerProcessor: c.number('nupPerProcessor', 0),
      subcapacity: c.bool('subcapacity'),
      hardwareManufacturer: c.shared('hardwareManufacturer'), hardwareModel: c.shared('hardwareModel'),
      userType: c.shared('userType'),
      downgrade: (c.bool('downgrade') ?? false) && versionName !== '',
      renewal: c.time('renewal'), noticeDays: c.count('noticeDays'), problems: c.problems,
    };
    if (row.metric === '' && c.cell('metric') === undefined) c.report('metric', 'metric is required: the entitlement joins no position');
    if (row.start !== undefined && row.end !== undefined && row.end < row.start) c.report('end', 'end is before start');
    row.problems = c.problems;
    return row;
  },
  devices: (c, key, id) => {
    const modelCategoryName = c.text('modelCategory');
    const status = c.oneOf('status', STATUS_SET) ?? 'in use';
    return {
      // Passes over installations read their device's counts and seen: first, beside the row's start.
      sheet: 'devices', key, counts: status !== 'retired' && status !== 'disposed', seen: undefined, id, idN: id.toLowerCase(),
      name: c.text('name'), modelCategory: modelCategoryName.toLowerCase(), modelCategoryName, status,
      virtual: c.bool('virtual') ?? false, hostId: c.norm('hostId'), cluster: c.shared('cluster'),
      cpus: c.count('cpus'), cores: c.count('cores'), vcpus: c.count('vcpus'),
      hyperthreading: c.bool('hyperthreading') ?? false, cloud: c.norm('cloud') !== '',
      processorManufacturer: c.shared('processorManufacturer'), processorType: c.shared('processorType'),
      processorModel: c.shared('processorModel'), processorFamily: c.shared('processorFamily'),
      maxClockSpeed: c.number('maxClockSpeed', 0),
      site: c.shared('site'), company: c.shared('company'), ownerId: c.norm('ownerId'), ot: c.bool('ot') ?? false,
      ipAddress: c.text('ipAddress'), environment: c.shared('environment'),
      hardwareManufacturer: c.shared('hardwareManufacturer'), hardwareModel: c.shared('hardwareModel'),
      lastSeen: c.time('lastSeen'), problems: c.problems,
    };
  },
  clusters: (c, key, id) => ({ sheet: 'clusters', key, id, idN: id.toLowerCase(), name: c.text('name'), mobility: c.bool('mobility') ?? false, problems: c.problems }),
  installations: (c, key, id) => {
    const p = productNames(c.cell('publisher'), c.cell('product')) ?? productNamesOf(c.text('publisher'), c.text('product'));
    const deviceId = c.norm('deviceId'), version = c.shared('version'), edition = c.shared('edition'), userId = c.norm('userId');
    return installation(key, id, deviceId, p, version, edition, userId, c.problems);
  },
  users: (c, key, id) => ({
    sheet: 'users', key, id, idN: id.toLowerCase(),
    name: c.text('name'), company: c.shared('company'), site: c.shared('site'),
    employeeType: c.oneOf('employeeType', EMPLOYEE_SET) ?? 'employee', role: c.oneOf('role', ROLE_SET) ?? 'user',
    active: c.bool('active') ?? true, problems: c.problems,
  }),
  allocations: (c, key, id) => ({
    sheet: 'allocations', key, id, idN: id.toLowerCase(),
    entitlementId: c.norm('entitlementId'), userId: c.norm('userId'), deviceId: c.norm('deviceId'),
    rights: c.number('rights', 0) ?? 1, userType: c.shared('userType'), problems: c.problems,
  }),
  subscriptions: (c, key, id) => {
    const publisher = c.shared('publisher'), product = c.shared('product');
    return {
      sheet: 'subscriptions', key, id, idN: id.toLowerCase(),
      userId: c.norm('userId'), publisher, product, active: c.bool('active') ?? true,
      problems: c.problems, rawPublisher: publisher, rawProduct: product,
    };
  },
  sessions: (c, key, id) => {
    const publisher = c.shared('publisher'), product = c.shared('product');
    const row: Session = {
      sheet: 'sessions', key, id, idN: id.toLowerCase(),
      publisher, product, userId: c.norm('userId'), deviceId: c.norm('deviceId'),
      start: c.time('start'), end: c.time('end'), tokens: c.number('tokens', 0) ?? 1, network: c.shared('network'),
      client: c.shared('client'), problems: c.problems, rawPublisher: publisher, rawProduct: product,
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
  access: (c, key, id) => {
    const publisher = c.shared('publisher'), product = c.shared('product');
    return {
      sheet: 'access', key, id, idN: id.toLowerCase(),
      publisher, product, serverId: c.norm('serverId'), userId: c.norm('userId'),
      deviceId: c.norm('deviceId'), problems: c.problems, rawPublisher: publisher, rawProduct: product,
    };
  },
  sensors: (c, key, id) => {
    const publisher = c.shared('publisher'), product = c.shared('product');
    return {
      sheet: 'sensors', key, id, idN: id.toLowerCase(),
      deviceId: c.norm('deviceId'), publisher, product, seenAt: c.time('seenAt'),
      problems: c.problems, rawPublisher: publisher, rawProduct: product,
    };
  },
  measurements: (c, key, id) => {
    const publisher = c.shared('publisher'), product = c.shared('product');
    return {
      sheet: 'measurements', key, id, idN: id.toLowerCase(),
      publisher, product, quantity: c.number('quantity', 0), date: c.time('date'),
      problems: c.problems, rawPublisher: publisher, rawProduct: product,
    };
  },
  factors: (c, key, id) => ({
    sheet: 'factors', key, id, idN: id.toLowerCase(),
    kind: c.oneOf('kind', KIND_SET) ?? '', publisher: c.shared('publisher'),
    processorManufacturer: c.shared('processorManufacturer'), processorType: c.shared('processorType'),
    processorModel: c.shared('processorModel'), processorFamily: c.shared('processorFamily'),
    maxClockSpeed: c.number('maxClockSpeed', 0), value: c.number('value', 0), problems: c.problems,
  }),
  tiers: (c, key, id) => {
    const row: Tier = {
      sheet: 'tiers', key, id, idN: id.toLowerCase(),
      publisher: c.shared('publisher'), product: c.shared('product'), metric: c.oneOf('metric', METRIC_SET) ?? '',
      from: c.count('from'), to: c.count('to'), unitsPer: c.number('unitsPer', 0), problems: c.problems,
    };
    if (row.from !== undefined && row.to !== undefined && row.to < row.from) c.report('to', 'to is below from: the tier converts nothing');
    row.problems = c.problems;
    return row;
  },
  modelCategories: (c, key, id) => {
    const nameDisplay = c.text('name');
    const resource = c.oneOf('resourceCategory', RESOURCE_SET);
    return {
      sheet: 'modelCategories', key, id, idN: id.toLowerCase(),
      name: nameDisplay.toLowerCase(), nameDisplay, parent: c.norm('parent'),
      resourceCategory: resource ? RESOURCE_NAMES.get(resource)! : '', problems: c.problems,
    };
  },
  hamCategories: (c, key, id) => {
    const category = c.oneOf('category', HAM_CATEGORY_SET);
    return {
      sheet: 'hamCategories', key, id, idN: id.toLowerCase(),
      category: category ? HAM_CATEGORY_NAMES.get(category)! : '', ratio: c.number('ratio', 0, true),
      optedIn: c.bool('optedIn'), problems: c.problems,
    };
  },
  normalization: (c, key, id) => {
    const row: NormalizationRule = {
      sheet: 'normalization', key, id, idN: id.toLowerCase(),
      kind: c.oneOf('kind', RULE_KIND_SET) ?? '', publisher: c.shared('publisher'), product: c.text('product'),
      toPublisher: c.text('toPublisher'), toProduct: c.text('toProduct'), toVersion: c.text('toVersion'), toEdition: c.text('toEdition'),
      valid: false, problems: c.problems,
    };
    row.valid = checkRule(row, (column, message) => c.report(column, message), c.cell('kind') !== undefined);
    row.problems = c.problems;
    return row;
  },
};

const textOrAbsent = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/** A date cell as CellReader.time reads text: undefined when blank, null when unreadable. */
function plainTime(v: string | undefined): number | undefined | null {
  if (v === undefined || isBlank(v)) return undefined;
  const t = toTime(v);
  return Number.isNaN(t) ? null : t;
}

/** The display form of a text id, or null when blank (the CellReader reports that). */
const plainId = (id: string): string | null => {
  const shown = id.trim();
  return shown === '' ? null : shown;
};

/**
 * The sheets of a million rows (installations) and of hundreds of thousands (sensors, sessions).
 * When every cell a row type reads is text (or absent), as in any inventory export, the row is
 * built from its cells read by name; anything else (a number, null, an object, a blank id, a date
 * that does not read) is left to the CellReader, which gives the same row for such cells
 * (tests/engine/rows-plain.test.ts). Through the CellReader each cell is a lookup by a column name
 * that varies, about a third of the cost of typing a row.
 */
const PLAIN: { [S in SheetName]?: (key: RowKey, raw: RawRow) => RowOf[S] | undefined } = {
  installations: (key, raw) => {
    const { id, deviceId, publisher, product, version, edition, userId } = raw;
    if (typeof id !== 'string' || typeof publisher !== 'string' || typeof product !== 'string' || !textOrAbsent(deviceId)
      || !textOrAbsent(version) || !textOrAbsent(edition) || !textOrAbsent(userId)) return undefined;
    const shown = plainId(id);
    if (shown === null) return undefined;
    return installation(key, shown, norm(deviceId), productNames(publisher, product)!, normShared(version), normShared(edition), norm(userId), NO_PROBLEMS);
  },
  sessions: (key, raw) => {
    const { id, publisher, product, userId, deviceId, start, end, tokens, network, client } = raw;
    if (typeof id !== 'string' || !textOrAbsent(publisher) || !textOrAbsent(product) || !textOrAbsent(userId) || !textOrAbsent(deviceId)
      || !textOrAbsent(start) || !textOrAbsent(end) || !textOrAbsent(network) || !textOrAbsent(client)
      || !(tokens === undefined || (typeof tokens === 'number' && tokens >= 0 && tokens <= MAX_AMOUNT))) return undefined;
    const shown = plainId(id), from = plainTime(start), to = plainTime(end);
    // A session that does not start, or ends before it starts, has a problem: the CellReader's.
    if (shown === null || from === undefined || from === null || to === null || (to !== undefined && to < from)) return undefined;
    const pub = normShared(publisher), prod = normShared(product);
    return {
      sheet: 'sessions', key, id: shown, idN: shown.toLowerCase(),
      publisher: pub, product: prod, userId: norm(userId), deviceId: norm(deviceId),
      start: from, end: to, tokens: tokens ?? 1, network: normShared(network), client: normShared(client), problems: NO_PROBLEMS,
      rawPublisher: pub, rawProduct: prod,
    };
  },
  sensors: (key, raw) => {
    const { id, deviceId, publisher, product, seenAt } = raw;
    if (typeof id !== 'string' || !textOrAbsent(deviceId) || !textOrAbsent(publisher) || !textOrAbsent(product) || !textOrAbsent(seenAt)) return undefined;
    const shown = plainId(id), seen = plainTime(seenAt);
    if (shown === null || seen === null) return undefined;
    const pub = normShared(publisher), prod = normShared(product);
    return {
      sheet: 'sensors', key, id: shown, idN: shown.toLowerCase(),
      deviceId: norm(deviceId), publisher: pub, product: prod, seenAt: seen, problems: NO_PROBLEMS,
      rawPublisher: pub, rawProduct: prod,
    };
  },
};

/** Readers are reused across rows: parsing a million rows must not allocate one per row. */
const readers = new Map<SheetName, CellReader>();

/** Reads one raw row of a sheet. Its cell problems are on `row.problems`. */
export function parseRow<S extends SheetName>(sheet: S, key: RowKey, raw: RawRow): RowOf[S] {
  return PLAIN[sheet]?.(key, raw) ?? readRow(sheet, key, raw);
}

/** parseRow through the CellReader, cell by cell, whatever the cells hold. */
export function readRow<S extends SheetName>(sheet: S, key: RowKey, raw: RawRow): RowOf[S] {
  let reader = readers.get(sheet);
  if (!reader) readers.set(sheet, (reader = new CellReader(sheet)));
  reader.start(key, raw);
  const row = (PARSERS[sheet] as Parser<S>)(reader, key, reader.text('id'));
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
