// A synchronous journal of the updates the page has handed to IndexedDB but IndexedDB has not
// committed yet. Local-first means an edit survives whatever comes next, a reload included; but an
// IndexedDB write is asynchronous, and the page's record transaction can queue behind the worker's
// own transactions on the same database for a while. A reload (or a closed tab) meanwhile aborts
// it, and the edit would be gone. localStorage writes synchronously, so an update is written there
// first, in the same task as the edit, and dropped once its record is committed; the next load
// applies what is left (doc-store.ts `load`).
//
// Invariants:
// - An entry is written before its IndexedDB record is asked for, and dropped only after that
//   record is committed or after a load has applied the entry (which stores it again if it was
//   missing). So every update stored by a page that went away is in a record or an entry.
// - Applying an entry twice is harmless: a Yjs update already integrated changes nothing.
// - Entries of other tabs of the same workspace are applied too (they are that workspace's updates);
//   each tab drops only what it applied or wrote.
// - Updates above JOURNAL_LIMIT bytes (an import, a first sync from the relay) are not journaled:
//   localStorage holds a few MB for the whole origin. Their flows wait for the store themselves
//   (an import says "saved" only once written), and the relay keeps what it sent. A write that
//   fails (quota, storage disabled) or would take a page past JOURNAL_BUDGET journals nothing:
//   the record is still written as before.

/** The part of the Web Storage API the journal uses (localStorage; a Map in tests). */
export interface JournalStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Updates above this are not journaled (see above). */
export const JOURNAL_LIMIT = 256 << 10;
/**
 * A page keeps at most this many bytes of entries at once: when IndexedDB fails for good (its quota)
 * nothing is ever dropped, and a full localStorage would refuse the workspace list and identity too.
 */
export const JOURNAL_BUDGET = 1 << 20;

const PREFIX = 'reckon.journal/';

export interface JournalEntry {
  key: string;
  update: Uint8Array;
  /** Made on the device (a local transaction): unsent to the relay until it acknowledges. */
  local: boolean;
}

/** localStorage, or null where it is missing or disabled. */
export function storageHere(): JournalStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: reading the property throws
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export class UpdateJournal {
  /** This page's entries are told apart from other tabs' by a random part, in write order by `seq`. */
  private readonly writer = Math.random().toString(36).slice(2, 10);
  private seq = 0;
  /** This page's entries not yet dropped, and their sizes (base64 characters). */
  private readonly held = new Map<string, number>();
  private heldBytes = 0;

  constructor(readonly name: string, private readonly storage: JournalStorage | null = storageHere()) {}

  private get prefix(): string {
    return `${PREFIX}${encodeURIComponent(this.name)}/`; // encoded: no name's prefix is another's
  }

  /** Journals `update`; returns the entry's key, or null when it was not journaled. */
  write(update: Uint8Array, local: boolean): string | null {
    if (!this.storage || update.byteLength > JOURNAL_LIMIT) return null;
    const size = Math.ceil(update.byteLength / 3) * 4 + 1;
    if (this.heldBytes + size > JOURNAL_BUDGET) return null;
    const key = `${this.prefix}${this.writer}/${String(this.seq++).padStart(9, '0')}`;
    try {
      this.storage.setItem(key, `${local ? 'L' : 'R'}${toBase64(update)}`);
    } catch {
      return null;
    }
    this.held.set(key, size);
    this.heldBytes += size;
    return key;
  }

  drop(key: string | null): void {
    if (key === null || !this.storage) return;
    const size = this.held.get(key);
    if (size !== undefined) {
      this.held.delete(key);
      this.heldBytes -= size;
    }
    try {
      this.storage.removeItem(key);
    } catch {
      // storage gone: nothing to drop
    }
  }

  /** Every entry of this workspace (this tab's and others'), each writer's in the order written. An unreadable one is dropped. */
  entries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const key of this.keys()) {
      const value = this.storage!.getItem(key);
      try {
        if (!value || (value[0] !== 'L' && value[0] !== 'R')) throw new Error('not an entry');
        out.push({ key, update: fromBase64(value.slice(1)), local: value[0] === 'L' });
      } catch {
        this.drop(key);
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Drops every entry of this workspace (its copy on this device is being deleted). */
  clear(): void {
    for (const key of this.keys()) this.drop(key);
  }

  private keys(): string[] {
    return keysStartingWith(this.storage, this.prefix);
  }
}

/** The keys of `storage` that start with `prefix` (none when it is missing or cannot be read). */
export function keysStartingWith(storage: JournalStorage | null, prefix: string): string[] {
  if (!storage) return [];
  const keys: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(prefix)) keys.push(k);
    }
  } catch {
    return [];
  }
  return keys;
}
