// Overlapping positions of one metric (metrics.md): natural version order, the ranking that gives
// each row to one position, covers, shortfall moving up a chain, its contribution lines, and
// edits that move rows and shortfall between positions (incremental equal to full).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../engine/positions/version';
import { Engine } from '../../engine/engine';
import type { RawRow } from '../../engine/cells';
import { Model, PatchedView, expectSameAsFull, startIncremental } from '../helpers/incremental-harness';
import type { Edit, RowCells } from '../helpers/random-workbook';
import { dev, inst, reckon, table } from './table';
import { position } from '../helpers/workbook';

describe('versions in natural order', () => {
  it('orders the spec\'s examples', () => {
    const lower = [['9.2', '10.1'], ['10.1', '10.1.2'], ['12c', '19c'], ['2019', '2019 r2'], ['1.9', '1.10'], ['r2024a', 'r2024b'], ['7', '7.0'], ['2', '10']];
    for (const [a, b] of lower) {
      expect(compareVersions(a, b), `${a} < ${b}`).toBeLessThan(0);
      expect(compareVersions(b, a), `${b} > ${a}`).toBeGreaterThan(0);
    }
    expect(compareVersions('19c', '19c')).toBe(0);
  });

  it('is a total order: two different texts are never equal, and it is antisymmetric and transitive (seeded)', () => {
    const version = fc.array(fc.constantFrom('0', '1', '01', '2', '10', '.', 'c', ' r', 'b', '-'), { maxLength: 5 }).map((p) => p.join(''));
    fc.assert(fc.property(version, version, version, (a, b, c) => {
      const ab = Math.sign(compareVersions(a, b)), ba = Math.sign(compareVersions(b, a));
      expect(ab + ba).toBe(0);
      expect(ab === 0).toBe(a === b);
      if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
    }), { seed: 20261224, numRuns: 2000 });
  });

  it('compares digit runs as numbers however long', () => {
    expect(compareVersions('99999999999999999999', '100000000000000000000')).toBeLessThan(0);
    expect(compareVersions('1.002', '1.2')).toBeLessThan(0); // equal as numbers: ordered by text
  });
});

const office = (id: string, deviceId: string, version?: string, more: RawRow = {}) =>
  inst(id, deviceId, { publisher: 'Microsoft', product: 'Office', ...(version === undefined ? {} : { version }), ...more });
const right = (id: string, quantity: number, more: RawRow = {}): RawRow => ({ id, publisher: 'Microsoft', product: 'Office', metric: 'per_device', quantity, ...more });

table('overlapping positions: one row, one position', [
  {
    name: 'a downgrade right ranks after the right for exactly its version',
    why: 'e1 2019 with downgrade (first in sheet order), e2 exactly 2019: the 2019 rows feed e2 (3, 2 rights: 1 moves to e1, which covers it); e1 has its 2016 row: 1 + 1 = 2 of 2',
    sheets: {
      devices: [dev('d1'), dev('d2'), dev('d3'), dev('d4')],
      installations: [office('i1', 'd1', '2019'), office('i2', 'd2', '2019'), office('i3', 'd3', '2019'), office('i4', 'd4', '2016')],
      entitlements: [right('e1', 2, { version: '2019', downgrade: true }), right('e2', 2, { version: '2019' })],
    },
    expect: { e2: { consumed: 2, status: 'compliant' }, e1: { consumed: 2, status: 'compliant' } },
  },
  {
    name: 'between downgrade rights the lower version first',
    why: 'e1 2021+ and e2 2019+: a 2016 row feeds e2 (lower); a 2020 row only e1',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      installations: [office('i1', 'd1', '2016'), office('i2', 'd2', '2020')],
      entitlements: [right('e1', 5, { version: '2021', downgrade: true }), right('e2', 5, { version: '2019', downgrade: true })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 1 } },
  },
  {
    name: 'a right naming the product before product *',
    why: 'per_user: u1 uses Office (feeds e2, named) and Visio (feeds e1, *): each position counts u1 once',
    sheets: {
      users: [{ id: 'u1' }],
      devices: [dev('d1', { ownerId: 'u1' })],
      installations: [office('i1', 'd1'), inst('i2', 'd1', { publisher: 'Microsoft', product: 'Visio' })],
      entitlements: [{ id: 'e1', publisher: 'Microsoft', product: '*', metric: 'per_user', quantity: 1 }, right('e2', 1, { metric: 'per_user' })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 1 } },
  },
  {
    name: 'users of the users sheet count per product',
    why: 'employee: Java and Database positions of Oracle each count both employees (people count for each product); Oracle * gets none of them, only the moved shortfall of Java (2 − 1)',
    sheets: {
      users: [{ id: 'u1' }, { id: 'u2' }],
      entitlements: [
        { id: 'e1', publisher: 'Oracle', product: 'Java', metric: 'employee', quantity: 1 },
        { id: 'e2', publisher: 'Oracle', product: 'Database', metric: 'employee', quantity: 2 },
        { id: 'e3', publisher: 'Oracle', product: '*', metric: 'employee', quantity: 5 },
      ],
    },
    expect: { e1: { consumed: 1, status: 'compliant' }, e2: { consumed: 2 }, e3: { consumed: 1 } },
  },
  {
    name: 'a user-scoped position ranks before an unscoped one for user metrics',
    why: 'per_user: u1 (north) feeds e1 (company North), u2 (south) feeds e2',
    sheets: {
      users: [{ id: 'u1', company: 'north' }, { id: 'u2', company: 'south' }],
      devices: [dev('d1'), dev('d2')],
      installations: [office('i1', 'd1', undefined, { userId: 'u1' }), office('i2', 'd2', undefined, { userId: 'u2' })],
      entitlements: [right('e2', 5, { metric: 'per_user' }), right('e1', 5, { metric: 'per_user', company: 'North' })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 1 } },
  },
  {
    name: 'a moved amount is in the giver\'s units after its rounding',
    why: 'fue: e1 (named, 0 rights) has 2 core users: ⌈2/5⌉ = 1 moves to e2 (*), which has an advanced user: 1 + 1 = 2, not ⌈1 + 2/5⌉',
    sheets: {
      users: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }],
      allocations: [
        { id: 'a1', entitlementId: 'e1', userId: 'u1', userType: 'core' }, { id: 'a2', entitlementId: 'e1', userId: 'u2', userType: 'core' },
        { id: 'a3', entitlementId: 'e2', userId: 'u3', userType: 'advanced' },
      ],
      entitlements: [{ id: 'e1', publisher: 'SAP', product: 'S4', metric: 'fue', quantity: 0 }, { id: 'e2', publisher: 'SAP', product: '*', metric: 'fue', quantity: 5 }],
    },
    expect: { e1: { consumed: 0, status: 'compliant' }, e2: { consumed: 2, refs: { 'positions/sap|s4|||fue|||': 1 } } },
  },
]);

describe('shortfall moves up', () => {
  const chain = () => ({
    devices: ['d1', 'd2', 'd3', 'd4', 'd5'].map((d) => dev(d)),
    installations: [office('i1', 'd1', '2016'), office('i2', 'd2', '2016'), office('i3', 'd3', '2016'), office('i4', 'd4', '2019'), office('i5', 'd5')],
    entitlements: [
      right('eA', 1, { version: '2016' }), right('eB', 0, { version: '2019', downgrade: true }), right('eC', 1, { unitCost: 20 }),
      { id: 'eD', publisher: 'Microsoft', product: '*', metric: 'per_device', quantity: 1, unitCost: 50 },
    ],
  });

  it('along a chain of covers, with a line on both positions naming the other', () => {
    const r = reckon(chain());
    const [a, b, c, d] = ['eA', 'eB', 'eC', 'eD'].map((id) => position(r, id));
    // A: 3 of 1 → 2 to B; B: 1 + 2 of 0 → 3 to C; C: 1 + 3 of 1 → 3 to D; D: 0 + 3 of 1: short 2 at 50.
    expect([a.consumed, b.consumed, c.consumed, d.consumed]).toEqual([1, 0, 1, 3]);
    expect([a.status, b.status, c.status, d.status]).toEqual(['compliant', 'compliant', 'compliant', 'noncompliant']);
    expect(d.shortfallCost).toBe(100);
    expect(a.moves).toEqual([{ key: b.key, amount: -2 }]);
    expect(b.moves).toEqual([{ key: a.key, amount: 2 }, { key: c.key, amount: -3 }]);
    expect(d.moves).toEqual([{ key: c.key, amount: 3 }]);
    const line = (p: typeof a, other: typeof a) => p.contributions!.find((x) => x.ref === `positions/${other.key}`);
    expect(line(a, b)).toEqual({ ref: 'positions/microsoft|office|2019+||per_device|||', amount: -2, why: 'shortfall of 2 moved up to Microsoft Office 2019 and lower (per_device), its nearest cover' });
    expect(line(b, a)).toEqual({ ref: 'positions/microsoft|office|2016||per_device|||', amount: 2, why: 'shortfall of 2 moved up from Microsoft Office 2016 (per_device), which this position covers' });
    expect(line(c, d)?.amount).toBe(-3);
    expect(line(d, c)?.amount).toBe(3);
    // Every position's contributions add up to its consumption, moves included.
    for (const p of [a, b, c, d]) expect(p.contributions!.reduce((s, x) => s + x.amount, 0)).toBe(p.consumed);
  });

  it('an edit of one quantity moves shortfall along the chain, incrementally as from scratch', () => {
    const model = new Model();
    for (const [sheet, rows] of Object.entries(chain())) for (const row of rows) model.sheets[sheet as 'devices'].set(model.newKey(), row as never);
    const { engine, view } = startIncremental(model);
    const keyOf = (id: string) => engine.positionResults().find((p) => p.entitlementIds.includes(id))!.key;
    const movesOf = (id: string) => engine.positionResults().find((p) => p.entitlementIds.includes(id))!.moves;
    const step = (edit: Edit, name: string) => {
      view.take(engine.apply([model.apply(edit)!], model.source));
      expectSameAsFull(model, engine, view, name, { explanations: true });
    };
    // eB gets 3 rights: A's 2 stop there (1 + 2 of 3); C (1 of 1) and D move nothing.
    step({ op: 'cell', sheet: 'entitlements', pick: 1, column: 'quantity', value: 3 }, 'eB 3 rights');
    expect(movesOf('eB')).toEqual([{ key: keyOf('eA'), amount: 2 }]);
    expect(movesOf('eC')).toEqual([]);
    expect(movesOf('eD')).toEqual([]);
    // eA gets 5 rights: nothing moves anywhere.
    step({ op: 'cell', sheet: 'entitlements', pick: 0, column: 'quantity', value: 5 }, 'eA 5 rights');
    expect(engine.positionResults().every((p) => p.moves.length === 0)).toBe(true);
    // A back to none: its 3 go to B (1 + 3 of 3), B's 1 to C (1 + 1 of 1), C's 1 to D.
    step({ op: 'cell', sheet: 'entitlements', pick: 0, column: 'quantity', value: 0 }, 'eA 0 rights');
    expect(movesOf('eA')).toEqual([{ key: keyOf('eB'), amount: -3 }]);
    // B loses its rights: the 4 go on to C, and C's excess 4 to D.
    step({ op: 'cell', sheet: 'entitlements', pick: 1, column: 'quantity', value: 0 }, 'eB 0 rights');
    expect(movesOf('eD')).toEqual([{ key: keyOf('eC'), amount: 4 }]);
    // A 2017 right with downgrade joins: the 2016 rows stay with A (exactly 2016 ranks first), and it is A's nearest cover now.
    step({ op: 'add', sheet: 'entitlements', row: right('eE', 10, { version: '2017', downgrade: true }) as RowCells }, 'eE 2017+ added');
    expect(movesOf('eA')).toEqual([{ key: keyOf('eE'), amount: -3 }]);
    // Removing A hands its rows to E (the most specific left for 2016).
    step({ op: 'remove', sheet: 'entitlements', pick: 0 }, 'eA removed');
    expect(engine.positionResults().find((p) => p.entitlementIds.includes('eE'))!.consumed).toBe(3);
  });

  it('removing a cover stops the moves into it; adding one back starts them (incremental equals full)', () => {
    const model = new Model();
    for (const [sheet, rows] of Object.entries(chain())) for (const row of rows) model.sheets[sheet as 'devices'].set(model.newKey(), row as never);
    const { engine, view } = startIncremental(model);
    const c = () => engine.positionResults().find((p) => p.entitlementIds.includes('eC'))!;
    expect(c().moves.at(-1)!.amount).toBe(-3);
    // eD (product *) is the 4th entitlement: the position ranked first keeps its rows, only its move goes.
    view.take(engine.apply([model.apply({ op: 'remove', sheet: 'entitlements', pick: 3 })!], model.source));
    expectSameAsFull(model, engine, view, 'eD removed', { explanations: true });
    expect(c().moves.every((m) => m.amount > 0)).toBe(true);
    expect(c().consumed).toBe(4);
    view.take(engine.apply([model.apply({ op: 'add', sheet: 'entitlements', row: { id: 'eF', publisher: 'Microsoft', product: '*', metric: 'per_device', quantity: 9 } })!], model.source));
    expectSameAsFull(model, engine, view, 'eF added', { explanations: true });
    expect(c().moves.at(-1)!.amount).toBe(-3);
  });

  it('expired rights: the position still receives its rows, purchased 0, and hands them all up', () => {
    const r = reckon({
      devices: [dev('d1'), dev('d2')],
      installations: [office('i1', 'd1', '2019'), office('i2', 'd2', '2019')],
      entitlements: [right('e1', 5, { version: '2019', end: '2026-01-31' }), right('e2', 5)],
    });
    const e1 = position(r, 'e1');
    expect([e1.purchased, e1.consumed]).toEqual([0, 0]);
    expect(e1.rights).toEqual([{ id: 'e1', quantity: 5, unitCost: null, state: 'ended', start: null, end: '2026-01-31', renewal: null, noticeBy: null }]);
    expect(position(r, 'e2').consumed).toBe(2);
  });
});

describe('positions and their rows under edits', () => {
  it('a row moves between positions when an entitlement, a device or an installation changes (incremental equals full)', () => {
    const model = new Model();
    const rows: [string, RawRow][] = [
      ['devices', dev('d1', { company: 'north' })], ['devices', dev('d2')],
      ['installations', office('i1', 'd1', '2019')], ['installations', office('i2', 'd2', '2016')],
      ['entitlements', right('e1', 1)], ['entitlements', right('e2', 0, { company: 'North' })],
    ];
    for (const [sheet, row] of rows) model.sheets[sheet as 'devices'].set(model.newKey(), row as never);
    const { engine, view } = startIncremental(model);
    const edits: Edit[] = [
      { op: 'cell', sheet: 'devices', pick: 1, column: 'company', value: 'North' },
      { op: 'cell', sheet: 'entitlements', pick: 1, column: 'company', value: null },
      { op: 'cell', sheet: 'entitlements', pick: 1, column: 'version', value: '2019' },
      { op: 'cell', sheet: 'entitlements', pick: 1, column: 'downgrade', value: true },
      { op: 'cell', sheet: 'installations', pick: 1, column: 'version', value: '2021' },
      { op: 'cell', sheet: 'entitlements', pick: 0, column: 'product', value: '*' },
      { op: 'remove', sheet: 'entitlements', pick: 1 },
    ];
    edits.forEach((edit, n) => {
      view.take(engine.apply([model.apply(edit)!], model.source));
      expectSameAsFull(model, engine, view, `step ${n}`, { explanations: true });
    });
  });

  it('a position alone in its group pays nothing for ranking: no rivals, no cover', () => {
    const e = new Engine({ today: '2026-11-01' });
    e.load({}, {
      devices: { rows: [dev('d1')] }, installations: { rows: [office('i1', 'd1')] },
      entitlements: { rows: [right('e1', 1), { ...right('e2', 1), product: 'Visio' }, { ...right('e3', 1), metric: 'per_instance' }] },
    });
    e.result();
    for (const p of e.positions.all.values()) expect([p.rivals, p.cover]).toEqual([null, null]);
  });

  it('positions of disjoint versions or editions are not rivals', () => {
    const e = new Engine({ today: '2026-11-01' });
    e.load({}, { entitlements: { rows: [right('e1', 1, { version: '2019' }), right('e2', 1, { version: '2021' }), right('e3', 1, { edition: 'pro' }), right('e4', 1, { edition: 'std', version: '2019' })] } });
    e.result();
    const byId = (id: string) => [...e.positions.all.values()].find((p) => p.entitlements[0].id === id)!;
    expect(byId('e2').rivals).toBeNull();
    expect(byId('e1').rivals?.all.map((p) => p.entitlements[0].id)).toEqual(['e4']);
    expect(byId('e3').rivals?.all.map((p) => p.entitlements[0].id)).toEqual(['e1', 'e2']);
  });
});

describe('a row view fed only by patches follows moves', () => {
  it('when a quantity edit changes only other positions\' numbers', () => {
    const model = new Model();
    for (const row of [dev('d1'), dev('d2')]) model.sheets.devices.set(model.newKey(), row as never);
    for (const row of [office('i1', 'd1', '2019'), office('i2', 'd2', '2019')]) model.sheets.installations.set(model.newKey(), row as never);
    for (const row of [right('e1', 0, { version: '2019' }), right('e2', 5)]) model.sheets.entitlements.set(model.newKey(), row as never);
    const { engine } = startIncremental(model);
    const view = new PatchedView();
    view.take(engine.initialPatch());
    const patch = engine.apply([model.apply({ op: 'cell', sheet: 'entitlements', pick: 0, column: 'quantity', value: 2 })!], model.source);
    // e2's consumption changed through the move alone: it is in the patch.
    expect(patch.positions.map((p) => p.entitlementIds[0]).sort()).toEqual(['e1', 'e2']);
    expect(patch.positions.find((p) => p.entitlementIds[0] === 'e2')!.consumed).toBe(0);
  });
});
