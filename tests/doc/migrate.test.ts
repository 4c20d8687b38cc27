// Schema versions: an unversioned pre-release (v0) document migrates to v1 in one transaction,
// concurrent migrations converge, and documents of a newer or no schema are refused.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaOf, SchemaError, type Migration } from '../../worker/doc/migrate';
import { importWorkbook } from '../../worker/doc/import';
import { addRow } from '../../worker/doc/edit';
import { DocumentError, openWorkbookDoc } from '../../worker/doc/open';
import { exportWorkbook } from '../../worker/doc/export';
import { metaMap, sheetTypes } from '../../worker/doc/layout';
import { SCHEMA_VERSION } from '../../worker/doc/model';
import { testDoc } from './helpers';

/** A document in the v0 layout (migrate.ts): settings, and one Y.Array of row Y.Maps per sheet. */
function v0Doc(client: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.transact(() => {
    doc.getMap('settings').set('asOf', '2026-11-01');
    const devices = doc.getArray<Y.Map<unknown>>('devices');
    devices.push([new Y.Map(Object.entries({ id: 'd1', cores: 8 })), new Y.Map(Object.entries({ id: 'd2', virtual: true, hostId: 'd1' }))]);
    doc.getArray<Y.Map<unknown>>('installations').push([new Y.Map(Object.entries({ id: 'i1', deviceId: 'd2', product: 'X' }))]);
  });
  return doc;
}

describe('migrations', () => {
  it('migrate a v0 document to v1 in one transaction, keeping rows, order and settings', () => {
    const old = v0Doc(1);
    expect(schemaOf(old)).toBe(0);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(old));
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrate(doc)).toBe(0);
    expect(updates).toBe(1);
    expect(metaMap(doc).get('schema')).toBe(SCHEMA_VERSION);
    const wb = exportWorkbook(doc);
    expect(wb.settings).toEqual({ asOf: '2026-11-01' });
    expect(wb.devices).toEqual([{ id: 'd1', cores: 8 }, { id: 'd2', virtual: true, hostId: 'd1' }]);
    expect(wb.installations).toEqual([{ id: 'i1', deviceId: 'd2', product: 'X' }]);
    expect(doc.getArray('devices').length).toBe(0);
    expect(migrate(doc)).toBe(SCHEMA_VERSION); // nothing left to do
  });

  it('converge when two replicas migrate the same old document concurrently', () => {
    const a = new Y.Doc(), b = new Y.Doc();
    a.clientID = 10; b.clientID = 11;
    const state = Y.encodeStateAsUpdate(v0Doc(1));
    Y.applyUpdate(a, state);
    Y.applyUpdate(b, state);
    migrate(a);
    migrate(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(exportWorkbook(a)).toEqual(exportWorkbook(b));
    expect(exportWorkbook(a).devices.map((d) => d.id)).toEqual(['d1', 'd2']);
  });

  it('run a chain of steps in one transaction', () => {
    const doc = testDoc();
    metaMap(doc).set('schema', 1);
    const steps: Record<number, Migration> = {
      1: (d) => sheetTypes(d, 'devices').rows.set('x', new Y.Map()),
      2: (d) => d.getMap('settings').set('renamed', true),
    };
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrate(doc, steps, 3)).toBe(1);
    expect(updates).toBe(1);
    expect(metaMap(doc).get('schema')).toBe(3);
    expect(() => migrate(doc)).toThrow(SchemaError); // 3 is newer than this Reckon
  });

  it('refuse documents of a newer schema, or of none', () => {
    const newer = testDoc();
    metaMap(newer).set('schema', SCHEMA_VERSION + 1);
    expect(() => openWorkbookDoc(Y.encodeStateAsUpdate(newer))).toThrow(/newer/);
    expect(() => openWorkbookDoc(Y.encodeStateAsUpdate(new Y.Doc()))).toThrow(DocumentError);
    const other = new Y.Doc();
    other.getText('notes').insert(0, 'hello');
    expect(() => openWorkbookDoc(Y.encodeStateAsUpdate(other))).toThrow(/not a Reckon workbook/);
  });

  it('migrate a v1 document to v2: rows, order and settings kept, no rules added (its results stay as they were)', () => {
    const v1 = testDoc(3);
    importWorkbook(v1, { settings: { asOf: '2026-11-01' }, sheets: { devices: [{ id: 'd1' }], installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Visio' }] } });
    addRow(v1, 'installations', { id: 'i2', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' });
    metaMap(v1).set('schema', 1);
    const before = exportWorkbook(v1);
    const a = new Y.Doc(), b = new Y.Doc();
    a.clientID = 20; b.clientID = 21;
    const state = Y.encodeStateAsUpdate(v1);
    Y.applyUpdate(a, state);
    Y.applyUpdate(b, state);
    let updates = 0;
    a.on('update', () => updates++);
    expect(migrate(a)).toBe(1);
    expect(updates).toBe(1);
    migrate(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(metaMap(a).get('schema')).toBe(2);
    expect(exportWorkbook(a)).toEqual(before);
    expect(exportWorkbook(b)).toEqual(before);
    expect(before.normalization).toEqual([]);
  });

  it('a Reckon of schema 1 refuses a document holding rules (schema 2)', () => {
    const doc = testDoc();
    addRow(doc, 'normalization', { id: 'n1', kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' });
    const v1Reckon = { 0: MIGRATIONS[0] };
    expect(() => migrate(doc, v1Reckon, 1)).toThrow(/schema 2 is newer than this Reckon understands \(1\)/);
  });

  it('refuse bytes that are no update, and truncated states', () => {
    expect(() => openWorkbookDoc(new TextEncoder().encode('{"format":"reckon-workbook/1"}'))).toThrow(DocumentError);
    const doc = testDoc();
    doc.getMap('settings').set('asOf', '2026-11-01');
    for (let i = 0; i < 50; i++) sheetTypes(doc, 'devices').cells.set(`k${i}\tc`, i);
    const state = Y.encodeStateAsUpdate(doc);
    expect(() => openWorkbookDoc(state.slice(0, Math.floor(state.length / 2)))).toThrow(DocumentError);
  });
});
