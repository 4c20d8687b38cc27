// The worker's API object (api.ts), independent of how it is reached: worker.ts exposes it with
// comlink in a Web Worker; tests call it in-process or through node:worker_threads.
//
// Updates are applied as they come; their changes are collected and handed to the bridge once per
// microtask, so a burst (one message holding many merged updates, or several messages handled in
// one task) costs one engine pass and one patch.

import * as Y from 'yjs';
import { isEmptyPatch, type Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ReckonWorkerApi, WorkerOptions, WorkerStats } from './api';
import { Bridge, type BridgeOptions } from './bridge';
import type { DocChange } from './doc/model';
import { observeWorkbook } from './doc/observe';
import { openWorkbookDoc } from './doc/open';
import { WorkbookReader, type ReaderOptions } from './doc/reader';
import { computeView, type ViewAnswer, type ViewRequest } from './view';
import { importContext } from './import-context';

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
  close(): void;
}

export interface ServiceConfig {
  reader?: ReaderOptions;
  bridge?: Partial<BridgeOptions>;
  /** Index the document's chunks in the background after open, one per task (default true). */
  warm?: boolean;
}

export function createReckonService(config: ServiceConfig = {}): ReckonService {
  let doc: Y.Doc | null = null;
  let reader: WorkbookReader | null = null;
  let bridge: Bridge | null = null;
  let stopObserving = () => {};
  let pending: DocChange[] = [];
  let scheduled = false;
  let callback: ((patch: Patch) => void) | null = null;
  let warmed: Promise<void> = Promise.resolve();
  const errors: string[] = [];
  const noteError = (msg: string) => { errors.push(msg); if (errors.length > 10) errors.shift(); };

  const close = () => {
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
    if (config.warm === false) return;
    warmed = new Promise<void>((resolve) => {
      const r = reader, b = bridge;
      const warm = () => {
        if (reader !== r || bridge !== b) return resolve();
        // Small steps: an edit waits for at most one of them (~10 ms), not for the whole warm-up.
        const more = r!.warmStep() || !b!.engine.warmStep(20_000);
        if (more) setTimeout(warm, 0);
        else resolve();
      };
      setTimeout(warm, 0);
    });
  };

  const flush = () => {
    scheduled = false;
    if (!bridge || pending.length === 0) return;
    const changes = pending;
    pending = [];
    const reloads = bridge.stats.reloads;
    const patch = bridge.apply(changes);
    if (!isEmptyPatch(patch)) callback?.(patch);
    // A reload (a large import) built a fresh engine: warm it too.
    if (bridge.stats.reloads !== reloads) startWarming();
  };

  return {
    get doc() { return doc; },
    get bridge() { return bridge; },
    async open(state: Uint8Array, options: WorkerOptions): Promise<Patch> {
      close();
      const d = openWorkbookDoc(state);
      doc = d;
      reader = new WorkbookReader(d, config.reader);
      bridge = new Bridge(reader, { ...config.bridge, today: options.today });
      const patch = bridge.loadAll();
      startWarming();
      stopObserving = observeWorkbook(d, reader, (changes) => {
        pending.push(...changes);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      });
      return patch;
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
    view(sheet: string, request: ViewRequest): ViewAnswer {
      flush();
      return reader ? computeView(reader, sheet, request) : { rows: 0, order: new Int32Array(0) };
    },
    importContext(ids: string[]) {
      flush();
      return reader ? importContext(reader, ids) : { rows: {}, ids: {} };
    },
    explain(positionKey: string): Contribution[] {
      return bridge?.engine.explain(positionKey) ?? [];
    },
    stats(): ServiceStats {
      const s = bridge?.stats;
      return {
        rows: reader?.counts() ?? {},
        lastApplyMs: s?.lastApplyMs ?? 0,
        fullReconcileMs: s?.fullReconcileMs ?? 0,
        reloads: s?.reloads ?? 0,
        errors: [...(s?.errors ?? []), ...errors],
      };
    },
    flush,
    whenWarm: () => warmed,
    close,
  };
}
