// The main thread's side of the reconciliation worker: starts it, sends it the document's state
// once, then forwards every update of the document, collected per microtask (or per frame, with
// `schedule`) and merged into one message. Patches come back through `onPatch`. Nothing heavy runs
// here: encoding the state once, merging small updates; the engine lives in the worker.
//
// A scenario of the document (worker/scenario/) is attached the same way: its state once, then its
// updates; its patches come back through the attachment's own `onPatch`.

import * as Y from 'yjs';
import { proxy, releaseProxy, transfer, wrap, type Endpoint } from 'comlink';
import type { Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ReckonWorkerApi, WorkerStats } from './api';
import type { ViewAnswer, ViewRequest } from './view';
import type { Comparison } from './scenario/compare';
import type { Existing } from '../io/batch';
import type { SavingsAction, SavingsEdit, SavingsPatch } from '../engine/savings/types';

export interface WorkerClientOptions {
  /** ISO date for a workbook that leaves asOf blank. */
  today: string;
  /** Receives every patch after the first (the first is `ready`'s value). */
  onPatch: (patch: Patch) => void;
  /** The worker to talk to (default: a module Web Worker running worker.ts). */
  endpoint?: Endpoint & { terminate?: () => void };
  /** When to send the updates collected so far (default: the next microtask; a UI may use requestAnimationFrame). */
  schedule?: (send: () => void) => void;
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
  /** Savings of the side the engine rests on, now (whole); later changes come in patches (Patch.savings). */
  watchSavings(): Promise<SavingsPatch>;
  /** The row changes acting on candidates or a plan makes, over the document as it is now. */
  savingsEdits(action: SavingsAction): Promise<SavingsEdit[]>;
  close(): void;
}

/** Collects a doc's updates and sends them merged, one message per schedule, in order. */
function forwarder(doc: Y.Doc, schedule: (send: () => void) => void, deliver: (update: Uint8Array) => Promise<void>) {
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
  const onUpdate = (update: Uint8Array) => {
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
  const main = forwarder(doc, schedule, (u) => api.update(u));
  const scenarios = new Map<string, { send: () => Promise<void>; onPatch: (patch: Patch) => void }>();
  /** Every collected update sent (the baseline's first: a scenario reads it). */
  const flushAll = async (): Promise<void> => {
    await Promise.all([main.send(), ...[...scenarios.values()].map((s) => s.send())]);
  };

  void api.onPatch(proxy(options.onPatch));
  void api.onScenarioPatch(proxy((id: string, patch: Patch) => scenarios.get(id)?.onPatch(patch)));
  const state = Y.encodeStateAsUpdate(doc);
  const ready = api.open(transfer(state, [state.buffer]), { today: options.today });

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
    attachScenario(id, scenarioDoc, opts) {
      void main.send();
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
      main.stop();
      api[releaseProxy]();
      endpoint.terminate?.();
    },
  };
}
