// Persistence of rooms behind one small interface. Everything the relay
// stores is an update Yjs itself encoded from the room doc (never a client's
// raw bytes), so a store only ever holds well-formed updates.
//
// Contract:
// - `load` returns the merge of everything appended or compacted for the
//   room, or null if the room was never written. It rejects on I/O errors
//   (never "no data"), so a read failure cannot be mistaken for an empty room
//   and later compacted over real data.
// - `append` is durable against a crash of the process once it resolves.
// - `compact(room, fullState)` replaces the room's history with one update
//   that contains all of it. A crash midway leaves old and new side by side,
//   which merges to the same document.

import * as Y from 'yjs';

export interface RoomStore {
  load(room: string): Promise<Uint8Array | null>;
  append(room: string, update: Uint8Array): Promise<void>;
  compact(room: string, fullState: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** In-memory store for tests; `calls` records what the relay did. */
export class MemoryRoomStore implements RoomStore {
  readonly rooms = new Map<string, Uint8Array[]>();
  readonly calls: Array<{ op: 'load' | 'append' | 'compact'; room: string }> = [];
  closed = false;
  /** Tests may delay loads to observe what happens meanwhile. */
  loadGate: ((room: string) => Promise<void>) | null = null;

  async load(room: string): Promise<Uint8Array | null> {
    this.calls.push({ op: 'load', room });
    if (this.loadGate) await this.loadGate(room);
    const updates = this.rooms.get(room);
    if (!updates || updates.length === 0) return null;
    return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
  }

  async append(room: string, update: Uint8Array): Promise<void> {
    this.calls.push({ op: 'append', room });
    const updates = this.rooms.get(room) ?? [];
    updates.push(update.slice());
    this.rooms.set(room, updates);
  }

  async compact(room: string, fullState: Uint8Array): Promise<void> {
    this.calls.push({ op: 'compact', room });
    this.rooms.set(room, [fullState.slice()]);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The stored state of a room as a fresh doc (for assertions). */
  docOf(room: string): Y.Doc {
    const doc = new Y.Doc();
    for (const update of this.rooms.get(room) ?? []) Y.applyUpdate(doc, update);
    return doc;
  }
}
