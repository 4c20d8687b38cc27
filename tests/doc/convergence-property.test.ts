// Property (b): replicas converge. 2–3 documents edit concurrently and exchange updates through a
// network that reorders, delays and drops them; dropped updates come back by a state-vector resync.
// At the end every replica exports the same workbook and reconciles to the same results, and the
// worker service fed by one replica agrees with a full reconcile of another.

import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workbookArb } from '../helpers/random-workbook';
import { PatchedView, expectSameAsFull } from '../helpers/incremental-harness';
import { importWorkbook } from '../../worker/doc/import';
import { exportWorkbook } from '../../worker/doc/export';
import { addRow, deleteRow, setCell } from '../../worker/doc/edit';
import { WorkbookReader } from '../../worker/doc/reader';
import { createReckonService } from '../../worker/service';
import { applyEdit, docEditArb, modelOf, TODAY, workbookTypes, type DocEdit } from './doc-harness';
import { replicaOf, testDoc } from './helpers';

type NetOp =
  | { op: 'edit'; at: number; edit: DocEdit }
  | { op: 'deliver'; from: number; to: number; pick: number }
  | { op: 'drop'; from: number; to: number; pick: number }
  | { op: 'resync'; from: number; to: number };

const netOpArb = (n: number): fc.Arbitrary<NetOp> => {
  const peer = fc.nat({ max: n - 1 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('edit' as const), at: peer, edit: docEditArb() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('deliver' as const), from: peer, to: peer, pick: fc.nat({ max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), from: peer, to: peer, pick: fc.nat({ max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('resync' as const), from: peer, to: peer }) },
  );
};

/** Sends `to` what `from` has and it lacks, as a state-vector sync does. */
function resync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'net');
}

async function converge(initial: Record<string, Record<string, unknown>[]>, n: number, ops: NetOp[]): Promise<void> {
  const first = testDoc(1);
  importWorkbook(first, { settings: { asOf: TODAY, currency: 'USD' }, sheets: initial }, { chunkRows: 3 });
  const docs = [first, ...Array.from({ length: n - 1 }, (_, i) => replicaOf(first, i + 2))];
  const readers = docs.map((d) => new WorkbookReader(d));
  const undos = docs.map((d) => new Y.UndoManager(workbookTypes(d), { captureTimeout: 0 }));
  // inbox[from][to]: updates from one replica not yet delivered to another.
  const inbox = docs.map(() => docs.map(() => [] as Uint8Array[]));
  docs.forEach((d, from) => d.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === 'net') return; // peers relay nothing: lost updates come back by resync only
    docs.forEach((_, to) => { if (to !== from) inbox[from][to].push(u); });
  }));

  const service = createReckonService({ reader: { cacheCells: 60 } });
  const view = new PatchedView();
  service.onPatch((p) => view.take(p));
  view.take(await service.open(Y.encodeStateAsUpdate(docs[0]), { today: TODAY }));
  docs[0].on('update', (u: Uint8Array) => service.update(u));

  for (const o of ops) {
    if (o.op === 'edit') { applyEdit(docs[o.at], o.edit, undos[o.at], readers[o.at]); continue; }
    if (o.from === o.to) continue;
    if (o.op === 'resync') { resync(docs[o.from], docs[o.to]); continue; }
    const q = inbox[o.from][o.to];
    if (q.length === 0) continue;
    const [u] = q.splice(o.pick % q.length, 1);
    if (o.op === 'deliver') Y.applyUpdate(docs[o.to], u, 'net');
  }
  for (let round = 0; round < 2; round++) for (const a of docs) for (const b of docs) if (a !== b) resync(a, b);

  const exports = docs.map((d) => exportWorkbook(d));
  for (let i = 1; i < n; i++) expect(exports[i], `replica ${i} export`).toEqual(exports[0]);
  const results = docs.map((d) => JSON.stringify(modelOf(d).fullResult()));
  for (let i = 1; i < n; i++) expect(results[i], `replica ${i} results`).toBe(results[0]);
  service.flush();
  expectSameAsFull(modelOf(docs[1]), service.bridge!.engine, view, 'service on replica 0 vs replica 1');
  service.close();
}

const STRESS = Number(process.env.RECKON_STRESS ?? 0);
const runs = (seed: number, numRuns: number) => (STRESS ? { numRuns: STRESS } : { seed, numRuns });

describe('replicas converge', () => {
  it('under reordering, delays, drops and resyncs (seeded)', async () => {
    const property = fc.asyncProperty(workbookArb(), fc.integer({ min: 2, max: 3 }).chain((n) => fc.tuple(fc.constant(n), fc.array(netOpArb(n), { maxLength: 40 }))),
      (wb, [n, ops]) => converge(wb, n, ops));
    await fc.assert(property, runs(20261203, 80));
  });

  it('two people editing different cells of one row both keep their edit; a deleted row stays deleted', () => {
    const a = testDoc(1);
    importWorkbook(a, { settings: {}, sheets: { devices: [{ id: 'd1', cores: 4 }, { id: 'd2' }] } });
    const b = replicaOf(a, 2);
    const [k1, k2] = new WorkbookReader(a).sheet('devices').readAll().keys;
    const k3 = addRow(a, 'devices', { id: 'd3' });
    resync(a, b);
    setCell(a, 'devices', k3, 'cores', 16);
    setCell(b, 'devices', k3, 'cpus', 2);
    setCell(a, 'devices', k1, 'cores', 8);
    setCell(b, 'devices', k1, 'site', 'Oslo');
    setCell(a, 'devices', k2, 'cores', 2);
    deleteRow(b, 'devices', k2);
    resync(a, b);
    resync(b, a);
    for (const d of [a, b]) expect(exportWorkbook(d).devices).toEqual([{ id: 'd1', cores: 8, site: 'Oslo' }, { id: 'd3', cores: 16, cpus: 2 }]);
  });
});
