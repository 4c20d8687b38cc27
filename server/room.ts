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
//   store accepted it (a store failure is logged and the update still goes
//   out; the room is then compacted at the next chance). So whatever a peer
//   has seen survives a crash of the relay.
// - One writer per room: appends and compactions run one at a time, in order.
// - Nothing stays pending in the room doc: updates that would leave structs or deletions pending
//   are refused before they are applied (dependencies.ts), and a room stored with pending parts
//   (by a relay before that check) has them dropped when it is loaded, then is compacted at once,
//   which repairs what is stored.
// - `heapEstimate` follows the heap the room's state is estimated to take (validate-update.ts's
//   estimate of its stored state, plus that of every update applied since); updates that would
//   take it past the room's budget are refused (protocol.ts).

import * as Y from 'yjs';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import type { Connection } from './connection';
import { CloseCode, type RelayContext } from './context';
import { describeError } from './log';
import { awarenessMessage, syncMessage, SyncType } from './messages';
import { estimateHeap } from './validate-update';

type RoomStatus = 'loading' | 'ready' | 'closing' | 'closed' | 'failed';

/** Deletions kept pending (encoded) past which they are dropped (see Room.apply). */
const MAX_PENDING_DELETE_BYTES = 16 * 1024;

/** Transaction origin of the stored state, applied before the update handler exists. */
const LOAD_ORIGIN = Symbol('load');

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
  private appendsSinceCompaction = 0;
  private needsCompaction = false;
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
    this.loaded = this.load(previousUnload);
  }

  private async load(previousUnload: Promise<void>): Promise<boolean> {
    try {
      await previousUnload;
      const state = await this.ctx.store.load(this.name);
      if (state !== null) {
        Y.applyUpdate(this.doc, state, LOAD_ORIGIN);
        this.heapEstimate = estimateHeap(state);
        if (this.dropPending('load')) this.needsCompaction = true;
      }
    } catch (error) {
      this.status = 'failed';
      this.ctx.metrics.inc('reckon_store_errors_total', 'Store operations that failed', { op: 'load' });
      this.ctx.log('error', 'room-load-failed', { room: this.name, error: describeError(error) });
      for (const connection of [...this.connections]) connection.close('room-failed', CloseCode.internalError);
      return false;
    }
    this.doc.on('update', this.onDocUpdate);
    this.status = 'ready';
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
    this.outbox.push({ update, origin });
    this.kick();
  };

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
      }
    }
    for (const id of change.removed) {
      for (const connection of this.connections) connection.awarenessClients.delete(id);
    }
    // Sent to everyone, the sender included: a peer alone in a room otherwise
    // receives nothing for 30 s and its provider reconnects.
    this.broadcast(awarenessMessage(this.awareness, changed));
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
    while (this.outbox.length > 0) {
      const batch = this.outbox.splice(0);
      const merged = batch.length === 1 ? (batch[0] as PendingUpdate).update : Y.mergeUpdates(batch.map((p) => p.update));
      try {
        await this.ctx.store.append(this.name, merged);
        this.appendsSinceCompaction++;
      } catch (error) {
        this.needsCompaction = true;
        this.ctx.metrics.inc('reckon_store_errors_total', 'Store operations that failed', { op: 'append' });
        this.ctx.log('error', 'append-failed', { room: this.name, error: describeError(error) });
      }
      for (const { update, origin } of batch) this.broadcast(syncMessage(SyncType.update, update), origin);
    }
    if (this.needsCompaction || this.appendsSinceCompaction >= this.ctx.config.compactEvery) await this.compact();
  }

  private async compact(): Promise<void> {
    try {
      const state = Y.encodeStateAsUpdate(this.doc);
      this.heapEstimate = estimateHeap(state);
      await this.ctx.store.compact(this.name, state);
      this.appendsSinceCompaction = 0;
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
      if (wasReady && (this.appendsSinceCompaction > 0 || this.needsCompaction)) await this.compact();
      this.doc.off('update', this.onDocUpdate);
      this.awareness.destroy();
      this.doc.destroy();
      this.status = 'closed';
    })();
    return this.closedPromise;
  }
}
