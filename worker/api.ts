// The one typed API of the reconciliation Web Worker (exposed with comlink). The main thread owns
// the Y.Doc (IndexedDB, websocket); the worker holds a replica fed with its binary updates, turns
// Yjs events into engine changes and answers with patches of what changed, never the whole result.

import type { Patch } from '../engine/changes';
import type { Contribution } from '../engine/metrics/rule';
import type { ViewAnswer, ViewRequest } from './view';
import type { Comparison } from './scenario/compare';
import type { Existing } from '../io/batch';
import type { SavingsAction, SavingsEdit, SavingsPatch } from '../engine/savings/types';

export interface WorkerOptions {
  /** ISO date for a workbook that leaves asOf blank (the engine has no clock). */
  today: string;
}

/** Opening from the workspace's IndexedDB database (worker/store/): the worker reads it itself. */
export interface StoreOpenOptions extends WorkerOptions {
  /** The database's name. */
  db: string;
  /** The id of the cached results the page shows (the first patch is then relative to them), or null. */
  shownCache: string | null;
}

/** Told to the page once the worker has read the store, before it reconciles. */
export interface StoreRead {
  /** The replica's state vector: the page sends what it holds beyond it. */
  stateVector: Uint8Array;
  /** The records were rewritten as pieces first (they were too large, or of an earlier layout). */
  rewritten: boolean;
}

export interface WorkerStats {
  rows: Record<string, number>;
  /** Milliseconds the engine spent on the last batch of changes. */
  lastApplyMs: number;
  /** Milliseconds of the last full reconcile. */
  fullReconcileMs: number;
  /** The background warming after open (chunk index, engine structures for edits) is done. */
  warm: boolean;
}

export interface ReckonWorkerApi {
  /**
   * Starts from a document state (Y.encodeStateAsUpdate of the main doc) and reconciles it fully
   * once; the returned patch holds every result. Later calls replace the replica.
   */
  open(state: Uint8Array, options: WorkerOptions): Promise<Patch>;
  /**
   * Starts from the workspace's IndexedDB database, read by the worker itself; tells `onStoreRead`
   * once the replica holds every stored record, then reconciles fully once. The returned patch
   * holds every result, or, when the page shows cached results (`shownCache`), what differs from
   * them. From then on the worker keeps its results beside the document (results-cache.ts).
   */
  openStore(options: StoreOpenOptions, onStoreRead: (read: StoreRead) => void): Promise<Patch>;
  /** Compacts the IndexedDB records (worker/store/compact.ts); the page asks when its log has grown. */
  compactStore(): Promise<import('./store/compact').CompactResult>;
  /** The build the worker's results are tagged with (results-cache.ts). */
  build(): string;
  /** Applies a binary update of the main document; its patch goes to the onPatch callback. */
  update(update: Uint8Array): void;
  /** How many patches have gone to onPatch, every change received so far handed to the engine first. */
  patchesSent(): number;
  /** Where patches go (a comlink proxy on the main thread). */
  onPatch(callback: (patch: Patch) => void): void;
  /**
   * Every contribution of a position (for the explanation panel), on the baseline or on an open
   * scenario (`side`: its id; absent or '' for the baseline).
   */
  explain(positionKey: string, side?: string): Contribution[];
  stats(): WorkerStats;
  /** A large sheet sorted and filtered (view.ts), so the page never reads its rows to sort them. */
  view(sheet: string, request: ViewRequest, side?: string): ViewAnswer;

  // Scenarios of the document (worker/scenario/): each is a side whose results the one engine
  // gives by moving between views (scenario/sides.ts).

  /**
   * Opens a scenario of the document from its state (Y.encodeStateAsUpdate of the scenario doc);
   * the returned patch holds every result of the scenario. With `primary`, the engine rests on the
   * scenario's view (the page shows it: its edits then cost what a workbook's edits cost).
   */
  openScenario(id: string, state: Uint8Array, options?: { primary?: boolean }): Patch;
  /** Applies a binary update of an open scenario's document; patches go to onScenarioPatch. */
  updateScenario(id: string, update: Uint8Array): void;
  closeScenario(id: string): void;
  /** Where scenarios' patches go (the baseline's still go to onPatch). */
  onScenarioPatch(callback: (id: string, patch: Patch) => void): void;
  /** The baseline's results compared with those of open scenarios, in the order given. */
  compare(ids: string[]): Comparison;
  /**
   * What an import is checked against (io/batch.ts): the rows references can name, and the ids of
   * the sheets in `ids` (those the import adds rows with ids of their own to), on the baseline or
   * an open scenario (`side`).
   */
  importContext(ids: string[], side?: string): Existing;

  // Savings (engine/savings/): of the side the engine rests on (the page shown).

  /**
   * From now on, patches of the side the engine rests on carry its savings as they change
   * (Patch.savings); returns every savings figure of that side now (a reset patch).
   */
  watchSavings(): SavingsPatch;
  /** The row changes acting on chosen candidates or a plan makes (applied in a scenario by the page). */
  savingsEdits(action: SavingsAction): SavingsEdit[];
}
