// One open workspace: the Y.Doc (the only source of truth), its IndexedDB store, the relay
// connection, presence, the undo manager and the reconciliation worker.
//
// Invariants:
// - Every edit made here goes through `edit()`, i.e. one transaction with origin LOCAL_ORIGIN, so
//   the undo manager (tracking only that origin) undoes this person's edits and nobody else's.
// - The worker sees exactly the main doc: it is opened with a full state, and every update after
//   that state is forwarded in order (comlink keeps message order).
// - The doc opens from IndexedDB with no network; the relay, when reachable, only adds to it.

import type { SavingsAction, SavingsEdit } from '../../engine/savings/types';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import { createSignal, type Accessor } from 'solid-js';
import { startReckonWorker, type WorkerClient } from '../../worker/client';
import type { SheetName } from '../../engine/schema';
import { IMPORT_ORIGIN, LOCAL_ORIGIN, SheetView, editableTypes, workbookReader, type SheetCells } from '../doc-adapter';
import type { WorkbookReader } from '../../worker/doc/reader';
import type { CellValue, Cells } from '../../worker/doc/model';
import { addRow, deleteRow, setCell, setSetting } from '../../worker/doc/edit';
import { settingsMap } from '../../worker/doc/layout';
import { exportWorkbook } from '../../worker/doc/export';
import { computeView, type ComputedValue, type ViewAnswer, type ViewRequest } from '../../worker/view';
import { SheetRows, type SheetRowsChange } from '../grid/sheet-rows';
import { applyImport, type ApplyOptions, type StagedSheet } from '../io/apply';
import { Results } from './results';
import { PageNames } from './names';
import { dbName, type WorkspaceEntry } from './workspaces';
import { me, type Identity } from './identity';
import { trackSyncStatus, type SyncStatus } from './sync-status';
import { uploadIfLarge, UploadFailed, type UploadProgress } from './upload';
import { noticeForClose, noticeForRefusal, type RelayNotice } from './relay-notice';

export type { SyncStatus, RelayNotice, UploadProgress };

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
  /** Resolves with the worker once its first results are in (a scenario of this workspace uses it). */
  readonly workerReady: Promise<WorkerClient>;
  private resolveWorker!: (w: WorkerClient) => void;
  readonly results = new Results();
  readonly readOnly: boolean;
  readonly status: Accessor<SyncStatus>;
  readonly peers: Accessor<PeerState[]>;
  /** The doc has loaded from IndexedDB (and, for a first visit, from the relay). */
  readonly loaded: Accessor<boolean>;
  /** Why the relay closed or refused this page's connection, in plain words (null: nothing to say). */
  readonly notice: Accessor<RelayNotice | null>;
  /** A large first sync going up in pieces (upload.ts), or null. */
  readonly upload: Accessor<UploadProgress | null>;
  private setNotice: (n: RelayNotice | null) => void;
  private setUpload: (p: UploadProgress | null) => void;
  private readonly httpBase: string;
  private connecting = false;
  protected destroyed = false;
  /** Connections that failed before opening, in a row (a refusal at the upgrade has no readable reason). */
  private failedOpens = 0;
  /** Resolves when `loaded` becomes true. */
  readonly whenLoaded: Promise<void>;
  private resolveLoaded!: () => void;
  protected worker: WorkerClient | null = null;
  readonly wb: WorkbookReader;
  /** Normalization of rows on screen by the document's rules (names.ts); a scenario's reads its layered rules. */
  names: PageNames;
  private views = new Map<SheetName, SheetCells>();
  private setStatus: (s: SyncStatus) => void;
  private setLoaded: (v: boolean) => void;
  private compacting = false;
  private disposers: (() => void)[] = [];
  /** The relay token in use (absent: local only, until `attach`). */
  private token: string | undefined;
  private stopStatus: () => void = () => {};

  constructor(readonly entry: WorkspaceEntry, options: { relayUrl?: string } = {}) {
    this.workerReady = new Promise((resolve) => { this.resolveWorker = resolve; });
    this.whenLoaded = new Promise((resolve) => { this.resolveLoaded = resolve; });
    this.readOnly = entry.role === 'view';
    this.token = entry.token;
    [this.status, this.setStatus] = createSignal<SyncStatus>(entry.token ? 'connecting' : 'local');
    [this.loaded, this.setLoaded] = createSignal(false);
    [this.notice, this.setNotice] = createSignal<RelayNotice | null>(null);
    [this.upload, this.setUpload] = createSignal<UploadProgress | null>(null);
    const [peers, setPeers] = createSignal<PeerState[]>([]);
    this.peers = peers;

    this.wb = workbookReader(this.doc);
    this.names = new PageNames(this.wb, [this.doc]);
    this.idb = new IndexeddbPersistence(dbName(entry.id), this.doc);
    // The provider always exists: its BroadcastChannel keeps tabs of one browser in sync (doc and
    // presence) even offline or for a local-only workspace; only workspaces with a token connect
    // to the relay.
    const base = options.relayUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    this.httpBase = base.replace(/^ws/, 'http');
    this.provider = new WebsocketProvider(base, entry.id, this.doc, {
      connect: false,
      params: entry.token ? { token: entry.token } : {},
      maxBackoffTime: 2500,
    });
    this.awareness = this.provider.awareness;
    this.provider.connectBc();
    if (entry.token) void this.connectRelay();
    this.watchCloses();

    this.undo = new Y.UndoManager(this.undoScope(), { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });

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

  /** The shared types undo covers (called from the constructor: it may use `doc` only). */
  protected undoScope(): Y.AbstractType<unknown>[] {
    return editableTypes(this.doc);
  }

  /** What must be there before the workspace shows (a scenario: its baseline too). */
  protected async beforeLoaded(): Promise<void> {}

  /** The document as stored on this device (a scenario forked here a moment ago has nothing stored yet). */
  protected async whenStored(): Promise<void> {
    await this.idb.whenSynced;
  }

  private async start(): Promise<void> {
    await this.whenStored();
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
    await this.beforeLoaded();
    this.setLoaded(true);
    this.resolveLoaded();
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
    void this.connectRelay();
  }

  /**
   * Connects the provider to the relay, first uploading in pieces what the relay lacks when that is
   * too large for one message (a workspace made or filled offline: upload.ts). A relay that cannot
   * be reached is left to the provider, which retries; one that refuses says why (notice).
   */
  private async connectRelay(): Promise<void> {
    if (!this.token || this.connecting || this.destroyed) return;
    this.connecting = true;
    try {
      await this.idb.whenSynced;
      if (!this.isEmpty()) {
        await uploadIfLarge({ baseUrl: this.httpBase, token: this.token, doc: this.doc, onProgress: (p) => this.setUpload(p) });
      }
    } catch (err) {
      if (err instanceof UploadFailed) {
        const notice = noticeForRefusal(err.reason);
        if (notice) this.setNotice(notice);
        if (notice?.permanent) return;
      }
    } finally {
      this.setUpload(null);
      this.connecting = false;
    }
    if (!this.destroyed) this.provider.connect();
  }

  /**
   * The relay's closes, in words: the reason it gave; a message too big (a large change made
   * offline) sends what is missing in pieces, then reconnects; a connection refused before it
   * opened, twice in a row, asks /api/whoami why.
   */
  private watchCloses(): void {
    const onStatus = ({ status }: { status: string }): void => {
      if (status !== 'connected') return;
      this.failedOpens = 0;
      if (!this.notice()?.permanent) this.setNotice(null);
    };
    const onClose = (event: CloseEvent | null): void => {
      if (!event || !this.token) return;
      if (event.code === 1009) {
        this.provider.disconnect();
        void this.connectRelay();
        return;
      }
      const notice = noticeForClose(event.code, event.reason);
      if (notice) this.setNotice(notice);
      if (event.code === 1006 && ++this.failedOpens === 2) void this.askWhy();
    };
    this.provider.on('status', onStatus);
    this.provider.on('connection-close', onClose);
    this.disposers.push(() => {
      this.provider.off('status', onStatus);
      this.provider.off('connection-close', onClose);
    });
  }

  private async askWhy(): Promise<void> {
    try {
      const r = await fetch(`${this.httpBase}/api/whoami`, { headers: { authorization: `Bearer ${this.token}` } });
      if (r.ok) return;
      const notice = noticeForRefusal(((await r.json()) as { error?: string }).error ?? '');
      if (!notice) return;
      this.setNotice(notice);
      if (notice.permanent) this.provider.disconnect();
    } catch {
      // offline: the status says so
    }
  }

  isEmpty(): boolean {
    return this.doc.store.clients.size === 0;
  }

  protected async openWorker(): Promise<void> {
    // The client sends the doc's state once, then every update after it, merged per microtask.
    const worker = (this.worker = startReckonWorker(this.doc, {
      today: new Date().toISOString().slice(0, 10),
      onPatch: (p) => this.results.apply(p),
    }));
    const first = await worker.ready;
    this.results.apply(first);
    this.results.ready[1](true);
    this.resolveWorker(worker);
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

  /** One sheet's cells as the grid reads them (live, cell by cell). */
  reader(sheet: SheetName): SheetCells {
    let r = this.views.get(sheet);
    if (!r) this.views.set(sheet, (r = this.sheetView(sheet)));
    return r;
  }

  protected sheetView(sheet: SheetName): SheetCells {
    return new SheetView(this.wb, sheet);
  }

  /** A sheet's row keys kept from document events (the grid pages through them). */
  sheetRows(sheet: SheetName, onChange: (c: SheetRowsChange) => void): { keys: string[]; destroy(): void } {
    return new SheetRows(this.reader(sheet) as SheetView, onChange);
  }

  /** Runs a local edit: one undoable transaction. Refused (no-op) on a read-only workspace. */
  edit(fn: () => void): void {
    if (this.readOnly) return;
    this.doc.transact(fn, LOCAL_ORIGIN);
  }

  // The workbook operations of the UI: one cell, one row, one setting, an import, an export. Each
  // edit joins the transaction it is called in (`edit()`), so undo takes it back with the rest.

  setCell(sheet: SheetName, key: string, column: string, value: CellValue): void {
    setCell(this.doc, sheet, key, column, value);
  }

  addRow(sheet: SheetName, cells: Cells): string {
    return addRow(this.doc, sheet, cells);
  }

  deleteRow(sheet: SheetName, key: string): void {
    deleteRow(this.doc, sheet, key);
  }

  /** A setting's value now (undefined: not set). */
  setting(key: string): unknown {
    return settingsMap(this.doc).get(key);
  }

  /** Sets a setting (undefined: back to its default), in one undoable edit. */
  setSetting(key: string, value: unknown): void {
    this.edit(() => setSetting(this.doc, key, value));
  }

  /** Calls `fn` whenever settings change; returns a function that stops. */
  observeSettings(fn: () => void): () => void {
    const map = settingsMap(this.doc);
    map.observe(fn);
    return () => map.unobserve(fn);
  }

  /** A small sheet sorted and filtered on the page (worker/view.ts). */
  pageView(sheet: SheetName, request: ViewRequest, computed?: ComputedValue): ViewAnswer {
    return computeView(this.wb, sheet, request, computed);
  }

  /** Writes a staged import (web/io/apply.ts); imports are not undone (their own origin). */
  applyImport(sheets: readonly StagedSheet[], settings: Record<string, unknown> | null, onProgress?: ApplyOptions['onProgress']): Promise<void> {
    return applyImport(this.doc, sheets, settings, { transact: (fn) => this.doc.transact(fn, IMPORT_ORIGIN), onProgress });
  }

  /** The workbook as one document state (what the export writes). */
  exportState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /** The workbook as a file (JSON form), for tests and a scenario's export. */
  exportWorkbook(): ReturnType<typeof exportWorkbook> {
    return exportWorkbook(this.doc, this.wb);
  }

  explain(key: string): Promise<import('../../engine/metrics/rule').Contribution[]> {
    return this.worker ? this.worker.explain(key) : Promise.resolve([]);
  }

  /** A large sheet sorted and filtered by the worker (worker/view.ts). */
  view(sheet: SheetName, request: ViewRequest): Promise<ViewAnswer | null> {
    return this.worker ? this.worker.view(sheet, request) : Promise.resolve(null);
  }

  /** What an import is checked against (io/batch.ts), read by the worker from the document. */
  importContext(ids: string[]): Promise<import('../../io/batch').Existing> {
    return this.worker ? this.worker.importContext(ids) : Promise.resolve({ rows: {}, ids: {} });
  }

  /** Savings kept in results.savings from now on: whole now, then as patches change them. */
  async watchSavings(): Promise<void> {
    const w = await this.workerReady;
    if (!this.destroyed) this.results.savings.apply(await w.watchSavings());
  }

  /** The row changes acting on candidates or a plan makes (engine/savings/edits.ts). */
  async savingsEdits(action: SavingsAction): Promise<SavingsEdit[]> {
    return (await this.workerReady).savingsEdits(action);
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
    this.destroyed = true;
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
