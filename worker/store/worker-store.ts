// The worker's side of a workspace's IndexedDB database: it reads the records itself (the page does
// not encode a 73 MB state and post it), keeps the records bounded (compact.ts) and stores its
// results beside the document (results-cache.ts).
//
// Invariants:
// - `open` reads every record, the cached results and the layout mark in one transaction; the
//   replica then holds every record stored before it, and the page sends what it holds beyond that
//   (client.ts `follow`). `seen` holds the keys of the records the replica has applied.
// - Cached results are written only with the identity of the state they are the results of: the
//   caller hands over the replica and its results together, with no pending change between them.

import * as Y from 'yjs';
import type { Patch } from '../../engine/changes';
import { applyRecords, compactStore, type CompactResult } from './compact';
import { CUSTOM, LAYOUT_KEY, RECORD_LIMIT, RESULTS_KEY, UPDATES, done, openStoreDb, request, type Layout } from './idb';
import { newCacheId, sha256, stateSnapshot, todayKey, type CachedResults } from './results-cache';

/** Origin of the updates the worker reads from IndexedDB. */
export const STORE_READ_ORIGIN = 'reckon-store';

export class WorkerStore {
  /** Keys of the records the replica has applied. */
  readonly seen = new Set<number>();
  private compacting: Promise<CompactResult> | null = null;
  private writing = false;

  private constructor(readonly db: IDBDatabase, private readonly onError: (message: string) => void) {}

  /**
   * Opens the database and reads it into `doc`: every record, then rewrites the records as pieces
   * when one is too large for the page to apply in a step or the layout mark is missing (before
   * the page reads them: it waits). Returns the cached results found.
   */
  static async open(name: string, doc: Y.Doc, onError: (message: string) => void): Promise<{ store: WorkerStore; cache: CachedResults | null; rewritten: boolean }> {
    const db = await openStoreDb(name);
    const store = new WorkerStore(db, onError);
    const tx = db.transaction([UPDATES, CUSTOM], 'readonly');
    const updates = tx.objectStore(UPDATES), custom = tx.objectStore(CUSTOM);
    const [keys, values, cache, layout] = await Promise.all([
      request(updates.getAllKeys()), request(updates.getAll()), request(custom.get(RESULTS_KEY)), request(custom.get(LAYOUT_KEY)),
    ]);
    applyRecords(doc, keys as number[], values, { seen: store.seen, origin: STORE_READ_ORIGIN, onError });
    const small = (values as unknown[]).every((v) => v instanceof Uint8Array && v.byteLength <= RECORD_LIMIT);
    let rewritten = false;
    if (!(layout as Layout | undefined) || !small) {
      await store.compact(doc, true);
      rewritten = true;
    }
    return { store, cache: (cache as CachedResults | undefined) ?? null, rewritten };
  }

  /** Compacts the records (compact.ts); one at a time. */
  compact(doc: Y.Doc, rewrite = false): Promise<CompactResult> {
    this.compacting ??= compactStore(this.db, doc, { rewrite, seen: this.seen, origin: STORE_READ_ORIGIN, onError: this.onError })
      .finally(() => { this.compacting = null; });
    return this.compacting;
  }

  /**
   * Stores `patch` (every result) as the results of `doc`'s state now. Called with nothing pending
   * between the two (the snapshot is taken here, synchronously, before anything can change).
   */
  async writeResults(doc: Y.Doc, patch: Patch, inputs: { today: string; build: string; settings: Record<string, unknown> }): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      const snapshot = stateSnapshot(doc);
      const record: CachedResults = {
        id: newCacheId(), state: '', today: todayKey(inputs.settings, inputs.today), build: inputs.build,
        writtenAt: new Date().toISOString(), patch,
      };
      record.state = await sha256(snapshot);
      const tx = this.db.transaction(CUSTOM, 'readwrite');
      tx.objectStore(CUSTOM).put(record, RESULTS_KEY);
      await done(tx);
    } catch (err) {
      this.onError(`results not stored: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.writing = false;
    }
  }

  close(): void {
    this.db.close();
  }
}
