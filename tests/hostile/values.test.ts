// No value breaks a workspace: whatever a person types or a peer writes into any cell of any sheet
// (numbers whose millionths overflow, numbers beyond a double, huge texts, deep and wide values),
// the cell is a problem and the rest is reconciled. Checked through the document and the worker
// service (the page's path), and through the command line (exit 0 with problems, never 70).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { COLUMNS, SHEETS, type SheetName } from '../../engine/schema';
import { describe as describeValue, MAX_AMOUNT } from '../../engine/cells';
import { exactProduct } from '../../engine/positions/position';
import { createReckonService } from '../../worker/service';
import { addRow, setCell } from '../../worker/doc/edit';
import { sheetTypes } from '../../worker/doc/layout';
import { clockOf } from '../../worker/doc/keys';
import { importWorkbook } from '../../worker/doc/import';
import { workbookArb } from '../helpers/random-workbook';
import { docScenario, TODAY, type DocEdit } from '../doc/doc-harness';
import { testDoc } from '../doc/helpers';
import { reckon } from '../cli/helpers';
import { deepArray, deepJson, deepObject, hostileDocValueArb, hostileJsonValueArb } from '../helpers/hostile-values';

const dir = mkdtempSync(join(tmpdir(), 'reckon-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cell edit of any column of any sheet (and a column no sheet has) to a hostile value. */
function hostileEditArb(): fc.Arbitrary<DocEdit> {
  const sheet = fc.constantFrom(...SHEETS);
  return sheet.chain((s) => fc.oneof(
    { weight: 5, arbitrary: fc.record({
      op: fc.constant('cell' as const), sheet: fc.constant(s), pick: fc.nat({ max: 1000 }),
      column: fc.constantFrom(...COLUMNS[s].map((c) => c.name), 'extra'), value: hostileDocValueArb(),
    }) },
    { weight: 1, arbitrary: fc.array(hostileDocValueArb(), { minLength: COLUMNS[s].length, maxLength: COLUMNS[s].length })
      .map((values) => ({ op: 'add' as const, sheet: s, row: Object.fromEntries(COLUMNS[s].map((c, i) => [c.name, values[i]])) })) },
  )) as fc.Arbitrary<DocEdit>;
}

/** One row per sheet with every column hostile (values drawn with a fixed seed). */
function everyColumnHostile(seed: number, arb: fc.Arbitrary<unknown>): Record<SheetName, Record<string, unknown>[]> {
  const out = {} as Record<SheetName, Record<string, unknown>[]>;
  let n = 0;
  for (const s of SHEETS) {
    const values = fc.sample(arb, { seed: seed + n++, numRuns: COLUMNS[s].length });
    out[s] = [Object.fromEntries(COLUMNS[s].map((c, i) => [c.name, values[i]]))];
  }
  return out;
}

describe('cell readers', () => {
  it('describe is bounded for any value (no recursion, no huge messages)', () => {
    expect(describeValue(deepArray(100_000))).toBe('[[[[…]]]]');
    expect(describeValue(deepObject(100_000))).toBe('{"a":{"a":{"a":{…}}}}');
    expect(describeValue('x'.repeat(1_000_000)).length).toBeLessThan(100);
    expect(describeValue(new Array(1_000_000).fill(1)).length).toBeLessThan(100);
    expect(describeValue(Infinity)).toBe('Infinity');
    expect(describeValue([1, 'a'])).toBe('[1,"a"]');
  });

  it('exactProduct never throws', () => {
    expect(exactProduct(3_000_000, 1_150_000)).toBe(3.45);
    expect(exactProduct(Infinity, 1_000_000)).toBe(Infinity);
    expect(exactProduct(1e22, 1e22)).toBe(1e32);
  });
});

describe('hostile values through the document and the worker service', () => {
  it('random hostile values in random cells of every sheet: results equal a full reconcile, the service never fails (seeded)', async () => {
    await fc.assert(fc.asyncProperty(workbookArb(), fc.array(hostileEditArb(), { minLength: 1, maxLength: 10 }),
      (wb, edits) => docScenario(wb, edits)), { seed: 20261223, numRuns: 40 });
  });

  it('every column of every sheet hostile at once, in added rows and in imported chunks: problems, no failure', async () => {
    const doc = testDoc(1);
    importWorkbook(doc, { settings: { asOf: TODAY, currency: [[['x']]] }, sheets: everyColumnHostile(7, hostileJsonValueArb(60)) });
    for (const [s, rows] of Object.entries(everyColumnHostile(11, hostileDocValueArb()))) addRow(doc, s, rows[0] as never);
    // A peer can write any text as a chunk's data: a cell 100,000 arrays deep, which no JSON.stringify could write.
    const chunkId = clockOf(doc).chunkId();
    const data = `[["e-deep"],["Acme"],["X"],["per_device"],[${deepJson(100_000)}],[${deepJson(100_000)}]]`;
    sheetTypes(doc, 'entitlements').chunks.push([{ id: chunkId, n: 1, columns: ['id', 'publisher', 'product', 'metric', 'quantity', 'unitCost'], data }]);
    const service = createReckonService();
    const first = await service.open(Y.encodeStateAsUpdate(doc), { today: TODAY });
    const problems = first.problems ?? [];
    const onDeep = problems.find((p) => p.sheet === 'entitlements' && p.key === `${chunkId}.00000`);
    expect(onDeep?.problems.map((p) => p.message)).toEqual([
      'quantity must be a number, got [[[[…]]]]',
      'unitCost must be a number, got [[[[…]]]]',
    ]);
    expect(first.settingsProblems?.map((p) => p.column)).toContain('currency');
    expect(service.stats().errors).toEqual([]);
    service.close();
  });

  it('an editor types 1e308 into unitCost: a problem on that cell for every replica, the position stays', async () => {
    const doc = testDoc(1);
    importWorkbook(doc, { settings: { asOf: TODAY, currency: 'USD' }, sheets: {
      entitlements: [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1, unitCost: 10 }],
      devices: [{ id: 'd1' }, { id: 'd2' }],
      installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'X' }, { id: 'i2', deviceId: 'd2', publisher: 'Acme', product: 'X' }],
    } });
    const service = createReckonService();
    await service.open(Y.encodeStateAsUpdate(doc), { today: TODAY });
    const patches: unknown[] = [];
    service.onPatch((p) => patches.push(p));
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    peer.on('update', (u: Uint8Array) => service.update(u));
    const key = [...sheetTypes(peer, 'entitlements').chunks.toArray()][0] as { id: string };
    for (const value of [1e308, Infinity, '1e309', MAX_AMOUNT + 1]) {
      setCell(peer, 'entitlements', `${key.id}.00000`, 'unitCost', value as never);
      service.flush();
      const position = service.bridge!.engine.positionResults()[0];
      expect(position.shortfall).toBe(1);
      expect(position.unitCost).toBeNull();
      const problems = service.bridge!.engine.result({}).problems.filter((p) => p.column === 'unitCost');
      expect(problems.map((p) => p.message)[0]).toMatch(/^unitCost is too large to count exactly \(at most 9007199254\), got /);
    }
    expect(service.stats().errors).toEqual([]);
    service.close();
  });
});

describe('hostile values through the command line', () => {
  it('a JSON workbook with hostile values in every column of every sheet: exit 0 with problems (seeded)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
      const sheets = everyColumnHostile(seed, hostileJsonValueArb(60));
      sheets.entitlements.push({ id: 'big', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1, unitCost: 1e308 });
      sheets.installations.push({ id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'X' }, { id: 'i2', deviceId: 'd2', publisher: 'Acme', product: 'X' });
      const file = join(dir, `hostile-${seed}.json`);
      writeFileSync(file, JSON.stringify({ format: 'reckon-workbook/1', settings: { asOf: TODAY }, ...sheets }));
      for (const args of [[file, '--json'], [file]]) {
        const r = reckon(['reconcile', ...args]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const result = JSON.parse(reckon(['reconcile', file, '--json']).stdout) as { problems: { rowId: string; column: string; message: string }[] };
      expect(result.problems).toContainEqual({ sheet: 'entitlements', rowId: 'big', column: 'unitCost', message: 'unitCost is too large to count exactly (at most 9007199254), got 1e+308' });
      // Through a document too: import, then reconcile the .yjs.
      const doc = join(dir, `hostile-${seed}.yjs`);
      expect(reckon(['import', file, '--out', doc]).code).toBe(0);
      const fromDoc = reckon(['reconcile', doc, '--json']);
      expect(fromDoc.code).toBe(0);
      expect(JSON.parse(fromDoc.stdout).problems).toEqual(result.problems);
    }), { seed: 20261224, numRuns: 6 });
  });

  it('a document whose chunk holds a value 100,000 arrays deep: reconcile exits 0 with the problem', () => {
    const doc = testDoc(1);
    importWorkbook(doc, { settings: { asOf: TODAY }, sheets: {} });
    sheetTypes(doc, 'entitlements').chunks.push([{ id: clockOf(doc).chunkId(), n: 1, columns: ['id', 'metric', 'unitCost'], data: `[["e1"],["per_device"],[${deepJson(100_000)}]]` }]);
    const file = join(dir, 'deep.yjs');
    writeFileSync(file, Y.encodeStateAsUpdate(doc));
    const r = reckon(['reconcile', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).problems).toContainEqual({ sheet: 'entitlements', rowId: 'e1', column: 'unitCost', message: 'unitCost must be a number, got [[[[…]]]]' });
  });
});
