// Keeping a workspace's IndexedDB records few and bounded, done by the worker (its replica holds the
// whole document, and its thread is not the page's). Two kinds, each one readwrite transaction, so
// another tab or a crash sees either the old records or the new, never neither:
//
// - rewrite: every record (applied to the replica first, so the replica holds all of them) is
//   replaced by the replica's state in pieces (pieces.ts), and the layout mark is put back (idb.ts).
//   Needed when a record is above RECORD_LIMIT (one full-state record, as y-indexeddb and earlier
//   Reckons store a document; a first sync from the relay) or the mark is missing.
// - merge: runs of consecutive small records (edits) are merged into records of up to a piece
//   each (Y.mergeUpdates: the union of what they hold), so the log does not grow with every edit.
//
// Yjs updates are idempotent and commutative, so replacing records by anything that holds at least
// what they held loses nothing; a record stored meanwhile by the page or another tab is either read
// here (and kept in what replaces it) or stored after this transaction (and left alone).

import * as Y from 'yjs';
import { CUSTOM, LAYOUT_KEY, RECORD_LIMIT, UPDATES, done, type Layout } from './idb';
import { PIECE_BYTES, encodePieces } from './pieces';

export interface CompactResult {
  kind: 'rewrite' | 'merge' | 'none';
  /** Records in the store afterwards. */
  records: number;
  /** Records read that the replica had not applied yet (applied now). */
  applied: number;
}

export interface CompactOptions {
  /** Rewrite even when every record is small and the layout is there. */
  rewrite?: boolean;
  /** Origin of the updates applied to the replica. */
  origin?: unknown;
  /** Keys of records the replica has applied already (skipped); the new ones are added to it. */
  seen?: Set<number>;
  /** Told about records that could not be read. */
  onError?: (message: string) => void;
}

/**
 * Compacts the store of `doc`'s workspace: rewrites it when needed (or asked), else merges runs of
 * small records. Applies every record the replica lacks on the way.
 */
export function compactStore(db: IDBDatabase, doc: Y.Doc, options: CompactOptions = {}): Promise<CompactResult> {
  const tx = db.transaction([UPDATES, CUSTOM], 'readwrite');
  const store = tx.objectStore(UPDATES);
  const custom = tx.objectStore(CUSTOM);
  const keysReq = store.getAllKeys();
  const valuesReq = store.getAll();
  const layoutReq = custom.get(LAYOUT_KEY);
  let result: CompactResult = { kind: 'none', records: 0, applied: 0 };
  // Everything below runs inside the last request's callback: the transaction stays active.
  layoutReq.onsuccess = () => {
    const keys = keysReq.result as number[];
    const values = valuesReq.result as unknown[];
    const applied = keys.filter((k) => !options.seen?.has(k)).length;
    applyRecords(doc, keys, values, options);
    const layout = layoutReq.result as Layout | undefined;
    const small = values.every((v) => v instanceof Uint8Array && v.byteLength <= RECORD_LIMIT);
    let merged: number | null = null;
    if (keys.length > 0 && layout && small && !options.rewrite) {
      try {
        merged = mergeRuns(store, keys, values as Uint8Array[]);
      } catch {
        merged = null; // a record Yjs cannot read: rewrite from the replica instead
      }
    }
    if (keys.length === 0) result = { kind: 'none', records: 0, applied };
    else if (merged !== null) result = { kind: merged < keys.length ? 'merge' : 'none', records: merged, applied };
    else result = { kind: 'rewrite', records: rewrite(store, keys, doc, options.seen), applied };
    if (!layout || result.kind === 'rewrite') custom.put({ recordLimit: RECORD_LIMIT } satisfies Layout, LAYOUT_KEY);
  };
  return done(tx).then(() => result);
}

/** Replaces every record read (keys) by the replica's state in pieces; returns how many. */
function rewrite(store: IDBObjectStore, keys: readonly number[], doc: Y.Doc, seen?: Set<number>): number {
  const pieces = encodePieces(doc);
  seen?.clear();
  for (const p of pieces) {
    const added = store.add(p);
    added.onsuccess = () => seen?.add(added.result as number);
  }
  // New records get keys above every key read: only the records read go.
  store.delete(IDBKeyRange.bound(keys[0], keys[keys.length - 1]));
  return pieces.length;
}

/**
 * Merges each run of consecutive records under half a piece into records of up to a piece, each
 * stored under the key of its run's last record (the log's order is kept); returns how many
 * records are left.
 */
function mergeRuns(store: IDBObjectStore, keys: readonly number[], values: readonly Uint8Array[]): number {
  const plan: number[][] = [];
  let run: number[] = [];
  let bytes = 0;
  const close = () => {
    if (run.length > 1) plan.push(run);
    run = [];
    bytes = 0;
  };
  values.forEach((v, i) => {
    if (v.byteLength >= PIECE_BYTES / 2 || bytes + v.byteLength > PIECE_BYTES) close();
    if (v.byteLength < PIECE_BYTES / 2) {
      run.push(i);
      bytes += v.byteLength;
    }
  });
  close();
  // Merged first, stored after: a record Yjs cannot read throws before anything is changed.
  const merged = plan.map((r) => Y.mergeUpdates(r.map((i) => values[i])));
  let records = keys.length;
  plan.forEach((r, n) => {
    const last = keys[r[r.length - 1]];
    store.delete(IDBKeyRange.bound(keys[r[0]], last));
    store.put(merged[n], last);
    records -= r.length - 1;
  });
  return records;
}

/**
 * Applies the records not in `seen` to the replica, in key order, in one transaction, and notes
 * them seen. A record that is no update (damaged, or written by something else) is skipped: what
 * of it Yjs could integrate stays, the rest is reported through `onError`.
 */
export function applyRecords(doc: Y.Doc, keys: readonly number[], values: readonly unknown[], options: CompactOptions = {}): void {
  Y.transact(doc, () => {
    keys.forEach((k, i) => {
      if (options.seen?.has(k)) return;
      options.seen?.add(k);
      const v = values[i];
      try {
        if (!(v instanceof Uint8Array)) throw new Error('not a Yjs update');
        Y.applyUpdate(doc, v, options.origin);
      } catch (err) {
        options.onError?.(`IndexedDB record ${k}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    });
  }, options.origin);
}
