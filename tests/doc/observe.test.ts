// Yjs events → DocChanges: local edits, undo, remote updates, concurrent edits.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { observeWorkbook } from '../../worker/doc/observe';
import { WorkbookReader } from '../../worker/doc/reader';
import type { DocChange } from '../../worker/doc/model';
import { workbookTypes } from './doc-harness';
import { replicaOf, testDoc } from './helpers';

function watch(doc: Y.Doc): DocChange[][] {
  const seen: DocChange[][] = [];
  observeWorkbook(doc, new WorkbookReader(doc), (c) => seen.push(c));
  return seen;
}

const brief = (c: DocChange) => c.kind === 'settingsChanged' ? `settings ${c.key}=${JSON.stringify(c.value)}`
  : c.kind === 'cellChanged' ? `cell ${c.sheet} ${c.key.slice(-3)} ${c.column}=${JSON.stringify(c.value)}`
  : c.kind === 'rowAdded' ? `added ${c.sheet} ${JSON.stringify(c.cells)}` : `removed ${c.sheet} ${c.key.slice(-3)}`;

function twoDevices(): { doc: Y.Doc; keys: string[] } {
  const doc = testDoc();
  importWorkbook(doc, { settings: {}, sheets: { devices: [{ id: 'd1', cores: 4 }, { id: 'd2' }] } });
  return { doc, keys: new WorkbookReader(doc).sheet('devices').readAll().keys };
}

describe('observing a workbook document', () => {
  it('turns local edits into changes, one list per transaction', () => {
    const { doc, keys } = twoDevices();
    const seen = watch(doc);
    setCell(doc, 'devices', keys[0], 'cores', 8);
    const k = addRow(doc, 'devices', { id: 'd3' });
    setCell(doc, 'devices', k, 'cpus', 2);
    deleteRow(doc, 'devices', keys[1]);
    deleteRow(doc, 'devices', k);
    setSetting(doc, 'asOf', '2027-01-01');
    setSetting(doc, 'asOf', undefined);
    expect(seen.map((list) => list.map(brief))).toEqual([
      ['cell devices 000 cores=8'], ['added devices {"id":"d3"}'], [`cell devices ${k.slice(-3)} cpus=2`],
      ['removed devices 001'], [`removed devices ${k.slice(-3)}`], ['settings asOf="2027-01-01"'], ['settings asOf=undefined'],
    ]);
  });

  it('follows undo: a deleted row comes back with its edits; an undone import removes its rows', () => {
    const doc = testDoc();
    const undo = new Y.UndoManager(workbookTypes(doc), { captureTimeout: 0 });
    importWorkbook(doc, { settings: {}, sheets: { devices: [{ id: 'd1' }, { id: 'd2' }] } });
    const [k1] = new WorkbookReader(doc).sheet('devices').readAll().keys;
    setCell(doc, 'devices', k1, 'cores', 8);
    deleteRow(doc, 'devices', k1);
    const seen = watch(doc);
    undo.undo(); // the deletion
    undo.undo(); // the cell
    undo.undo(); // the import
    expect(seen.slice(0, 2).map((list) => list.map(brief))).toEqual([['added devices {"id":"d1","cores":8}'], ['cell devices 000 cores=null']]);
    expect(seen[2].map(brief).sort()).toEqual(['removed devices 000', 'removed devices 001']);
  });

  it('follows remote updates: a chunk with a row already deleted, delete winning over an edit', () => {
    const a = testDoc(1);
    const b = new Y.Doc();
    b.clientID = 2;
    const c = replicaOf(a, 3);
    importWorkbook(a, { settings: {}, sheets: { devices: [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }] } });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const keys = new WorkbookReader(b).sheet('devices').readAll().keys;
    deleteRow(b, 'devices', keys[1]);
    setCell(a, 'devices', keys[1], 'cores', 2);
    const seen = watch(c);
    // c hears b's deletion first (its chunk not yet there), then a's chunk and edit.
    Y.applyUpdate(c, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    expect(seen).toEqual([]);
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
    expect(seen.flat().map(brief).sort()).toEqual(['added devices {"id":"d1"}', 'added devices {"id":"d3"}']);
  });

  it('reports a row once when a remote transaction adds it and edits it', () => {
    const a = testDoc(1);
    const b = replicaOf(a, 2);
    const seen = watch(b);
    a.transact(() => {
      const k = addRow(a, 'users', { id: 'u1' });
      setCell(a, 'users', k, 'active', false);
    });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(seen.map((l) => l.map(brief))).toEqual([['added users {"id":"u1","active":false}']]);
  });
});
