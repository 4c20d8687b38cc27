// The worker's API object (api.ts), independent of how it is reached: worker.ts exposes it with
// comlink in a Web Worker; tests call it in-process or through node:worker_threads.
//
// Updates are applied as they come; their changes are collected and handed to the bridge once per
// microtask, so a burst (one message holding many merged updates, or several messages handled in
// one task) costs one engine pass and one patch.

import * as Y from 'yjs';
import { emptyPatch, isEmptyPatch, type Patch } from '../engine/changes';
import type { SavingsAction, SavingsEdit, SavingsPatch } from '../engine/savings/types';
import type { Contribution } from '../engine/metrics/rule';
import type { ReckonWorkerApi, StoreOpenOptions, StoreRead, WorkerOptions, WorkerStats } from './api';
import type { CachedResults } from './store/results-cache';
import { Bridge, type BridgeOptions } from './bridge';
import type { DocChange } from './doc/model';
import { observeWorkbook } from './doc/observe';
import { openWorkbookDoc } from './doc/open';
import { WorkbookReader, type ReaderOptions } from './doc/reader';
import { computeView, type ViewAnswer, type ViewRequest } from './view';
import { compareResults, type Comparison } from './scenario/compare';
import { isScenarioDoc } from './scenario/layout';
import { observeScenario } from './scenario/observe';
import { LayeredReader } from './scenario/reader';
import { BASE, SideEngine, Touched } from './scenario/sides';
import { importContext } from './import-context';
import { migrate, schemaOf } from './doc/migrate';
import { WorkerStore } from './store/worker-store';
import type { CompactResult } from './store/compact';

/** Origin of the updates applied from the main thread (the replica never sends updates back). */
export const MAIN_ORIGIN = 'reckon-main';

export interface ServiceStats extends WorkerStats {
  reloads: number;
  /** Engine failures and unreadable updates, most recent last. */
  errors: string[];
}

export interface ReckonService extends ReckonWorkerApi {
  /** Hands pending changes to the engine now (tests; otherwise a microtask does it). */
  flush(): void;
  /** Resolves when the background indexing of chunks after open is done (the benchmark waits for it). */
  whenWarm(): Promise<void>;
  stats(): ServiceStats;
  /** The replica and its bridge (tests and the benchmark read them). */
  readonly doc: Y.Doc | null;
  readonly bridge: Bridge | null;
  /** The open scenarios' sides (null until one opens). */
  readonly sides: SideEngine | null;
  /** An open scenario's replica and its layered reader. */
  scenario(id: string): { doc: Y.Doc; reader: LayeredReader } | undefined;
  /**
   * Starts from a replica already read (openStore, after reading the store; tests). With `cache`
   * (the results a view holds), the patch is what differs from them; else it holds every result.
   */
  openDoc(doc: Y.Doc, options: WorkerOptions, cache?: CachedResults | null): Patch;
  close(): void;
}

export interface ServiceConfig {
  reader?: ReaderOptions;
  bridge?: Partial<BridgeOptions>;
  /** Index the document's chunks in the background after open, one per task (default true). */
  warm?: boolean;
  /** What the results are tagged with as their engine (default: the worker's script, so a new build never reuses old results). */
  build?: string;
  /** Results are stored this long after the last patch (ms; default RESULTS_IDLE_MS). */
  resultsIdleMs?: number;
}

/** Results are stored once the engine has been idle this long after a patch… */
const RESULTS_IDLE_MS = 2000;
/** …or, in a session that never pauses, this long after the first patch not stored. */
const RESULTS_MAX_DELAY_MS = 30_000;

/**
 * The worker's build: its script's address (vite names it by a hash of its content, engine
 * included). A development server serves every build at one address: there a worker never
 * shares its results with another.
 */
function defaultBuild(): string {
  const dev = (import.meta as { env?: { DEV?: boolean } }).env?.DEV === true;
  const at = typeof location !== 'undefined' ? location.pathname : 'node';
  return dev ? `${at}#${Math.random().toString(36).slice(2)}` : at;
}

export function createReckonService(config: ServiceConfig = {}): ReckonService {
  let doc: Y.Doc | null = null;
  let reader: WorkbookReader | null = null;
  let bridge: Bridge | null = null;
  let stopObserving = () => {};
  let pending: DocChange[] = [];
  let scheduled = false;
  let callback: ((patch: Patch) => void) | null = null;
  /** Patches handed to `callback` so far (the page waits for a count: patchesSent). */
  let sent = 0;
  let warmed: Promise<void> = Promise.resolve();
  let warm = false;
  // Scenarios: their replicas, what their transactions touched since the last flush, where their patches go.
  let sides: SideEngine | null = null;
  const scenarios = new Map<string, { doc: Y.Doc; reader: LayeredReader; stop: () => void }>();
  let pendingSides = new Map<string, Touched>();
  let scenarioCallback: ((id: string, patch: Patch) => void) | null = null;
  // Savings: computed once the page watches them, for the side the engine rests on; `savingsSide`
  // is the side whose page holds the savings sent last (another side's page gets them whole).
  let savingsWatched = false;
  let savingsSide: string | null = null;
  let savingsSent = '';
  const errors: string[] = [];
  const noteError = (msg: string) => { errors.push(msg); if (errors.length > 10) errors.shift(); };
  // The workspace's IndexedDB store, when opened from it (openStore): results are kept beside it.
  const build = config.build ?? defaultBuild();
  let store: WorkerStore | null = null;
  let today = '';
  let resultsTimer: ReturnType<typeof setTimeout> | null = null;
  let resultsDue = 0;
  /** Stores the baseline's results with the identity of the replica's state (nothing pending between them). */
  const storeResults = () => {
    resultsTimer = null;
    resultsDue = 0;
    if (!store || !doc || !bridge) return;
    flush();
    // The patch flush may have sent is in what is stored now.
    if (resultsTimer) clearTimeout(resultsTimer);
    resultsTimer = null;
    resultsDue = 0;
    void store.writeResults(doc, bridge.mirror.fullPatch(), { today, build, settings: bridge.reader.settings() });
  };
  const resultsChanged = () => {
    if (!store) return;
    const now = Date.now();
    if (!resultsDue) resultsDue = now + RESULTS_MAX_DELAY_MS;
    if (resultsTimer) clearTimeout(resultsTimer);
    resultsTimer = setTimeout(storeResults, Math.max(0, Math.min(config.resultsIdleMs ?? RESULTS_IDLE_MS, resultsDue - now)));
  };

  const primaryId = () => sides?.primaryId ?? BASE;

  /** What the watched savings changed since they were last sent (null: nothing, or not watched). */
  const savingsPatch = (): SavingsPatch | null => {
    if (!savingsWatched || !bridge) return null;
    const s = bridge.engine.savings();
    const side = primaryId();
    if (savingsSide !== side) s.resend();
    savingsSide = side;
    const p = s.takePatch();
    const figures = JSON.stringify([p.totals, p.whole]);
    const changed = p.reset || p.candidates.length > 0 || p.removedCandidates.length > 0 || p.plans.length > 0 || p.removedPlans.length > 0 || figures !== savingsSent;
    savingsSent = figures;
    return changed ? p : null;
  };

  /** Sends a patch to the page of a side. */
  const deliver = (id: string, patch: Patch) => {
    if (id === BASE) {
      if (callback) { sent++; callback(patch); }
      if (!isEmptyPatch(patch)) resultsChanged();
    } else scenarioCallback?.(id, patch);
  };

  /** Adds the savings that changed to the patch of the side the engine rests on (or sends them alone). */
  const withSavings = (out: Map<string, Patch>): void => {
    let sp: SavingsPatch | null = null;
    try {
      sp = savingsPatch();
    } catch (err) {
      noteError(`savings: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!sp) return;
    const id = primaryId();
    const patch = out.get(id) ?? emptyPatch();
    patch.savings = sp;
    out.set(id, patch);
  };

  const closeScenario = (id: string) => {
    const sc = scenarios.get(id);
    if (!sc) return;
    flush();
    sides?.close(id);
    // The engine is back on another side: its page gets that side's savings whole.
    const out = new Map<string, Patch>();
    withSavings(out);
    for (const [side, patch] of out) if (side !== id) deliver(side, patch);
    sc.stop();
    sc.reader.destroy();
    sc.doc.destroy();
    scenarios.delete(id);
    pendingSides.delete(id);
  };

  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  };

  const close = () => {
    for (const id of [...scenarios.keys()]) closeScenario(id);
    if (resultsTimer) clearTimeout(resultsTimer);
    resultsTimer = null;
    store?.close();
    store = null;
    sides = null;
    stopObserving();
    reader?.destroy();
    doc?.destroy();
    doc = reader = bridge = null;
    pending = [];
  };

  /**
   * Warms in the background, one step per macrotask so updates are handled between steps: the
   * document's chunk index, then the engine's structures for edits (Engine.warmStep).
   */
  const startWarming = () => {
    warm = config.warm === false;
    if (warm) return;
    warmed = new Promise<void>((resolve) => {
      const r = reader, b = bridge;
      const step = () => {
        if (reader !== r || bridge !== b) return resolve();
        // Small steps: an edit waits for at most one of them (~10 ms), not for the whole warm-up.
        const more = r!.warmStep() || !b!.engine.warmStep(20_000);
        if (more) setTimeout(step, 0);
        else {
          warm = true;
          resolve();
        }
      };
      setTimeout(step, 0);
    });
  };

  function flush(): void {
    scheduled = false;
    if (!bridge || (pending.length === 0 && pendingSides.size === 0)) return;
    const changes = pending;
    const touched = pendingSides;
    pending = [];
    pendingSides = new Map();
    const reloads = bridge.stats.reloads;
    let out = new Map<string, Patch>();
    if (sides && scenarios.size > 0) {
      // One batch for every side: the baseline's changes reach every scenario's view too.
      out = sides.apply(Touched.of(changes), touched);
    } else if (changes.length) {
      const patch = bridge.apply(changes);
      if (!isEmptyPatch(patch)) out.set(BASE, patch);
    }
    withSavings(out);
    for (const [id, patch] of out) deliver(id, patch);
    // A reload (a large import) built a fresh engine: warm it too.
    if (bridge.stats.reloads !== reloads) startWarming();
  }

  const readerOf = (side: string | undefined) => (side ? scenarios.get(side)?.reader : reader);

  /**
   * Loads the engine from the replica and starts following it. With `cache` (the results the page
   * shows), the first patch is what differs from them; else it holds every result.
   */
  const start = (d: Y.Doc, day: string, cache: CachedResults | null): Patch => {
    doc = d;
    today = day;
    reader = new WorkbookReader(d, config.reader);
    bridge = new Bridge(reader, { ...config.bridge, today: day });
    if (cache) bridge.mirror.take(cache.patch);
    const patch = bridge.loadAll();
    startWarming();
    stopObserving = observeWorkbook(d, reader, (changes) => {
      pending.push(...changes);
      schedule();
    });
    return patch;
  };

  return {
    get doc() { return doc; },
    get bridge() { return bridge; },
    get sides() { return sides; },
    scenario: (id) => scenarios.get(id),
    openDoc(d: Y.Doc, options: WorkerOptions, cache: CachedResults | null = null): Patch {
      close();
      return start(d, options.today, cache);
    },
    async open(state: Uint8Array, options: WorkerOptions): Promise<Patch> {
      close();
      return start(openWorkbookDoc(state), options.today, null);
    },
    async openStore(options: StoreOpenOptions, onStoreRead: (read: StoreRead) => void): Promise<Patch> {
      close();
      const d = new Y.Doc();
      const opened = await WorkerStore.open(options.db, d, noteError);
      // A workspace never synced (a first visit, offline) reads as empty until its updates come.
      if (schemaOf(d) !== null) migrate(d);
      onStoreRead({ stateVector: Y.encodeStateVector(d), rewritten: opened.rewritten });
      store = opened.store;
      const cache = opened.cache && opened.cache.id === options.shownCache ? opened.cache : null;
      const patch = start(d, options.today, cache);
      // Stored again even when equal: the cache may be of another state with the same results.
      resultsChanged();
      return patch;
    },
    compactStore(): Promise<CompactResult> {
      if (!store || !doc) return Promise.resolve({ kind: 'none', records: 0, applied: 0 });
      return store.compact(doc);
    },
    build: () => build,
    openScenario(id: string, state: Uint8Array, options: { primary?: boolean } = {}): Patch {
      if (!doc || !reader || !bridge) throw new Error('openScenario before open');
      if (scenarios.has(id)) closeScenario(id);
      flush();
      const d = new Y.Doc();
      Y.applyUpdate(d, state, MAIN_ORIGIN);
      if (!isScenarioDoc(d)) {
        d.destroy();
        throw new Error(`${id} is not a scenario document`);
      }
      const r = new LayeredReader(reader, d, config.reader);
      sides ??= new SideEngine(bridge);
      const first = sides.open(id, r);
      if (options.primary) sides.setPrimary(id);
      const stop = observeScenario(d, (t) => {
        const acc = pendingSides.get(id);
        if (acc) acc.merge(t);
        else pendingSides.set(id, t);
        schedule();
      });
      scenarios.set(id, { doc: d, reader: r, stop });
      if (options.primary) {
        // The engine now rests on the scenario: its page gets the savings (whole), the baseline's none.
        const out = new Map<string, Patch>([[id, first]]);
        withSavings(out);
      }
      return first;
    },
    updateScenario(id: string, update: Uint8Array): void {
      const sc = scenarios.get(id);
      if (!sc) return;
      try {
        Y.applyUpdate(sc.doc, update, MAIN_ORIGIN);
      } catch (err) {
        noteError(`unreadable scenario update: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    closeScenario,
    onScenarioPatch(cb: (id: string, patch: Patch) => void): void {
      scenarioCallback = cb;
    },
    compare(ids: string[]): Comparison {
      flush();
      const results = (id: string) => {
        const m = sides && (id === BASE || sides.has(id)) ? sides.mirror(id) : bridge?.mirror;
        return { positions: m ? m.positions.values() : [], ham: m?.ham ?? null };
      };
      return compareResults(results(BASE), ids.map(results));
    },
    update(update: Uint8Array): void {
      if (!doc) throw new Error('update before open');
      try {
        Y.applyUpdate(doc, update, MAIN_ORIGIN);
      } catch (err) {
        // What did integrate was observed; the rest of a damaged update is dropped.
        noteError(`unreadable update: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    onPatch(cb: (patch: Patch) => void): void {
      callback = cb;
    },
    patchesSent(): number {
      flush();
      return sent;
    },
    view(sheet: string, request: ViewRequest, side?: string): ViewAnswer {
      flush();
      const r = readerOf(side);
      return r ? computeView(r, sheet, request) : { rows: 0, order: new Int32Array(0) };
    },
    importContext(ids: string[], side?: string) {
      flush();
      const r = readerOf(side);
      return r ? importContext(r, ids) : { rows: {}, ids: {} };
    },
    watchSavings(): SavingsPatch {
      flush();
      savingsWatched = true;
      savingsSide = null;
      return savingsPatch()!;
    },
    savingsEdits(action: SavingsAction): SavingsEdit[] {
      flush();
      return bridge ? bridge.engine.savings().edits(action) : [];
    },
    explain(positionKey: string, side?: string): Contribution[] {
      flush();
      if (sides && scenarios.size > 0) return side && !scenarios.has(side) ? [] : sides.explain(side ?? BASE, positionKey);
      return side ? [] : bridge?.engine.explain(positionKey) ?? [];
    },
    stats(): ServiceStats {
      const s = bridge?.stats;
      return {
        rows: reader?.counts() ?? {},
        lastApplyMs: s?.lastApplyMs ?? 0,
        fullReconcileMs: s?.fullReconcileMs ?? 0,
        warm,
        reloads: s?.reloads ?? 0,
        errors: [...(s?.errors ?? []), ...errors],
      };
    },
    flush,
    whenWarm: () => warmed,
    close,
  };
}
