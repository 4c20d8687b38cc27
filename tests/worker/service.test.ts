// The worker's API (api.ts), in-process, through a MessageChannel with comlink, and in a real
// node:worker_threads worker: first patch, patches per burst of updates, bad cells, large batches.

import * as Y from 'yjs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { describe, expect, it } from 'vitest';
import type { Patch } from '../../engine/changes';
import { DEMO, generateEstate } from '../../estate/generate';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { sheetTypes } from '../../worker/doc/layout';
import { WorkbookReader } from '../../worker/doc/reader';
import { createReckonService } from '../../worker/service';
import { startReckonWorker } from '../../worker/client';
import { PatchedView, expectSameAsFull } from '../helpers/incremental-harness';
import { modelOf, TODAY } from '../doc/doc-harness';
import { testDoc } from '../doc/helpers';

const SMALL = {
  settings: { asOf: TODAY },
  sheets: {
    entitlements: [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1 }],
    devices: [{ id: 'd1' }, { id: 'd2' }],
    installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'X' }],
  },
};

function smallDoc(): Y.Doc {
  const doc = testDoc();
  importWorkbook(doc, SMALL);
  return doc;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A service opened on the document's state and fed its later updates; `view` follows the patches. */
async function serviceOf(doc: Y.Doc) {
  const s = createReckonService();
  const patches: Patch[] = [];
  const view = new PatchedView();
  s.onPatch((p) => { patches.push(p); view.take(p); });
  const first = await s.open(Y.encodeStateAsUpdate(doc), { today: TODAY });
  view.take(first);
  doc.on('update', (u: Uint8Array) => s.update(u));
  return { s, patches, view, first };
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the worker service in-process', () => {
  it('answers open with every result, then one patch per burst of updates', async () => {
    const doc = smallDoc();
    const { s, patches, view, first } = await serviceOf(doc);
    expect(first.positions.map((p) => [p.entitlementIds, p.consumed])).toEqual([[['e1'], 1]]);
    const reader = new WorkbookReader(doc);
    const [, d2] = reader.sheet('devices').readAll().keys;
    // Three transactions in one task: one engine pass, one patch.
    addRow(doc, 'installations', { id: 'i2', deviceId: 'd2', publisher: 'Acme', product: 'X' });
    addRow(doc, 'installations', { id: 'i3', deviceId: 'd9', publisher: 'Acme', product: 'X' });
    setCell(doc, 'devices', d2, 'status', 'retired');
    expect(patches).toHaveLength(0);
    await tick();
    expect(patches).toHaveLength(1);
    expect(patches[0].problems.map((p) => p.problems[0]?.column)).toEqual(['deviceId']);
    expect(view.positions.get(first.positions[0].key)?.consumed).toBe(1);
    expectSameAsFull(modelOf(doc), s.bridge!.engine, view, 'after the burst');
    expect(s.stats().rows.installations).toBe(3);
    expect(s.explain(first.positions[0].key).map((c) => c.ref)).toEqual(['devices/d1']);
  });

  it('survives any bad cell: unreadable values become problems, nothing throws', async () => {
    const doc = smallDoc();
    const { s, view } = await serviceOf(doc);
    const [d1] = new WorkbookReader(doc).sheet('devices').readAll().keys;
    const t = sheetTypes(doc, 'devices');
    for (const v of ['abc', -1, 1e308, '', '  ', true, { nested: [1] }, [1, 2], 'NaN']) {
      doc.transact(() => t.cells.set(`${d1}\tcores`, v as never));
      doc.transact(() => t.cells.set(`${d1}\tid`, v as never));
      setCell(doc, 'entitlements', new WorkbookReader(doc).sheet('entitlements').readAll().keys[0], 'quantity', v as never);
      setSetting(doc, 'asOf', v);
      await tick();
      expectSameAsFull(modelOf(doc), s.bridge!.engine, view, `value ${JSON.stringify(v)}`);
    }
    // A row holding something that is not a map, as a buggy peer might write.
    doc.transact(() => sheetTypes(doc, 'users').rows.set('zzz', 42 as never));
    await tick();
    expect(s.stats().errors).toEqual([]);
    expectSameAsFull(modelOf(doc), s.bridge!.engine, view, 'non-map row');
  });

  it('a large batch (a remote import) reloads fully, with the same patch semantics', async () => {
    const doc = smallDoc();
    const { s, view } = await serviceOf(doc);
    const estate = generateEstate({ ...DEMO, installations: 8000, devices: 1000 });
    deleteRow(doc, 'entitlements', new WorkbookReader(doc).sheet('entitlements').readAll().keys[0]);
    importWorkbook(doc, { settings: { ...estate.settings }, sheets: estate as never }, { chunkRows: 2000 });
    await tick();
    expect(s.stats().reloads).toBeGreaterThan(0);
    expectSameAsFull(modelOf(doc), s.bridge!.engine, view, 'after a remote import');
  });
});

describe('the worker through comlink', () => {
  async function drive(endpoint: Parameters<typeof startReckonWorker>[1]['endpoint']) {
    const doc = smallDoc();
    const view = new PatchedView();
    const client = startReckonWorker(doc, { today: TODAY, onPatch: (p) => view.take(p), endpoint });
    view.take(await client.ready);
    const keys = new WorkbookReader(doc).sheet('entitlements').readAll().keys;
    setCell(doc, 'entitlements', keys[0], 'quantity', 0);
    addRow(doc, 'installations', { id: 'i2', deviceId: 'd2', publisher: 'Acme', product: 'X' });
    await client.flush();
    await until(() => [...view.positions.values()][0]?.consumed === 2);
    expectSameAsFull(modelOf(doc), await fullEngineOf(doc), view, 'through comlink');
    expect((await client.stats()).rows.installations).toBe(2);
    expect((await client.explain([...view.positions.keys()][0])).length).toBe(2);
    client.close();
  }

  it('over a MessageChannel', async () => {
    const { port1, port2 } = new MessageChannel();
    expose(createReckonService(), port1 as never);
    await drive(Object.assign(port2 as never, { terminate: () => { port1.close(); port2.close(); } }));
  });

  it('in a node:worker_threads worker', async () => {
    const worker = new Worker(join(__dirname, 'node-worker.mjs'));
    try {
      await drive(Object.assign(nodeEndpoint(worker as never), { terminate: () => void worker.terminate() }));
    } finally {
      await worker.terminate();
    }
  });
});

/** An incremental engine loaded from scratch (what expectSameAsFull compares the engine with). */
async function fullEngineOf(doc: Y.Doc) {
  const s = createReckonService();
  await s.open(Y.encodeStateAsUpdate(doc), { today: TODAY });
  return s.bridge!.engine;
}
