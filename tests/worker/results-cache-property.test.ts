// Results kept beside the document (worker/store/results-cache.ts) are only ever reused correctly.
// Replicas edit concurrently (one offline for a while: its updates reach the others only by a later
// resync), results are cached from any replica at any point, and later a replica opens with the
// last cache:
//
// (a) when the cache says it is exact for the document as opened (state identity, date standing in
//     for asOf, build), its results equal a full reconcile of that document;
// (b) whatever it says, the results a view holds after taking the cache and then the worker's first
//     patch (the page shows the cache first) equal a full reconcile, and keep equal through the
//     edits that follow.

import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workbookArb } from '../helpers/random-workbook';
import { PatchedView, expectSameAsFull } from '../helpers/incremental-harness';
import { importWorkbook } from '../../worker/doc/import';
import { addRow, deleteRow, setCell } from '../../worker/doc/edit';
import { WorkbookReader } from '../../worker/doc/reader';
import { createReckonService } from '../../worker/service';
import { isExact, stateIdentity, todayKey, type CachedResults } from '../../worker/store/results-cache';
import { applyEdit, docEditArb, modelOf, TODAY, workbookTypes, type DocEdit } from '../doc/doc-harness';
import { replicaOf, testDoc } from '../doc/helpers';

const BUILD = 'test-build';
const DAYS = [TODAY, '2027-03-01'];

type Op =
  | { op: 'edit'; at: number; edit: DocEdit }
  | { op: 'deliver'; from: number; to: number; pick: number }
  | { op: 'resync'; from: number; to: number }
  | { op: 'offline'; at: number }
  | { op: 'online'; at: number }
  | { op: 'cache'; at: number; day: number }
  | { op: 'open'; at: number; day: number };

const opArb = (n: number): fc.Arbitrary<Op> => {
  const peer = fc.nat({ max: n - 1 });
  const day = fc.nat({ max: DAYS.length - 1 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('edit' as const), at: peer, edit: docEditArb() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('deliver' as const), from: peer, to: peer, pick: fc.nat({ max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('resync' as const), from: peer, to: peer }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('offline' as const), at: peer }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('online' as const), at: peer }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cache' as const), at: peer, day }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), at: peer, day }) },
  );
};

function resync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'net');
}

/** The results of `doc` as the worker stores them: a service's full results with the state's identity. */
async function cacheOf(doc: Y.Doc, day: string, id: string): Promise<CachedResults> {
  const s = createReckonService({ warm: false, build: BUILD });
  const replica = replicaOf(doc, 900);
  s.openDoc(replica, { today: day });
  const cache: CachedResults = {
    id, state: await stateIdentity(replica), today: todayKey(s.bridge!.reader.settings(), day), build: BUILD,
    writtenAt: '', patch: s.bridge!.mirror.fullPatch(),
  };
  s.close();
  return cache;
}

/** Opens a service on a replica of `doc` with `cache` shown first; checks (a) and (b), then edits on. */
async function openWith(doc: Y.Doc, day: string, cache: CachedResults, more: DocEdit[]): Promise<void> {
  const replica = replicaOf(doc, 901);
  const settings = new WorkbookReader(replica).settings();
  const exact = isExact(cache, { state: await stateIdentity(replica), today: todayKey(settings, day), build: BUILD });
  const model = modelOfDay(replica, day);
  if (exact) {
    const cached = new PatchedView();
    cached.take(cache.patch);
    expectSameAsFull(model, null, cached, 'cache said exact');
  }
  const s = createReckonService({ warm: false, build: BUILD });
  const view = new PatchedView();
  view.take(cache.patch);
  s.onPatch((p) => view.take(p));
  view.take(s.openDoc(replica, { today: day }, cache));
  // A fresh engine compared with the cache must find no difference when the cache was exact.
  if (exact) expect(JSON.stringify(s.bridge!.mirror.fullPatch()), 'exact cache vs its recompute').toBe(JSON.stringify(cache.patch));
  expectSameAsFull(modelOfDay(replica, day), s.bridge!.engine, view, `opened over the cache (exact: ${exact})`);
  const reader = new WorkbookReader(replica);
  const undo = new Y.UndoManager(workbookTypes(replica), { captureTimeout: 0 });
  for (const e of more) {
    applyEdit(replica, e, undo, reader);
    s.flush();
    expectSameAsFull(modelOfDay(replica, day), s.bridge!.engine, view, `after ${JSON.stringify(e)}`);
  }
  s.close();
}

/** The harness's model of `doc`, with `day` standing in for a blank asOf. */
function modelOfDay(doc: Y.Doc, day: string) {
  const m = modelOf(doc);
  m.today = day;
  return m;
}

async function run(initial: Record<string, Record<string, unknown>[]>, n: number, ops: Op[], more: DocEdit[]): Promise<void> {
  const first = testDoc(1);
  importWorkbook(first, { settings: { asOf: TODAY, currency: 'USD' }, sheets: initial }, { chunkRows: 3 });
  const docs = [first, ...Array.from({ length: n - 1 }, (_, i) => replicaOf(first, i + 2))];
  const readers = docs.map((d) => new WorkbookReader(d));
  const undos = docs.map((d) => new Y.UndoManager(workbookTypes(d), { captureTimeout: 0 }));
  const inbox = docs.map(() => docs.map(() => [] as Uint8Array[]));
  const offline = docs.map(() => false);
  docs.forEach((d, from) => d.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === 'net') return;
    docs.forEach((_, to) => { if (to !== from) inbox[from][to].push(u); });
  }));
  let cache = await cacheOf(docs[0], TODAY, 'c0');
  let opened = 0;
  for (const o of ops) {
    if (o.op === 'edit') applyEdit(docs[o.at], o.edit, undos[o.at], readers[o.at]);
    else if (o.op === 'offline') offline[o.at] = true;
    else if (o.op === 'online') {
      offline[o.at] = false;
      docs.forEach((d, i) => { if (i !== o.at && !offline[i]) { resync(docs[o.at], d); resync(d, docs[o.at]); } });
    } else if (o.op === 'cache') cache = await cacheOf(docs[o.at], DAYS[o.day], `c${o.at}`);
    else if (o.op === 'open') {
      await openWith(docs[o.at], DAYS[o.day], cache, opened++ === 0 ? more : []);
    } else {
      // An offline replica neither sends nor receives.
      if (o.from === o.to || offline[o.from] || offline[o.to]) continue;
      if (o.op === 'resync') { resync(docs[o.from], docs[o.to]); continue; }
      const q = inbox[o.from][o.to];
      if (q.length === 0) continue;
      const [u] = q.splice(o.pick % q.length, 1);
      Y.applyUpdate(docs[o.to], u, 'net');
    }
  }
  await openWith(docs[n - 1], TODAY, cache, opened === 0 ? more : []);
}

const STRESS = Number(process.env.RECKON_STRESS ?? 0);
const runs = (seed: number, numRuns: number) => (STRESS ? { numRuns: STRESS } : { seed, numRuns });

describe('results kept beside the document', () => {
  it('are reused only as a full recompute would give them, after edits by this and other replicas, offline included (seeded)', async () => {
    const property = fc.asyncProperty(
      workbookArb(),
      fc.integer({ min: 2, max: 3 }).chain((n) => fc.tuple(fc.constant(n), fc.array(opArb(n), { maxLength: 30 }))),
      fc.array(docEditArb(), { maxLength: 4 }),
      (wb, [n, ops], more) => run(wb, n, ops, more),
    );
    await fc.assert(property, runs(20261207, 60));
  });

  it('tell two states apart that differ only by a deletion (equal state vectors)', async () => {
    const a = testDoc(1);
    importWorkbook(a, { settings: { asOf: TODAY }, sheets: { devices: [{ id: 'd1' }] } });
    const k = addRow(a, 'devices', { id: 'd2' });
    setCell(a, 'devices', k, 'cores', 4);
    const b = replicaOf(a, 2);
    deleteRow(b, 'devices', k);
    expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
    expect(await stateIdentity(b)).not.toBe(await stateIdentity(a));
    // The same state reached another way (b's deletion delivered to a) has the same identity.
    resync(b, a);
    expect(await stateIdentity(a)).toBe(await stateIdentity(b));
  });

  it('are not exact for another build, or for another day when asOf is blank', async () => {
    const doc = testDoc(1);
    importWorkbook(doc, { settings: {}, sheets: { devices: [{ id: 'd1' }] } });
    const cache = await cacheOf(doc, TODAY, 'c');
    const state = await stateIdentity(replicaOf(doc, 900));
    const settings = new WorkbookReader(doc).settings();
    expect(isExact(cache, { state, today: todayKey(settings, TODAY), build: BUILD })).toBe(true);
    expect(isExact(cache, { state, today: todayKey(settings, '2027-01-01'), build: BUILD })).toBe(false);
    expect(isExact(cache, { state, today: todayKey(settings, TODAY), build: 'other' })).toBe(false);
  });
});
