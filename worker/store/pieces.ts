// A document's whole state as Yjs updates of bounded size ("pieces"), so that whoever applies them
// (the page, opening a workspace from IndexedDB) can do it a piece per task instead of in one long
// task: a 73 MB state in one update is ~0.1 s to decode and ~0.3 s more to re-encode for the
// document's 'update' listeners, all in one go.
//
// Invariants:
// - Applying every piece to an empty document, in the order given, gives exactly the document's
//   state: the same structs (state vector) and the same deletions (delete set). A piece is an
//   ordinary update, so any order converges too (Yjs keeps what lacks its dependencies pending).
// - In the order given, nothing ever waits: structs are emitted in a causal order (each after the
//   structs it names as origin, right origin or parent), so each piece integrates whole.
// - The delete set comes last, in a piece of its own (deletions of structs not yet there would
//   wait in `pendingDs` and be retried on every later piece).
// - A piece is over `maxBytes` only when one value alone is (a chunk of 10,000 rows is ~1 MB): an
//   item holding several values (Yjs merges a sheet's chunks into one) is written value by value.
//
// Written in Yjs's update format v1 with its own encoder and the structs' own `write`, as
// `Y.encodeStateAsUpdate` writes them; only the grouping into pieces is ours.

import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Pieces of a few MB: a few ms each to decode, read from IndexedDB and re-encode. */
export const PIECE_BYTES = 2 << 20;

type Struct = Y.Item | Y.GC;

/** The IDs a struct needs before it can be integrated (besides its own client's earlier structs). */
function dependencies(s: Struct): Y.ID[] {
  if (!(s instanceof Y.Item)) return [];
  const out: Y.ID[] = [];
  if (s.origin) out.push(s.origin);
  if (s.rightOrigin) out.push(s.rightOrigin);
  if (!s.origin && !s.rightOrigin) {
    const parent = s.parent as unknown;
    if (parent instanceof Y.AbstractType && parent._item) out.push(parent._item.id);
    else if (parent instanceof Y.ID) out.push(parent);
  }
  return out;
}

interface Group {
  client: number;
  clock: number;
  count: number;
  encoder: Y.UpdateEncoderV1;
}

/**
 * The document's state as updates of about `maxBytes` each, in an order in which each integrates
 * whole, the delete set last. An empty document gives no pieces.
 */
export function encodePieces(doc: Y.Doc, maxBytes = PIECE_BYTES): Uint8Array[] {
  const clients = [...doc.store.clients.entries()] as [number, Struct[]][];
  const emitted = new Map<number, number>(); // client → clock emitted up to (exclusive)
  const next = new Map<number, number>(); // client → index of its next struct
  for (const [client] of clients) {
    emitted.set(client, 0);
    next.set(client, 0);
  }
  const ready = (s: Struct) => dependencies(s).every((id) => id.client === s.id.client || (emitted.get(id.client) ?? 0) > id.clock);

  const pieces: Uint8Array[] = [];
  let groups = new Map<number, Group>();
  let bytes = 0;
  const finish = () => {
    if (groups.size === 0) return;
    const out = encoding.createEncoder();
    encoding.writeVarUint(out, groups.size);
    for (const g of groups.values()) {
      encoding.writeVarUint(out, g.count);
      encoding.writeVarUint(out, g.client);
      encoding.writeVarUint(out, g.clock);
      encoding.writeUint8Array(out, g.encoder.toUint8Array());
    }
    encoding.writeVarUint(out, 0); // no deletions: they come last, in a piece of their own
    pieces.push(encoding.toUint8Array(out));
    groups = new Map();
    bytes = 0;
  };
  const write = (s: Struct) => {
    // Yjs merges values pushed one after another by one client into one item (a sheet's imported
    // chunks: tens of MB): such an item is written a value at a time, each as the item Yjs would
    // split off there (its left origin the value before), so a piece can end between two chunks.
    if (s instanceof Y.Item && s.content instanceof Y.ContentAny && s.length > 1) {
      const { client, clock } = s.id;
      s.content.arr.forEach((value, i) => writeOne(new Y.Item(
        Y.createID(client, clock + i), null, i === 0 ? s.origin : Y.createID(client, clock + i - 1), null, s.rightOrigin,
        s.parent, s.parentSub, new Y.ContentAny([value]),
      )));
      return;
    }
    writeOne(s);
  };
  const writeOne = (s: Struct) => {
    let g = groups.get(s.id.client);
    if (!g) groups.set(s.id.client, (g = { client: s.id.client, clock: s.id.clock, count: 0, encoder: new Y.UpdateEncoderV1() }));
    const before = encoding.length(g.encoder.restEncoder);
    s.write(g.encoder, 0);
    g.count++;
    bytes += encoding.length(g.encoder.restEncoder) - before;
    emitted.set(s.id.client, s.id.clock + s.length);
    if (bytes >= maxBytes) finish();
  };

  // Round robin over clients, each as far as its dependencies allow. Every struct of a document
  // was integrated once, in some order, so some client can always go on.
  for (let left = clients.reduce((n, [, structs]) => n + structs.length, 0); left > 0;) {
    let progress = false;
    for (const [client, structs] of clients) {
      let i = next.get(client)!;
      while (i < structs.length && ready(structs[i])) {
        write(structs[i++]);
        left--;
        progress = true;
      }
      next.set(client, i);
    }
    if (!progress) {
      // Not expected; still whole (Yjs then keeps the waiting structs pending until they can go).
      for (const [client, structs] of clients) {
        for (let i = next.get(client)!; i < structs.length; i++, left--) write(structs[i]);
        next.set(client, structs.length);
      }
    }
  }
  finish();
  const deletions = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
  // An update with no structs and no deletions is 2 bytes: nothing to store.
  if (deletions.length > 2) pieces.push(deletions);
  return pieces;
}
