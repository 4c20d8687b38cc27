// Normalization rules (engine/normalize/): each kind through the whole engine, their precedence,
// problems of bad rules, the sheets they apply to, the unrecognized list, and the properties that
// normalizing a workbook equals normalizing its rows one at a time in any order, and that rule edits
// give incrementally what a full reconcile gives.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { Engine } from '../../engine/engine';
import { Normalizer } from '../../engine/normalize/normalizer';
import { parseRow, type NormalizationRule } from '../../engine/rows';
import { SHEETS, type SheetName } from '../../engine/schema';
import { Model, expectSameAsFull, startIncremental } from '../helpers/incremental-harness';
import { workbookArb, type Edit, type RowCells } from '../helpers/random-workbook';
import { position, run } from '../helpers/workbook';

const TODAY = '2026-11-01';
const device = (id: string, extra: RawRow = {}) => ({ id, name: id, cores: 4, ...extra });
const rule = (id: string, cells: RawRow) => ({ id, ...cells });

function engineOf(sheets: Partial<Record<SheetName, RawRow[]>>, incremental = false): Engine {
  const e = new Engine({ today: TODAY, incremental });
  e.load({ asOf: TODAY }, Object.fromEntries(SHEETS.map((s) => [s, { rows: sheets[s] ?? [] }])));
  return e;
}

describe('normalization rules, kind by kind', () => {
  const devices = [device('d1'), device('d2'), device('d3')];

  it('a publisher alias makes "Microsoft Corporation" count toward "Microsoft"', () => {
    const r = run({
      devices,
      entitlements: [{ id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1 }],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Visio' },
        { id: 'i2', deviceId: 'd2', publisher: 'MICROSOFT CORPORATION ', product: 'visio' },
      ],
      normalization: [rule('n1', { kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' })],
    });
    expect(position(r, 'e1').consumed).toBe(2);
    expect(r.unlicensed).toEqual([]);
  });

  it('an exact product alias renames the product, and may set publisher, version and edition', () => {
    const r = run({
      devices,
      entitlements: [{ id: 'e1', publisher: 'Adobe', product: 'Acrobat Pro', version: 'DC', metric: 'per_device', quantity: 5 }],
      installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Adobe Systems Incorporated', product: 'Adobe Acrobat DC (64-bit)', version: '23.008.20470' }],
      normalization: [rule('n1', { kind: 'alias', product: 'Adobe Acrobat DC (64-bit)', toPublisher: 'Adobe', toProduct: 'Acrobat Pro', toVersion: 'DC' })],
    });
    expect(position(r, 'e1').consumed).toBe(1);
  });

  it('a pattern captures the version (and edition) from the product text', () => {
    const r = run({
      devices,
      entitlements: [
        { id: 'e19', publisher: 'Microsoft', product: 'Office Professional Plus', version: '2019', metric: 'per_device', quantity: 1 },
        { id: 'e21', publisher: 'Microsoft', product: 'Office Professional Plus', version: '2021', metric: 'per_device', quantity: 1 },
        { id: 'sql', publisher: 'Microsoft', product: 'SQL Server', edition: 'Enterprise', metric: 'per_device', quantity: 1 },
      ],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Microsoft Office Professional Plus 2019 - en-us', version: '16.0.10827.20138' },
        { id: 'i2', deviceId: 'd2', publisher: 'Microsoft Corporation', product: 'Microsoft Office Professional Plus 2021 - de-de', version: '16.0.14332.20255' },
        { id: 'i3', deviceId: 'd3', publisher: 'Microsoft Corporation', product: 'Microsoft Office Professional Plus 2021 - en-us' },
        { id: 'i4', deviceId: 'd3', publisher: 'Microsoft Corporation', product: 'Microsoft SQL Server 2019 (64-bit) Enterprise' },
      ],
      normalization: [
        rule('n1', { kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' }),
        rule('n2', { kind: 'pattern', publisher: 'Microsoft', product: '^Microsoft Office Professional Plus (\\d{4})', toProduct: 'Office Professional Plus', toVersion: '$1' }),
        rule('n3', { kind: 'pattern', product: '^Microsoft SQL Server (\\d{4}) \\(64-bit\\) (Standard|Enterprise)$', toProduct: 'SQL Server', toVersion: '$1', toEdition: '$2' }),
      ],
    });
    expect(position(r, 'e19').consumed).toBe(1);
    expect(position(r, 'e21').consumed).toBe(2);
    expect(position(r, 'sql').consumed).toBe(1);
  });

  it('an ignored installation counts nowhere: no position, not unlicensed, not unrecognized', () => {
    const sheets = {
      devices,
      entitlements: [{ id: 'e1', publisher: 'Microsoft', product: '*', metric: 'per_device', quantity: 1 }],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130' },
        { id: 'i2', deviceId: 'd2', publisher: 'Microsoft Corporation', product: 'Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.38.33130' },
        { id: 'i3', deviceId: 'd3', publisher: 'Microsoft Corporation', product: 'Update for Windows 10 for x64-based Systems (KB5001716)' },
        { id: 'i4', deviceId: 'd3', publisher: 'Contoso', product: 'Contoso Runtime 2' },
      ],
      normalization: [
        rule('n1', { kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' }),
        rule('n2', { kind: 'ignore', publisher: 'Microsoft', product: '^Microsoft Visual C\\+\\+ .*Redistributable' }),
        rule('n3', { kind: 'ignore', product: '^Update for .*\\(KB\\d+\\)$' }),
        rule('n4', { kind: 'ignore', publisher: 'Contoso' }),
      ],
    };
    const r = run(sheets);
    expect(position(r, 'e1').consumed).toBe(0);
    expect(r.unlicensed).toEqual([]);
    expect(engineOf(sheets).unrecognizedResults()).toEqual([]);
  });
});

describe('precedence', () => {
  const normalizer = (rows: RawRow[]) => new Normalizer(rows.map((r, i) => parseRow('normalization', `k${i}`, r) as NormalizationRule));

  it('tries exact aliases, then ignore rules, then patterns; within a kind the first in sheet order', () => {
    const n = normalizer([
      { id: 'p1', kind: 'pattern', product: 'widget', toProduct: 'By pattern 1' },
      { id: 'i1', kind: 'ignore', product: 'widget viewer' },
      { id: 'p2', kind: 'pattern', product: 'widget pro', toProduct: 'By pattern 2' },
      { id: 'a1', kind: 'alias', product: 'Widget Viewer', toProduct: 'Viewer (alias)' },
      { id: 'a2', kind: 'alias', product: 'Widget Viewer', toProduct: 'Second alias' },
    ]);
    expect(n.normalize('contoso', 'widget viewer').productName).toBe('Viewer (alias)');
    expect(n.normalize('contoso', 'widget viewer lite').ignored).toBe(true);
    expect(n.normalize('contoso', 'widget pro').productName).toBe('By pattern 1');
  });

  it('a rule\'s publisher is matched against the raw or the aliased publisher', () => {
    const n = normalizer([
      { id: 'a', kind: 'alias', publisher: 'Oracle Corporation', toPublisher: 'Oracle' },
      { id: 'b', kind: 'pattern', publisher: 'Oracle', product: '^java (\\d+)', toProduct: 'Java SE', toVersion: '$1' },
      { id: 'c', kind: 'alias', publisher: 'Oracle America, Inc.', product: 'Java 8 Update 401', toPublisher: 'Oracle', toProduct: 'Java SE', toVersion: '8' },
    ]);
    const viaAlias = n.normalize('oracle corporation', 'java 17.0.9 (64-bit)');
    expect([viaAlias.publisher, viaAlias.product, viaAlias.version, viaAlias.publisherName]).toEqual(['oracle', 'java se', '17', 'Oracle']);
    expect(n.normalize('oracle america, inc.', 'java 8 update 401').product).toBe('java se');
    // Neither raw nor aliased publisher is "oracle": the pattern does not apply.
    expect(n.normalize('sun', 'java 17').productRule).toBe(null);
  });

  it('keeps what a rule leaves blank: the aliased publisher, the raw product, the row\'s version and edition', () => {
    const n = normalizer([
      { id: 'a', kind: 'alias', publisher: 'VMware, Inc.', toPublisher: 'VMware' },
      { id: 'b', kind: 'pattern', product: 'vmware tools', toVersion: '' },
    ]);
    const r = n.normalize('vmware, inc.', 'vmware tools');
    expect([r.publisher, r.product, r.version, r.edition, r.productName]).toEqual(['vmware', 'vmware tools', null, null, null]);
  });
});

describe('bad rules', () => {
  it('are problems on their cells and do nothing; the rest reconciles', () => {
    const r = run({
      devices: [device('d1')],
      entitlements: [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1 }],
      installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'x pro' }],
      normalization: [
        rule('n1', { kind: 'pattern', product: '(x pro', toProduct: 'X' }),
        rule('n2', { kind: 'pattern', product: 'x (pro)', toProduct: 'X', toVersion: '$2' }),
        rule('n3', { kind: 'alias', toProduct: 'X' }),
        rule('n4', { kind: 'alias', publisher: 'Acme' }),
        rule('n5', { product: 'x pro', toProduct: 'X' }),
        rule('n6', { kind: 'rename', product: 'x pro', toProduct: 'X' }),
        rule('n7', { kind: 'pattern', product: '(?<v>x)', toProduct: 'X' }),
        rule('n8', { kind: 'ignore' }),
      ],
    });
    const cells = r.problems.filter((p) => p.sheet === 'normalization').map((p) => `${p.rowId}/${p.column}`);
    expect(cells).toEqual(['n1/product', 'n2/toVersion', 'n3/publisher', 'n4/toPublisher', 'n5/kind', 'n6/kind', 'n7/product', 'n8/publisher']);
    expect(r.problems.find((p) => p.rowId === 'n1')!.message).toMatch(/unclosed "\(" \(at character 1\)/);
    expect(position(r, 'e1').consumed).toBe(0);
  });
});

describe('which sheets are normalized', () => {
  it('every row naming a product: subscriptions, sessions, access, sensors and measurements too; entitlements never', () => {
    const alias = rule('n1', { kind: 'alias', publisher: 'Acme Corp', toPublisher: 'Acme' });
    const renamed = rule('n2', { kind: 'alias', product: 'Acme Cloud Suite', toProduct: 'Cloud' });
    const r = run({
      devices: [device('d1')],
      users: [{ id: 'u1' }, { id: 'u2' }],
      entitlements: [
        { id: 'sub', publisher: 'Acme', product: 'Cloud', metric: 'user_subscription', quantity: 5 },
        { id: 'ses', publisher: 'Acme', product: 'Cloud', metric: 'floating', quantity: 5 },
        { id: 'cal', publisher: 'Acme', product: 'Cloud', metric: 'user_cal', quantity: 5 },
        { id: 'sen', publisher: 'Acme', product: 'Cloud', metric: 'sensor_subscription', quantity: 5 },
        { id: 'mea', publisher: 'Acme', product: 'Cloud', metric: 'saas_consumption', quantity: 50 },
        // Not rewritten: an entitlement naming the raw text keeps naming it.
        { id: 'raw', publisher: 'Acme Corp', product: 'Acme Cloud Suite', metric: 'user_subscription', quantity: 5 },
      ],
      subscriptions: [{ id: 's1', userId: 'u1', publisher: 'Acme Corp', product: 'Acme Cloud Suite' }],
      sessions: [{ id: 'x1', userId: 'u1', publisher: 'Acme Corp', product: 'Acme Cloud Suite', start: '2026-10-20T09:00:00Z', end: '2026-10-20T10:00:00Z' }],
      access: [{ id: 'a1', userId: 'u2', serverId: 'd1', publisher: 'ACME CORP', product: 'acme cloud suite' }],
      sensors: [{ id: 'c1', deviceId: 'd1', publisher: 'Acme Corp', product: 'Acme Cloud Suite', seenAt: '2026-10-30T10:00:00Z' }],
      measurements: [{ id: 'm1', publisher: 'Acme Corp', product: 'Acme Cloud Suite', quantity: 7, date: '2026-10-20' }],
      normalization: [alias, renamed],
    });
    expect(position(r, 'sub').consumed).toBe(1);
    expect(position(r, 'ses').consumed).toBe(1);
    expect(position(r, 'cal').consumed).toBe(1);
    expect(position(r, 'sen').consumed).toBe(1);
    expect(position(r, 'mea').consumed).toBe(7);
    expect(position(r, 'raw').consumed).toBe(0);
  });
});

describe('unrecognized software', () => {
  it('lists raw pairs no product rule and no entitlement names, largest first, with installations and devices', () => {
    const e = engineOf({
      devices: [device('d1'), device('d2'), device('d3')],
      entitlements: [
        { id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1 },
        { id: 'e2', publisher: 'Quest', product: '*', metric: 'per_device', quantity: 9 },
      ],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Visio' },
        { id: 'i2', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Microsoft Teams' },
        { id: 'i3', deviceId: 'd2', publisher: 'Microsoft Corporation', product: 'Microsoft Teams' },
        { id: 'i4', deviceId: 'd2', publisher: 'Microsoft Corporation', product: 'microsoft teams' },
        { id: 'i5', deviceId: 'd3', publisher: 'Quest Software Inc.', product: 'Toad for Oracle 17.1' },
        { id: 'i6', deviceId: 'd3', publisher: 'Quest', product: 'Toad for Oracle 17.1' },
        { id: 'i7', deviceId: 'd3', publisher: 'Google LLC', product: 'Google Chrome' },
      ],
      normalization: [
        rule('n1', { kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' }),
        rule('n2', { kind: 'pattern', publisher: 'Google LLC', product: 'chrome', toPublisher: 'Google', toProduct: 'Chrome' }),
      ],
    });
    expect(e.unrecognizedResults().map(({ key: _k, ...u }) => u)).toEqual([
      { publisher: 'Microsoft Corporation', product: 'Microsoft Teams', canonicalPublisher: 'Microsoft', installations: 3, devices: 2 },
      { publisher: 'Quest', product: 'Toad for Oracle 17.1', canonicalPublisher: '', installations: 1, devices: 1 },
      { publisher: 'Quest Software Inc.', product: 'Toad for Oracle 17.1', canonicalPublisher: '', installations: 1, devices: 1 },
    ]);
  });

  it('a rule made from a row takes the pair off the list, and the position counts it (incrementally)', () => {
    const e = engineOf({
      devices: [device('d1'), device('d2')],
      entitlements: [{ id: 'e1', publisher: 'Contoso', product: 'Designer', metric: 'per_device', quantity: 2 }],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Contoso Ltd.', product: 'Contoso Designer 7 (x64)' },
        { id: 'i2', deviceId: 'd2', publisher: 'Contoso Ltd.', product: 'Contoso Designer 7 (x64)' },
      ],
    }, true);
    expect(e.unrecognizedResults()).toHaveLength(1);
    const patch = e.apply([{ kind: 'rowAdded', sheet: 'normalization', key: 'z1', cells: { id: 'n1', kind: 'alias', publisher: 'Contoso Ltd.', product: 'Contoso Designer 7 (x64)', toPublisher: 'Contoso', toProduct: 'Designer', toVersion: '7' } }], () => undefined);
    expect(patch.removedUnrecognized).toHaveLength(1);
    expect(patch.positions.find((p) => p.entitlementIds.includes('e1'))?.consumed).toBe(2);
    expect(e.unrecognizedResults()).toEqual([]);
  });

  it('an installation edit moves one row between tallies: devices counted once, the first row naming the pair (incrementally)', () => {
    const rows = [
      { id: 'i1', deviceId: 'd1', publisher: 'Contoso Ltd.', product: 'Contoso Designer' },
      { id: 'i2', deviceId: 'd1', publisher: 'Contoso Ltd', product: 'Contoso Designer' },
      { id: 'i3', deviceId: 'd2', publisher: 'contoso ltd.', product: 'Contoso Designer' },
    ];
    const e = engineOf({ devices: [device('d1'), device('d2')], installations: rows }, true);
    const tally = () => e.unrecognizedResults().map(({ key: _k, ...u }) => u);
    expect(tally()).toEqual([
      { publisher: 'Contoso Ltd.', product: 'Contoso Designer', canonicalPublisher: '', installations: 2, devices: 2 },
      { publisher: 'Contoso Ltd', product: 'Contoso Designer', canonicalPublisher: '', installations: 1, devices: 1 },
    ]);
    // The row naming the pair leaves it: the next row in sheet order names it; d1 still counts once.
    const source = (r: RawRow) => () => r;
    e.apply([{ kind: 'cellChanged', sheet: 'installations', key: 0, column: 'product', value: 'Other' }], source({ ...rows[0], product: 'Other' }));
    expect(tally()).toEqual([
      { publisher: 'Contoso Ltd', product: 'Contoso Designer', canonicalPublisher: '', installations: 1, devices: 1 },
      { publisher: 'contoso ltd.', product: 'Contoso Designer', canonicalPublisher: '', installations: 1, devices: 1 },
      { publisher: 'Contoso Ltd.', product: 'Other', canonicalPublisher: '', installations: 1, devices: 1 },
    ]);
    // It comes back: the first row in sheet order names its pair again.
    e.apply([{ kind: 'cellChanged', sheet: 'installations', key: 0, column: 'product', value: 'Contoso Designer' }], source(rows[0]));
    expect(tally()[0]).toEqual({ publisher: 'Contoso Ltd.', product: 'Contoso Designer', canonicalPublisher: '', installations: 2, devices: 2 });
    // A row removed that did not name the pair: the count drops, the device with another row stays.
    e.apply([{ kind: 'rowRemoved', sheet: 'installations', key: 2 }], () => undefined);
    expect(tally()).toEqual([
      { publisher: 'Contoso Ltd', product: 'Contoso Designer', canonicalPublisher: '', installations: 1, devices: 1 },
      { publisher: 'Contoso Ltd.', product: 'Contoso Designer', canonicalPublisher: '', installations: 1, devices: 1 },
    ]);
  });
});

/** A workbook's rows whose names are raw, with rules that rename them. */
const rawWorkbookArb = workbookArb().map((wb) => wb as unknown as Record<SheetName, RawRow[]>);

describe('properties', () => {
  it('normalizing a workbook equals normalizing its rows one at a time, in any order (seeded)', () => {
    fc.assert(fc.property(rawWorkbookArb, fc.infiniteStream(fc.nat()), (wb, picks) => {
      const loaded = engineOf(wb);
      const rules = loaded.store.ordered('normalization');
      const alone = new Normalizer(rules);
      // Each row, on its own, gets what the rules give its raw pair.
      for (const sheet of ['installations', 'sessions', 'access', 'subscriptions', 'sensors', 'measurements'] as const) {
        for (const row of loaded.store.rows(sheet)) {
          const raw = row.sheet === 'installations' ? row.raw : { publisher: row.rawPublisher, product: row.rawProduct };
          const n = alone.normalize(raw.publisher, raw.product);
          expect([row.publisher, row.product], `${sheet} ${String(row.key)}`).toEqual([n.publisher, n.product]);
          if (row.sheet === 'installations') expect([row.version, row.edition]).toEqual([n.version ?? row.rawVersion, n.edition ?? row.rawEdition]);
        }
      }
      // Rows added one at a time, in a shuffled order, to an engine holding only the rules and the
      // rest, end where loading them all at once does.
      const rest = { ...wb, installations: [], sessions: [] } as Record<SheetName, RawRow[]>;
      const e = engineOf(rest, true);
      const rows = [...wb.installations.map((r) => ['installations', r] as const), ...wb.sessions.map((r) => ['sessions', r] as const)];
      const order = rows.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = picks.next().value % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      // Keys keep sheet order: the row's place in its sheet.
      const keyOf = (sheet: string, i: number) => `${sheet[0]}${String(i).padStart(4, '0')}`;
      for (const k of order) {
        const [sheet, cells] = rows[k];
        const index = (sheet === 'installations' ? wb.installations : wb.sessions).indexOf(cells);
        e.apply([{ kind: 'rowAdded', sheet, key: keyOf(sheet, index), cells }], () => undefined);
      }
      const whole = new Engine({ today: TODAY });
      whole.load({ asOf: TODAY }, Object.fromEntries(SHEETS.map((s) => [s, s === 'installations' || s === 'sessions'
        ? { rows: wb[s], keys: wb[s].map((_, i) => keyOf(s, i)) } : { rows: wb[s] }])));
      const strip = (r: ReturnType<Engine['result']>) => ({ ...r, problems: r.problems.map(({ key: _k, ...p }) => p) });
      expect(strip(e.result())).toEqual(strip(whole.result()));
      expect(e.unrecognizedResults()).toEqual(whole.unrecognizedResults());
    }), { seed: 20261201, numRuns: 120 });
  });

  it('rule edits give incrementally what a full reconcile gives (seeded)', () => {
    const ruleEdit: fc.Arbitrary<Edit> = fc.oneof(
      fc.record({ op: fc.constant('add' as const), sheet: fc.constant('normalization' as SheetName), row: fc.record({
        id: fc.constantFrom('n1', 'n2', 'n3'), kind: fc.constantFrom('alias', 'ignore', 'pattern'),
        publisher: fc.constantFrom('', 'Acme Corp', 'Acme'), product: fc.constantFrom('', 'X Pro 1', 'x pro (\\d)', '^(x|y)', '('),
        toPublisher: fc.constantFrom('', 'Acme', 'Beta'), toProduct: fc.constantFrom('', 'X', 'Y'), toVersion: fc.constantFrom('', '$1', '1'),
      }) as fc.Arbitrary<RowCells> }),
      fc.record({ op: fc.constant('remove' as const), sheet: fc.constant('normalization' as SheetName), pick: fc.nat({ max: 50 }) }),
      fc.record({ op: fc.constant('cell' as const), sheet: fc.constant('normalization' as SheetName), pick: fc.nat({ max: 50 }),
        column: fc.constantFrom('kind', 'publisher', 'product', 'toPublisher', 'toProduct', 'toVersion'),
        value: fc.constantFrom(null, 'alias', 'pattern', 'ignore', 'Acme Corp', 'X Pro 1', 'x pro (\\d)', 'X', '$1', '1') }),
      fc.record({ op: fc.constant('cell' as const), sheet: fc.constantFrom<SheetName>('installations', 'entitlements'), pick: fc.nat({ max: 50 }),
        column: fc.constantFrom('publisher', 'product'), value: fc.constantFrom('Acme Corp', 'X Pro 1', 'x pro 2', 'X', 'Acme') }),
    );
    fc.assert(fc.property(workbookArb(), fc.array(ruleEdit, { minLength: 1, maxLength: 12 }), (wb, edits) => {
      const model = new Model();
      for (const s of SHEETS) for (const r of wb[s]) model.sheets[s].set(model.newKey(), { ...r });
      const { engine, view } = startIncremental(model);
      expectSameAsFull(model, engine, view, 'load');
      edits.forEach((edit, n) => {
        const change = model.apply(edit);
        if (!change) return;
        view.take(engine.apply([change], model.source));
        expectSameAsFull(model, engine, view, `edit ${n}: ${JSON.stringify(edit)}`);
      });
    }), { seed: 20261202, numRuns: 150 });
  });

  it('re-normalizes a pair with thousands of rows in bulk, and a small one into a large product row by row, as a full reconcile does', () => {
    const model = new Model();
    const devices = Array.from({ length: 50 }, (_, i) => device(`d${i}`));
    for (const d of devices) model.sheets.devices.set(model.newKey(), d as RowCells);
    model.sheets.entitlements.set(model.newKey(), { id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_instance', quantity: 10 });
    model.sheets.entitlements.set(model.newKey(), { id: 'e2', publisher: 'Acme', product: '*', metric: 'per_device', quantity: 10 });
    for (let i = 0; i < 2_500; i++) model.sheets.installations.set(model.newKey(), { id: `i${i}`, deviceId: `d${i % 60}`, publisher: 'Acme Corp', product: 'X Pro 1' });
    // A large product under its own name, and a small raw pair that a rule will rename into it.
    for (let i = 0; i < 3_000; i++) model.sheets.installations.set(model.newKey(), { id: `y${i}`, deviceId: `d${i % 50}`, publisher: 'Acme', product: 'Y' });
    for (let i = 0; i < 5; i++) model.sheets.installations.set(model.newKey(), { id: `z${i}`, deviceId: `d${i}`, publisher: 'Acme', product: 'Y (x64)' });
    const { engine, view } = startIncremental(model);
    const steps: Edit[] = [
      { op: 'add', sheet: 'normalization', row: { id: 'n1', kind: 'alias', publisher: 'Acme Corp', toPublisher: 'Acme' } },
      { op: 'add', sheet: 'normalization', row: { id: 'n2', kind: 'pattern', product: '^x pro (\\d)$', toProduct: 'X', toVersion: '$1' } },
      { op: 'cell', sheet: 'normalization', pick: 1, column: 'kind', value: 'ignore' },
      { op: 'remove', sheet: 'normalization', pick: 0 },
      { op: 'add', sheet: 'normalization', row: { id: 'n3', kind: 'alias', publisher: 'Acme', product: 'Y (x64)', toProduct: 'Y' } },
      { op: 'cell', sheet: 'normalization', pick: 1, column: 'toProduct', value: 'X' },
    ];
    for (const edit of steps) {
      view.take(engine.apply([model.apply(edit)!], model.source));
      expectSameAsFull(model, engine, view, JSON.stringify(edit));
    }
  });
});
