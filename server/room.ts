// One room = one workspace: its Y.Doc, its awareness, its connections, and
// the pipeline that persists and fans out what changes in the doc.
//
// Invariants:
// - The stored state is applied before any connection is started, so the
//   first sync answer a peer gets already contains everything stored.
// - Only updates Yjs encoded from the room doc (its 'update' event) are
//   stored or sent; a client's bytes are applied to the doc first and are
//   never forwarded as they came.
// - Persist, then broadcast: an update reaches other peers only after the
//   store accepted it, so whatever a peer has seen survives a crash of the
//   relay. With the embedded store a failed append is logged and the update
//   still goes out (the room is compacted at the next chance); with a shared
//   store (Redis) it is retried, and nothing after it is sent until it is in.
// - Acknowledged means stored: a peer's sync step 1 is answered only once
//   every update applied before it is stored (`durable`), and that answer is
//   what tells a page "saved" (web/state/sync-status.ts).
// - One writer per room and process: appends and compactions run one at a
//   time, in order. Updates other processes stored (shared links) are
//   applied in their log order and only sent on, never stored again.
// - Nothing stays pending in the room doc: updates that would leave structs or deletions pending
//   are refused before they are applied (dependencies.ts), and a room stored with pending parts
//   (by a relay before that check) has them dropped when it is loaded, then is compacted at once,
//   which repairs what is stored.
// - `heapEstimate` follows the heap the room's state is estimated to take (validate-update.ts's
//   estimate of its stored state, plus that of every update applied since); updates that would
//   take it past the room's budget are refused (protocol.ts).

import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { newestViewer, type Connection } from './connection';
import { CloseCode, type RelayContext } from './context';
import { describeError } from './log';
import { awarenessMessage, syncMessage, SyncType } from './messages';
import type { RoomLink, RoomLinkHandlers } from './room-link';
import { estimateHeap } from './validate-update';

type RoomStatus = 'loading' | 'ready' | 'closing' | 'closed' | 'failed';

/** Deletions kept pending (encoded) past which they are dropped (see Room.apply). */
const MAX_PENDING_DELETE_BYTES = 16 * 1024;

/** Transaction origin of the stored state, applied before the update handler exists. */
const LOAD_ORIGIN = Symbol('load');
/** Origin of updates and presence another relay process stored or sent (shared links). */
const REMOTE_ORIGIN = Symbol('remote');

/** Retrying a failed append to a shared store: first wait, longest wait. */
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 2_000;

interface PendingUpdate {
  update: Uint8Array;
  origin: unknown;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly connections = new Set<Connection>();
  status: RoomStatus = 'loading';
  /** Resolves when the room is ready (true) or failed to load (false). */
  readonly loaded: Promise<boolean>;
  private outbox: PendingUpdate[] = [];
  private draining: Promise<void> | null = null;
  private needsCompaction = false;
  /** Updates this process applied (not remote ones), and how many of them are stored. */
  private applied = 0;
  private stored = 0;
  private durableWaiters: Array<{ upTo: number; resolve: () => void }> = [];
  private readonly link: RoomLink;
  /** Presence client ids set on other processes, and the token controlling each (protocol.ts). */
  readonly remoteOwners = new Map<number, string>();
  private remoteOwner: string | null = null;
  private closedPromise: Promise<void> | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  /** Estimated heap of the room's state (see the file comment). */
  heapEstimate = 0;
  /** JSON bytes of each client's presence, and their sum. */
  private readonly awarenessSizes = new Map<number, number>();
  awarenessBytes = 0;

  constructor(
    readonly name: string,
    private readonly ctx: RelayContext,
    /** The previous instance of this room, still unloading: wait for it. */
    previousUnload: Promise<void> = Promise.resolve(),
  ) {
    // The relay is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.link = ctx.links.open(name, this.linkHandlers);
    this.loaded = this.load(previousUnload);
  }

  private async load(previousUnload: Promise<void>): Promise<boolean> {
    try {
      await previousUnload;
      const state = await this.link.load();
      if (state !== null) {
        Y.applyUpdate(this.doc, state, LOAD_ORIGIN);
        this.heapEstimate = estimateHeap(state);
        if (this.dropPending('load')) this.needsCompaction = true;
      }
    } catch (error) {
      this.status = 'failed';
      void this.link.close();
      this.ctx.metrics.inc('reckon_store_errors_total', 'Store operations that failed', { op: 'load' });
      this.ctx.log('error', 'room-load-failed', { room: this.name, error: describeError(error) });
      for (const connection of [...this.connections]) connection.close('room-failed', CloseCode.internalError);
      return false;
    }
    this.doc.on('update', this.onDocUpdate);
    this.status = 'ready';
    this.link.start();
    if (this.needsCompaction) this.kick();
    for (const connection of this.connections) this.startConnection(connection);
    return true;
  }

  /** Applies a checked update (protocol.ts) or a server-side one, and keeps the heap estimate. */
  apply(update: Uint8Array, origin: unknown, estimatedHeapBytes: number): void {
    Y.applyUpdate(this.doc, update, origin);
    this.heapEstimate += estimatedHeapBytes;
    // Refused updates cannot leave anything pending; a few deletions of ranges the relay does not
    // have yet may (dependencies.ts allows a bounded number per update): they must not pile up.
    const pendingDs = this.doc.store.pendingDs;
    if (this.doc.store.pendingStructs || (pendingDs && pendingDs.byteLength > MAX_PENDING_DELETE_BYTES)) this.dropPending('apply');
  }

  /**
   * Drops what Yjs keeps pending (structs whose dependencies never came, deletions of unknown
   * ranges): retried on every update and stored with the room, they made every later edit slow.
   * Whoever wrote them still has them and sends them again when it syncs. Returns whether any was.
   */
  private dropPending(when: 'load' | 'apply'): boolean {
    const { store } = this.doc;
    if (!store.pendingStructs && !store.pendingDs) return false;
    store.pendingStructs = null;
    store.pendingDs = null;
    this.ctx.metrics.inc('reckon_pending_dropped_total', 'Pending structs and deletions dropped from rooms', { when });
    this.ctx.log('warn', 'pending-dropped', { room: this.name, when });
    return true;
  }

  /** Adds a peer; it is started (sent our sync step 1) once the room is ready. */
  join(connection: Connection): void {
    this.connections.add(connection);
    if (this.status === 'ready') this.startConnection(connection);
  }

  private startConnection(connection: Connection): void {
    const initial = [syncMessage(SyncType.step1, Y.encodeStateVector(this.doc))];
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) initial.push(awarenessMessage(this.awareness, present));
    connection.start(initial);
  }

  /** Removes a peer and the presence it controlled (broadcast to the others). */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    const controlled = [...connection.awarenessClients].filter((id) => this.awareness.getStates().has(id));
    if (controlled.length > 0) removeAwarenessStates(this.awareness, controlled, null);
  }

  broadcast(message: Uint8Array, except: unknown = null): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(message);
    }
  }

  /** Attached once loaded, so the stored state itself is never written back. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) {
      // Stored by the process that accepted it: only sent on to this process's peers.
      this.broadcast(syncMessage(SyncType.update, update));
      return;
    }
    this.applied++;
    this.outbox.push({ update, origin });
    this.kick();
  };

  /** Whether every update applied so far is stored. */
  isDurable(): boolean {
    return this.stored >= this.applied;
  }

  /** True when other relay processes share this room (its updates and presence go through the link). */
  get shared(): boolean {
    return this.link.shared;
  }

  /** Resolves once every update applied so far is stored (answers that say "saved" wait for it). */
  durable(): Promise<void> {
    if (this.stored >= this.applied) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push({ upTo: this.applied, resolve }));
  }

  private markStored(count: number): void {
    this.stored += count;
    const ready = this.durableWaiters.filter((w) => w.upTo <= this.stored);
    if (ready.length === 0) return;
    this.durableWaiters = this.durableWaiters.filter((w) => w.upTo > this.stored);
    for (const w of ready) w.resolve();
  }

  /** What other relay processes do to this room (shared links; see room-link.ts). */
  private readonly linkHandlers: RoomLinkHandlers = {
    // Delivered only between link.start() and link.close(), while the doc is alive: the link counts
    // an update delivered as applied (its cursor), so none may be skipped here.
    remoteUpdate: (update) => {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
      // The room's memory budget counts what every process adds (protocol.ts refuses past it).
      this.heapEstimate += estimateHeap(update);
      this.ctx.metrics.inc('reckon_remote_updates_total', 'Updates stored by another relay process, applied here');
    },
    remoteAwareness: (update, ownerTokenId) => {
      if (this.status !== 'ready') return;
      this.remoteOwner = ownerTokenId;
      try {
        applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
      } finally {
        this.remoteOwner = null;
      }
    },
    awarenessQuery: () => {
      if (this.status !== 'ready') return;
      const byToken = new Map<string, number[]>();
      for (const connection of this.connections) {
        const ids = [...connection.awarenessClients].filter((id) => this.awareness.getStates().has(id));
        if (ids.length > 0) byToken.set(connection.claims.id, [...(byToken.get(connection.claims.id) ?? []), ...ids]);
      }
      for (const [token, ids] of byToken) this.link.publishAwareness(encodeAwarenessUpdate(this.awareness, ids), token);
    },
    shedViewer: () => {
      const viewer = this.newestViewer();
      if (viewer) viewer.close('room-full', CloseCode.roomFull);
    },
  };

  /** This process's newest view connection in the room (shed for an editor in a full room). */
  newestViewer(): Connection | null {
    return newestViewer(this.connections);
  }

  /** Asks another process holding a viewer of this room to shed it. */
  requestShed(processId: string): void {
    this.link.requestShed(processId);
  }

  /**
   * Applies what other processes stored and this one lacks (an update from a peer may depend on
   * it when the peer saw it first through another process); true if anything was applied.
   */
  catchUp(): Promise<boolean> {
    return this.link.catchUp();
  }

  /** The JSON bytes of a client's presence in the room (0 when it has none). */
  awarenessSize(clientID: number): number {
    return this.awarenessSizes.get(clientID) ?? 0;
  }

  /** Records the sizes of presence entries about to be applied (protocol.ts). */
  noteAwarenessSizes(sizes: ReadonlyMap<number, number>): void {
    for (const [id, size] of sizes) {
      this.awarenessBytes += size - this.awarenessSize(id);
      if (size === 0) this.awarenessSizes.delete(id);
      else this.awarenessSizes.set(id, size);
    }
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    for (const id of change.removed) this.noteAwarenessSizes(new Map([[id, 0]]));
    const owner = this.connections.has(origin as Connection) ? (origin as Connection) : null;
    if (owner) {
      for (const id of [...change.added, ...change.updated]) {
        for (const other of this.connections) other.awarenessClients.delete(id);
        owner.awarenessClients.add(id);
        this.remoteOwners.delete(id);
      }
    } else if (origin === REMOTE_ORIGIN && this.remoteOwner !== null) {
      for (const id of [...change.added, ...change.updated]) {
        for (const other of this.connections) other.awarenessClients.delete(id);
        this.remoteOwners.set(id, this.remoteOwner);
        const state = this.awareness.getStates().get(id);
        this.noteAwarenessSizes(new Map([[id, state === undefined ? 0 : Buffer.byteLength(JSON.stringify(state))]]));
      }
    }
    for (const id of change.removed) {
      for (const connection of this.connections) connection.awarenessClients.delete(id);
      this.remoteOwners.delete(id);
    }
    // Sent to everyone, the sender included: a peer alone in a room otherwise
    // receives nothing for 30 s and its provider reconnects.
    this.broadcast(awarenessMessage(this.awareness, changed));
    // Presence set or left here goes to the other processes too (each times out stale entries itself).
    if (this.link.shared && (owner !== null || origin === null)) {
      this.link.publishAwareness(encodeAwarenessUpdate(this.awareness, changed), owner?.claims.id ?? '');
    }
  };

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.outbox.length > 0) this.kick();
    });
  }

  /** Appends what the doc emitted (merged per batch), then sends it out. */
  private async drain(): Promise<void> {
    let logLength = 0;
    while (this.outbox.length > 0) {
      const batch = this.outbox.splice(0);
      const merged = batch.length === 1 ? (batch[0] as PendingUpdate).update : Y.mergeUpdates(batch.map((p) => p.update));
      logLength = await this.append(merged);
      this.markStored(batch.length);
      for (const { update, origin } of batch) this.broadcast(syncMessage(SyncType.update, update), origin);
    }
    if (this.needsCompaction || logLength >= this.ctx.config.compactEvery) await this.compact();
  }

  /**
   * One append. A failure is logged; the embedded store goes on (the room is compacted at the next
   * chance), a shared store is retried until it takes the update: other processes and acknowledged
   * peers must never depend on an update that is not stored.
   */
  private async append(update: Uint8Array): Promise<number> {
    for (let wait = RETRY_FIRST_MS; ; wait = Math.min(RETRY_MAX_MS, wait * 2)) {
      try {
        return await this.link.append(update);
      } catch (error) {
        this.ctx.metrics.inc('reckon_store_errors_total', 'Store operations that failed', { op: 'append' });
        this.ctx.log('error', 'append-failed', { room: this.name, error: describeError(error) });
        if (!this.link.shared) {
          this.needsCompaction = true;
          return 0;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async compact(): Promise<void> {
    try {
      const state = Y.encodeStateAsUpdate(this.doc);
      const compacted = this.link.compact(state);
      this.heapEstimate = estimateHeap(state);
      await compacted;
      this.needsCompaction = false;
      this.ctx.metrics.inc('reckon_compactions_total', 'Room compactions');
    } catch (error) {
      this.needsCompaction = true;
      this.ctx.metrics.inc('reckon_store_errors_total', 'Store operations that failed', { op: 'compact' });
      this.ctx.log('error', 'compact-failed', { room: this.name, error: describeError(error) });
    }
  }

  /** Waits until everything the doc emitted so far is stored. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Unloads the room: waits for pending writes, compacts if anything was
   * written since the last compaction, and frees the doc. Peers must have
   * been closed or moved away by the caller. Idempotent.
   */
  close(): Promise<void> {
    this.closedPromise ??= (async () => {
      const wasReady = this.status === 'ready';
      this.status = 'closing';
      if (this.idleTimer) clearTimeout(this.idleTimer);
      await this.loaded;
      await this.flush();
      if (wasReady && (this.link.pendingEntries() > 0 || this.needsCompaction)) await this.compact();
      await this.link.close();
      this.doc.off('update', this.onDocUpdate);
      this.awareness.destroy();
      this.doc.destroy();
      this.status = 'closed';
    })();
    return this.closedPromise;
  }
}
