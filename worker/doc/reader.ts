// Reading a workbook document: a whole sheet in key order, or one row by key (fast: a chunk is
// indexed once, chunk-index.ts, and kept in a bounded cache of indexed chunks). A caller that reads
// whole columns (a grid sorting) asks for parsed chunks instead (`decoded`, its own bounded cache).
//
// A sheet's rows are its chunk rows (with their overlay cells applied and deleted rows left out)
// and its added rows, merged in key order. Reads reflect the document as of the last finished
// transaction; inside an open transaction, one case may lag: a cell written in that transaction
// to a column the chunk does not have (the extra-column index is kept by an observer).

import * as Y from 'yjs';
import { SHEETS } from '../../engine/schema';
import { chunkRow, decodeChunk, isChunk, newCells, type DecodedChunk, type RawCells } from './chunk';
import { indexChunk, indexedRow, type IndexedChunk } from './chunk-index';
import { INDEX_WIDTH, parseChunkRowKey } from './keys';
import { overlayKey, settingsMap, sheetTypes, splitOverlayKey, type SheetTypes } from './layout';
import { WeightedLru } from './lru';
import type { CellValue, Chunk } from './model';

export interface ReaderOptions {
  /** Cells of indexed chunks kept for single-row reads, 8 bytes each (least recently used go first). */
  cacheCells?: number;
  /** Rows of parsed chunks kept for `decoded` (column reads), least recently used go first. */
  cacheRows?: number;
}

export interface SheetRowsRead {
  keys: string[];
  rows: RawCells[];
}

const DEFAULT_CACHE_CELLS = 16_000_000;
const DEFAULT_CACHE_ROWS = 100_000;
/** `.00000` … `.99999` up to CHUNK_ROWS: a chunk row's key is its chunk id and one of these. */
const SUFFIXES: string[] = [];
const suffix = (i: number) => SUFFIXES[i] ?? (SUFFIXES[i] = `.${String(i).padStart(INDEX_WIDTH, '0')}`);
const byId = (a: Chunk, b: Chunk) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class SheetReader {
  readonly types: SheetTypes;
  private chunkById: Map<string, Chunk> | null = null;
  /** Indexed chunks for single-row reads, weighed in cells. */
  private readonly cache: WeightedLru<IndexedChunk>;
  /** Parsed chunks for column reads, weighed in rows. */
  private readonly parsed: WeightedLru<DecodedChunk>;
  /** Chunks whose data could not be read (a damaged document): left out, as if absent. */
  readonly damaged = new Set<string>();
  /** rowKey → overlay columns of that row (kept by an observer; see the file comment). */
  private readonly overlayColumns = new Map<string, Set<string>>();
  private readonly stop: () => void;

  constructor(doc: Y.Doc, readonly sheet: string, options: ReaderOptions = {}) {
    this.cache = new WeightedLru((d) => d.n * d.columns.length, options.cacheCells ?? DEFAULT_CACHE_CELLS);
    this.parsed = new WeightedLru((d) => d.n, options.cacheRows ?? DEFAULT_CACHE_ROWS);
    const t = (this.types = sheetTypes(doc, sheet));
    for (const k of t.cells.keys()) this.noteOverlay(k, true);
    const onCells = (e: Y.YMapEvent<CellValue>) => {
      for (const [k, change] of e.changes.keys) this.noteOverlay(k, change.action !== 'delete');
    };
    // Chunks are immutable: only the set of chunks changes (an import, or an undone one).
    const onChunks = () => { this.chunkById = null; };
    t.cells.observe(onCells);
    t.chunks.observe(onChunks);
    this.stop = () => { t.cells.unobserve(onCells); t.chunks.unobserve(onChunks); };
  }

  destroy(): void {
    this.stop();
  }

  private noteOverlay(k: string, present: boolean): void {
    const { rowKey, column } = splitOverlayKey(k);
    let cols = this.overlayColumns.get(rowKey);
    if (present) {
      if (!cols) this.overlayColumns.set(rowKey, (cols = new Set()));
      cols.add(column);
    } else if (cols) {
      cols.delete(column);
      if (cols.size === 0) this.overlayColumns.delete(rowKey);
    }
  }

  /** The sheet's chunks by id (rebuilt after the set of chunks changed). */
  chunks(): Map<string, Chunk> {
    if (!this.chunkById) {
      this.chunkById = new Map();
      for (const c of this.types.chunks.toArray()) if (isChunk(c) && !this.damaged.has(c.id)) this.chunkById.set(c.id, c);
      for (const id of [...this.cache.ids(), ...this.parsed.ids()]) if (!this.chunkById.has(id)) this.uncache(id);
    }
    return this.chunkById;
  }

  private uncache(id: string): void {
    this.cache.delete(id);
    this.parsed.delete(id);
  }

  /** A chunk parsed whole (for column reads), cached; a damaged chunk reads as one without columns. */
  decoded(chunk: Chunk): DecodedChunk {
    let d = this.parsed.get(chunk.id);
    if (d) return d;
    try {
      d = decodeChunk(chunk);
    } catch {
      this.markDamaged(chunk.id);
      return { id: chunk.id, n: chunk.n, columns: [], values: [], absent: [] };
    }
    this.parsed.set(chunk.id, d);
    return d;
  }

  private markDamaged(id: string): void {
    this.damaged.add(id);
    this.uncache(id);
    this.chunkById = null;
  }

  /** A chunk indexed, from the cache (most recently used last) or indexed now and cached; null if damaged. */
  indexed(chunk: Chunk): IndexedChunk | null {
    let d = this.cache.get(chunk.id);
    if (d) return d;
    try {
      d = indexChunk(chunk);
    } catch {
      this.markDamaged(chunk.id);
      return null;
    }
    this.cache.set(chunk.id, d);
    return d;
  }

  /** Indexes a chunk not yet indexed if the cache has room for it; false when there is nothing (more) to do. */
  warmOne(): boolean {
    for (const c of this.chunks().values()) {
      if (this.cache.has(c.id)) continue;
      if (this.cache.weight + c.n * c.columns.length > this.cache.limit) return false;
      this.indexed(c);
      return true;
    }
    return false;
  }

  /** The overlay cells of a row (`cells` entries for its key), as [column, value]. */
  overlayOf(key: string): [string, unknown][] {
    const cols = this.overlayColumns.get(key);
    if (!cols) return [];
    const out: [string, unknown][] = [];
    for (const c of cols) {
      const k = overlayKey(key, c);
      if (this.types.cells.has(k)) out.push([c, this.types.cells.get(k)]);
    }
    return out;
  }

  /** Row keys in sheet order (deleted chunk rows left out), without reading any row. */
  keys(): string[] {
    const t = this.types;
    const out: string[] = [];
    const anyDeleted = t.deleted.size > 0;
    for (const c of this.chunksInKeyOrder()) {
      for (let i = 0; i < c.n; i++) {
        const k = c.id + suffix(i);
        if (!anyDeleted || !t.deleted.has(k)) out.push(k);
      }
    }
    const added = [...t.rows.keys()].sort();
    return added.length === 0 ? out : mergeSortedKeys(out, added);
  }

  /** Whether a row is in the sheet now. */
  exists(key: string): boolean {
    const at = parseChunkRowKey(key);
    if (!at) return this.types.rows.has(key);
    if (this.types.deleted.has(key)) return false;
    const chunk = this.chunks().get(at.chunkId);
    return chunk !== undefined && Number.isInteger(at.index) && at.index >= 0 && at.index < chunk.n;
  }

  /** A row's cells now, or undefined when the sheet has no such row. */
  readRow(key: string): RawCells | undefined {
    const at = parseChunkRowKey(key);
    if (!at) {
      const m = this.types.rows.get(key);
      return m instanceof Y.Map ? addedRowCells(m) : undefined;
    }
    if (!this.exists(key)) return undefined;
    const chunk = this.chunks().get(at.chunkId)!;
    const parsed = this.parsed.peek(chunk.id);
    const d = parsed ?? this.indexed(chunk);
    if (!d) return undefined;
    const row = parsed ? chunkRow(parsed, at.index) : indexedRow(d as IndexedChunk, at.index);
    const cells = this.types.cells;
    if (cells.size === 0) return row;
    for (const c of d.columns) {
      const k = overlayKey(key, c);
      if (cells.has(k)) row[c] = cells.get(k);
    }
    for (const c of this.overlayColumns.get(key) ?? []) {
      const k = overlayKey(key, c);
      if (cells.has(k)) row[c] = cells.get(k);
    }
    return row;
  }

  /** Every row in key order. Each chunk is parsed whole here (faster than by row for a whole sheet). */
  readAll(): SheetRowsRead {
    const t = this.types;
    const overlay = new Map<string, [string, unknown][]>();
    for (const [k, v] of t.cells.entries()) {
      const { rowKey, column } = splitOverlayKey(k);
      let list = overlay.get(rowKey);
      if (!list) overlay.set(rowKey, (list = []));
      list.push([column, v]);
    }
    const chunkKeys: string[] = [], chunkRows: RawCells[] = [];
    const anyDeleted = t.deleted.size > 0, anyOverlay = overlay.size > 0;
    for (const chunk of this.chunksInKeyOrder()) {
      let d = this.parsed.peek(chunk.id);
      try {
        d ??= decodeChunk(chunk);
      } catch {
        this.markDamaged(chunk.id);
        continue;
      }
      for (let i = 0; i < d.n; i++) {
        const key = chunk.id + suffix(i);
        if (anyDeleted && t.deleted.has(key)) continue;
        const row = chunkRow(d, i);
        if (anyOverlay) {
          const cells = overlay.get(key);
          if (cells) for (const [c, v] of cells) row[c] = v;
        }
        chunkKeys.push(key);
        chunkRows.push(row);
      }
    }
    const addedKeys = [...t.rows.keys()].sort();
    if (addedKeys.length === 0) return { keys: chunkKeys, rows: chunkRows };
    // Merge the two sorted lists (a chunk's rows are contiguous in key order: keys.ts).
    const keys: string[] = [], rows: RawCells[] = [];
    let i = 0, j = 0;
    while (i < chunkKeys.length || j < addedKeys.length) {
      if (j >= addedKeys.length || (i < chunkKeys.length && chunkKeys[i] < addedKeys[j])) {
        keys.push(chunkKeys[i]);
        rows.push(chunkRows[i++]);
      } else {
        const k = addedKeys[j++];
        const m = t.rows.get(k);
        if (!(m instanceof Y.Map)) continue;
        keys.push(k);
        rows.push(addedRowCells(m));
      }
    }
    return { keys, rows };
  }

  /** The sheet's readable chunks in key order (each chunk's rows are contiguous in it: keys.ts). */
  chunksInKeyOrder(): Chunk[] {
    return [...this.chunks().values()].sort(byId);
  }

  /** Rows in the sheet now (chunk rows less deleted ones, plus added rows). */
  count(): number {
    let n = this.types.rows.size;
    for (const c of this.chunks().values()) n += c.n;
    for (const k of this.types.deleted.keys()) if (parseChunkRowKey(k) && this.chunks().has(parseChunkRowKey(k)!.chunkId)) n--;
    return n;
  }
}

/** An added row's cells (Y.Map.toJSON would drop a "__proto__" column: it assigns into a plain object). */
function addedRowCells(m: Y.Map<CellValue>): RawCells {
  const row = newCells();
  m.forEach((v: unknown, k) => { row[k] = v instanceof Y.AbstractType ? v.toJSON() : v; });
  return row;
}

/**
 * What reads a workbook, whatever holds it: one document (WorkbookReader) or a scenario over its
 * baseline (scenario/reader.ts). The bridge, the export and the view read through this.
 */
export interface WorkbookRead {
  sheet(name: string): {
    readAll(): SheetRowsRead;
    readRow(key: string): RawCells | undefined;
    exists(key: string): boolean;
    count(): number;
    keys(): string[];
  };
  readRow(sheet: string, key: string): RawCells | undefined;
  settings(): Record<string, unknown>;
  counts(): Record<string, number>;
  warmStep(): boolean;
  destroy(): void;
}

/** Two sorted key lists merged into one (sheet order). */
export function mergeSortedKeys(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** Reads every sheet of one document (readers are made on first use and kept). */
export class WorkbookReader implements WorkbookRead {
  private readonly sheets = new Map<string, SheetReader>();

  constructor(readonly doc: Y.Doc, private readonly options: ReaderOptions = {}) {}

  sheet(name: string): SheetReader {
    let r = this.sheets.get(name);
    if (!r) this.sheets.set(name, (r = new SheetReader(this.doc, name, this.options)));
    return r;
  }

  readRow(sheet: string, key: string): RawCells | undefined {
    return this.sheet(sheet).readRow(key);
  }

  settings(): Record<string, unknown> {
    return settingsMap(this.doc).toJSON();
  }

  /**
   * Indexes chunks ahead of single-row reads, one chunk per call (a few milliseconds each), so that
   * the first edit of a row in a large sheet does not pay for it. Returns false when done.
   */
  warmStep(): boolean {
    for (const s of SHEETS) if (this.sheet(s).warmOne()) return true;
    return false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(SHEETS.map((s) => [s, this.sheet(s).count()]));
  }

  destroy(): void {
    for (const r of this.sheets.values()) r.destroy();
    this.sheets.clear();
  }
}
