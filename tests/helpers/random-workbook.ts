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
