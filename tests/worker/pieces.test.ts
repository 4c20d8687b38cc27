// A document's state in pieces (worker/store/pieces.ts), as the IndexedDB store keeps it: applied in
// order to an empty document, the pieces give exactly the document (its structs and its deletions),
// with nothing left waiting after any piece; in any other order they converge on it too; no piece
// is over the size asked for unless one value alone is.

import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workbookArb } from '../helpers/random-workbook';
import { importWorkbook } from '../../worker/doc/import';
import { WorkbookReader } from '../../worker/doc/reader';
import { encodePieces } from '../../worker/store/pieces';
import { applyEdit, docEditArb, workbookTypes } from '../doc/doc-harness';
import { replicaOf, testDoc } from '../doc/helpers';

const snapshotOf = (d: Y.Doc) => Y.encodeSnapshot(Y.snapshot(d));

function check(doc: Y.Doc, maxBytes: number, order: number[]): void {
  const pieces = encodePieces(doc, maxBytes);
  const inOrder = new Y.Doc();
  for (const p of pieces) {
    Y.applyUpdate(inOrder, p);
    expect(inOrder.store.pendingStructs, 'nothing waits').toBeNull();
  }
  expect(inOrder.store.pendingDs).toBeNull();
  expect(snapshotOf(inOrder)).toEqual(snapshotOf(doc));
  // And the same bytes as the document's state applied whole (deleted content is dropped either way).
  const whole = new Y.Doc();
  Y.applyUpdate(whole, Y.encodeStateAsUpdate(doc));
  expect(Y.encodeStateAsUpdate(inOrder)).toEqual(Y.encodeStateAsUpdate(whole));
  // Any order converges.
  const shuffled = new Y.Doc();
  const rest = [...pieces];
  for (const i of order) if (rest.length) Y.applyUpdate(shuffled, rest.splice(i % rest.length, 1)[0]);
  for (const p of rest) Y.applyUpdate(shuffled, p);
  expect(snapshotOf(shuffled)).toEqual(snapshotOf(doc));
  // Bounded: a piece stops at the first struct that takes it to the size (a value is never cut).
  for (const p of pieces) {
    const { structs } = Y.decodeUpdate(p);
    const sizes = structs.map((st) => {
      const e = new Y.UpdateEncoderV1();
      st.write(e, 0);
      return e.toUint8Array().length;
    });
    const beforeLast = sizes.slice(0, -1).reduce((x, y) => x + y, 0);
    expect(beforeLast, 'a piece goes on only while under the size').toBeLessThan(maxBytes);
  }
}

describe('a document in pieces', () => {
  it('gives back exactly the document, in order and in any order, after edits by several replicas (seeded)', () => {
    fc.assert(fc.property(
      workbookArb(), fc.array(fc.tuple(fc.nat({ max: 1 }), docEditArb()), { maxLength: 25 }),
      fc.integer({ min: 60, max: 4000 }), fc.array(fc.nat(), { maxLength: 30 }),
      (wb, edits, maxBytes, order) => {
        const a = testDoc(1);
        importWorkbook(a, { settings: { asOf: '2026-11-01' }, sheets: wb }, { chunkRows: 3 });
        const b = replicaOf(a, 2);
        const docs = [a, b];
        const undos = docs.map((d) => new Y.UndoManager(workbookTypes(d), { captureTimeout: 0 }));
        const readers = docs.map((d) => new WorkbookReader(d));
        for (const [at, e] of edits) applyEdit(docs[at], e, undos[at], readers[at]);
        // Concurrent edits meet: interleaved structs of two clients, deletions of each other's.
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
        check(a, maxBytes, order);
      },
    ), { seed: 20261207, numRuns: 80 });
  });

  it('cuts a sheet of many chunks (one item in Yjs) between its chunks', () => {
    const doc = testDoc(1);
    const rows = Array.from({ length: 2000 }, (_, i) => ({ id: `d${i}`, name: `device number ${i}`, cores: i % 64 }));
    importWorkbook(doc, { settings: {}, sheets: { devices: rows } }, { chunkRows: 100 });
    const whole = Y.encodeStateAsUpdate(doc).length;
    const pieces = encodePieces(doc, 8000);
    expect(pieces.length).toBeGreaterThan(whole / 20_000);
    for (const p of pieces) expect(p.length).toBeLessThan(20_000);
    check(doc, 8000, []);
  });

  it('gives nothing for an empty document', () => {
    expect(encodePieces(new Y.Doc())).toEqual([]);
  });
});
