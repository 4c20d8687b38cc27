// A workspace's IndexedDB database, as y-indexeddb lays it out (so either can read what the other
// wrote): object store `updates` (auto-increment keys → Yjs updates, in the order they were
// stored) and object store `custom` (key → anything). Reckon keeps two things in `custom`:
//
// - LAYOUT_KEY: present only while every record in `updates` is at most RECORD_LIMIT bytes, so the
//   page may read and apply them one after another without a long task. Whoever stores a larger
//   record deletes it in the same transaction; the worker rewrites the records as pieces
//   (pieces.ts) and puts it back (compact.ts).
// - RESULTS_KEY: the last results and the document state they were computed for (results-cache.ts).
//
// Used by the page (web/state/doc-store.ts) and the worker (service.ts, compact.ts), never both
// in one transaction: IndexedDB serializes their transactions.

export const UPDATES = 'updates';
export const CUSTOM = 'custom';
export const LAYOUT_KEY = 'reckon.layout';
export const RESULTS_KEY = 'reckon.results';

/** Records above this size are rewritten as pieces by the worker before the page reads them. */
export const RECORD_LIMIT = 6 << 20;

export interface Layout {
  /** Every record in `updates` is at most this many bytes. */
  recordLimit: number;
}

/** Opens (creating if new) a workspace database, as y-indexeddb does. A new one is empty: its layout is put at once. */
export function openStoreDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(UPDATES)) db.createObjectStore(UPDATES, { autoIncrement: true });
      if (!db.objectStoreNames.contains(CUSTOM)) db.createObjectStore(CUSTOM);
      open.transaction!.objectStore(CUSTOM).put({ recordLimit: RECORD_LIMIT } satisfies Layout, LAYOUT_KEY);
    };
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error(`IndexedDB ${name} is blocked`));
    open.onsuccess = () => resolve(open.result);
  });
}

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

export interface Records {
  keys: number[];
  values: Uint8Array[];
}

/** Up to `count` records after key `after` (all from the first when null), in key order, read in one transaction. */
export async function readRecords(db: IDBDatabase, after: number | null, count?: number): Promise<Records> {
  const tx = db.transaction(UPDATES, 'readonly');
  const store = tx.objectStore(UPDATES);
  const range = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
  const [keys, values] = await Promise.all([request(store.getAllKeys(range, count)), request(store.getAll(range, count))]);
  return { keys: keys as number[], values: values as Uint8Array[] };
}

export async function readCustom<T>(db: IDBDatabase, key: string): Promise<T | undefined> {
  return (await request(db.transaction(CUSTOM, 'readonly').objectStore(CUSTOM).get(key))) as T | undefined;
}

export function writeCustom(db: IDBDatabase, key: string, value: unknown): Promise<void> {
  const tx = db.transaction(CUSTOM, 'readwrite');
  tx.objectStore(CUSTOM).put(value, key);
  return done(tx);
}

/**
 * Stores an update as the next record. A record above RECORD_LIMIT (a first sync from the relay, a
 * large merge) takes the layout away in the same transaction, so the next open lets the worker
 * rewrite it first.
 */
export function addRecord(db: IDBDatabase, update: Uint8Array): Promise<void> {
  const big = update.byteLength > RECORD_LIMIT;
  const tx = db.transaction(big ? [UPDATES, CUSTOM] : [UPDATES], 'readwrite');
  tx.objectStore(UPDATES).add(update);
  if (big) tx.objectStore(CUSTOM).delete(LAYOUT_KEY);
  return done(tx);
}

export async function countRecords(db: IDBDatabase): Promise<number> {
  return request(db.transaction(UPDATES, 'readonly').objectStore(UPDATES).count());
}
