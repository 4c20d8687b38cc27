// One open workspace: the Y.Doc (the only source of truth), its IndexedDB store, the relay
// connection, presence, the undo manager and the reconciliation worker.
//
// Invariants:
// - Every edit made here goes through `edit()`, i.e. one transaction with origin LOCAL_ORIGIN, so
//   the undo manager (tracking only that origin) undoes this person's edits and nobody else's.
// - The worker sees exactly the main doc: it reads the workspace's IndexedDB records itself
//   (worker/store/), then gets what the page holds beyond them and every later update, in order
//   (client.ts `follow`; comlink keeps message order).
// - The doc opens from IndexedDB with no network, a few records per task (doc-store.ts); the relay,
//   when reachable, only adds to it.
// - Nothing is shown that is not a workbook: a first visit (nothing stored here) waits for the
//   relay's copy, and a link that fails says why (a whole page: web/ui/LinkProblem.tsx), never an
//   empty workspace that looks offline.
// - When the relay ends this link's access (revoked, expired), the page stops showing the workspace
//   and this device's copy is deleted, unless it holds changes the relay never received: those are
//   kept, hidden, for the person to send with a new link, download or discard (`endAccess`).
// - Results stored beside the document by an earlier session are shown at once, marked as being
//   brought up to date (`results.cachedAt`), until the worker's first results replace them: it
//   answers with what differs from them, so every figure is then that of the document as opened.

import type { SavingsAction, SavingsEdit } from '../../engine/savings/types';
import * as Y from 'yjs';
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
import { computeView, readColumn, type ComputedValue, type ViewAnswer, type ViewRequest } from '../../worker/view';
import { SheetRows, type SheetRowsChange } from '../grid/sheet-rows';
import { applyImport, type ApplyOptions, type StagedSheet } from '../io/apply';
import { Results } from './results';
import { DocStore, STORE_ORIGIN, clearStored } from './doc-store';
import { KeptValues } from './kept';
import type { CachedResults } from '../../worker/store/results-cache';
import { PageNames } from './names';
import { isCellConflict, sameCell, stillOpen, watchConflicts, type CellConflict } from './conflicts';
import { dbName, upsertWorkspace, type WorkspaceEntry } from './workspaces';
import { schemaOf } from '../../worker/doc/migrate';
import { me, type Identity } from './identity';
import { trackSyncStatus, type SyncStatus } from './sync-status';
import { uploadIfLarge, UploadFailed, type UploadProgress } from './upload';
import { emptyOnRelay, noticeForClose, noticeForRefusal, notWorkbook, unreachable, type RelayNotice } from './relay-notice';

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

/**
 * Past this many stored records, the IndexedDB log is compacted (by the worker, or here for a
 * scenario). Below y-indexeddb's own trim (500 records), which would store one record of the whole
 * state: the workspace list still opens documents with y-indexeddb to rename and copy them.
 */
const COMPACT_AT = 200;

/** The Yjs client ids this device wrote the document with, beside it in its database (conflicts.ts). */
const CLIENTS_KEY = 'reckon.clients';
/** The conflicts not yet dismissed, beside the document (putConflicts). */
const CONFLICTS_KEY = 'reckon.conflicts';
/** 1 while this device has changes the relay has not acknowledged (takeStatus clears it). */
const UNSENT_KEY = 'unsent';

export class Session {
  readonly doc = new Y.Doc();
  /** The workspace's IndexedDB database (doc-store.ts). */
  readonly store: DocStore;
  /** The results stored beside the document, read at once (null: none). */
  private readonly cached: Promise<CachedResults | null>;
  /** What the page keeps beside the document (client ids, conflicts, the unsent flag), written synchronously (kept.ts). */
  private readonly keptValues: KeptValues;
  /**
   * Those values as the session starts (from IndexedDB for a workspace an earlier build kept
   * them in, read at once: later, its transactions would queue behind the worker's long ones).
   */
  private readonly kept: Promise<{ clients: unknown; conflicts: unknown; unsent: unknown }>;
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
  /** A failure that leaves nothing to show: the page says it instead of showing the workspace. */
  readonly blocking: Accessor<boolean>;
  /** Cells this page wrote that a concurrent edit replaced (conflicts.ts), oldest first, one per cell. */
  readonly conflicts: Accessor<CellConflict[]>;
  private setConflicts: (c: CellConflict[]) => void;
  private setNoticeSignal: (n: RelayNotice | null) => void;
  private setUpload: (p: UploadProgress | null) => void;
  private readonly httpBase: string;
  private connecting = false;
  protected destroyed = false;
  /** Connections that failed before opening, in a row (a refusal at the upgrade has no readable reason). */
  private failedOpens = 0;
  /** When /api/whoami was last asked why a connection failed, and whether it is being asked now. */
  private askedAt = 0;
  private asking = false;
  /** This device holds changes the relay has not acknowledged (kept in IndexedDB across reloads). */
  private unsent = false;
  private ending = false;
  private disposed = false;
  /** Resolves once the document has loaded from IndexedDB (before the relay's copy, for a first visit). */
  private readonly stored: Promise<void>;
  private resolveStored!: () => void;
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
  /** This device's earlier Yjs client ids for the document (rememberClient). */
  private readonly earlierClients = new Set<number>();
  /** The relay token in use (absent: local only, until `attach`). */
  private token: string | undefined;
  private stopStatus: () => void = () => {};

  constructor(readonly entry: WorkspaceEntry, options: { relayUrl?: string } = {}) {
    this.workerReady = new Promise((resolve) => { this.resolveWorker = resolve; });
    this.whenLoaded = new Promise((resolve) => { this.resolveLoaded = resolve; });
    this.stored = new Promise((resolve) => { this.resolveStored = resolve; });
    this.readOnly = entry.role === 'view';
    this.token = entry.token;
    [this.status, this.setStatus] = createSignal<SyncStatus>(entry.token ? 'connecting' : 'local');
    [this.loaded, this.setLoaded] = createSignal(false);
    [this.notice, this.setNoticeSignal] = createSignal<RelayNotice | null>(null);
    this.blocking = () => {
      const n = this.notice();
      return n !== null && (!this.loaded() || n.kind === 'not-workbook');
    };
    [this.upload, this.setUpload] = createSignal<UploadProgress | null>(null);
    const [peers, setPeers] = createSignal<PeerState[]>([]);
    this.peers = peers;

    this.wb = workbookReader(this.doc);
    this.names = new PageNames(this.wb, [this.doc]);
    [this.conflicts, this.setConflicts] = createSignal<CellConflict[]>([]);
    this.disposers.push(watchConflicts(this.doc, (c) => this.putConflicts([...this.conflicts().filter((x) => !sameCell(x, c)), c]),
      (client) => client === this.doc.clientID || this.earlierClients.has(client)));
    // A conflict whose cell shows this device's value again is settled, whenever that happens:
    // "Keep mine" on a page closed before its records and its dismissal were stored comes back
    // from the relay after the reload, while the kept notice was already shown again.
    const settle = (): void => {
      const open = this.conflicts();
      if (open.length === 0) return;
      const left = stillOpen(open, (c) => this.reader(c.sheet).get(c.rowKey, c.column));
      if (left.length !== open.length) this.putConflicts(left);
    };
    this.doc.on('afterTransaction', settle);
    this.disposers.push(() => this.doc.off('afterTransaction', settle));
    this.store = new DocStore(dbName(entry.id), this.doc);
    this.cached = this.store.readResults();
    this.keptValues = new KeptValues(dbName(entry.id));
    const keptValue = async (key: string): Promise<unknown> => this.keptValues.get(key) ?? this.store.getCustom(key);
    this.kept = Promise.all([keptValue(CLIENTS_KEY), keptValue(CONFLICTS_KEY), keptValue(UNSENT_KEY)])
      .then(([clients, conflicts, unsent]) => ({ clients, conflicts, unsent }), () => ({ clients: [], conflicts: [], unsent: 0 }));
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
    this.skipStoredUpdates();
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
    this.stopStatus = trackSyncStatus(this.provider, this.doc, !!entry.token, this.takeStatus);
    this.disposers.push(() => this.stopStatus());
    const onUpdate = (_u: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
      this.maybeCompact();
      // An edit made here (not one that came from IndexedDB, the relay or another tab) is unsent
      // until the relay acknowledges it; the flag is stored so that a reload still knows.
      if (tr.local && this.token && !this.unsent) {
        this.unsent = true;
        this.keptValues.set(UNSENT_KEY, 1);
      }
    };
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

  /**
   * The provider passes on every update of the document to other tabs and the relay, but the
   * records read from IndexedDB are theirs already: other tabs read the same store, and the relay
   * gets what it lacks by the sync protocol when it connects. Posting a 73 MB workspace to a
   * BroadcastChannel as it loaded took the page's main thread over a second.
   */
  private skipStoredUpdates(): void {
    const p = this.provider as unknown as { _updateHandler: (update: Uint8Array, origin: unknown) => void };
    const passOn = p._updateHandler;
    const filtered = (update: Uint8Array, origin: unknown): void => {
      if (origin !== STORE_ORIGIN) passOn(update, origin);
    };
    this.doc.off('update', passOn);
    this.doc.on('update', filtered);
    this.disposers.push(() => this.doc.off('update', filtered));
  }

  /** The shared types undo covers (called from the constructor: it may use `doc` only). */
  protected undoScope(): Y.AbstractType<unknown>[] {
    return editableTypes(this.doc);
  }

  /** What must be there before the workspace shows (a scenario: its baseline too). */
  protected async beforeLoaded(): Promise<void> {}

  /** The document as stored on this device (a scenario forked here a moment ago has nothing stored yet). */
  protected async whenStored(): Promise<void> {
    await this.store.load({ whenRewritten: () => this.storeRewritten() });
  }

  /**
   * Adds this page's Yjs client id to the ones this device has written the document with, and
   * takes the earlier ones (conflicts.ts: an offline edit made before a reload stays ours). Before
   * the relay connects, so that whatever it brings is judged with them; the last 64 are kept.
   * The conflicts an earlier page had not dismissed are shown again, unless settled since
   * (stillOpen). Storage that cannot be written loses only the notice for edits made before a
   * later reload.
   */
  private async rememberClient(): Promise<void> {
    const { clients, conflicts } = await this.kept;
    for (const c of Array.isArray(clients) ? clients : []) if (typeof c === 'number') this.earlierClients.add(c);
    // The page that made an edit the journal brought back may have gone before storing its id.
    for (const c of this.store.replayed.clients) this.earlierClients.add(c);
    this.keptValues.set(CLIENTS_KEY, [...this.earlierClients, this.doc.clientID].slice(-64));
    if (Array.isArray(conflicts) && conflicts.length) {
      const valid = stillOpen(conflicts.filter(isCellConflict), (c) => this.reader(c.sheet).get(c.rowKey, c.column));
      this.setConflicts([...valid.filter((k) => !this.conflicts().some((c) => sameCell(c, k))), ...this.conflicts()]);
    }
  }

  /** Resolves once the worker has read the store (rewriting records too large for the page to read in a step). */
  protected async storeRewritten(): Promise<void> {
    await (await this.ownWorker()).storeRead;
  }

  /** The sync status, and the end of "unsent" when the relay has acknowledged everything. */
  private readonly takeStatus = (s: SyncStatus): void => {
    this.setStatus(s);
    if (s === 'saved' && this.unsent) {
      this.unsent = false;
      this.keptValues.set(UNSENT_KEY, 0);
    }
  };

  private async start(): Promise<void> {
    // The worker reads the store itself. With stored results on screen it starts once the page has
    // loaded its copy: on two cores the two loads slowed each other, and the grid is what is still
    // missing then (1M workspace: grid 1.5 s, was 1.7-1.9 s; exact results ~1 s later, marked
    // meanwhile). With nothing stored to show it starts at once: positions come only from it. A
    // store the page cannot read in steps has the worker rewrite it first (`whenRewritten`).
    void this.shownCache().then((shown) => { if (!shown) this.startWorker(); });
    await this.whenStored();
    this.startWorker();
    await this.rememberClient();
    this.resolveStored();
    // An edit the journal brought back was never stored, so never acknowledged either.
    if (this.entry.token) this.unsent ||= (await this.kept).unsent === 1 || this.store.replayed.local > 0;
    // A first visit has nothing stored: it waits for the relay's copy, however long that takes; a
    // failure meanwhile is said in words (blocking), never shown as an empty workspace.
    if (this.entry.token && !this.isWorkbook()) await this.fromRelay();
    if (this.destroyed) return;
    await this.beforeLoaded();
    this.setLoaded(true);
    this.resolveLoaded();
    await this.openWorker();
  }

  /** Starts the worker for this workspace (a scenario has none of its own: `openWorker` attaches it to its baseline's). */
  protected startWorker(): void {
    void this.ownWorker();
  }

  /**
   * Whether the document holds a workbook (or a scenario): something to show. An empty store is
   * none, whatever types this page has already asked the document for (schemaOf would read those as
   * the pre-release layout).
   */
  private isWorkbook(): boolean {
    if (this.isEmpty()) return false;
    try {
      return schemaOf(this.doc) !== null;
    } catch {
      return true; // a workbook of a shape this page cannot read: the worker says why
    }
  }

  /**
   * Resolves once the relay has sent a workbook. A relay that answers with nothing under this link
   * is said so (and listened to: its owner may put it there in a moment); a refusal or a relay that
   * cannot be reached is said by the close handlers. Never resolves for a link that never works.
   */
  private fromRelay(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.destroyed) return;
        if (this.isWorkbook()) {
          this.provider.off('sync', check);
          this.doc.off('update', check);
          if (this.notice()?.variant === 'empty') this.setNotice(null);
          resolve();
        } else if (this.provider.synced && !this.notice()) {
          this.setNotice(emptyOnRelay());
        }
      };
      this.provider.on('sync', check);
      this.doc.on('update', check);
      check();
    });
  }

  /**
   * A notice from the relay (or about it). A permanent one stays until the page goes; one that ends
   * this link's access (revoked, expired) ends it here too (endAccess).
   */
  private setNotice(n: RelayNotice | null): void {
    if (this.notice()?.permanent && (n === null || !n.permanent)) return;
    this.setNoticeSignal(n);
    if (n && (n.kind === 'revoked' || n.kind === 'expired')) void this.endAccess(n.kind);
  }

  /**
   * The relay ended this link's access. An auditor would not want a revoked (or expired) reader to
   * keep reading, so the workspace leaves the screen and this device's copy is deleted; but changes
   * the relay never received are somebody's work, never destroyed silently: when this edit link's
   * device holds any, the copy is kept, hidden (the workspace no longer opens), until the person
   * opens a new link here (they are sent), downloads them, or discards them (web/ui/LinkProblem.tsx).
   */
  private async endAccess(kind: 'revoked' | 'expired'): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    this.provider.disconnect();
    const kept = !this.readOnly && this.unsent;
    const id = this.entry.id;
    // The entry first: the page re-renders without this workspace before its session goes.
    upsertWorkspace({ id, ended: { kind, at: Date.now(), kept }, token: undefined });
    this.destroy();
    if (!kept) await clearStored(dbName(id));
  }

  /** Connects again now (a person asked to, after the relay could not be reached or was full). */
  retry(): void {
    if (!this.token || this.notice()?.permanent || this.destroyed) return;
    this.askedAt = 0;
    this.provider.disconnect();
    void this.connectRelay();
  }

  get isDestroyed(): boolean {
    return this.destroyed;
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
      await this.stored;
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
   * offline) sends what is missing in pieces, then reconnects; a connection that fails before it
   * opens (a refusal at the upgrade, or no relay at all) asks /api/whoami why.
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
      if (event.code === 1006) {
        this.failedOpens++;
        void this.askWhy();
      }
    };
    this.provider.on('status', onStatus);
    this.provider.on('connection-close', onClose);
    this.disposers.push(() => {
      this.provider.off('status', onStatus);
      this.provider.off('connection-close', onClose);
    });
  }

  /**
   * Why connections fail: the relay's word on this token (revoked, expired, altered, unknown, its
   * room full), or no answer at all (the relay cannot be reached). Asked at most every 5 s while
   * connections keep failing (the provider retries every 2.5 s at most).
   */
  private async askWhy(): Promise<void> {
    const now = Date.now();
    if (this.asking || now - this.askedAt < 5000 || !this.token || this.destroyed) return;
    this.asking = true;
    this.askedAt = now;
    try {
      const r = await fetch(`${this.httpBase}/api/whoami?workspace=${encodeURIComponent(this.entry.id)}`, { headers: { authorization: `Bearer ${this.token}` } });
      const body = (await r.json().catch(() => ({}))) as { error?: string; issued?: boolean; roomFull?: boolean };
      if (this.destroyed || this.provider.wsconnected) return;
      if (r.ok) {
        // The token stands: the refusal was about room (a full room, or limits on this address).
        if (body.roomFull) this.setNotice(noticeForRefusal('room-full'));
        else if (this.failedOpens >= 2) this.setNotice(noticeForRefusal('rate-limited'));
        return;
      }
      const notice = noticeForRefusal(body.error ?? '', body.issued);
      if (!notice) return;
      if (notice.permanent) this.provider.disconnect();
      this.setNotice(notice);
    } catch {
      if (!this.destroyed && !this.provider.wsconnected) this.setNotice(unreachable());
    } finally {
      this.asking = false;
    }
  }

  isEmpty(): boolean {
    return this.doc.store.clients.size === 0;
  }

  private cacheShown: Promise<CachedResults | null> | null = null;
  /** The stored results, shown once (null: none, or not for this page). */
  private shownCache(): Promise<CachedResults | null> {
    return (this.cacheShown ??= this.showCached());
  }

  /** Shows the results stored beside the document, if any, marked as being brought up to date. */
  private async showCached(): Promise<CachedResults | null> {
    const cached = await this.cached;
    if (!cached || this.destroyed || this.results.ready[0]()) return null;
    this.results.apply(cached.patch);
    this.results.cachedAt[1](cached.writtenAt || 'earlier');
    return cached;
  }

  private workerStarted: Promise<WorkerClient> | null = null;

  /**
   * Starts the worker on the workspace's IndexedDB database (it reads the records itself) as soon
   * as the stored results, if any, are on screen: its first patch is relative to them.
   */
  private ownWorker(): Promise<WorkerClient> {
    return (this.workerStarted ??= this.shownCache().then((shown) => (this.worker = startReckonWorker(this.doc, {
      today: new Date().toISOString().slice(0, 10),
      onPatch: (p) => this.results.apply(p),
      store: { db: dbName(this.entry.id), shownCache: shown?.id ?? null, storeOrigin: STORE_ORIGIN },
    }))));
  }

  protected async openWorker(): Promise<void> {
    const worker = await this.ownWorker();
    try {
      // The page's copy has loaded: the worker gets what it holds beyond the records it read, and
      // its results (every patch, the first included, goes to onPatch) are then those of this copy.
      await worker.follow();
      await worker.ready;
    } catch (err) {
      // A document this page cannot reconcile (not a workbook, or a newer schema): said, not shown empty.
      this.setNotice(notWorkbook(err instanceof Error ? err.message : String(err)));
      return;
    }
    if (this.destroyed) return;
    this.results.cachedAt[1](null);
    this.results.ready[1](true);
    this.resolveWorker(worker);
  }

  /**
   * Keeps the IndexedDB log bounded in a long busy session: past COMPACT_AT records the worker,
   * whose replica holds every record, merges them (worker/store/compact.ts); a scenario, with no
   * worker of its own and a small document, compacts on the page. Each is one transaction.
   */
  private maybeCompact(): void {
    if (this.compacting || this.store.records < COMPACT_AT || !this.store.synced) return;
    if (!this.worker && this.ownsWorker()) return;
    this.compacting = true;
    const done = this.worker && this.ownsWorker()
      ? this.worker.compactStore().then((r) => { this.store.records = r.records; })
      : this.store.compactHere();
    void done.catch((err) => console.warn(`${this.entry.id}: the stored log could not be compacted (${String(err)})`))
      .finally(() => { this.compacting = false; });
  }

  /** Whether this session runs a worker of its own (a scenario uses its baseline's). */
  protected ownsWorker(): boolean {
    return true;
  }

  /** Number of stored update records in IndexedDB (for tests and the status bar tooltip). */
  storedUpdates(): number {
    return this.store.records;
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

  /** Writes this page's value back over a conflict's (one undoable edit) and forgets the conflict. */
  keepMine(c: CellConflict): void {
    this.edit(() => this.setCell(c.sheet, c.rowKey, c.column, c.mine as CellValue));
    this.dismissConflict(c);
  }

  dismissConflict(c: CellConflict): void {
    this.putConflicts(this.conflicts().filter((x) => !sameCell(x, c)));
  }

  /** The conflicts shown, kept beside the document until dismissed: a reload does not lose one. */
  private putConflicts(list: CellConflict[]): void {
    this.setConflicts(list);
    this.keptValues.set(CONFLICTS_KEY, list);
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

  /** One column of a sheet, every row in key order (worker/view.ts): cheaper than reading rows one by one. */
  pageColumn(sheet: SheetName, column: string): unknown[] {
    return readColumn(this.wb, sheet, column);
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
    if (this.disposed) return;
    this.disposed = true;
    this.destroyed = true;
    this.disposers.forEach((f) => f());
    this.awareness.setLocalState(null);
    this.undo.destroy();
    this.provider.destroy();
    this.store.destroy();
    this.worker?.close();
    this.names.destroy();
    this.wb.destroy();
    this.doc.destroy();
  }
}
