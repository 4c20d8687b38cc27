// One open scenario (worker/scenario/): a workspace session (web/state/session.ts) whose document is
// the scenario's own small document (its IndexedDB database; its relay room once shared), read and
// edited over its baseline's session, which stays open beside it. Everything the workspace view
// does goes through the session's workbook operations, overridden here: reads are layered, edits
// write into the scenario (worker/scenario/edit.ts), undo tracks the scenario, and results come
// from the baseline's worker, whose one engine rests on the scenario's view (primary side).

import * as Y from 'yjs';
import type { Contribution } from '../../engine/metrics/rule';
import type { SheetName } from '../../engine/schema';
import type { CellValue, Cells } from '../../worker/doc/model';
import { importWorkbook } from '../../worker/doc/import';
import { createWorkbookDoc } from '../../worker/doc/open';
import { exportWorkbook } from '../../worker/doc/export';
import { metaMap, settingsMap } from '../../worker/doc/layout';
import type { ScenarioAttachment } from '../../worker/client';
import type { Existing } from '../../io/batch';
import type { Comparison } from '../../worker/scenario/compare';
import { addScenarioRow, clearScenarioSheet, deleteScenarioRow, setScenarioCell, setScenarioSetting } from '../../worker/scenario/edit';
import { initScenarioDoc, scenarioSheetTypes, settingsBaseMap } from '../../worker/scenario/layout';
import { LayeredReader } from '../../worker/scenario/reader';
import { applySavingsEdits } from '../../worker/scenario/savings';
import type { SavingsAction, SavingsEdit } from '../../engine/savings/types';
import { computeView, type ComputedValue, type ViewAnswer, type ViewRequest } from '../../worker/view';
import { SHEETS } from '../../engine/schema';
import { IMPORT_ORIGIN, type SheetCells } from '../doc-adapter';
import type { SheetRowsChange } from '../grid/sheet-rows';
import { applyImport, type ApplyOptions, type StagedSheet } from '../io/apply';
import { Session } from '../state/session';
import { PageNames } from '../state/names';
import { findWorkspace, renameWorkspace, type WorkspaceEntry } from '../state/workspaces';
import { LayeredSheetRows, LayeredSheetView } from './sheet-view';
import { takeFresh, takeSavingsEdits } from './actions';

/** Decoded rows the grid keeps for the scenario's own chunk rows (as the workspace's reader does). */
const GRID_CACHE_ROWS = 300_000;

/** Every shared type a person edits in a scenario, its records of baseline values included. */
export function scenarioEditableTypes(doc: Y.Doc): Y.AbstractType<unknown>[] {
  const out: unknown[] = [settingsMap(doc), settingsBaseMap(doc), metaMap(doc)];
  for (const s of SHEETS) {
    const t = scenarioSheetTypes(doc, s);
    out.push(t.cells, t.deleted, t.rows, t.base, t.chunks);
  }
  return out as Y.AbstractType<unknown>[];
}

export class ScenarioSession extends Session {
  readonly layered: LayeredReader;
  private attachment: ScenarioAttachment | null = null;
  private readonly layeredViews: LayeredSheetView[] = [];

  constructor(entry: WorkspaceEntry, readonly baseline: Session) {
    super(entry);
    this.layered = new LayeredReader(baseline.wb, this.doc, { cacheRows: GRID_CACHE_ROWS });
    // Rows on screen are normalized by the scenario's rules: its own layered over the baseline's.
    this.names.destroy();
    this.names = new PageNames(this.layered, [baseline.doc, this.doc]);
  }

  protected override undoScope(): Y.AbstractType<unknown>[] {
    return scenarioEditableTypes(this.doc);
  }

  /**
   * A scenario forked here a moment ago has nothing stored: it opens without waiting for its new
   * IndexedDB database (y-indexeddb stores the whole document once the database is open, so the
   * meta and any edit made meanwhile are kept).
   */
  protected override async whenStored(): Promise<void> {
    if (!takeFresh(this.entry.id)) await super.whenStored();
  }

  /** The baseline loads first; a scenario forked here and never shared gets its meta on first open. */
  protected override async beforeLoaded(): Promise<void> {
    await this.baseline.whenLoaded;
    const name = metaMap(this.baseline.doc).get('name');
    // A baseline first known from a scenario's link is listed by its id until its name is read.
    if (typeof name === 'string' && name && findWorkspace(this.baseline.entry.id)?.name !== name) renameWorkspace(this.baseline.entry.id, name);
    if (this.isEmpty() && !this.entry.token) {
      initScenarioDoc(this.doc, {
        baseline: this.baseline.entry.id,
        baselineName: typeof name === 'string' ? name : this.baseline.entry.name,
        name: this.entry.name,
        forkedAt: this.entry.forkedAt ?? new Date().toISOString(),
      });
    }
    // Forked from the Savings view: its changes are the scenario's first (not undone by Ctrl+Z).
    const edits = takeSavingsEdits(this.entry.id);
    if (edits) applySavingsEdits(this.layered, edits);
  }

  /** A scenario's document is small and read by no worker of its own: nothing to start or wait for. */
  protected override startWorker(): void {}

  protected override async storeRewritten(): Promise<void> {}

  protected override ownsWorker(): boolean {
    return false;
  }

  protected override async openWorker(): Promise<void> {
    const worker = await this.baseline.workerReady;
    if (this.destroyed) return;
    this.attachment = worker.attachScenario(this.entry.id, this.doc, { primary: true, onPatch: (p) => this.results.apply(p) });
    const first = await this.attachment.ready;
    if (this.destroyed) return;
    this.results.apply(first);
    this.results.ready[1](true);
  }

  protected override sheetView(sheet: SheetName): SheetCells {
    const v = new LayeredSheetView(this.layered.sheet(sheet), this.baseline.doc, this.doc);
    this.layeredViews.push(v);
    return v;
  }

  override sheetRows(sheet: SheetName, onChange: (c: SheetRowsChange) => void): { keys: string[]; destroy(): void } {
    return new LayeredSheetRows(this.layered.sheet(sheet), onChange);
  }

  override setCell(sheet: SheetName, key: string, column: string, value: CellValue): void {
    setScenarioCell(this.layered, sheet, key, column, value);
  }

  override addRow(sheet: SheetName, cells: Cells): string {
    return addScenarioRow(this.layered, sheet, cells);
  }

  override deleteRow(sheet: SheetName, key: string): void {
    deleteScenarioRow(this.layered, sheet, key);
  }

  override setting(key: string): unknown {
    return this.layered.settings()[key];
  }

  override setSetting(key: string, value: unknown): void {
    this.edit(() => setScenarioSetting(this.layered, key, value));
  }

  override observeSettings(fn: () => void): () => void {
    const maps = [settingsMap(this.baseline.doc), settingsMap(this.doc)];
    for (const m of maps) m.observe(fn);
    return () => { for (const m of maps) m.unobserve(fn); };
  }

  override pageView(sheet: SheetName, request: ViewRequest, computed?: ComputedValue): ViewAnswer {
    return computeView(this.layered, sheet, request, computed);
  }

  /** An import lands in the scenario: its chunks are the scenario's own; "replace" deletes the baseline's rows here. */
  override applyImport(sheets: readonly StagedSheet[], settings: Record<string, unknown> | null, onProgress?: ApplyOptions['onProgress']): Promise<void> {
    return applyImport(this.doc, sheets, settings, {
      transact: (fn) => this.doc.transact(fn, IMPORT_ORIGIN),
      onProgress,
      clearSheet: (sheet) => clearScenarioSheet(this.layered, sheet),
      writeSettings: (values) => { for (const [k, v] of Object.entries(values)) if (v !== undefined) setScenarioSetting(this.layered, k, v); },
    });
  }

  /** The scenario as a whole workbook document (baseline and changes, as the export writes it). */
  override exportState(): Uint8Array {
    const name = metaMap(this.doc).get('name');
    const doc = createWorkbookDoc({ name: typeof name === 'string' ? name : this.entry.name });
    const file = this.exportWorkbook();
    importWorkbook(doc, { settings: file.settings, sheets: Object.fromEntries(SHEETS.map((s) => [s, file[s]])) });
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  override exportWorkbook(): ReturnType<typeof exportWorkbook> {
    return exportWorkbook(this.doc, this.layered);
  }

  override async explain(key: string): Promise<Contribution[]> {
    return (await this.baseline.workerReady).explain(key, this.entry.id);
  }

  /** Every contribution of a position on the baseline ('' ) or on an open scenario (its id). */
  async explainSide(key: string, side: string): Promise<Contribution[]> {
    return (await this.baseline.workerReady).explain(key, side);
  }

  override async view(sheet: SheetName, request: ViewRequest): Promise<ViewAnswer | null> {
    return (await this.baseline.workerReady).view(sheet, request, this.entry.id);
  }

  /** An import into the scenario is checked against the scenario's rows (its layers over the baseline). */
  override async importContext(ids: string[]): Promise<Existing> {
    return (await this.baseline.workerReady).importContext(ids, this.entry.id);
  }

  /** The baseline against this scenario and `others` (open in the worker), in that order. */
  async compare(others: readonly string[] = []): Promise<Comparison> {
    return (await this.baseline.workerReady).compare([this.entry.id, ...others]);
  }

  /** The engine rests on this scenario (primary side): its savings are this scenario's. */
  override async watchSavings(): Promise<void> {
    const w = await this.baseline.workerReady;
    if (!this.destroyed) this.results.savings.apply(await w.watchSavings());
  }

  override async savingsEdits(action: SavingsAction): Promise<SavingsEdit[]> {
    return (await this.baseline.workerReady).savingsEdits(action);
  }

  /** Acts on savings here: their row changes written into this scenario as one undoable step. */
  applySavings(edits: readonly SavingsEdit[]): number {
    let n = 0;
    this.edit(() => { n = applySavingsEdits(this.layered, edits); });
    return n;
  }

  override workerStats(): Promise<unknown> {
    return this.baseline.workerStats();
  }

  override destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.attachment?.close();
    for (const v of this.layeredViews) v.destroy();
    this.layered.destroy();
    super.destroy();
  }
}
