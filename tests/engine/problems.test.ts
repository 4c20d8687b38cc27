// Problems (workbook.md, "Results"): bad cells of every type, negative quantities, duplicate ids,
// unknown references, unknown metric ids, rows that are not objects, settings. A bad cell never
// stops reconciliation: the row goes on without that cell.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import type { Result } from '../../engine/changes';
import { position } from '../helpers/workbook';
import { access, alloc, dev, ent, host, inst, installs, OCTOBER, reckon, session, t, user, vm } from './table';

const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();
const problemsAt = (r: Result, sheet: string, rowId: string, column: string) =>
  r.problems.filter((p) => norm(p.sheet) === norm(sheet) && norm(p.rowId) === norm(rowId) && norm(p.column) === norm(column));
function expectProblem(r: Result, sheet: string, rowId: string, column: string): void {
  const found = problemsAt(r, sheet, rowId, column);
  expect(found.length, `problem ${sheet}/${rowId}/${column} in ${JSON.stringify(r.problems.map((p) => `${p.sheet}/${p.rowId}/${p.column}`))}`).toBeGreaterThan(0);
  for (const p of found) expect(p.message.length, 'message').toBeGreaterThan(0);
}

describe('problems: a clean workbook has none', () => {
  it('blank references and cells of the right types are not problems', () => {
    const r = reckon({
      users: [user('u1', { active: 'yes', employeeType: 'Contractor', role: 'Analyst' })],
      clusters: [{ id: 'c1', name: 'C1', mobility: 'no' }],
      devices: [host('h1', 2, 16, { cluster: 'c1', ownerId: 'u1', status: 'In Stock' }), vm('v1', 'h1', 4), dev('d1')],
      installations: [inst('i1', 'v1', { userId: 'u1' }), inst('i2', 'd1')],
      allocations: [alloc('a1', 'e1', { userId: 'u1', rights: '2' })],
      access: [access('x1', { serverId: 'h1', userId: 'u1' })],
      modelCategories: [{ id: 'm1', name: 'Laptop', parent: 'Computer' }],
      entitlements: [ent('e1', 'per_device', '10', { start: '2026-01-01', end: '2026-12-31T23:59:59Z', warn1: 8 })],
    });
    expect(r.problems).toEqual([]);
  });
});

describe('problems: bad cells, and the row reconciled without them', () => {
  it('number: quantity "ten" is a problem; the entitlement stays pooled with nothing purchased', () => {
    const r = reckon({ devices: [dev('d1')], installations: installs('d1'), entitlements: [ent('e1', 'per_device', 'ten'), ent('e2', 'per_device', 3)] });
    expectProblem(r, 'entitlements', 'e1', 'quantity');
    const p = position(r, 'e1');
    expect(p.entitlementIds.map(norm).sort()).toEqual(['e1', 'e2']);
    expect(p.purchased).toBe(3);
  });
  it('negative quantity is a problem and adds nothing', () => {
    const r = reckon({ entitlements: [ent('e1', 'per_device', 5), ent('e2', 'per_device', -3)] });
    expectProblem(r, 'entitlements', 'e2', 'quantity');
    expect(position(r, 'e1').purchased).toBe(5);
  });
  it('counts: cores "abc", cpus 2.5 and cpus -1 are problems; the devices still count', () => {
    const r = reckon({
      devices: [host('h1', 2, 'abc'), host('h2', 2.5, 8), host('h3', -1, 4)],
      installations: installs('h1', 'h2', 'h3'),
      entitlements: [ent('e1', 'per_device'), ent('e2', 'per_core_sum'), ent('e3', 'per_cpu_sum')],
    });
    expectProblem(r, 'devices', 'h1', 'cores');
    expectProblem(r, 'devices', 'h2', 'cpus');
    expectProblem(r, 'devices', 'h3', 'cpus');
    expect(position(r, 'e1').consumed).toBe(3);
    // per_core_sum: h1 0 (unreadable) + 8 + 4 = 12, flagged; per_cpu_sum: 2 + 0 + 0 = 2, flagged.
    expect(position(r, 'e2')).toMatchObject({ consumed: 12, flags: ['missing-capacity'] });
    expect(position(r, 'e3')).toMatchObject({ consumed: 2, flags: ['missing-capacity'] });
  });
  it('boolean: virtual "maybe" is a problem; the device is read as physical', () => {
    const r = reckon({ devices: [host('h1', 2, 16), dev('v1', { virtual: 'maybe', hostId: 'h1', cpus: 1, vcpus: 4 })], installations: installs('v1'), entitlements: [ent('e1', 'per_processor')] });
    expectProblem(r, 'devices', 'v1', 'virtual');
    expect(position(r, 'e1').consumed).toBe(1); // physical: its cpus (1), not vcpus (4)
  });
  it('boolean: users active "sometimes" is a problem; the user stays active (the default)', () => {
    const r = reckon({ users: [user('u1', { active: 'sometimes' })], allocations: [alloc('a1', 'e1', { userId: 'u1' })], entitlements: [ent('e1', 'named_fixed')] });
    expectProblem(r, 'users', 'u1', 'active');
    expect(position(r, 'e1').consumed).toBe(1);
  });
  it('date: end "next year" is a problem; the entitlement is read with no end (active)', () => {
    const r = reckon({ entitlements: [ent('e1', 'per_device', 4, { end: 'next year' })] });
    expectProblem(r, 'entitlements', 'e1', 'end');
    expect(position(r, 'e1').purchased).toBe(4);
  });
  it('dates: impossible dates and other formats are problems', () => {
    const r = reckon({
      settings: OCTOBER,
      entitlements: [ent('e1', 'floating', 4, { start: '2026-02-30' })],
      sessions: [session('s1', 'yesterday', t('10:00')), session('s2', '20/10/2026', t('10:00'))],
      measurements: [{ id: 'm1', publisher: 'Acme', product: 'App', date: '31.10.2026', quantity: 1 }],
      sensors: [{ id: 'z1', publisher: 'Acme', product: 'App', seenAt: 'Oct 20' }],
    });
    expectProblem(r, 'entitlements', 'e1', 'start');
    expectProblem(r, 'sessions', 's1', 'start');
    expectProblem(r, 'sessions', 's2', 'start');
    expectProblem(r, 'measurements', 'm1', 'date');
    expectProblem(r, 'sensors', 'z1', 'seenAt');
  });
  it('a negative measured quantity is a problem (workbook.md: "a negative quantity")', () => {
    // Ambiguity decided: the rule names no sheet; a measurement's quantity is a quantity too, and a
    // negative count of documents or engine units is a data error an auditor would want shown.
    const r = reckon({ measurements: [{ id: 'm1', publisher: 'Acme', product: 'App', date: '2026-10-20', quantity: -5 }] });
    expectProblem(r, 'measurements', 'm1', 'quantity');
  });
  it('other numbers: rights, tokens, tier bounds, factor values, ratio', () => {
    const r = reckon({
      users: [user('u1')],
      allocations: [alloc('a1', 'e1', { userId: 'u1', rights: 'two' })],
      sessions: [session('s1', t('09:00'), t('10:00'), { tokens: 'lots' })],
      tiers: [{ id: 't1', publisher: 'Acme', from: 'one', to: 5, unitsPer: 1 }],
      factors: [{ id: 'f1', kind: 'pvu', value: 'seventy' }],
      hamCategories: [{ id: 'hc1', category: 'Servers', ratio: 'x' }],
      entitlements: [ent('e1', 'user_subscription')],
    });
    for (const [sheet, id, col] of [['allocations', 'a1', 'rights'], ['sessions', 's1', 'tokens'], ['tiers', 't1', 'from'], ['factors', 'f1', 'value'], ['hamCategories', 'hc1', 'ratio']]) expectProblem(r, sheet, id, col);
  });
  it('enums: unknown metric id, status, role, employeeType, factor kind', () => {
    const r = reckon({
      users: [user('u1', { role: 'boss' }), user('u2', { employeeType: 'alien' })],
      devices: [dev('d1', { status: 'broken' })],
      installations: installs('d1'),
      factors: [{ id: 'f1', kind: 'banana', value: 1 }],
      entitlements: [ent('e1', 'per_banana'), ent('e2', 'per_device')],
    });
    expectProblem(r, 'entitlements', 'e1', 'metric');
    expectProblem(r, 'devices', 'd1', 'status');
    expectProblem(r, 'users', 'u1', 'role');
    expectProblem(r, 'users', 'u2', 'employeeType');
    expectProblem(r, 'factors', 'f1', 'kind');
    // d1 read with the default status (in use): it counts.
    expect(position(r, 'e2').consumed).toBe(1);
  });
});

describe('problems: ids and rows', () => {
  it('a duplicate id is a problem', () => {
    const r = reckon({ devices: [dev('d1'), dev('d1')] });
    expectProblem(r, 'devices', 'd1', 'id');
  });
  it('ids compare ignoring case and spaces: "D1 " duplicates d1', () => {
    const r = reckon({ devices: [dev('d1'), dev('D1 ')] });
    expect(r.problems.some((p) => norm(p.sheet) === 'devices' && norm(p.rowId) === 'd1' && norm(p.column) === 'id')).toBe(true);
  });
  it('a row without an id is a problem', () => {
    const r = reckon({ devices: [{ name: 'No id' }, dev('d1')], installations: installs('d1'), entitlements: [ent('e1', 'per_device')] });
    expect(r.problems.some((p) => norm(p.sheet) === 'devices' && norm(p.column) === 'id')).toBe(true);
    expect(position(r, 'e1').consumed).toBe(1);
  });
  it('the same id in two different sheets is not a duplicate', () => {
    const r = reckon({ devices: [dev('x1')], users: [user('x1')], clusters: [{ id: 'x1', name: 'X1' }] });
    expect(r.problems).toEqual([]);
  });
  it('a row that is not an object is a problem; the other rows still count', () => {
    const r = reckon({ devices: ['oops' as unknown as RawRow, dev('d1'), 42 as unknown as RawRow], installations: installs('d1'), entitlements: [ent('e1', 'per_device')] });
    expect(r.problems.filter((p) => norm(p.sheet) === 'devices').length).toBeGreaterThanOrEqual(2);
    expect(position(r, 'e1').consumed).toBe(1);
  });
});

describe('problems: unknown references', () => {
  const refs: { column: string; sheet: string; rows: Record<string, RawRow[]>; rowId: string }[] = [
    { column: 'deviceId', sheet: 'installations', rowId: 'i1', rows: { installations: [inst('i1', 'nope')] } },
    { column: 'hostId', sheet: 'devices', rowId: 'v1', rows: { devices: [vm('v1', 'nope', 4)] } },
    { column: 'cluster', sheet: 'devices', rowId: 'h1', rows: { devices: [host('h1', 1, 4, { cluster: 'nope' })] } },
    { column: 'userId', sheet: 'installations', rowId: 'i1', rows: { devices: [dev('d1')], installations: [inst('i1', 'd1', { userId: 'nope' })] } },
    { column: 'ownerId', sheet: 'devices', rowId: 'd1', rows: { devices: [dev('d1', { ownerId: 'nope' })] } },
    { column: 'entitlementId', sheet: 'allocations', rowId: 'a1', rows: { allocations: [alloc('a1', 'nope')] } },
    { column: 'userId', sheet: 'allocations', rowId: 'a1', rows: { allocations: [alloc('a1', 'e1', { userId: 'nope' })], entitlements: [ent('e1', 'named_fixed')] } },
    { column: 'deviceId', sheet: 'allocations', rowId: 'a1', rows: { allocations: [alloc('a1', 'e1', { deviceId: 'nope' })], entitlements: [ent('e1', 'named_fixed')] } },
    { column: 'serverId', sheet: 'access', rowId: 'x1', rows: { access: [access('x1', { serverId: 'nope' })] } },
    { column: 'userId', sheet: 'access', rowId: 'x1', rows: { access: [access('x1', { userId: 'nope' })] } },
    { column: 'deviceId', sheet: 'access', rowId: 'x1', rows: { access: [access('x1', { deviceId: 'nope' })] } },
    { column: 'userId', sheet: 'subscriptions', rowId: 's1', rows: { subscriptions: [{ id: 's1', publisher: 'Acme', product: 'App', userId: 'nope' }] } },
    { column: 'userId', sheet: 'sessions', rowId: 's1', rows: { sessions: [session('s1', t('09:00'), t('10:00'), { userId: 'nope' })] } },
    { column: 'deviceId', sheet: 'sensors', rowId: 'z1', rows: { sensors: [{ id: 'z1', deviceId: 'nope', publisher: 'Acme', product: 'App', seenAt: '2026-10-20' }] } },
    { column: 'parent', sheet: 'modelCategories', rowId: 'm1', rows: { modelCategories: [{ id: 'm1', name: 'Laptop', parent: 'Nowhere' }] } },
  ];
  for (const c of refs) {
    it(`${c.sheet}.${c.column} naming no row`, () => expectProblem(reckon(c.rows), c.sheet, c.rowId, c.column));
  }
  it('a VM whose hostId is unknown stands as its own host', () => {
    const r = reckon({ devices: [vm('v1', 'nope', 4)], installations: installs('v1'), entitlements: [ent('e1', 'per_cpu_sum')] });
    expectProblem(r, 'devices', 'v1', 'hostId');
    expect(position(r, 'e1').consumed).toBe(4);
  });
  it('an installation on an unknown device counts nowhere', () => {
    const r = reckon({ installations: [inst('i1', 'nope')], entitlements: [ent('e1', 'per_instance')] });
    expect(position(r, 'e1').consumed).toBe(0);
  });
});

describe('problems: settings', () => {
  const cases: [string, unknown][] = [
    ['asOf', 'soon'], ['windowStart', 'last month'], ['windowEnd', '2026-13-01'], ['hamLicenseVersion', 7],
    ['hamSolutions', ['ham', 'foo']], ['hamEntitlements', ['ham_bogus_license']], ['customCategoryLicensing', 'maybe'],
  ];
  for (const [key, value] of cases) {
    it(`${key} = ${JSON.stringify(value)}`, () => {
      const r = reckon({ settings: { [key]: value } });
      expect(r.problems.some((p) => norm(p.sheet) === 'settings' && norm(p.column) === norm(key)), JSON.stringify(r.problems)).toBe(true);
    });
  }
  it('a bad setting falls back to its default', () => {
    // hamLicenseVersion 7 → default 5: Monitors are licensable.
    const r = reckon({ settings: { hamLicenseVersion: 7 }, devices: [dev('m1', { modelCategory: 'Monitor' })] });
    expect(r.ham.totalUnits).toBe(1);
  });
});
