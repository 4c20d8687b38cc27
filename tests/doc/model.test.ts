// The document model: keys, import into chunks, reading in key order, edits, export round trip.

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { DEMO, generateEstate } from '../../estate/generate';
import { readWorkbook } from '../../engine/workbook';
import { KeyClock, chunkRowKey, parseChunkRowKey } from '../../worker/doc/keys';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { exportWorkbook } from '../../worker/doc/export';
import { openWorkbookDoc } from '../../worker/doc/open';
import { WorkbookReader } from '../../worker/doc/reader';
import { sheetTypes } from '../../worker/doc/layout';
import { chunkRow, decodeChunk, encodeChunk } from '../../worker/doc/chunk';
import { indexChunk, indexedRow } from '../../worker/doc/chunk-index';
import { testDoc } from './helpers';

/**
 * A row read from a document as a plain object: rows have no prototype (chunk.ts newCells), which
 * toStrictEqual would tell from an object literal; keys and values are what is compared.
 */
const plain = (row: Record<string, unknown>): Record<string, unknown> => ({ ...row });
const plainBook = <T extends Record<string, unknown>>(wb: T): T =>
  Object.fromEntries(Object.entries(wb).map(([k, v]) => [k, Array.isArray(v) ? v.map((r) => plain(r as Record<string, unknown>)) : v])) as T;

const SMALL = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01', currency: 'EUR', hamSolutions: ['ham', 'ztm'] },
  entitlements: [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 10 }],
  devices: [
    { id: 'd1', cores: 8, virtual: false, notes: 'rack 4' },
    { id: 'd2', hostId: null, cores: '16' },
    { id: 'd3', tags: ['a', 'b'], meta: { owner: 'ops' } },
    { id: 'd4' },
    { id: 'd5', cores: 2.5, virtual: 'yes' },
  ],
  installations: [], users: [], clusters: [], allocations: [], subscriptions: [], sessions: [], access: [],
  sensors: [], measurements: [], factors: [], tiers: [], modelCategories: [], hamCategories: [],
};

function imported(wb: unknown = SMALL, chunkRows = 2) {
  const doc = testDoc();
  const w = readWorkbook(structuredClone(wb), []);
  importWorkbook(doc, { settings: w.settings, sheets: w.sheets }, { chunkRows });
  return doc;
}

describe('keys', () => {
  it('sort by time, then client, then counter, at fixed width', () => {
    let t = 5;
    const a = new KeyClock({ client: 7, now: () => t });
    const k1 = a.rowKey(), k2 = a.rowKey();
    t = 4; // a clock never goes back
    const k3 = a.rowKey();
    t = 36 ** 3;
    const k4 = a.chunkId();
    expect([k1, k2, k3, k4]).toEqual([k1, k2, k3, k4].sort());
    expect(new Set([k1, k2, k3, k4].map((k) => k.length)).size).toBe(1);
    expect(new KeyClock({ client: 7, now: () => 5 }).rowKey()).toBe(k1);
    expect(new KeyClock({ client: 8, now: () => 5 }).rowKey() > k1).toBe(true);
  });

  it('keep a chunk\'s rows contiguous and parse back', () => {
    const c = new KeyClock({ client: 1, now: () => 100 });
    const chunk = c.chunkId(), row = c.rowKey();
    const keys = [chunkRowKey(chunk, 0), chunkRowKey(chunk, 9999), row].sort();
    expect(keys).toEqual([chunkRowKey(chunk, 0), chunkRowKey(chunk, 9999), row]);
    expect(parseChunkRowKey(chunkRowKey(chunk, 42))).toEqual({ chunkId: chunk, index: 42 });
    expect(parseChunkRowKey(row)).toBeNull();
  });
});

describe('import and export', () => {
  it('imports into chunks of CHUNK_ROWS, one transaction each', () => {
    const doc = testDoc();
    let updates = 0;
    doc.on('update', () => updates++);
    const w = readWorkbook(structuredClone(SMALL), []);
    importWorkbook(doc, { settings: w.settings, sheets: w.sheets }, { chunkRows: 2 });
    expect(sheetTypes(doc, 'devices').chunks.length).toBe(3);
    expect(updates).toBe(1 + 1 + 3); // settings, entitlements, devices
  });

  it('round-trips: same rows, order, values and types; absent stays absent; unknown columns kept', () => {
    const doc = imported();
    const again = openWorkbookDoc(Y.encodeStateAsUpdate(doc));
    // Every sheet is exported, the normalization rules (none here) too.
    expect(plainBook(exportWorkbook(again))).toStrictEqual({ ...SMALL, normalization: [] });
  });

  it('round-trips the demo estate', () => {
    const estate = JSON.parse(JSON.stringify(generateEstate(DEMO)));
    const doc = imported(estate, 10_000);
    const again = openWorkbookDoc(Y.encodeStateAsUpdate(doc));
    expect(exportWorkbook(again)).toEqual({ ...estate, normalization: [] });
  });
});

describe('reading and editing', () => {
  it('reads a sheet in key order with overlay cells, deletions and added rows', () => {
    const doc = imported();
    const r = new WorkbookReader(doc);
    const keys = r.sheet('devices').readAll().keys;
    expect(keys).toEqual([...keys].sort());
    setCell(doc, 'devices', keys[1], 'cores', 32);
    setCell(doc, 'devices', keys[1], 'site', 'Oslo');
    deleteRow(doc, 'devices', keys[0]);
    const added = addRow(doc, 'devices', { id: 'd6', cores: 4 });
    setCell(doc, 'devices', added, 'cpus', 1);
    setSetting(doc, 'asOf', '2027-01-01');
    setSetting(doc, 'currency', undefined);

    const out = exportWorkbook(doc);
    expect(out.devices.map((d) => d.id)).toEqual(['d2', 'd3', 'd4', 'd5', 'd6']);
    expect(out.devices[0]).toEqual({ id: 'd2', hostId: null, cores: 32, site: 'Oslo' });
    expect(out.devices[4]).toEqual({ id: 'd6', cores: 4, cpus: 1 });
    expect(out.settings).toEqual({ asOf: '2027-01-01', hamSolutions: ['ham', 'ztm'] });
    expect(r.readRow('devices', keys[0])).toBeUndefined();
    expect(r.readRow('devices', keys[1])).toEqual(out.devices[0]);
    expect(r.readRow('devices', added)).toEqual(out.devices[4]);
    expect(r.sheet('devices').count()).toBe(5);
    // Editing a deleted row does nothing; deleting an added row removes it.
    expect(setCell(doc, 'devices', keys[0], 'cores', 1)).toBe(false);
    expect(deleteRow(doc, 'devices', added)).toBe(true);
    expect(r.readRow('devices', added)).toBeUndefined();
  });

  it('reads single rows like the whole sheet, with a cache smaller than the sheet', () => {
    const estate = JSON.parse(JSON.stringify(generateEstate({ ...DEMO, installations: 3000 })));
    const doc = imported(estate, 500);
    const r = new WorkbookReader(doc, { cacheCells: 7000 });
    const all = r.sheet('installations').readAll();
    for (let i = 0; i < all.keys.length; i += 37) expect(r.readRow('installations', all.keys[i])).toEqual(all.rows[i]);
  });
});

describe('chunk index (single-row reads without parsing a whole chunk)', () => {
  const tricky: Record<string, unknown>[] = [
    { id: 'a"b', s: 'back\\slash\\', q: '\\"', n: -1.5e-7, t: true, z: null, nested: { k: [1, '2', { x: '}]' }] } },
    { id: 'ü ✓ \u2028 \n\t', s: '', arr: [], obj: {} },
    { id: 'plain', n: 0, t: false, s: ',]}"[{' },
    {},
  ];

  it('reads every row as a full parse does, whatever the values', () => {
    const chunk = encodeChunk('c1', tricky);
    const d = decodeChunk(chunk), x = indexChunk(chunk);
    for (let i = 0; i < tricky.length; i++) {
      expect(plain(indexedRow(x, i))).toStrictEqual(plain(chunkRow(d, i)));
      expect(plain(chunkRow(d, i))).toStrictEqual(tricky[i]);
    }
    const spaced = { ...chunk, data: JSON.stringify(JSON.parse(chunk.data), null, 2) };
    for (let i = 0; i < tricky.length; i++) expect(plain(indexedRow(indexChunk(spaced), i))).toStrictEqual(tricky[i]);
  });

  it('stores few-valued text columns as dictionaries, and reads them back the same', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, publisher: ['Acme', 'Beta'][i % 2], product: i % 5 === 0 ? undefined : `P${i % 3}`, n: i % 2 }));
    const chunk = encodeChunk('c1', rows);
    const data = Object.fromEntries(chunk.columns.map((c, i) => [c, JSON.parse(chunk.data)[i]]));
    expect(data.publisher).toEqual({ d: ['Acme', 'Beta'], i: rows.map((_, i) => i % 2) });
    expect(data.product.a).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    expect(data.product.d).toEqual(['P1', 'P2', 'P0']);
    expect(Array.isArray(data.id) && Array.isArray(data.n)).toBe(true); // ids: all distinct; numbers
    const d = decodeChunk(chunk), x = indexChunk(chunk);
    for (let i = 0; i < rows.length; i++) {
      const want = Object.fromEntries(Object.entries(rows[i]).filter(([, v]) => v !== undefined));
      expect(plain(chunkRow(d, i))).toStrictEqual(want);
      expect(plain(indexedRow(x, i))).toStrictEqual(want);
    }
  });

  it('refuses damaged data; the reader leaves such a chunk out', () => {
    const chunk = encodeChunk('c1', tricky);
    for (const data of [chunk.data.slice(0, -3), chunk.data.replace('[', '{'), '[]', '[[1,2]]']) expect(() => indexChunk({ ...chunk, data })).toThrow();
    const doc = imported();
    sheetTypes(doc, 'devices').chunks.push([{ ...chunk, id: 'zzzzzzzzzzzzzzzzc000000', data: '[[' }]);
    const r = new WorkbookReader(doc);
    expect(r.readRow('devices', 'zzzzzzzzzzzzzzzzc000000.00000')).toBeUndefined();
    expect(r.sheet('devices').readAll().rows).toHaveLength(5);
  });
});
