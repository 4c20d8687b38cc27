// The main thread's side of the reconciliation worker: starts it, sends it the document's state
// once, then forwards every update of the document, collected per microtask (or per frame, with
// `schedule`) and merged into one message. Patches come back through `onPatch`. Nothing heavy runs
// here: encoding the state once, merging small updates; the engine lives in the worker.

import * as Y from 'yjs';
import { proxy, releaseProxy, transfer, wrap, type Endpoint } from 'comlink';
import type { Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ReckonWorkerApi, WorkerStats } from './api';
import type { ViewAnswer, ViewRequest } from './view';
import type { Existing } from '../io/batch';

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

export interface WorkerClient {
  /** The first patch: every result of the document as it was when the client started. */
  ready: Promise<Patch>;
  explain(positionKey: string): Promise<Contribution[]>;
  stats(): Promise<WorkerStats>;
  /** A sheet sorted and filtered in the worker, over the document as it is now (updates go first). */
  view(sheet: string, request: ViewRequest): Promise<ViewAnswer>;
  /** What an import is checked against (ReckonWorkerApi.importContext), over the document as it is now. */
  importContext(ids: string[]): Promise<Existing>;
  /** Sends collected updates now; resolves when the worker has taken them (their patch follows). */
  flush(): Promise<void>;
  close(): void;
}

export function startReckonWorker(doc: Y.Doc, options: WorkerClientOptions): WorkerClient {
  const endpoint = options.endpoint ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<ReckonWorkerApi>(endpoint);
  const schedule = options.schedule ?? queueMicrotask;
  let queue: Uint8Array[] = [];
  let scheduled = false;
  let sent: Promise<void> = Promise.resolve();

  const send = (): Promise<void> => {
    scheduled = false;
    if (queue.length === 0) return sent;
    // Updates are not transferred: other listeners (IndexedDB, websocket) hold the same bytes.
    const merged = queue.length === 1 ? queue[0] : Y.mergeUpdates(queue);
    queue = [];
    sent = api.update(merged);
    return sent;
  };
  // Listening starts before the state is encoded, so no update falls between the two.
  const onUpdate = (update: Uint8Array) => {
    queue.push(update);
    if (!scheduled) {
      scheduled = true;
      schedule(() => void send());
    }
  };
  doc.on('update', onUpdate);

  void api.onPatch(proxy(options.onPatch));
  const state = Y.encodeStateAsUpdate(doc);
  const ready = api.open(transfer(state, [state.buffer]), { today: options.today });

  return {
    ready,
    explain: (key) => api.explain(key),
    stats: () => api.stats(),
    view: (sheet, request) => {
      void send();
      return api.view(sheet, request);
    },
    importContext: (ids) => {
      void send();
      return api.importContext(ids);
    },
    flush: send,
    close() {
      doc.off('update', onUpdate);
      api[releaseProxy]();
      endpoint.terminate?.();
    },
  };
}
