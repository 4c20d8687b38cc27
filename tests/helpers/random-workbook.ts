// fast-check arbitraries for small, dense workbooks and edit sequences over every sheet. Ids come
// from small pools so that references hit, miss and collide (duplicates) often; values include
// blanks and unreadable cells, because the engine must survive them.

import fc from 'fast-check';
import { COLUMNS, SHEETS, type SheetName, type Column } from '../../engine/schema';
import { METRIC_IDS } from '../../engine/metrics/catalog';
import { RULES } from '../../engine/metrics';
import { RESOURCE_CATEGORIES, OT_CATEGORIES } from '../../engine/ham/categories';

export type Cell = string | number | boolean | null;
export type RowCells = Record<string, Cell>;

const DEVICES = ['d0', 'd1', 'd2', 'd3', 'h0', 'h1', 'h2', 'v0', 'v1', 'v2'];
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
const CLUSTERS = ['c0', 'c1', 'c2'];
const ENTITLEMENTS = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5'];

const ID_POOLS: Partial<Record<SheetName, string[]>> = {
  devices: DEVICES, users: USERS, clusters: CLUSTERS, entitlements: ENTITLEMENTS,
};

const bad = fc.constantFrom<Cell>('abc', '-1', 'x7');

/** Values for a column: mostly sensible, sometimes blank, rarely unreadable. */
/**
 * Normalization rules over the pools' names: aliases of a raw publisher and product, ignore rules,
 * patterns with captures, and a pattern that does not read.
 */
function ruleCellArb(col: Column): fc.Arbitrary<Cell> | null {
  switch (col.name) {
    case 'kind': return fc.constantFrom('alias', 'alias', 'ignore', 'pattern', 'pattern');
    case 'publisher': return fc.constantFrom('', '', 'Acme Corp', 'acme', 'Beta');
    case 'product': return fc.constantFrom('', 'X Pro 1', 'x', 'Y', '^x pro (\\d)', 'x pro (\\d)?$', '(service) (manager)', 'SSO', 'Y|Z', '(bad');
    case 'toPublisher': return fc.constantFrom('', '', 'Acme', 'Beta');
    case 'toProduct': return fc.constantFrom('', 'X', 'Y', 'Service $2');
    case 'toVersion': return fc.constantFrom('', '', '$1', '2');
    case 'toEdition': return fc.constantFrom('', '', '1', '$1');
    default: return null;
  }
}

function cellArb(sheet: SheetName, col: Column): fc.Arbitrary<Cell> {
  const sensible = ((): fc.Arbitrary<Cell> => {
    const rule = sheet === 'normalization' ? ruleCellArb(col) : null;
    if (rule) return rule;
    switch (col.name) {
      case 'id': return fc.constantFrom(...(ID_POOLS[sheet] ?? ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']));
      // Raw names too ("Acme Corp", "X Pro 1"), which only normalization rules turn into the pools' names.
      case 'publisher': return sheet === 'entitlements' || sheet === 'tiers' ? fc.constantFrom('Acme', 'acme ', 'Beta') : fc.constantFrom('Acme', 'acme ', 'Beta', 'Acme Corp');
      case 'product': return sheet === 'entitlements' || sheet === 'tiers' ? fc.constantFrom('X', 'Y', 'x', '*') : fc.constantFrom('X', 'Y', 'Service Manager', 'SSO', 'X Pro 1', 'x pro 2');
      case 'version': case 'edition': return fc.constantFrom('', '', '1', '2');
      case 'deviceId': case 'hostId': case 'serverId': return fc.constantFrom(...DEVICES, 'zz');
      case 'userId': case 'ownerId': return fc.constantFrom(...USERS, 'ux');
      case 'cluster': return fc.constantFrom(...CLUSTERS, 'cx');
      case 'entitlementId': return fc.constantFrom(...ENTITLEMENTS);
      case 'company': return fc.constantFrom('', '', 'north', 'South');
      case 'site': return fc.constantFrom('', '', 'paris', 'Oslo');
      case 'network': return fc.constantFrom('', 'lan', 'wan');
      case 'modelCategory': return fc.constantFrom('Computer', 'ESX Server', 'Linux Server', 'Laptop', 'Monitor', 'Mobile Device', 'IP Switch', 'Card', 'Printer', 'Gadget', '');
      case 'name': return sheet === 'modelCategories' ? fc.constantFrom('Laptop', 'Monitor', 'Gadget', 'Computer') : fc.constantFrom('n1', 'n2');
      case 'parent': return fc.constantFrom('Computer', 'Laptop', 'Gadget', 'Nowhere', '');
      case 'resourceCategory': return fc.constantFrom(...RESOURCE_CATEGORIES, '');
      case 'category': return fc.constantFrom(...RESOURCE_CATEGORIES, ...OT_CATEGORIES);
      case 'environment': return fc.constantFrom('production', 'test', '');
      case 'processorManufacturer': return fc.constantFrom('Intel', 'AMD', '');
      case 'processorModel': return fc.constantFrom('Gold', 'Epyc', '');
      case 'kind': return fc.constantFrom('multiplier', 'constant', 'pvu', 'core_factor');
      case 'value': case 'unitsPer': return fc.constantFrom(0.5, 0.25, 1, 1.5, 2, 70, 0.1, 0.3);
      case 'userType': return fc.constantFrom('advanced', 'core', 'self-service', 'professional', '');
      case 'client': return fc.constantFrom('Core', 'Nano', 'Portal');
      case 'ipAddress': return fc.constantFrom('10.0.0.1', '');
      case 'cloud': return fc.constantFrom('aws', '');
      case 'start': case 'end': case 'seenAt': case 'date':
        return sheet === 'entitlements'
          ? fc.constantFrom('2025-01-01', '2026-10-31', '2026-11-01', '2027-01-01')
          : fc.integer({ min: 0, max: 40 * 24 }).map((h) => new Date(Date.UTC(2026, 9, 1) + h * 3_600_000 + (h % 3) * 900_000).toISOString());
      case 'from': return fc.constantFrom(1, 2, 3, 5);
      case 'to': return fc.constantFrom(2, 4, 10, null);
    }
    switch (col.kind) {
      case 'number': return fc.constantFrom(0, 1, 2, 3, 4, 8, 16, 2.5);
      case 'count': return fc.constantFrom(0, 1, 2, 3, 4, 8, 16, 64);
      case 'bool': return fc.constantFrom(true, false, 'yes', 'no');
      case 'enum': return fc.constantFrom(...(col.name === 'metric' ? METRIC_IDS : col.values ?? ['']));
      default: return fc.constantFrom('a', 'b');
    }
  })();
  return fc.oneof({ weight: 12, arbitrary: sensible }, { weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: bad });
}

/** Columns worth generating for each sheet (the rest stay blank). */
const INTERESTING: Partial<Record<SheetName, string[]>> = {
  entitlements: ['id', 'publisher', 'product', 'version', 'metric', 'quantity', 'warn1', 'warn2', 'unitCost', 'start', 'end', 'company', 'site',
    'network', 'copiesPerDevice', 'maxCoresPerProcessor', 'minCoresPerProcessor', 'minCoresPerServer', 'minCoresPerVm', 'nupPerProcessor',
    'subcapacity', 'hardwareManufacturer', 'userType'],
  devices: ['id', 'modelCategory', 'status', 'virtual', 'hostId', 'cluster', 'cpus', 'cores', 'vcpus', 'hyperthreading', 'cloud',
    'processorManufacturer', 'processorModel', 'site', 'company', 'ownerId', 'ot', 'ipAddress', 'environment', 'hardwareManufacturer'],
};

export function rowArb(sheet: SheetName): fc.Arbitrary<RowCells> {
  const names = INTERESTING[sheet] ?? COLUMNS[sheet].map((c) => c.name);
  const cols = COLUMNS[sheet].filter((c) => names.includes(c.name));
  return fc.record(Object.fromEntries(cols.map((c) => [c.name, cellArb(sheet, c)])) as Record<string, fc.Arbitrary<Cell>>);
}

export type Edit =
  | { op: 'add'; sheet: SheetName; row: RowCells }
  | { op: 'remove'; sheet: SheetName; pick: number }
  | { op: 'cell'; sheet: SheetName; pick: number; column: string; value: Cell }
  | { op: 'setting'; key: string; value: unknown };

const SETTINGS_ARB = fc.oneof(
  fc.record({ key: fc.constant('asOf'), value: fc.constantFrom('2026-11-01', '2026-10-20', '2027-02-01', 'bad', undefined) }),
  fc.record({ key: fc.constant('windowStart'), value: fc.constantFrom('2026-10-01', '2026-10-15', undefined) }),
  fc.record({ key: fc.constant('windowEnd'), value: fc.constantFrom('2026-11-01', '2026-10-20T12:00:00Z', undefined) }),
  fc.record({ key: fc.constant('hamLicenseVersion'), value: fc.constantFrom(4, 5, undefined) }),
  fc.record({ key: fc.constant('hamSolutions'), value: fc.constantFrom(['ham'], ['ztm'], ['tni', 'ham'], undefined) }),
  fc.record({ key: fc.constant('customCategoryLicensing'), value: fc.constantFrom(true, false, undefined) }),
  fc.record({ key: fc.constant('hamEntitlements'), value: fc.constantFrom(['ham_server_license'], undefined) }),
  fc.record({ key: fc.constant('asmFreeConnectors'), value: fc.constantFrom(['SSO'], [], undefined) }),
);

/** Edits weighted towards the ones the issue names: VM moves, mobility, factors, tiers, deletes, asOf. */
export function editArb(): fc.Arbitrary<Edit> {
  const sheet = fc.constantFrom(...SHEETS);
  const pick = fc.nat({ max: 1000 });
  const anyCell = sheet.chain((s) => fc.constantFrom(...COLUMNS[s]).chain((col) =>
    fc.record({ op: fc.constant('cell' as const), sheet: fc.constant(s), pick, column: fc.constant(col.name), value: cellArb(s, col) })));
  const focused = (s: SheetName, column: string) => {
    const col = COLUMNS[s].find((c) => c.name === column)!;
    return fc.record({ op: fc.constant('cell' as const), sheet: fc.constant(s), pick, column: fc.constant(column), value: cellArb(s, col) });
  };
  return fc.oneof(
    { weight: 4, arbitrary: sheet.chain((s) => rowArb(s).map((row) => ({ op: 'add' as const, sheet: s, row }))) },
    { weight: 2, arbitrary: sheet.map((s) => ({ op: 'remove' as const, sheet: s, pick: 0 })).chain((e) => pick.map((p) => ({ ...e, pick: p }))) },
    { weight: 6, arbitrary: anyCell },
    { weight: 2, arbitrary: focused('devices', 'hostId') },
    { weight: 1, arbitrary: focused('devices', 'cores') },
    { weight: 1, arbitrary: focused('devices', 'status') },
    { weight: 2, arbitrary: focused('clusters', 'mobility') },
    { weight: 1, arbitrary: focused('factors', 'value') },
    { weight: 1, arbitrary: focused('tiers', 'unitsPer') },
    { weight: 1, arbitrary: focused('installations', 'product') },
    { weight: 1, arbitrary: focused('normalization', 'product') },
    { weight: 1, arbitrary: focused('normalization', 'kind') },
    { weight: 1, arbitrary: focused('normalization', 'toProduct') },
    { weight: 1, arbitrary: focused('entitlements', 'quantity') },
    { weight: 1, arbitrary: focused('users', 'employeeType') },
    { weight: 1, arbitrary: focused('users', 'active') },
    { weight: 1, arbitrary: SETTINGS_ARB.map((s) => ({ op: 'setting' as const, ...s })) },
  );
}

/** A starting workbook: a few rows in every sheet. */
export function workbookArb(): fc.Arbitrary<Record<SheetName, RowCells[]>> {
  const sizes: Partial<Record<SheetName, number>> = { devices: 10, installations: 14, entitlements: 8, users: 5, sessions: 6, normalization: 5 };
  return fc.record(Object.fromEntries(SHEETS.map((s) => [s, fc.array(rowArb(s), { maxLength: sizes[s] ?? 4 })])) as Record<SheetName, fc.Arbitrary<RowCells[]>>);
}

/** Metrics whose rules read installations: random workbooks that use only these test them hardest. */
const INSTALL_METRICS = [...RULES.values()].filter((r) => r.install).map((r) => r.id);

/** Random rows of a sheet with some cells drawn from small pools, so that rows meet one another. */
const rowsOf = (sheet: SheetName, max: number, cells: Record<string, fc.Arbitrary<unknown>>) =>
  fc.array(fc.tuple(rowArb(sheet), fc.record(cells)).map(([row, set]) => ({ ...row, ...set }) as RowCells), { maxLength: max });

/**
 * Workbooks where every entitlement's metric reads installations and installations, allocations and
 * access records name the same few products, users, devices and entitlements: the random workbooks
 * of the first property seldom make such rows meet (a named user's allocation, say).
 */
export function denseWorkbookArb(): fc.Arbitrary<Record<SheetName, RowCells[]>> {
  const product = { publisher: fc.constant('Acme'), product: fc.constantFrom('X', 'Y') };
  const raw = { publisher: fc.constantFrom('Acme', 'Acme Corp'), product: fc.constantFrom('X', 'Y', 'X Pro 1') };
  const user = fc.constantFrom('u0', 'u1', 'u2', '');
  const device = fc.constantFrom('d0', 'd1', 'h0', 'v0');
  const place = { company: fc.constantFrom('', '', 'north'), site: fc.constantFrom('', '', 'paris') };
  return fc.record({
    entitlements: rowsOf('entitlements', 5, { id: fc.constantFrom('e0', 'e1', 'e2'), ...product, metric: fc.constantFrom(...INSTALL_METRICS), ...place,
      start: fc.constant(''), end: fc.constant(''), hardwareManufacturer: fc.constant(''), userType: fc.constant('') }),
    users: rowsOf('users', 3, { id: fc.constantFrom('u0', 'u1', 'u2'), active: fc.constantFrom(true, true, false), ...place }),
    devices: rowsOf('devices', 5, { id: device, status: fc.constantFrom('in use', 'retired'), ownerId: user, ...place }),
    installations: rowsOf('installations', 8, { ...raw, deviceId: device, userId: user }),
    normalization: rowsOf('normalization', 3, {}),
    allocations: rowsOf('allocations', 4, { entitlementId: fc.constantFrom('e0', 'e1', 'e2'), userId: user, deviceId: device }),
    access: rowsOf('access', 4, { ...product, userId: user, deviceId: device }),
    clusters: rowsOf('clusters', 2, {}),
    factors: rowsOf('factors', 3, {
      publisher: fc.constantFrom('Acme', ''), processorManufacturer: fc.constantFrom('Intel', ''), processorType: fc.constant(''),
      processorModel: fc.constant(''), processorFamily: fc.constant(''), maxClockSpeed: fc.constant(null),
    }),
  }).map((some) => Object.fromEntries(SHEETS.map((s) => [s, (some as Partial<Record<SheetName, RowCells[]>>)[s] ?? []])) as Record<SheetName, RowCells[]>);
}

// Overlapping positions (metrics.md, "Overlapping positions"): workbooks whose entitlements share a
// publisher and one or two metrics, with versioned, versionless and downgrade rights, product `*`,
// editions, company-, site- and network-scoped rights beside unscoped ones, and small quantities,
// so that rows compete between positions and shortfall moves along chains of covers.

/** Metrics of every family that reads rows a ranking decides: installations, users, access, sessions, measurements. */
const OVERLAP_METRICS = [
  'per_device', 'per_instance', 'per_core', 'socket_pair', 'per_core_cal', 'oracle_processor', 'rvu', 'per_user', 'named_user',
  'per_user_device', 'oracle_nup', 'user_cal', 'floating', 'concurrent_user', 'euvu', 'enterprise', 'fue', 'saas_consumption', 'asm_connector',
] as const;

const pools = {
  version: fc.constantFrom('', '', '1', '2', '10', '1.5', '0.9'),
  entVersion: fc.constantFrom('', '', '', '1', '2', '10', '1.5'),
  downgrade: fc.constantFrom<Cell>(true, true, false, null, 'maybe'),
  edition: fc.constantFrom('', '', '', 'pro', 'std'),
  entEdition: fc.constantFrom('', '', '', '', 'pro', 'Std '),
  product: fc.constantFrom('X', 'X', 'Y', 'Z'),
  entProduct: fc.constantFrom('X', 'X', 'x ', 'Y', '*'),
  company: fc.constantFrom('', '', 'north', 'South'),
  entCompany: fc.constantFrom('', '', '', 'North'),
  site: fc.constantFrom('', '', 'paris'),
  entSite: fc.constantFrom('', '', '', '', 'Paris'),
  network: fc.constantFrom('', 'lan', 'wan'),
  entNetwork: fc.constantFrom('', '', '', 'LAN'),
  quantity: fc.constantFrom<Cell>(0, 0, 1, 1, 1, 2, 3, 0.5),
  date: fc.constantFrom<Cell>(null, null, null, null, null, '2025-01-01', '2026-10-31', '2027-01-01', 'soon'),
  device: fc.constantFrom('d0', 'd1', 'd2', 'd3', 'h0', 'h1', 'v0', 'v1', 'v2'),
  user: fc.constantFrom('u0', 'u1', 'u2', 'u3', ''),
};

function overlapCells(metrics: readonly string[]): Partial<Record<SheetName, Record<string, fc.Arbitrary<unknown>>>> {
  return {
    entitlements: {
      id: fc.constantFrom(...ENTITLEMENTS, 'e6', 'e7'), publisher: fc.constantFrom('Acme', 'Acme', 'acme ', 'Acme', 'Beta'), product: pools.entProduct,
      metric: fc.constantFrom(...metrics), version: pools.entVersion, downgrade: pools.downgrade, edition: pools.entEdition,
      company: pools.entCompany, site: pools.entSite, network: pools.entNetwork, quantity: pools.quantity,
      start: pools.date, end: pools.date, warn1: fc.constantFrom<Cell>(null, null, 1, 2), warn2: fc.constantFrom<Cell>(null, null, 2, 3),
      unitCost: fc.constantFrom<Cell>(null, 10, 2.5), renewal: pools.date, noticeDays: fc.constantFrom<Cell>(null, 30, 'x'),
      minCoresPerProcessor: fc.constantFrom<Cell>(null, 8), minCoresPerServer: fc.constantFrom<Cell>(null, 16),
      minCoresPerVm: fc.constantFrom<Cell>(null, 4), nupPerProcessor: fc.constantFrom<Cell>(null, 2), subcapacity: fc.constantFrom<Cell>(null, true),
      hardwareManufacturer: fc.constant(null), userType: fc.constant(null), copiesPerDevice: fc.constantFrom<Cell>(null, 1),
    },
    installations: {
      publisher: fc.constantFrom('Acme', 'Acme', 'Beta'), product: pools.product, version: pools.version, edition: pools.edition,
      deviceId: pools.device, userId: pools.user,
    },
    devices: {
      id: pools.device, company: pools.company, site: pools.site, status: fc.constantFrom('in use', 'in use', 'in use', 'retired'),
      virtual: fc.constantFrom<Cell>(false, true), hostId: fc.constantFrom('', 'h0', 'h1', 'zz'), ownerId: pools.user,
      cpus: fc.constantFrom<Cell>(1, 2, null), cores: fc.constantFrom<Cell>(4, 16, null), vcpus: fc.constantFrom<Cell>(2, 6, null),
      modelCategory: fc.constantFrom('Computer', 'ESX Server'), cluster: fc.constantFrom('', 'c0', 'c1'), lastSeen: pools.date,
    },
    users: { id: fc.constantFrom('u0', 'u1', 'u2', 'u3'), company: pools.company, site: pools.site, active: fc.constantFrom<Cell>(true, true, false) },
    access: { publisher: fc.constant('Acme'), product: pools.product, userId: pools.user, deviceId: pools.device },
    sessions: { publisher: fc.constant('Acme'), product: pools.product, userId: pools.user, network: pools.network },
    allocations: { entitlementId: fc.constantFrom(...ENTITLEMENTS), userId: pools.user },
    measurements: { publisher: fc.constant('Acme'), product: pools.product },
    clusters: { id: fc.constantFrom('c0', 'c1'), mobility: fc.constantFrom<Cell>(true, false) },
    tiers: { publisher: fc.constantFrom('Acme', ''), product: fc.constant(''), metric: fc.constantFrom('rvu', 'euvu', '') },
  };
}

const OVERLAP_SIZES: Partial<Record<SheetName, number>> = {
  entitlements: 7, installations: 16, devices: 8, users: 4, access: 6, sessions: 6, allocations: 3, measurements: 3, clusters: 2, tiers: 2,
};

export interface OverlapScenario {
  initial: Record<SheetName, RowCells[]>;
  edits: Edit[];
}

/** Edits that make rows change positions and shortfall move: quantities above all, then keys, scopes, versions. */
function overlapEditArb(cells: ReturnType<typeof overlapCells>): fc.Arbitrary<Edit> {
  const pick = fc.nat({ max: 1000 });
  const focused = (sheet: SheetName, column: string) =>
    fc.record({ op: fc.constant('cell' as const), sheet: fc.constant(sheet), pick, column: fc.constant(column), value: cells[sheet]![column] as fc.Arbitrary<Cell> });
  const add = (sheet: SheetName) => rowsOf(sheet, 1, cells[sheet] ?? {}).filter((r) => r.length === 1).map((r) => ({ op: 'add' as const, sheet, row: r[0] }));
  const remove = (sheet: SheetName) => pick.map((p) => ({ op: 'remove' as const, sheet, pick: p }));
  return fc.oneof(
    { weight: 6, arbitrary: focused('entitlements', 'quantity') },
    ...['version', 'downgrade', 'product', 'edition', 'company', 'site', 'network', 'start', 'end', 'metric', 'renewal', 'publisher']
      .map((c) => ({ weight: 1, arbitrary: focused('entitlements', c) })),
    { weight: 2, arbitrary: add('entitlements') },
    { weight: 2, arbitrary: remove('entitlements') },
    { weight: 2, arbitrary: focused('installations', 'version') },
    { weight: 1, arbitrary: focused('installations', 'edition') },
    { weight: 1, arbitrary: focused('installations', 'product') },
    { weight: 1, arbitrary: add('installations') },
    { weight: 1, arbitrary: remove('installations') },
    ...['company', 'site', 'status', 'hostId', 'virtual', 'lastSeen'].map((c) => ({ weight: 1, arbitrary: focused('devices', c) })),
    ...['company', 'active'].map((c) => ({ weight: 1, arbitrary: focused('users', c) })),
    { weight: 1, arbitrary: focused('sessions', 'network') },
    { weight: 1, arbitrary: focused('access', 'userId') },
    { weight: 1, arbitrary: fc.constantFrom<Edit>({ op: 'setting', key: 'asOf', value: '2025-06-01' }, { op: 'setting', key: 'asOf', value: undefined }) },
  );
}

/** A workbook of overlapping positions over one or two metrics, and edits over it. */
export function overlapScenarioArb(maxEdits = 20): fc.Arbitrary<OverlapScenario> {
  // One metric, most often: every entitlement then joins the same group.
  const metricsArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...OVERLAP_METRICS).map((m) => [m]) }, { weight: 1, arbitrary: fc.subarray([...OVERLAP_METRICS], { minLength: 2, maxLength: 2 }) });
  return metricsArb.chain((metrics) => {
    const cells = overlapCells(metrics);
    // Every device and user of the pools exists (rows that name them meet), with random cells.
    const everyOne = (sheet: SheetName, ids: string[]) =>
      fc.tuple(...ids.map((id) => rowsOf(sheet, 1, { ...cells[sheet]!, id: fc.constant(id) }).filter((r) => r.length === 1).map((r) => r[0])));
    const sheetArb = (s: SheetName): fc.Arbitrary<RowCells[]> =>
      s === 'devices' ? everyOne(s, ['d0', 'd1', 'd2', 'd3', 'h0', 'h1', 'v0', 'v1', 'v2'])
      : s === 'users' ? everyOne(s, ['u0', 'u1', 'u2', 'u3'])
      : s === 'installations' ? fc.array(rowsOf(s, 1, cells[s]!).filter((r) => r.length === 1).map((r) => r[0]), { minLength: 4, maxLength: 16 })
      : cells[s] ? rowsOf(s, OVERLAP_SIZES[s] ?? 2, cells[s]!) : fc.constant([]);
    // Entitlements of one product most often, each narrowed one way (or none): chains of covers.
    const narrowed = fc.constantFrom<Record<string, Cell>>(
      {}, {}, { product: '*' }, { version: '2' }, { version: '10', downgrade: true }, { version: '2', downgrade: true }, { version: '1' },
      { company: 'North' }, { site: 'Paris' }, { edition: 'pro' }, { network: 'LAN' }, { version: '1.5', downgrade: true, company: 'north' },
      { product: 'Y' }, { publisher: 'Beta' },
    );
    const plain = { publisher: 'Acme', product: 'X', version: null, downgrade: null, edition: null, company: null, site: null, network: null };
    const one = rowsOf('entitlements', 1, cells.entitlements!).filter((r) => r.length === 1).map((r) => r[0]);
    const shaped = fc.tuple(one, narrowed).map(([row, narrow]) => ({ ...row, ...plain, ...narrow }));
    // A broad right first (product X or `*`, no narrowing) that the others' shortfall can move to.
    const root = fc.tuple(one, fc.constantFrom('X', '*')).map(([row, product]) => ({ ...row, ...plain, product }));
    const entitlements = fc.tuple(fc.option(root, { freq: 4 }), fc.array(fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: one }), { maxLength: 7 }))
      .map(([r, rest]) => (r === null ? rest : [r, ...rest]));
    const initial = fc.record(Object.fromEntries(SHEETS.map((s) => [s, s === 'entitlements' ? entitlements : sheetArb(s)]))) as fc.Arbitrary<Record<SheetName, RowCells[]>>;
    return fc.record({ initial, edits: fc.array(overlapEditArb(cells), { minLength: Math.min(1, maxEdits), maxLength: maxEdits }) });
  });
}
