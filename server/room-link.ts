// What a loaded room needs from where rooms live: its stored state, a durable append, compaction,
// and (when several relay processes share the rooms) what the other processes do to it.
//
// Two implementations:
// - LocalRoomLinks (here): one process, a RoomStore (LevelDB by default). Nothing is shared.
// - RedisRoomLinks (redis/rooms.ts): every process holding a room appends to one log in Redis and
//   receives the others' updates and presence through it.
//
// Invariants every link keeps:
// - `append` resolves once the update is durable (and, when shared, visible to every process).
// - `compact(state)` replaces only history that `state` contains: the caller encodes `state` from
//   the room doc in the same tick as the call (a shared link reads its cursor synchronously then).
// - `load` rejects on a read error: a failed read is never an empty room.

import type { RoomStore } from './store';

/** What another relay process did to a room this process holds (shared links only). */
export interface RoomLinkHandlers {
  /** An update another process stored, in log order; to be applied and sent to this process's peers. */
  remoteUpdate(update: Uint8Array): void;
  /** Presence set on another process; `ownerTokenId`: the token of the connection that controls those client ids. */
  remoteAwareness(update: Uint8Array, ownerTokenId: string): void;
  /** Another process (which just loaded the room) asks for the presence this process's peers control. */
  awarenessQuery(): void;
  /** The room is full and an editor arrived elsewhere: close this process's newest viewer of the room. */
  shedViewer(): void;
}

export interface RoomLink {
  /** The merged stored state, or null if the room was never written. Called once, first. */
  load(): Promise<Uint8Array | null>;
  /** The loaded state is applied: from now on (until close) other processes' updates are delivered. */
  start(): void;
  /** Stores an update; resolves once durable. Returns how many updates the room's log holds since its last compaction. */
  append(update: Uint8Array): Promise<number>;
  /** Replaces the history `state` covers with `state` (encoded in the same tick as this call). */
  compact(state: Uint8Array): Promise<void>;
  /** Updates in the log since the last compaction this process knows of (an unloading room compacts them). */
  pendingEntries(): number;
  /** True when a failed append must be retried before anything after it is sent or acknowledged. */
  readonly shared: boolean;
  /** Fetches what other processes stored and this one has not applied yet; true if anything was applied. */
  catchUp(): Promise<boolean>;
  /** Presence changed by this process's peers, for the other processes. */
  publishAwareness(update: Uint8Array, ownerTokenId: string): void;
  /** Asks the process holding `viewers` of the room to shed one (see RoomLinkHandlers.shedViewer). */
  requestShed(processId: string): void;
  /** Stops receiving (the room is unloaded). */
  close(): Promise<void>;
}

export interface RoomLinks {
  /** True when other processes share the rooms (Redis). */
  readonly shared: boolean;
  open(room: string, handlers: RoomLinkHandlers): RoomLink;
  /** A room's stored state without loading it (API, `readWorkspace`), or null. */
  load(room: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

/** One process over a RoomStore: the embedded default. */
export class LocalRoomLinks implements RoomLinks {
  readonly shared = false;

  constructor(private readonly store: RoomStore) {}

  open(room: string): RoomLink {
    const { store } = this;
    let appends = 0;
    return {
      shared: false,
      load: () => store.load(room),
      start: () => {},
      append: async (update) => {
        await store.append(room, update);
        return ++appends;
      },
      compact: async (state) => {
        await store.compact(room, state);
        appends = 0;
      },
      pendingEntries: () => appends,
      catchUp: async () => false,
      publishAwareness: () => {},
      requestShed: () => {},
      close: async () => {},
    };
  }

  load(room: string): Promise<Uint8Array | null> {
    return this.store.load(room);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
