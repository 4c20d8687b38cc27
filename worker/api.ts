// The one typed API of the reconciliation Web Worker (exposed with comlink). The main thread owns
// the Y.Doc (IndexedDB, websocket); the worker holds a replica fed with its binary updates, turns
// Yjs events into engine changes and answers with patches of what changed, never the whole result.

import type { Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ViewAnswer, ViewRequest } from './view';
import type { Existing } from '../io/batch';

export interface WorkerOptions {
  /** ISO date for a workbook that leaves asOf blank (the engine has no clock). */
  today: string;
}

export interface WorkerStats {
  rows: Record<string, number>;
  /** Milliseconds the engine spent on the last batch of changes. */
  lastApplyMs: number;
  /** Milliseconds of the last full reconcile. */
  fullReconcileMs: number;
}

export interface ReckonWorkerApi {
  /**
   * Starts from a document state (Y.encodeStateAsUpdate of the main doc) and reconciles it fully
   * once; the returned patch holds every result. Later calls replace the replica.
   */
  open(state: Uint8Array, options: WorkerOptions): Promise<Patch>;
  /** Applies a binary update of the main document; its patch goes to the onPatch callback. */
  update(update: Uint8Array): void;
  /** Where patches go (a comlink proxy on the main thread). */
  onPatch(callback: (patch: Patch) => void): void;
  /** Every contribution of a position (for the explanation panel). */
  explain(positionKey: string): Contribution[];
  stats(): WorkerStats;
  /** A large sheet sorted and filtered (view.ts), so the page never reads its rows to sort them. */
  view(sheet: string, request: ViewRequest): ViewAnswer;
  /**
   * What an import is checked against (io/batch.ts): the rows references can name, and the ids of
   * the sheets in `ids` (those the import adds rows with ids of their own to).
   */
  importContext(ids: string[]): Existing;
}
