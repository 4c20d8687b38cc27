// A scenario's layers over its baseline: forking copies nothing, reads show the baseline with the
// scenario's changes on top (live as the baseline changes), the change list shows old → new, each
// change reverts on its own, undo covers scenario edits, and a merge asks about conflicts and takes
// its choices, as one undoable step on the baseline.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { WorkbookReader } from '../../worker/doc/reader';
import { exportWorkbook } from '../../worker/doc/export';
import { addScenarioRow, clearScenarioSheet, deleteScenarioRow, setScenarioCell, setScenarioSetting } from '../../worker/scenario/edit';
import { revertAdded, revertCell, revertRemoval, revertSetting, scenarioChanges } from '../../worker/scenario/changes';
import { applyMerge, planMerge, MergeRefused } from '../../worker/scenario/merge';
import { LayeredReader } from '../../worker/scenario/reader';
import { isScenarioDoc, scenarioMeta } from '../../worker/scenario/layout';
import { computeView } from '../../worker/view';
import { testDoc } from '../doc/helpers';
import { forkDoc, scenarioTypes } from './harness';

const WB = {
  settings: { asOf: '2026-11-01', currency: 'USD' },
  sheets: {
    devices: [{ id: 'h1', cores: 16, cluster: 'c1' }, { id: 'h2', cores: 8 }, { id: 'v1', virtual: true, hostId: 'h1' }],
    clusters: [{ id: 'c1', mobility: true }],
    entitlements: [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1 }],
  },
};

function setup() {
  const base = testDoc(1);
  importWorkbook(base, WB, { chunkRows: 2 });
  const baseReader = new WorkbookReader(base);
  const scen = forkDoc(2, 'what if');
  const r = new LayeredReader(baseReader, scen);
  const keys = (sheet: string) => r.sheet(sheet).keys();
  const ids = (sheet: string) => r.sheet(sheet).readAll().rows.map((x) => x.id);
  return { base, baseReader, scen, r, keys, ids };
}

describe('a scenario\'s layers', () => {
  it('forking writes only meta: the scenario reads as its baseline', () => {
    const { base, scen, r } = setup();
    expect(isScenarioDoc(scen)).toBe(true);
    expect(scenarioMeta(scen)).toMatchObject({ kind: 'scenario', baseline: 'base', name: 'what if' });
    expect(Y.encodeStateAsUpdate(scen).length).toBeLessThan(200);
    expect(exportWorkbook(scen, r)).toEqual(exportWorkbook(base));
  });

  it('shows baseline rows with its edits, deletions and own rows on top, in key order', () => {
    const { base, r, keys, ids } = setup();
    const [h1, h2, v1] = keys('devices');
    setScenarioCell(r, 'devices', h2, 'cluster', 'c1');
    deleteScenarioRow(r, 'devices', v1);
    const own = addScenarioRow(r, 'devices', { id: 'h3', cores: 4 });
    expect(ids('devices')).toEqual(['h1', 'h2', 'h3']);
    expect(r.readRow('devices', h2)).toMatchObject({ id: 'h2', cluster: 'c1' });
    expect(r.sheet('devices').exists(v1)).toBe(false);
    expect(r.sheet('devices').count()).toBe(3);
    expect(keys('devices')).toEqual([h1, h2, own]);
    // The baseline is untouched…
    expect(new WorkbookReader(base).readRow('devices', h2)).toEqual({ id: 'h2', cores: 8 });
    // …and its later edits show through where the scenario changed nothing.
    setCell(base, 'devices', h2, 'cores', 12);
    setCell(base, 'devices', h1, 'cores', 32);
    expect(r.readRow('devices', h2)).toMatchObject({ cores: 12, cluster: 'c1' });
    expect(r.readRow('devices', h1)).toMatchObject({ cores: 32 });
    const added = addRow(base, 'devices', { id: 'h9' });
    expect(keys('devices')).toEqual([h1, h2, added, own].sort());
    // The column view (sorting and filtering a grid) reads the same rows.
    const v = computeView(r, 'devices', { sort: [{ colId: 'id', sort: 'desc' }], filter: {}, quick: '', columns: ['id'] });
    expect([...v.order].map((i) => ids('devices')[i])).toEqual(['h9', 'h3', 'h2', 'h1']);
  });

  it('settings: overrides, removal back to the default, and a value equal to the baseline\'s is no change', () => {
    const { base, scen, r } = setup();
    setScenarioSetting(r, 'currency', 'EUR');
    setScenarioSetting(r, 'asOf', undefined);
    expect(r.settings()).toEqual({ currency: 'EUR' });
    setScenarioSetting(r, 'currency', 'USD');
    expect(scen.getMap('settings').has('currency')).toBe(false);
    setSetting(base, 'windowEnd', '2026-10-01');
    expect(r.settings()).toEqual({ currency: 'USD', windowEnd: '2026-10-01' });
  });

  it('lists every change with old → new, and reverts each on its own', () => {
    const { base, r, keys } = setup();
    const [h1, h2, v1] = keys('devices');
    setScenarioCell(r, 'devices', h1, 'cores', 24);
    setScenarioCell(r, 'devices', h1, 'cores', 28); // the first value recorded stays the old one
    deleteScenarioRow(r, 'devices', v1);
    const own = addScenarioRow(r, 'clusters', { id: 'c2', mobility: false });
    setScenarioSetting(r, 'currency', 'EUR');
    setCell(base, 'devices', h1, 'cores', 20); // the baseline moves on: a conflict
    let c = scenarioChanges(r);
    expect(c.count).toBe(4);
    const devices = c.sheets.find((s) => s.sheet === 'devices')!;
    expect(devices.cells).toEqual([{ key: h1, id: 'h1', column: 'cores', old: 16, now: 20, value: 28, rowRemovedInBaseline: false, conflict: true, inBaseline: false }]);
    expect(devices.removed.map((x) => x.key)).toEqual([v1]);
    expect(c.sheets.find((s) => s.sheet === 'clusters')!.added.map((a) => a.cells)).toEqual([{ id: 'c2', mobility: false }]);
    expect(c.settings).toEqual([{ key: 'currency', old: 'USD', now: 'USD', value: 'EUR', conflict: false, inBaseline: false }]);

    revertCell(r, 'devices', h1, 'cores');
    expect(r.readRow('devices', h1)!.cores).toBe(20);
    revertRemoval(r, 'devices', v1);
    expect(r.sheet('devices').exists(v1)).toBe(true);
    revertAdded(r, 'clusters', own);
    revertSetting(r, 'currency');
    c = scenarioChanges(r);
    expect(c.count).toBe(0);
    void h2;
  });

  it('undo takes back a scenario edit with its record', () => {
    const { scen, r, keys } = setup();
    const undo = new Y.UndoManager(scenarioTypes(scen), { captureTimeout: 0 });
    const [h1] = keys('devices');
    setScenarioCell(r, 'devices', h1, 'cores', 2);
    setScenarioCell(r, 'devices', h1, 'cores', 4);
    undo.undo();
    expect(r.readRow('devices', h1)!.cores).toBe(2);
    expect(scenarioChanges(r).sheets[0].cells[0]).toMatchObject({ old: 16, value: 2 });
    undo.undo();
    expect(r.readRow('devices', h1)!.cores).toBe(16);
    expect(scenarioChanges(r).count).toBe(0);
  });

  it('replacing a sheet deletes every baseline row and the scenario\'s own', () => {
    const { r, ids } = setup();
    addScenarioRow(r, 'devices', { id: 'h3' });
    clearScenarioSheet(r, 'devices');
    expect(ids('devices')).toEqual([]);
    expect(r.sheet('devices').count()).toBe(0);
  });
});

describe('merging a scenario back', () => {
  it('writes its changes as one undoable step, keeps the baseline\'s own edits, and asks about conflicts', () => {
    const { base, baseReader, r, keys } = setup();
    const ORIGIN = Symbol('local');
    const undo = new Y.UndoManager([base.getMap('settings'), ...['devices', 'clusters'].flatMap((s) => [base.getMap(`${s}/cells`), base.getMap(`${s}/deleted`), base.getMap(`${s}/rows`)])], { trackedOrigins: new Set([ORIGIN]), captureTimeout: 0 });
    const [h1, h2, v1] = keys('devices');
    setScenarioCell(r, 'devices', h1, 'cluster', null); // out of the cluster
    setScenarioCell(r, 'devices', h2, 'cores', 10);
    deleteScenarioRow(r, 'devices', v1);
    addScenarioRow(r, 'clusters', { id: 'c2', mobility: false });
    // Meanwhile in the baseline: another cell of h1 (kept), and h2's cores (a conflict).
    setCell(base, 'devices', h1, 'cores', 18);
    setCell(base, 'devices', h2, 'cores', 6);
    const before = exportWorkbook(base);

    const plan = planMerge(r);
    expect(plan.conflicts).toEqual([{ id: `cell\tdevices\t${h2}\tcores`, kind: 'cell', sheet: 'devices', key: h2, rowId: 'h2', column: 'cores', baseline: 6, scenario: 10, old: 8 }]);
    expect(() => applyMerge(r, {}, ORIGIN)).toThrow(MergeRefused);
    expect(exportWorkbook(base)).toEqual(before);

    const sum = applyMerge(r, { [plan.conflicts[0].id]: 'baseline' }, ORIGIN);
    expect(sum).toMatchObject({ cells: 1, added: 1, removed: 1, kept: 1 });
    const now = new WorkbookReader(base);
    expect(now.sheet('devices').readAll().rows).toEqual([{ id: 'h1', cores: 18, cluster: null }, { id: 'h2', cores: 6 }]);
    expect(now.sheet('clusters').readAll().rows).toEqual([{ id: 'c1', mobility: true }, { id: 'c2', mobility: false }]);
    // After the merge the scenario reads as the baseline where it took the baseline's side, and
    // only the change the baseline kept its own value for is left to apply.
    expect(scenarioChanges(r).sheets.find((s) => s.sheet === 'clusters')!.added[0].inBaseline).toBe(true);
    expect(scenarioChanges(r).count).toBe(1);
    expect(r.sheet('clusters').count()).toBe(2);
    // One undo step takes the whole merge back.
    undo.undo();
    expect(exportWorkbook(base)).toEqual(before);
    void baseReader;
  });

  it('a row removed on one side and changed on the other is a conflict, either way round', () => {
    const { base, r, keys } = setup();
    const [h1, h2] = keys('devices');
    deleteScenarioRow(r, 'devices', h1);
    setCell(base, 'devices', h1, 'cores', 99);
    setScenarioCell(r, 'devices', h2, 'cores', 1);
    deleteRow(base, 'devices', h2);
    const plan = planMerge(r);
    expect(plan.conflicts.map((c) => [c.kind, c.key])).toEqual([['changed-removed', h2], ['removed-changed', h1]]);
    applyMerge(r, Object.fromEntries(plan.conflicts.map((c) => [c.id, 'scenario'])));
    expect(new WorkbookReader(base).sheet('devices').readAll().rows.map((x) => [x.id, x.cores])).toEqual([['h2', 1], ['v1', undefined]]);
  });
});
