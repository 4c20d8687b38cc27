// Reading a scenario: the baseline's current document with the scenario's layers on top (layout.ts).
// A sheet's rows are the baseline's rows less the ones the scenario deleted, with the scenario's
// overlay cells applied, merged in key order with the scenario's own rows (its added rows and
// imported chunks, read as in any workbook). Settings are the baseline's with the scenario's
// overrides (null: removed).
//
// Same API as WorkbookReader where callers share it (sheet(), readAll, readRow, exists, count,
// keys, settings), so the bridge, the grid, the view and the command line read a scenario as they
// read a workbook. Reads reflect both documents as of their last finished transactions.

import type * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import type { RawCells } from '../doc/chunk';
import { chunkRowKey, parseChunkRowKey } from '../doc/keys';
import { settingsMap } from '../doc/layout';
import { WorkbookReader, mergeSortedKeys, type ReaderOptions, type SheetReader, type SheetRowsRead, type WorkbookRead } from '../doc/reader';
import { scenarioSheetTypes, type ScenarioSheetTypes } from './layout';

export class LayeredSheetReader {
  /** The scenario's types for this sheet. */
  readonly types: ScenarioSheetTypes;

  constructor(readonly base: SheetReader, readonly own: SheetReader, scenario: Y.Doc, readonly sheet: string) {
    this.types = scenarioSheetTypes(scenario, sheet);
  }

  /** A row the scenario made (added or imported), rather than a baseline row. */
  isOwn(key: string): boolean {
    const at = parseChunkRowKey(key);
    return at ? this.own.chunks().has(at.chunkId) : this.types.rows.has(key);
  }

  exists(key: string): boolean {
    if (this.isOwn(key)) return this.own.exists(key);
    return !this.types.deleted.has(key) && this.base.exists(key);
  }

  /** The baseline's row now (undefined: not in the baseline), whatever the scenario did to it. */
  baseRow(key: string): RawCells | undefined {
    return this.base.readRow(key);
  }

  readRow(key: string): RawCells | undefined {
    if (this.isOwn(key)) return this.own.readRow(key);
    if (this.types.deleted.has(key)) return undefined;
    const row = this.base.readRow(key);
    if (!row) return undefined;
    for (const [c, v] of this.own.overlayOf(key)) row[c] = v;
    return row;
  }

  /**
   * Keys of the scenario's own rows that the baseline holds too (a merge copied them there; the
   * scenario's own version is the one read), or null when there are none: the common case, checked
   * without looking at every key.
   */
  private shadowed(): Set<string> | null {
    const baseChunks = this.base.chunks(), baseRows = this.base.types.rows;
    let out: Set<string> | null = null;
    for (const c of this.own.chunks().values()) {
      if (!baseChunks.has(c.id)) continue;
      out ??= new Set();
      for (let i = 0; i < c.n; i++) out.add(chunkRowKey(c.id, i));
    }
    for (const k of this.types.rows.keys()) if (baseRows.has(k)) (out ??= new Set()).add(k);
    return out;
  }

  /** Whether a baseline key shows as a baseline row (not deleted by the scenario, not its own); null: all do. */
  baseFilter(): ((k: string) => boolean) | null {
    const deleted = this.types.deleted, shadowed = this.shadowed();
    if (deleted.size === 0 && !shadowed) return null;
    return (k) => !deleted.has(k) && !shadowed?.has(k);
  }

  /** Every row in key order: the baseline's (chunks parsed whole) with the layers, and the scenario's own. */
  readAll(): SheetRowsRead {
    const base = this.base.readAll();
    const keep = this.baseFilter();
    const anyOverlay = this.types.cells.size > 0;
    let keys = base.keys, rows = base.rows;
    if (keep || anyOverlay) {
      keys = [];
      rows = [];
      base.keys.forEach((k, i) => {
        if (keep && !keep(k)) return;
        const row = base.rows[i];
        if (anyOverlay) for (const [c, v] of this.own.overlayOf(k)) row[c] = v;
        keys.push(k);
        rows.push(row);
      });
    }
    const own = this.own.readAll();
    if (own.keys.length === 0) return { keys, rows };
    const outKeys: string[] = [], outRows: RawCells[] = [];
    let i = 0, j = 0;
    while (i < keys.length || j < own.keys.length) {
      if (j >= own.keys.length || (i < keys.length && keys[i] < own.keys[j])) {
        outKeys.push(keys[i]);
        outRows.push(rows[i++]);
      } else {
        outKeys.push(own.keys[j]);
        outRows.push(own.rows[j++]);
      }
    }
    return { keys: outKeys, rows: outRows };
  }

  /** Row keys in sheet order, without reading any row. */
  keys(): string[] {
    const keep = this.baseFilter();
    const base = keep ? this.base.keys().filter(keep) : this.base.keys();
    const own = this.own.keys();
    return own.length === 0 ? base : mergeSortedKeys(base, own);
  }

  count(): number {
    let hidden = 0;
    for (const k of this.types.deleted.keys()) if (!this.isOwn(k) && this.base.exists(k)) hidden++;
    for (const k of this.shadowed() ?? []) if (this.base.exists(k)) hidden++;
    return this.base.count() - hidden + this.own.count();
  }
}

/** Reads a scenario over its baseline (the baseline's reader is shared, not owned). */
export class LayeredReader implements WorkbookRead {
  private readonly sheets = new Map<string, LayeredSheetReader>();
  /** The scenario document read as a workbook: its own rows and the raw layers. */
  readonly own: WorkbookReader;

  constructor(readonly base: WorkbookReader, readonly scenario: Y.Doc, options: ReaderOptions = {}) {
    this.own = new WorkbookReader(scenario, options);
  }

  get doc(): Y.Doc {
    return this.scenario;
  }

  sheet(name: string): LayeredSheetReader {
    let r = this.sheets.get(name);
    if (!r) this.sheets.set(name, (r = new LayeredSheetReader(this.base.sheet(name), this.own.sheet(name), this.scenario, name)));
    return r;
  }

  readRow(sheet: string, key: string): RawCells | undefined {
    return this.sheet(sheet).readRow(key);
  }

  settings(): Record<string, unknown> {
    const out = this.base.settings();
    for (const [k, v] of settingsMap(this.scenario).entries()) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  }

  /** The scenario's own chunks are indexed after the baseline's (the baseline's reader warms its own). */
  warmStep(): boolean {
    return this.own.warmStep();
  }

  counts(): Record<string, number> {
    return Object.fromEntries(SHEETS.map((s) => [s, this.sheet(s).count()]));
  }

  destroy(): void {
    this.own.destroy();
    this.sheets.clear();
  }
}

/** What reads a workbook: a plain document, or a scenario over its baseline. */
export type AnyReader = WorkbookReader | LayeredReader;
