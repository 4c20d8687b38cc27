// Types for the parts of y-leveldb the relay uses. The package ships
// declarations, but its `exports` map has no "types" condition, so
// TypeScript's bundler resolution cannot find them.

declare module 'y-leveldb' {
  export class LeveldbPersistence {
    constructor(location: string, options?: { Level?: unknown; levelOptions?: object });
    /** Runs `f` after every earlier transaction; errors are logged and turn into null. */
    _transact<T>(f: (db: any) => Promise<T>): Promise<T>;
    storeUpdate(docName: string, update: Uint8Array): Promise<number | null>;
    destroy(): Promise<void>;
  }
  export function getLevelUpdates(db: unknown, docName: string, opts?: object): Promise<Uint8Array[]>;
  /** The state-vector keys of every document (`['v1_sv', name]`): one per document ever written. */
  export function getAllDocsKeys(db: unknown): Promise<Array<[string, string]>>;
}
