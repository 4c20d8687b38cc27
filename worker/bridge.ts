// The bridge: the one module that knows both the document (Yjs) and the engine. It loads an
// incremental engine from a document once, then turns DocChanges into engine changes, applies
// them and returns patches. Rows are read back from the document (the engine's RowSource).
//
// A large batch (a remote import of thousands of rows) may be cheaper as a full reload than row
// by row: then the engine is rebuilt and the patch is the difference from what the UI had
// (mirror.ts), so a reload's patch means the same as an incremental one. If the engine ever throws
// on a batch (a bug: bad cells are problems, not errors), the bridge also reloads, so one bad
// edit cannot leave the results stale.

import { Engine, LOAD_ORDER } from '../engine/engine';
import type { Change, Patch, RowSource } from '../engine/changes';
import { isSheetName } from '../engine/schema';
import type { DocChange } from './doc/model';
import type { WorkbookRead } from './doc/reader';
import { ResultMirror } from './mirror';

export interface BridgeOptions {
  /** ISO date for a workbook that leaves asOf blank. */
  today: string;
  /**
   * Reload fully when a batch touches at least this many rows. Default: when the batch is large
   * (≥ 1,000 rows) and row-by-row would take longer than the last full load, by the measured
   * cost per row.
   */
  reloadAbove?: number;
}

export interface BridgeStats {
  lastApplyMs: number;
  fullReconcileMs: number;
  reloads: number;
  /** Engine failures that forced a reload (messages), most recent last. */
  errors: string[];
}

const MIN_AUTO_RELOAD_ROWS = 1000;

export class Bridge {
  engine!: Engine;
  readonly mirror = new ResultMirror();
  readonly stats: BridgeStats = { lastApplyMs: 0, fullReconcileMs: 0, reloads: 0, errors: [] };
  /** Measured engine time per changed row (moving average), for the reload decision. */
  private msPerRow = 0.05;

  constructor(readonly reader: WorkbookRead, private readonly options: BridgeOptions) {}

  readonly source: RowSource = (sheet, key) => (typeof key === 'string' ? this.reader.readRow(sheet, key) : undefined);

  /** Loads the whole document into a fresh engine; the patch brings the UI to its results. */
  loadAll(): Patch {
    return this.mirror.diffTo(this.reload(this.reader));
  }

  /**
   * A fresh engine loaded from `reader` (the document, or a scenario of it: scenario/sides.ts)
   * replaces the engine; returns its initial patch (every result). The mirror is left as it was.
   */
  reload(reader: WorkbookRead): Patch {
    const t0 = performance.now();
    const engine = loadDocument(new Engine({ today: this.options.today, incremental: true }), reader);
    const full = engine.initialPatch();
    this.engine = engine;
    this.stats.fullReconcileMs = performance.now() - t0;
    return full;
  }

  /** Whether a batch of this many rows is cheaper as a full reload (see the options). */
  shouldReload(rows: number): boolean {
    if (this.options.reloadAbove !== undefined) return rows >= this.options.reloadAbove;
    return rows >= MIN_AUTO_RELOAD_ROWS && rows * this.msPerRow > this.stats.fullReconcileMs;
  }

  /** Notes the time an incremental batch of `rows` rows took (for the reload decision). */
  noteApply(ms: number, rows: number): void {
    this.stats.lastApplyMs = ms;
    if (rows > 0) this.msPerRow = 0.8 * this.msPerRow + 0.2 * (ms / rows);
  }

  /** Notes an engine failure (a bug: bad cells are problems, not errors) before a reload. */
  noteError(err: unknown): void {
    this.stats.errors = [...this.stats.errors.slice(-9), err instanceof Error ? err.message : String(err)];
    this.stats.reloads++;
  }

  /** Applies the changes of one or more transactions; returns the patch (maybe empty). */
  apply(changes: readonly DocChange[]): Patch {
    const t0 = performance.now();
    const batch = collapse(changes);
    if (this.shouldReload(batch.rows)) {
      this.stats.reloads++;
      const patch = this.loadAll();
      this.stats.lastApplyMs = this.stats.fullReconcileMs;
      return patch;
    }
    let patch: Patch;
    try {
      patch = this.engine.apply(batch.changes, this.source);
    } catch (err) {
      this.noteError(err);
      return this.loadAll();
    }
    this.mirror.take(patch);
    this.noteApply(performance.now() - t0, batch.rows);
    return patch;
  }
}

/** Loads every sheet of a document into a fresh engine, sheet by sheet (each sheet's rows are dropped once read). */
export function loadDocument(engine: Engine, reader: WorkbookRead): Engine {
  engine.begin(reader.settings());
  for (const sheet of LOAD_ORDER) {
    const { keys, rows } = reader.sheet(sheet).readAll();
    engine.addSheet(sheet, { rows, keys }, { release: true });
  }
  engine.finish();
  return engine;
}

/**
 * Engine changes for a batch: one per row (its last change: the engine re-reads a row for
 * cellChanged, so later cell changes need not be repeated) and one per setting (its last value).
 * Sheets the engine does not know are left out.
 */
export function collapse(changes: readonly DocChange[]): { changes: Change[]; rows: number } {
  const rows = new Map<string, Change>();
  const settings = new Map<string, Change>();
  for (const c of changes) {
    if (c.kind === 'settingsChanged') {
      settings.delete(c.key);
      settings.set(c.key, c);
      continue;
    }
    if (!isSheetName(c.sheet)) continue;
    const id = `${c.sheet}\u0000${c.key}`;
    rows.delete(id);
    rows.set(id, { ...c, sheet: c.sheet } as Change);
  }
  return { changes: [...settings.values(), ...rows.values()], rows: rows.size };
}
