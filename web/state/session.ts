// One open workspace: the Y.Doc (the only source of truth), its IndexedDB store, the relay
// connection, presence, the undo manager and the reconciliation worker.
//
// Invariants:
// - Every edit made here goes through `edit()`, i.e. one transaction with origin LOCAL_ORIGIN, so
//   the undo manager (tracking only that origin) undoes this person's edits and nobody else's.
// - The worker sees exactly the main doc: it is opened with a full state, and every update after
//   that state is forwarded in order (comlink keeps message order).
// - The doc opens from IndexedDB with no network; the relay, when reachable, only adds to it.

import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import { createSignal, type Accessor } from 'solid-js';
import { startReckonWorker, type WorkerClient } from '../../worker/client';
import type { SheetName } from '../../engine/schema';
import { LOCAL_ORIGIN, SheetView, editableTypes, workbookReader } from '../doc-adapter';
import type { WorkbookReader } from '../../worker/doc/reader';
import { Results } from './results';
import { PageNames } from './names';
import { dbName, type WorkspaceEntry } from './workspaces';
import { me, type Identity } from './identity';
import { trackSyncStatus, type SyncStatus } from './sync-status';

export type { SyncStatus };

export interface Cursor {
  sheet: string;
  key: string;
  col: string;
}

export interface PeerState {
  clientId: number;
  user: Identity;
  cursor: Cursor | null;
}

/** Past this many stored updates, the IndexedDB log is merged into one state at once. */
const COMPACT_AT = 1000;

export class Session {
  readonly doc = new Y.Doc();
  readonly idb: IndexeddbPersistence;
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  readonly undo: Y.UndoManager;
  readonly results = new Results();
  readonly readOnly: boolean;
  readonly status: Accessor<SyncStatus>;
  readonly peers: Accessor<PeerState[]>;
  /** The doc has loaded from IndexedDB (and, for a first visit, from the relay). */
  readonly loaded: Accessor<boolean>;
  private worker: WorkerClient | null = null;
  readonly wb: WorkbookReader;
  /** Normalization of rows on screen by the document's rules (names.ts). */
  readonly names: PageNames;
  private views = new Map<SheetName, SheetView>();
  private setStatus: (s: SyncStatus) => void;
  private setLoaded: (v: boolean) => void;
  private compacting = false;
  private disposers: (() => void)[] = [];
  /** The relay token in use (absent: local only, until `attach`). */
  private token: string | undefined;
  private stopStatus: () => void = () => {};

  constructor(readonly entry: WorkspaceEntry, options: { relayUrl?: string } = {}) {
    this.readOnly = entry.role === 'view';
    this.token = entry.token;
    [this.status, this.setStatus] = createSignal<SyncStatus>(entry.token ? 'connecting' : 'local');
    [this.loaded, this.setLoaded] = createSignal(false);
    const [peers, setPeers] = createSignal<PeerState[]>([]);
    this.peers = peers;

    this.wb = workbookReader(this.doc);
    this.names = new PageNames(this.wb);
    this.idb = new IndexeddbPersistence(dbName(entry.id), this.doc);
    // The provider always exists: its BroadcastChannel keeps tabs of one browser in sync (doc and
    // presence) even offline or for a local-only workspace; only workspaces with a token connect
    // to the relay.
    const base = options.relayUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    this.provider = new WebsocketProvider(base, entry.id, this.doc, {
      connect: false,
      params: entry.token ? { token: entry.token } : {},
      maxBackoffTime: 2500,
    });
    this.awareness = this.provider.awareness;
    if (entry.token) this.provider.connect();
    else this.provider.connectBc();

    this.undo = new Y.UndoManager(editableTypes(this.doc), { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });

    // Presence.
    this.awareness.setLocalStateField('user', me());
    this.awareness.setLocalStateField('cursor', null);
    const readPeers = (): void => {
      const out: PeerState[] = [];
      this.awareness.getStates().forEach((st, clientId) => {
        if (clientId === this.doc.clientID || !st.user) return;
        out.push({ clientId, user: st.user as Identity, cursor: (st.cursor as Cursor | null) ?? null });
      });
      out.sort((a, b) => a.clientId - b.clientId);
      setPeers(out);
    };
    this.awareness.on('change', readPeers);
    this.disposers.push(() => this.awareness.off('change', readPeers));

    // Sync status: acknowledged by the relay, event-driven (see sync-status.ts for why).
    this.stopStatus = trackSyncStatus(this.provider, this.doc, !!entry.token, this.setStatus);
    this.disposers.push(() => this.stopStatus());
    const onUpdate = (): void => this.maybeCompact();
    this.doc.on('update', onUpdate);
    this.disposers.push(() => this.doc.off('update', onUpdate));
    // Reachability changes: a reconnect starts at once instead of waiting for the backoff.
    const online = (): void => {
      if (this.token && !this.provider.wsconnected) {
        this.provider.disconnect();
        this.provider.connect();
      }
    };
    window.addEventListener('online', online);
    this.disposers.push(() => window.removeEventListener('online', online));

    void this.start();
  }

  private async start(): Promise<void> {
    await this.idb.whenSynced;
    // A first visit has nothing stored: wait for the relay's copy (or go on after a while offline).
    if (this.isEmpty() && this.entry.token) {
      await new Promise<void>((resolve) => {
        if (this.provider.synced) return resolve();
        const done = (): void => {
          this.provider.off('sync', done);
          resolve();
        };
        this.provider.on('sync', done);
        setTimeout(done, 4000);
      });
    }
    this.setLoaded(true);
    await this.openWorker();
  }

  /**
   * A local-only workspace joins the relay under its own id with an edit token it claimed
   * (workspaces.ts `claimWorkspace`): the provider connects and the sync protocol uploads the
   * whole document (the relay's room is new and empty); the status follows as for any relay
   * workspace.
   */
  attach(token: string): void {
    if (this.token) return;
    this.token = token;
    this.provider.params = { token };
    this.stopStatus();
    this.stopStatus = trackSyncStatus(this.provider, this.doc, true, this.setStatus);
    this.provider.connect();
  }

  isEmpty(): boolean {
    return this.doc.store.clients.size === 0;
  }

  private async openWorker(): Promise<void> {
    // The client sends the doc's state once, then every update after it, merged per microtask.
    this.worker = startReckonWorker(this.doc, {
      today: new Date().toISOString().slice(0, 10),
      onPatch: (p) => this.results.apply(p),
    });
    const first = await this.worker.ready;
    this.results.apply(first);
    this.results.ready[1](true);
  }

  /**
   * y-indexeddb merges its update log only after a quiet second, so a long busy session grows it
   * without bound. Past COMPACT_AT records we merge it ourselves, in one readwrite transaction:
   * the doc's full state (a superset of every stored update: they were all applied to it) is
   * stored, then every record before it is deleted. Atomic, so a crash leaves either log.
   */
  private maybeCompact(): void {
    const p = this.idb as unknown as { _dbsize: number; db: IDBDatabase | null };
    if (this.compacting || p._dbsize < COMPACT_AT || !p.db) return;
    this.compacting = true;
    const tx = p.db.transaction('updates', 'readwrite');
    const store = tx.objectStore('updates');
    const put = store.add(Y.encodeStateAsUpdate(this.doc));
    put.onsuccess = () => store.delete(IDBKeyRange.upperBound(put.result, true));
    tx.oncomplete = () => {
      const count = p.db!.transaction('updates').objectStore('updates').count();
      count.onsuccess = () => {
        p._dbsize = count.result;
        this.compacting = false;
      };
    };
    tx.onerror = tx.onabort = () => { this.compacting = false; };
  }

  /** Number of stored update records in IndexedDB (for tests and the status bar tooltip). */
  storedUpdates(): number {
    return (this.idb as unknown as { _dbsize: number })._dbsize;
  }

  reader(sheet: SheetName): SheetView {
    let r = this.views.get(sheet);
    if (!r) this.views.set(sheet, (r = new SheetView(this.wb, sheet)));
    return r;
  }

  /** Runs a local edit: one undoable transaction. Refused (no-op) on a read-only workspace. */
  edit(fn: () => void): void {
    if (this.readOnly) return;
    this.doc.transact(fn, LOCAL_ORIGIN);
  }

  explain(key: string): Promise<import('../../engine/metrics/rule').Contribution[]> {
    return this.worker ? this.worker.explain(key) : Promise.resolve([]);
  }

  /** A large sheet sorted and filtered by the worker (worker/view.ts). */
  view(sheet: SheetName, request: import('../../worker/view').ViewRequest): Promise<import('../../worker/view').ViewAnswer | null> {
    return this.worker ? this.worker.view(sheet, request) : Promise.resolve(null);
  }

  /** What an import is checked against (io/batch.ts), read by the worker from the document. */
  importContext(ids: string[]): Promise<import('../../io/batch').Existing> {
    return this.worker ? this.worker.importContext(ids) : Promise.resolve({ rows: {}, ids: {} });
  }

  workerStats(): Promise<unknown> {
    return this.worker ? this.worker.stats() : Promise.resolve(null);
  }

  setCursor(c: Cursor | null): void {
    const old = this.awareness.getLocalState()?.cursor as Cursor | null | undefined;
    if (old?.sheet === c?.sheet && old?.key === c?.key && old?.col === c?.col) return;
    this.awareness.setLocalStateField('cursor', c);
  }

  setUser(u: Identity): void {
    this.awareness.setLocalStateField('user', u);
  }

  destroy(): void {
    this.disposers.forEach((f) => f());
    this.awareness.setLocalState(null);
    this.undo.destroy();
    this.provider.destroy();
    void this.idb.destroy();
    this.worker?.close();
    this.names.destroy();
    this.wb.destroy();
    this.doc.destroy();
  }
}
