// The main thread's side of the reconciliation worker: starts it, sends it the document's state
// once, then forwards every update of the document, collected per microtask (or per frame, with
// `schedule`) and merged into one message. Patches come back through `onPatch`. Nothing heavy runs
// here: merging small updates; the engine lives in the worker.
//
// A workspace kept in IndexedDB is opened from there by the worker itself (`store`): the page
// never encodes or posts its whole state. Once the page's own copy has loaded (`follow`), it sends
// the worker what it holds beyond the records the worker read (usually nothing but the delete set)
// and forwards every update from then on. Yjs updates are idempotent and commutative, so the
// replica converges on the page's document whatever arrives twice or in another order.
//
// A scenario of the document (worker/scenario/) is attached the same way: its state once, then its
// updates; its patches come back through the attachment's own `onPatch`.

import * as Y from 'yjs';
import { proxy, releaseProxy, transfer, wrap, type Endpoint } from 'comlink';
import type { Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ReckonWorkerApi, StoreRead, WorkerStats } from './api';
import type { CompactResult } from './store/compact';
import type { ViewAnswer, ViewRequest } from './view';
import type { Comparison } from './scenario/compare';
import type { Existing } from '../io/batch';
import type { SavingsAction, SavingsEdit, SavingsPatch } from '../engine/savings/types';

export interface WorkerClientOptions {
  /** ISO date for a workbook that leaves asOf blank. */
  today: string;
  /**
   * Receives every patch after the first (the first is `ready`'s value); opened from the store,
   * the first too, and every patch in the order the worker made them.
   */
  onPatch: (patch: Patch) => void;
  /** The worker to talk to (default: a module Web Worker running worker.ts). */
  endpoint?: Endpoint & { terminate?: () => void };
  /** When to send the updates collected so far (default: the next microtask; a UI may use requestAnimationFrame). */
  schedule?: (send: () => void) => void;
  /**
   * Open from the workspace's IndexedDB database (worker/store/), read by the worker, instead of
   * the document's state; the page calls `follow` once its copy has loaded. `shownCache`: the id of
   * the cached results the page shows. Updates of origin `storeOrigin` (the page's own reads of the
   * database) are never forwarded.
   */
  store?: { db: string; shownCache: string | null; storeOrigin: unknown };
}

export interface ScenarioAttachment {
  /** The first patch: every result of the scenario as it was when attached. */
  ready: Promise<Patch>;
  /** Stops forwarding and closes the scenario in the worker. */
  close(): void;
}

export interface WorkerClient {
  /** The first patch: every result of the document as it was when the client started. */
  ready: Promise<Patch>;
  /** Every contribution of a position, on the baseline or on an attached scenario (`side`: its id). */
  explain(positionKey: string, side?: string): Promise<Contribution[]>;
  stats(): Promise<WorkerStats>;
  /** A sheet sorted and filtered in the worker, over the document as it is now (updates go first). */
  view(sheet: string, request: ViewRequest, side?: string): Promise<ViewAnswer>;
  /** Sends collected updates now; resolves when the worker has taken them (their patch follows). */
  flush(): Promise<void>;
  /**
   * Attaches a scenario of the document (its Y.Doc): with `primary`, the worker's engine rests on
   * the scenario's view. Its patches go to `onPatch`.
   */
  attachScenario(id: string, doc: Y.Doc, options: { primary?: boolean; onPatch: (patch: Patch) => void }): ScenarioAttachment;
  /** The baseline's results compared with attached scenarios' (updates go first). */
  compare(ids: string[]): Promise<Comparison>;
  /** What an import is checked against (ReckonWorkerApi.importContext), over the document as it is now. */
  importContext(ids: string[], side?: string): Promise<Existing>;
  /** Opened from the store: resolves once the worker has read it (before it reconciles). */
  storeRead: Promise<StoreRead>;
  /**
   * Opened from the store, the page's copy loaded: sends the worker what the page holds beyond
   * what it read, then forwards every update; resolves once the patch of what it sent has been
   * handed to `onPatch` (the results are then those of the page's copy). Opened from a state, the
   * client follows from the start.
   */
  follow(): Promise<void>;
  /** Compacts the store's records in the worker; resolves with how many are left. */
  compactStore(): Promise<CompactResult>;
  /** The build the worker's results are tagged with. */
  build(): Promise<string>;
  /** Savings of the side the engine rests on, now (whole); later changes come in patches (Patch.savings). */
  watchSavings(): Promise<SavingsPatch>;
  /** The row changes acting on candidates or a plan makes, over the document as it is now. */
  savingsEdits(action: SavingsAction): Promise<SavingsEdit[]>;
  close(): void;
}

/** Collects a doc's updates and sends them merged, one message per schedule, in order. */
function forwarder(doc: Y.Doc, schedule: (send: () => void) => void, deliver: (update: Uint8Array) => Promise<void>, skipOrigin?: unknown) {
  let queue: Uint8Array[] = [];
  let scheduled = false;
  let sent: Promise<void> = Promise.resolve();
  const send = (): Promise<void> => {
    scheduled = false;
    if (queue.length === 0) return sent;
    // Updates are not transferred: other listeners (IndexedDB, websocket) hold the same bytes.
    const merged = queue.length === 1 ? queue[0] : Y.mergeUpdates(queue);
    queue = [];
    sent = deliver(merged);
    return sent;
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (skipOrigin !== undefined && origin === skipOrigin) return;
    queue.push(update);
    if (!scheduled) {
      scheduled = true;
      schedule(() => void send());
    }
  };
  // Listening starts before the state is encoded, so no update falls between the two.
  doc.on('update', onUpdate);
  return { send, stop: () => doc.off('update', onUpdate) };
}

export function startReckonWorker(doc: Y.Doc, options: WorkerClientOptions): WorkerClient {
  const endpoint = options.endpoint ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<ReckonWorkerApi>(endpoint);
  const schedule = options.schedule ?? queueMicrotask;
  const forward = () => forwarder(doc, schedule, (u) => api.update(u), options.store?.storeOrigin);
  let main: ReturnType<typeof forwarder> | null = null;
  const scenarios = new Map<string, { send: () => Promise<void>; onPatch: (patch: Patch) => void }>();
  /** Every collected update sent (the baseline's first: a scenario reads it). */
  const flushAll = async (): Promise<void> => {
    await Promise.all([main?.send(), ...[...scenarios.values()].map((s) => s.send())]);
  };

  // Patches are counted as they arrive, so that `follow` can wait for the patch of what it sent;
  // opened from the store, those arriving before the first (on another port) wait for it.
  let received = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  let held: Patch[] | null = options.store ? [] : null;
  const deliver = (patch: Patch) => {
    options.onPatch(patch);
    received++;
    for (let i = waiting.length - 1; i >= 0; i--) if (received >= waiting[i].count) waiting.splice(i, 1)[0].resolve();
  };
  void api.onPatch(proxy((patch: Patch) => (held ? held.push(patch) : deliver(patch))));
  /** Resolves once `count` patches have been handed on (the first patch of a store not counted). */
  const receivedAll = (count: number) => new Promise<void>((resolve) => {
    if (received >= count) resolve();
    else waiting.push({ count, resolve });
  });
  void api.onScenarioPatch(proxy((id: string, patch: Patch) => scenarios.get(id)?.onPatch(patch)));
  let ready: Promise<Patch>;
  let storeRead: Promise<StoreRead>;
  let follow: () => Promise<void>;
  if (options.store) {
    let told!: (r: StoreRead) => void;
    storeRead = new Promise((resolve) => { told = resolve; });
    ready = api.openStore({ db: options.store.db, shownCache: options.store.shownCache, today: options.today }, proxy(told)).then((first) => {
      // The first patch, then those that came meanwhile, in the order the worker made them.
      options.onPatch(first);
      const later = held ?? [];
      held = null;
      later.forEach(deliver);
      return first;
    });
    let following: Promise<void> | null = null;
    follow = () => (following ??= storeRead.then(async ({ stateVector }) => {
      // Listening starts before the difference is encoded, so no update falls between the two.
      main = forward();
      const missing = Y.encodeStateAsUpdate(doc, stateVector);
      await api.update(transfer(missing, [missing.buffer]));
      await ready;
      await receivedAll(await api.patchesSent());
    }));
  } else {
    // Listening starts before the state is encoded, so no update falls between the two.
    main = forward();
    const state = Y.encodeStateAsUpdate(doc);
    ready = api.open(transfer(state, [state.buffer]), { today: options.today });
    storeRead = Promise.resolve({ stateVector: new Uint8Array([0]), rewritten: false });
    follow = () => Promise.resolve();
  }

  return {
    ready,
    explain: async (key, side) => {
      await flushAll();
      return api.explain(key, side);
    },
    stats: () => api.stats(),
    view: (sheet, request, side) => {
      void flushAll();
      return api.view(sheet, request, side);
    },
    flush: flushAll,
    storeRead,
    follow,
    compactStore: () => api.compactStore(),
    build: () => api.build(),
    attachScenario(id, scenarioDoc, opts) {
      void main?.send();
      const f = forwarder(scenarioDoc, schedule, (u) => api.updateScenario(id, u));
      scenarios.set(id, { send: f.send, onPatch: opts.onPatch });
      const s = Y.encodeStateAsUpdate(scenarioDoc);
      const first = api.openScenario(id, transfer(s, [s.buffer]), { primary: opts.primary });
      return {
        ready: first,
        close() {
          f.stop();
          scenarios.delete(id);
          void api.closeScenario(id);
        },
      };
    },
    compare: async (ids) => {
      await flushAll();
      return api.compare(ids);
    },
    importContext: async (ids, side) => {
      await flushAll();
      return api.importContext(ids, side);
    },
    watchSavings: async () => {
      await flushAll();
      return api.watchSavings();
    },
    savingsEdits: async (action) => {
      await flushAll();
      return api.savingsEdits(action);
    },
    close() {
      main?.stop();
      api[releaseProxy]();
      endpoint.terminate?.();
    },
  };
}
