// The page's side of a workspace's IndexedDB database (worker/store/idb.ts: y-indexeddb's layout):
// loads the document from its records a few at a time, yielding between steps, so that opening a
// million-row workspace never blocks the page; then stores every update the page makes or receives.
//
// Invariants:
// - Records are applied in key order, each batch in one transaction with origin STORE_ORIGIN (the
//   worker reads the same records itself, so those updates are not forwarded to it), not local (as
//   y-indexeddb applies them: what was stored is nobody's edit in this tab, never "unsent" or undone).
// - A step applies records until it has taken ~STEP_BYTES; a record is never split,
//   which is why records are kept small (the layout mark, idb.ts). Without the mark the page waits
//   for the worker to rewrite the records in pieces (`whenRewritten`) before reading them.
// - Every update whose origin is not STORE_ORIGIN is stored as one record, in the order the
//   document emitted them, from construction on (a scenario forked a moment ago writes its meta
//   before anything is loaded). Compaction is the worker's (worker/store/compact.ts); a session
//   without a worker of its own (a scenario) compacts here (`compactHere`). Each is journaled
//   synchronously until its record is committed (journal.ts), and the load applies what the
//   journal still holds after the records, so that no reload outruns the store.
// - Every 'update' listener of the page ignores STORE_ORIGIN updates or has no use for them (this
//   store's own, the provider's filter in session.ts, the worker forwarder, the session's compaction
//   check, which waits for `synced`; the sync status is not connected while the page loads, and
//   records `compactHere` finds from another tab are that tab's to send). So records are applied with the
//   listeners set aside (`applyStored`): Yjs encodes a transaction's update again for whoever
//   listens, and for the 1M workspace's 73 MB that took the page's main thread ~1.4 s of a load
//   that needs none of it. A listener that ever needs stored records must change this.

import * as Y from 'yjs';
import { clearDocument } from 'y-indexeddb';
import { CUSTOM, LAYOUT_KEY, RECORD_LIMIT, RESULTS_KEY, UPDATES, addRecord, countRecords, done, openStoreDb, readCustom, readRecords, writeCustom, type Layout } from '../../worker/store/idb';
import { encodePieces } from '../../worker/store/pieces';
import type { CachedResults } from '../../worker/store/results-cache';
import { UpdateJournal } from './journal';
import { KeptValues } from './kept';

/** Origin of the updates read from IndexedDB. */
export const STORE_ORIGIN = Symbol('reckon-store');
/** Origin of the journal's updates applied by a load: stored, passed on to the worker, other tabs and the relay. */
export const JOURNAL_ORIGIN = Symbol('reckon-journal');

/** A step of the load applies about this much (a few ms); a record is applied whole. */
const STEP_BYTES = 4 << 20;
/** Records read per IndexedDB transaction (~2 MB each: pieces.ts). */
const READ_COUNT = 4;

/**
 * Applies stored records in one transaction (origin STORE_ORIGIN, not local) with the document's
 * 'update' listeners set aside, so that Yjs does not encode the update for them (see above). A
 * listener added meanwhile is kept. A damaged record: what integrated stays (as y-indexeddb does).
 */
export function applyStored(doc: Y.Doc, records: readonly unknown[], onDamaged: (err: unknown) => void): void {
  const observers = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
  const listening = observers.get('update');
  observers.delete('update');
  try {
    Y.transact(doc, () => {
      for (const u of records) {
        if (!(u instanceof Uint8Array)) continue;
        try {
          Y.applyUpdate(doc, u, STORE_ORIGIN);
        } catch (err) {
          onDamaged(err);
        }
      }
    }, STORE_ORIGIN, false);
  } finally {
    if (listening) {
      const added = observers.get('update');
      for (const f of added ?? []) listening.add(f);
      observers.set('update', listening);
    }
  }
}

/** Yields to the page's event loop (input, rendering) between steps. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

export interface LoadOptions {
  /** Resolves once the worker has rewritten records too large to apply in a step (called only when the layout mark is missing). */
  whenRewritten?: () => Promise<void>;
}

export class DocStore {
  private db: IDBDatabase | null = null;
  private readonly opened: Promise<IDBDatabase>;
  private destroyed = false;
  /** Records in the store (as far as this page knows: counted at load, then one more per update stored). */
  records = 0;
  /** Whether the document has been loaded from the store. */
  synced = false;
  /** Journal entries applied by the load that changed the document: how many, how many made on the device, and by which Yjs clients. */
  replayed = { changed: 0, local: 0, clients: new Set<number>() };
  private readonly journal: UpdateJournal;
  /** Updates the store listener has taken (to tell whether applying an entry changed the document). */
  private heard = 0;
  private stopStoring: () => void = () => {};
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly name: string, readonly doc: Y.Doc) {
    this.journal = new UpdateJournal(name);
    this.opened = openStoreDb(name).then((db) => (this.db = db));
    const store = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      if (origin === STORE_ORIGIN || this.destroyed) return;
      this.records++;
      this.heard++;
      // Journaled in this task, before the record is asked for; dropped once it is committed.
      const entry = this.journal.write(update, tr.local);
      const failed = (err: unknown) => console.warn(`${this.name}: an update could not be stored (${String(err)})`);
      // Never throws into Yjs's transaction (a closing connection throws at once); what failed stays journaled.
      const write = (db: IDBDatabase) => {
        try {
          return addRecord(db, update).then(() => this.journal.drop(entry), failed);
        } catch (err) {
          failed(err);
          return Promise.resolve();
        }
      };
      // Once open, at once (IndexedDB keeps the order transactions were made in); before, in order after the open.
      this.writes = this.db ? write(this.db) : this.opened.then(write);
    };
    this.doc.on('update', store);
    this.stopStoring = () => this.doc.off('update', store);
  }

  /** The cached results beside the document, if any (read before the document, to show at once). */
  async readResults(): Promise<CachedResults | null> {
    try {
      return (await readCustom<CachedResults>(await this.opened, RESULTS_KEY)) ?? null;
    } catch {
      return null;
    }
  }

  /** A value of the page's own beside the document (y-indexeddb's `custom` store, as its get/set). */
  async getCustom<T>(key: string): Promise<T | undefined> {
    return readCustom<T>(await this.opened, key);
  }

  async setCustom(key: string, value: unknown): Promise<void> {
    await writeCustom(await this.opened, key, value);
  }

  /** Loads every record into the document, a step per task. */
  async load(options: LoadOptions = {}): Promise<void> {
    const db = await this.opened;
    const layout = await readCustom<Layout>(db, LAYOUT_KEY);
    if (!layout && options.whenRewritten) await options.whenRewritten();
    let after: number | null = null;
    let step: Uint8Array[] = [];
    let bytes = 0;
    const apply = () => {
      if (step.length === 0) return;
      applyStored(this.doc, step, (err) => console.warn(`${this.name}: an IndexedDB record could not be read (${err instanceof Error ? err.message : String(err)})`));
      step = [];
      bytes = 0;
    };
    // The next records are read while these are applied (IndexedDB reads off the main thread).
    let next = readRecords(db, after, READ_COUNT);
    for (;;) {
      if (this.destroyed) return;
      const { keys, values } = await next;
      if (keys.length === 0) break;
      this.records += keys.length;
      after = keys[keys.length - 1];
      next = readRecords(db, after, READ_COUNT);
      for (const v of values) {
        if (!(v instanceof Uint8Array)) continue;
        step.push(v);
        bytes += v.byteLength;
        if (bytes >= STEP_BYTES) {
          apply();
          await nextTask();
        }
      }
    }
    apply();
    if (this.destroyed) return;
    this.replayJournal();
    this.synced = true;
  }

  /**
   * Applies the journal's entries (journal.ts): updates a page handed to the store but that were
   * not committed before it went. One that changes the document is taken by the store listener
   * (journaled anew and stored); then the old entry goes either way.
   */
  private replayJournal(): void {
    for (const e of this.journal.entries()) {
      const before = this.heard;
      try {
        Y.applyUpdate(this.doc, e.update, JOURNAL_ORIGIN);
      } catch (err) {
        console.warn(`${this.name}: a journaled update could not be read (${err instanceof Error ? err.message : String(err)})`);
      }
      if (this.heard !== before) {
        this.replayed.changed++;
        if (e.local) {
          this.replayed.local++;
          for (const client of Y.parseUpdateMeta(e.update).from.keys()) this.replayed.clients.add(client);
        }
      }
      this.journal.drop(e.key);
    }
  }

  /** Resolves when every update stored so far is committed. */
  whenWritten(): Promise<void> {
    return this.writes;
  }

  /**
   * Compacts the store on the page, for a session whose document no worker replicates (a scenario:
   * small): every record is replaced by the document's state in pieces, in one transaction.
   */
  compactHere(): Promise<void> {
    const db = this.db;
    if (!db) return Promise.resolve();
    const tx = db.transaction([UPDATES, CUSTOM], 'readwrite');
    const store = tx.objectStore(UPDATES);
    const keys = store.getAllKeys();
    const values = store.getAll();
    values.onsuccess = () => {
      const ks = keys.result as number[];
      // Records another tab stored that this one has not received yet are applied first, so the
      // document's state holds every record it replaces.
      applyStored(this.doc, values.result, () => {});
      for (const p of encodePieces(this.doc)) store.add(p);
      if (ks.length) store.delete(IDBKeyRange.bound(ks[0], ks[ks.length - 1]));
      tx.objectStore(CUSTOM).put({ recordLimit: RECORD_LIMIT } satisfies Layout, LAYOUT_KEY);
    };
    return done(tx).then(async () => { this.records = await countRecords(db); });
  }

  destroy(): void {
    this.destroyed = true;
    this.stopStoring();
    void this.opened.then((db) => db.close(), () => {});
  }
}

/** Deletes a workspace's copy on this device: its database, its journal and what the page kept beside it. */
export async function clearStored(name: string): Promise<void> {
  new UpdateJournal(name).clear();
  new KeptValues(name).clear();
  await clearDocument(name);
}

/**
 * Applies a workspace's journal entries to `doc` (read from the store by y-indexeddb elsewhere: a
 * copy, a download, a scenario's other side), leaving them for the workspace's own load to store.
 */
export function applyJournal(name: string, doc: Y.Doc): void {
  for (const e of new UpdateJournal(name).entries()) {
    try {
      Y.applyUpdate(doc, e.update, JOURNAL_ORIGIN);
    } catch {
      // unreadable: the workspace's own load reports it
    }
  }
}
