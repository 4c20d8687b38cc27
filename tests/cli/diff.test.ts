// `reckon diff BASE SCENARIO [--json]`: two workbook files (rows matched by id), a scenario document
// over its baseline's document (the demo's prepared scenario: a real saving), the JSON form, the
// text report, and bad input (one line, exit 2).

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import { demoScenarioUpdate, demoUpdate } from '../../server/demo';
import { loadDocument } from '../../worker/bridge';
import { exportWorkbook } from '../../worker/doc/export';
import { WorkbookReader } from '../../worker/doc/reader';
import { compareResults } from '../../worker/scenario/compare';
import { LayeredReader } from '../../worker/scenario/reader';
import { reckon, tempFile } from './helpers';

const base = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01', currency: 'EUR' },
  devices: [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }],
  installations: [
    { id: 'i1', deviceId: 'd1', publisher: 'Adobe', product: 'Acrobat' },
    { id: 'i2', deviceId: 'd2', publisher: 'Adobe', product: 'Acrobat' },
  ],
  entitlements: [{ id: 'e1', publisher: 'Adobe', product: 'Acrobat', metric: 'per_device', quantity: 1, unitCost: 100 }],
};
const changed = {
  ...base,
  settings: { ...base.settings, windowEnd: '2026-10-01' },
  devices: [{ id: 'd1' }, { id: 'd3', notes: 'spare' }, { id: 'd4' }],
  installations: [...base.installations, { id: 'i3', deviceId: 'd4', publisher: 'Adobe', product: 'Acrobat' }],
};

describe('reckon diff', () => {
  it('two workbook files: position deltas, changed rows and cells by id, as JSON', () => {
    const r = reckon(['diff', tempFile('base.json', JSON.stringify(base)), tempFile('changed.json', JSON.stringify(changed)), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.format).toBe('reckon-diff/1');
    // d2 removed (its installation i2 now names no device: it does not count), d4 added with i3.
    expect(d.positions).toHaveLength(1);
    expect(d.positions[0]).toMatchObject({
      publisher: 'Adobe', product: 'Acrobat', changed: false,
      base: { purchased: 1, consumed: 2, status: 'noncompliant', shortfallCost: 100, currency: 'EUR' },
      scenario: { consumed: 2, shortfallCost: 100 },
      delta: { consumed: 0, shortfallCost: 0 },
    });
    const devices = d.changes.sheets.find((s: { sheet: string }) => s.sheet === 'devices');
    expect(devices.added.map((x: { id: string }) => x.id)).toEqual(['d4']);
    expect(devices.removed.map((x: { id: string }) => x.id)).toEqual(['d2']);
    expect(devices.changed).toEqual([{ key: '', id: 'd3', column: 'notes', old: null, new: 'spare' }]);
    expect(d.changes.settings).toEqual([{ key: 'windowEnd', old: null, new: '2026-10-01' }]);
    expect(d.totals.delta).toEqual({ positions: 0, noncompliant: 0, shortfallCost: 0, hamUnits: 0, otUnits: 0 });
  });

  it('the demo\'s prepared scenario over the demo document: the saving, equal to two full reconciles', () => {
    const demo = demoUpdate();
    const scenario = demoScenarioUpdate(demo);
    const baseFile = tempFile('demo.yjs', Buffer.from(demo));
    const scenarioFile = join(dirname(baseFile), 'oracle.yjs');
    writeFileSync(scenarioFile, scenario);

    const r = reckon(['diff', baseFile, scenarioFile, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    const oracle = d.positions[0];
    expect(oracle).toMatchObject({ publisher: 'Oracle', product: 'Database Enterprise Edition', metric: 'oracle_processor', changed: true });
    expect(oracle.delta).toMatchObject({ consumed: -24, shortfallCost: -1_140_000 });
    expect(d.totals.delta.shortfallCost).toBe(-1_140_000);
    expect(d.positions.filter((p: { changed: boolean }) => p.changed).map((p: { product: string }) => p.product)).toEqual(['Database Enterprise Edition', 'Database Standard Edition 2', 'WebLogic Server']);
    expect(d.changes.sheets.map((s: { sheet: string; added: unknown[]; changed: unknown[] }) => [s.sheet, s.added.length, s.changed.length])).toEqual([['devices', 0, 4], ['clusters', 1, 0]]);

    // The same numbers as reconciling each side in full.
    const b = new Y.Doc(), s = new Y.Doc();
    Y.applyUpdate(b, demo);
    Y.applyUpdate(s, scenario);
    const baseReader = new WorkbookReader(b);
    const full = (reader: WorkbookReader | LayeredReader) => loadDocument(new Engine({ today: '2026-11-01' }), reader).result();
    const layered = new LayeredReader(baseReader, s);
    const expected = compareResults(full(baseReader), [full(layered)]);
    expect(d.totals.scenario).toEqual(expected.totals.sides[0]);
    expect(d.positions.map((p: { key: string; delta: unknown }) => [p.key, p.delta])).toEqual(expected.positions.map((p) => [p.key, p.delta[0]]));

    // The text report leads with the saving and lists the changes.
    const text = reckon(['diff', baseFile, scenarioFile]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Shortfall cost: [\d,.]+ USD → [\d,.]+ USD \(−1,140,000\.00\)/);
    expect(text.stdout).toMatch(/Oracle\s+Database Enterprise Edition/);
    expect(text.stdout).toMatch(/clusters\n\s+added\s+c900/);

    // The scenario exported as a workbook file compares the same way (rows matched by id).
    const exported = tempFile('oracle.json', JSON.stringify(exportWorkbook(s, layered)));
    const j = JSON.parse(reckon(['diff', tempFile('demo.json', JSON.stringify(exportWorkbook(b))), exported, '--json']).stdout);
    expect(j.positions).toEqual(d.positions.map((p: object) => p));
    expect(j.changes.sheets.map((x: { sheet: string; added: unknown[]; changed: unknown[] }) => [x.sheet, x.added.length, x.changed.length])).toEqual([['devices', 0, 4], ['clusters', 1, 0]]);
  });

  it('bad input: one line naming the file, exit 2', () => {
    const good = tempFile('w.json', JSON.stringify(base));
    const scenarioFile = tempFile('s.yjs', Buffer.from(demoScenarioUpdate()));
    const cases: [string[], RegExp][] = [
      [['diff', good], /expected BASE and SCENARIO/],
      [['diff', good, good, '--xml'], /unknown option --xml/],
      [['diff', good, join(dirname(good), 'missing.json')], /missing\.json: no such file/],
      [['diff', tempFile('bad.json', '{"format":'), good], /bad\.json: not JSON/],
      [['diff', scenarioFile, good], /s\.yjs: a scenario document; give its baseline as BASE/],
      [['diff', good, scenarioFile], /s\.yjs: a scenario document is read over its baseline/],
      [['diff', good, tempFile('x.yjs', 'not yjs')], /x\.yjs: not a Yjs document update/],
    ];
    for (const [args, message] of cases) {
      const r = reckon(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });
});
