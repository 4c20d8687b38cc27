// Rule edits that move many rows (engine/normalize/renames.ts): a rule renaming raw pairs with tens
// of rows between overlapping positions (versioned, downgrade, edition- and company-scoped, `*`),
// into and out of products with unlicensed tallies, beside a large product under its own name so
// that some positions are redone unit by unit and others whole. Incremental must equal a full
// reconcile after every edit: positions, their explanations (the units' members), unlicensed
// tallies, the unrecognized list.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SheetName } from '../../engine/schema';
import { Model, expectSameAsFull, startIncremental } from '../helpers/incremental-harness';
import type { Cell, Edit, RowCells } from '../helpers/random-workbook';

const DEVICES: RowCells[] = [
  { id: 'd0', cores: 4 }, { id: 'd1', cores: 8, company: 'North' }, { id: 'd2', cores: 4, site: 'Paris' },
  { id: 'd3', cores: 16, status: 'retired' }, { id: 'h0', cores: 32 }, { id: 'v0', virtual: true, hostId: 'h0', vcpus: 4 },
  { id: 'v1', virtual: true, hostId: 'h0', vcpus: 2, company: 'North' },
];
const DEVICE_IDS = DEVICES.map((d) => String(d.id));

/** Raw names as discovery reports them: rules turn most of them into X or Y, versions captured. */
const RAW_PAIRS: [string, string][] = [
  ['Acme Corp', 'X Pro 1'], ['Acme Corp', 'X Pro 2'], ['ACME CORP', 'X Pro 2 (64-bit)'], ['Acme', 'Y Std 1'],
  ['Acme', 'Y Pro 2'], ['Acme Corp', 'Z Tool'], ['Acme', 'Y'],
];

const METRICS = ['per_device', 'per_instance', 'per_copy_per_device', 'per_core', 'per_server', 'enterprise', 'concurrent_user'] as const;

const entitlementArb = fc.record({
  id: fc.constantFrom('e0', 'e1', 'e2', 'e3', 'e4'), publisher: fc.constant('Acme'), product: fc.constantFrom('X', 'X', 'Y', 'Z', '*'),
  metric: fc.constantFrom(...METRICS), version: fc.constantFrom('', '', '1', '2'), downgrade: fc.constantFrom<Cell>(null, true),
  edition: fc.constantFrom('', '', 'pro'), company: fc.constantFrom('', '', '', 'North'), quantity: fc.constantFrom(0, 1, 3, 10),
});

/** Runs of rows of one raw pair (tens of rows: a rule moves them together), on the devices in turn. */
const runArb = fc.record({
  pair: fc.nat({ max: RAW_PAIRS.length - 1 }), rows: fc.integer({ min: 1, max: 40 }), from: fc.nat({ max: DEVICE_IDS.length - 1 }),
  version: fc.constantFrom('', '1', '2', '3'), edition: fc.constantFrom('', 'pro'),
});

const ruleCells = {
  kind: fc.constantFrom('pattern', 'pattern', 'alias', 'ignore'),
  publisher: fc.constantFrom('', 'Acme', 'Acme Corp'),
  product: fc.constantFrom('^x pro (\\d)', '^y (std|pro) (\\d)', 'X Pro 2 (64-bit)', 'z tool', '^(x|y)'),
  toPublisher: fc.constantFrom('', '', 'Acme'),
  toProduct: fc.constantFrom('', 'X', 'Y', 'Z', 'W'),
  toVersion: fc.constantFrom('', '$1', '$2', '2'),
  toEdition: fc.constantFrom('', '$1', 'pro'),
};

const ruleEditArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('cell' as const), sheet: fc.constant<SheetName>('normalization'), pick: fc.nat({ max: 50 }),
    column: fc.constantFrom('toProduct', 'toProduct', 'toVersion', 'toEdition', 'product', 'kind', 'publisher', 'toPublisher') })
    .chain((e) => (ruleCells[e.column as keyof typeof ruleCells] as fc.Arbitrary<Cell>).map((value) => ({ ...e, value }))) },
  { weight: 2, arbitrary: fc.record(ruleCells).map((row) => ({ op: 'add' as const, sheet: 'normalization' as SheetName, row: row as RowCells })) },
  { weight: 1, arbitrary: fc.nat({ max: 50 }).map((pick) => ({ op: 'remove' as const, sheet: 'normalization' as SheetName, pick })) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cell' as const), sheet: fc.constant<SheetName>('entitlements'), pick: fc.nat({ max: 50 }),
    column: fc.constantFrom('product', 'version', 'quantity'), value: fc.constantFrom<Cell>('X', 'Y', '2', '', 5) }) },
);

describe('rule edits moving many rows', () => {
  it('give incrementally what a full reconcile gives, between overlapping and versioned positions (seeded)', () => {
    const scenario = fc.record({
      entitlements: fc.array(entitlementArb, { minLength: 1, maxLength: 6 }),
      runs: fc.array(runArb, { minLength: 1, maxLength: 8 }),
      // A large product under its own name: a few rows renamed into it are redone unit by unit.
      bigX: fc.constantFrom(0, 0, 150, 300),
      rules: fc.array(fc.record(ruleCells), { maxLength: 3 }),
      sessions: fc.array(fc.record({ pair: fc.nat({ max: RAW_PAIRS.length - 1 }), userId: fc.constantFrom('u0', 'u1') }), { maxLength: 4 }),
      edits: fc.array(ruleEditArb, { minLength: 1, maxLength: 8 }),
    });
    fc.assert(fc.property(scenario, (s) => {
      const model = new Model();
      const put = (sheet: SheetName, row: RowCells) => model.sheets[sheet].set(model.newKey(), row);
      for (const d of DEVICES) put('devices', { name: d.id, ...d });
      for (const u of ['u0', 'u1']) put('users', { id: u, name: u });
      for (const e of s.entitlements) put('entitlements', { ...e });
      for (const r of s.rules) put('normalization', { ...r });
      // The rules a catalogue would bring, after the random ones.
      put('normalization', { kind: 'alias', publisher: 'Acme Corp', toPublisher: 'Acme' });
      put('normalization', { kind: 'pattern', publisher: 'Acme', product: '^x pro (\\d)', toProduct: 'X', toVersion: '$1' });
      let n = 0;
      for (let i = 0; i < s.bigX; i++) put('installations', { id: `i${n++}`, deviceId: DEVICE_IDS[i % DEVICE_IDS.length], publisher: 'Acme', product: 'X', version: String(1 + (i % 2)) });
      for (const run of s.runs) {
        const [publisher, product] = RAW_PAIRS[run.pair];
        for (let k = 0; k < run.rows; k++) {
          put('installations', { id: `i${n++}`, deviceId: DEVICE_IDS[(run.from + k) % DEVICE_IDS.length], publisher, product, version: run.version, edition: run.edition });
        }
      }
      for (const x of s.sessions) put('sessions', { publisher: RAW_PAIRS[x.pair][0], product: RAW_PAIRS[x.pair][1], userId: x.userId, start: '2026-10-30T10:00:00Z', end: '2026-10-30T11:00:00Z' });
      const { engine, view } = startIncremental(model);
      expectSameAsFull(model, engine, view, 'load', { explanations: true });
      s.edits.forEach((edit, k) => {
        const change = model.apply(edit);
        if (!change) return;
        view.take(engine.apply([change], model.source));
        expectSameAsFull(model, engine, view, `edit ${k}: ${JSON.stringify(edit)}`, { explanations: true });
      });
    }), { seed: 20261207, numRuns: 80 });
  });

  it('names an unlicensed tally after the rows it keeps when the row it was named after is renamed away', () => {
    const model = new Model();
    model.sheets.devices.set(model.newKey(), { id: 'd0', name: 'd0' });
    // Two raw spellings of one product; the first row (sheet order) names the unlicensed tally.
    model.sheets.installations.set(model.newKey(), { id: 'i0', deviceId: 'd0', publisher: 'Acme', product: 'Tool 2024' });
    for (let i = 1; i < 30; i++) model.sheets.installations.set(model.newKey(), { id: `i${i}`, deviceId: 'd0', publisher: 'ACME', product: 'TOOL' });
    const rule = model.newKey();
    model.sheets.normalization.set(rule, { kind: 'pattern', publisher: 'Acme', product: '^tool (\\d{4})', toProduct: 'Tool', toVersion: '$1' });
    const { engine, view } = startIncremental(model);
    const tally = () => engine.result().unlicensed.find((u) => u.product.toLowerCase() === 'tool');
    expect(tally()).toMatchObject({ publisher: 'Acme', product: 'Tool', installations: 30 });
    model.sheets.normalization.get(rule)!.toProduct = 'Other';
    view.take(engine.apply([{ kind: 'cellChanged', sheet: 'normalization', key: rule, column: 'toProduct', value: 'Other' }], model.source));
    expectSameAsFull(model, engine, view, 'renamed away');
    const full = model.fullResult().unlicensed.find((u) => u.product.toLowerCase() === 'tool');
    expect(tally()).toEqual(full);
    expect(tally()).toMatchObject({ publisher: 'ACME', product: 'TOOL', installations: 29 });
  });
});
