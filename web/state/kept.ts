// What the page keeps beside a workspace's document about this device: the Yjs client ids it wrote
// with, the conflict notices not yet acted on, whether the relay has acknowledged everything. Each
// must survive a reload made at once. An IndexedDB write can queue behind the worker's transactions
// on the same database and a reload aborts it (a conflict notice a person had just seen did not
// come back), so they are written synchronously to localStorage, one small JSON value per key.
// Earlier builds kept them in the database's `custom` store; a key not found here is read there.

import { keysStartingWith, storageHere, type JournalStorage } from './journal';

const PREFIX = 'reckon.kept/';

export class KeptValues {
  constructor(readonly name: string, private readonly storage: JournalStorage | null = storageHere()) {}

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** Encoded: no workspace's prefix is another's. */
  private get prefix(): string {
    return `${PREFIX}${encodeURIComponent(this.name)}/`;
  }

  /** The value kept under `key`, or undefined (none, unreadable, or no storage). */
  get(key: string): unknown {
    try {
      const v = this.storage?.getItem(this.key(key));
      return v === null || v === undefined ? undefined : (JSON.parse(v) as unknown);
    } catch {
      return undefined;
    }
  }

  /** Keeps `value`; false when it could not be written (storage full or disabled). */
  set(key: string, value: unknown): boolean {
    try {
      this.storage?.setItem(this.key(key), JSON.stringify(value));
      return !!this.storage;
    } catch {
      return false;
    }
  }

  /** Drops every value of this workspace (its copy on this device is being deleted). */
  clear(): void {
    for (const k of keysStartingWith(this.storage, this.prefix)) {
      try {
        this.storage!.removeItem(k);
      } catch {
        // storage gone: nothing to drop
      }
    }
  }
}
