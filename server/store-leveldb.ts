// The embedded default store: LevelDB through y-leveldb, in `<dataDir>/rooms`.
//
// y-leveldb keeps a room as numbered updates (`['v1', room, 'update', n]`).
// Its transaction helper logs and swallows errors (resolving to null), which
// would make a failed read look like an empty room. So every operation here
// either runs inside `_transact` with the error carried out as a value, or
// checks y-leveldb's null result, and rejects on failure (see RoomStore).
//
// Durability: LevelDB writes each put to its log with write(2) before the
// promise resolves, so an appended update survives `kill -9` of the relay
// (not a power loss: puts are not fsynced, as in y-leveldb's default).

import * as Y from 'yjs';
import { LeveldbPersistence, getAllDocsKeys, getLevelUpdates } from 'y-leveldb';
import type { RoomStore } from './store';
import { ClassicLevel } from './node-deps';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The subset of abstract-level we use inside a y-leveldb transaction. */
interface LevelDb {
  open(): Promise<void>;
  clear(range: { gte: unknown; lt: unknown }): Promise<void>;
}

export class LevelDbRoomStore implements RoomStore {
  private readonly persistence: LeveldbPersistence;

  private constructor(location: string) {
    // classic-level passed explicitly: see node-deps.ts.
    this.persistence = new LeveldbPersistence(location, { Level: ClassicLevel });
  }

  /** Opens (and creates) the database; rejects if another process holds it. */
  static async open(location: string): Promise<LevelDbRoomStore> {
    const store = new LevelDbRoomStore(location);
    await store.run((db) => db.open());
    return store;
  }

  private async run<T>(operation: (db: LevelDb) => Promise<T>): Promise<T> {
    const outcome = await this.persistence._transact<Outcome<T>>(async (db: LevelDb) => {
      try {
        return { ok: true, value: await operation(db) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async load(room: string): Promise<Uint8Array | null> {
    const updates = await this.run((db) => getLevelUpdates(db, room));
    if (updates.length === 0) return null;
    return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
  }

  /** The name of every room ever written (moving a data directory to Redis: redis/migrate.ts). */
  async rooms(): Promise<string[]> {
    const keys = await this.run((db) => getAllDocsKeys(db));
    return keys.map((key) => key[1]);
  }

  async append(room: string, update: Uint8Array): Promise<void> {
    const clock = await this.persistence.storeUpdate(room, update);
    if (typeof clock !== 'number') throw new Error('leveldb append failed');
  }

  async compact(room: string, fullState: Uint8Array): Promise<void> {
    // Write the full state first, then drop what it replaces: a crash in
    // between leaves both, which merge to the same document.
    const clock = await this.persistence.storeUpdate(room, fullState);
    if (typeof clock !== 'number') throw new Error('leveldb compaction write failed');
    await this.run((db) => db.clear({ gte: ['v1', room, 'update', 0], lt: ['v1', room, 'update', clock] }));
  }

  async close(): Promise<void> {
    await this.persistence.destroy();
  }
}
