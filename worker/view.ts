// A sheet's rows sorted and filtered, as positions into the sheet's key order: what a grid shows.
// Pure over a WorkbookReader, so it runs in the reconciliation worker for large sheets (the page
// never reads a million rows) and on the page for small ones, with one meaning.
//
// The answer is an Int32Array of indices into the sheet's rows in key order (sheet order): the
// caller, who holds that key list, maps only the indices of the rows it shows. Both sides read the
// same document state (the caller flushes its updates to the worker first), so their key orders
// are equal; `rows` in the answer lets the caller check.
//
// Values are read column by column (a chunk's JSON is parsed once per request; dictionary columns
// are cheap), overlay cells applied, deleted rows left out, added rows merged in key order.

import * as Y from 'yjs';
import { cellText } from '../engine/cells';
import { decodeChunk } from './doc/chunk';
import { decodeColumns } from './doc/chunk-index';
import { splitOverlayKey } from './doc/layout';
import { chunkRowKey, parseChunkRowKey } from './doc/keys';
import type { WorkbookReader } from './doc/reader';
import type { AnyReader, LayeredReader } from './scenario/reader';

export interface SortSpec { colId: string; sort: 'asc' | 'desc' }

/** AG Grid's filter models for text, number and date filters (one condition or two joined). */
export interface FilterModel {
  filterType?: string;
  type?: string;
  filter?: unknown;
  filterTo?: unknown;
  dateFrom?: string | null;
  dateTo?: string | null;
  operator?: 'AND' | 'OR';
  conditions?: FilterModel[];
}

export interface ViewRequest {
  sort: SortSpec[];
  filter: Record<string, FilterModel>;
  /** Quick filter text: a row matches when every word is in one of its `columns` (case ignored). */
  quick: string;
  columns: string[];
}

export interface ViewAnswer {
  /** Rows in the sheet, for the caller's check. */
  rows: number;
  /** Indices into the sheet's key order, in display order. */
  order: Int32Array;
}

/** Values of computed columns (entitlements on the page): null for every other column. */
export type ComputedValue = (colId: string, cells: (col: string) => unknown) => unknown;

const NONE = Symbol('absent');

/**
 * The given columns of every row in key order (absent cells: null). With `skip`, chunks it answers
 * true for (from their JSON text) are not read: `values` then hold only the rows read, and `index`
 * gives each one's position in the sheet. Chunks with edited cells in these columns are always read.
 */
export function readColumns(
  reader: WorkbookReader, sheet: string, columns: readonly string[], skip?: (data: string) => boolean,
): { rows: number; values: unknown[][]; index: number[] | null } {
  const r = reader.sheet(sheet);
  const t = r.types;
  const want = new Set(columns);
  const overlay = new Map<string, Map<string, unknown>>();
  const edited = new Set<string>();
  for (const [k, v] of t.cells.entries()) {
    const { rowKey, column } = splitOverlayKey(k);
    if (!want.has(column)) continue;
    let m = overlay.get(column);
    if (!m) overlay.set(column, (m = new Map()));
    m.set(rowKey, v);
    const at = skip ? parseChunkRowKey(rowKey) : null;
    if (at) edited.add(at.chunkId);
  }
  const out: unknown[][] = columns.map(() => []);
  const index: number[] | null = skip ? [] : null;
  let pos = 0;
  const anyDeleted = t.deleted.size > 0;
  const added = [...t.rows.keys()].sort();
  let a = 0;
  const pushAdded = (until: string | null) => {
    while (a < added.length && (until === null || added[a] < until)) {
      const m = t.rows.get(added[a++]);
      if (!(m instanceof Y.Map)) continue;
      columns.forEach((c, i) => out[i].push(m.get(c) ?? null));
      index?.push(pos);
      pos++;
    }
  };
  for (const chunk of r.chunksInKeyOrder()) {
    if (skip && !edited.has(chunk.id) && typeof chunk.data === 'string' && skip(chunk.data)) {
      pushAdded(`${chunk.id}.`);
      let count = chunk.n;
      if (anyDeleted) for (let row = 0; row < chunk.n; row++) if (t.deleted.has(chunkRowKey(chunk.id, row))) count--;
      pos += count;
      continue;
    }
    let d;
    // Skipping a column costs about a third of parsing it: for most of a chunk's columns, parse it whole.
    try { d = want.size * 2 < chunk.columns.length ? decodeColumns(chunk, want) : decodeChunk(chunk); } catch { continue; }
    pushAdded(`${chunk.id}.`);
    const cols = columns.map((c) => d.columns.indexOf(c));
    for (let row = 0; row < d.n; row++) {
      const key = anyDeleted || overlay.size ? chunkRowKey(chunk.id, row) : '';
      if (anyDeleted && t.deleted.has(key)) continue;
      for (let i = 0; i < columns.length; i++) {
        const ci = cols[i];
        let v: unknown = ci < 0 || d.absent[ci]?.has(row) ? null : d.values[ci][row];
        const o = overlay.get(columns[i]);
        if (o) { const ov = o.has(key) ? o.get(key) : NONE; if (ov !== NONE) v = ov; }
        out[i].push(v ?? null);
      }
      index?.push(pos);
      pos++;
    }
  }
  pushAdded(null);
  return { rows: columns.length ? pos : r.count(), values: out, index };
}

/**
 * The given columns of a scenario's rows in key order: the baseline's columns less the rows the
 * scenario deleted (or holds as its own), its overlay cells applied, merged with its own rows.
 */
function readLayeredColumns(reader: LayeredReader, sheet: string, columns: readonly string[]): { rows: number; values: unknown[][] } {
  const L = reader.sheet(sheet);
  const base = readColumns(reader.base, sheet, columns), baseKeys = L.base.keys();
  const own = readColumns(reader.own, sheet, columns), ownKeys = L.own.keys();
  const keep = L.baseFilter();
  const overlay = columns.map(() => new Map<string, unknown>());
  for (const [k, v] of L.types.cells.entries()) {
    const { rowKey, column } = splitOverlayKey(k);
    const i = columns.indexOf(column);
    if (i >= 0 && !L.isOwn(rowKey)) overlay[i].set(rowKey, v);
  }
  const out: unknown[][] = columns.map(() => []);
  let j = 0;
  const pushOwn = (until: string | null) => {
    for (; j < ownKeys.length && (until === null || ownKeys[j] < until); j++) columns.forEach((_, c) => out[c].push(own.values[c][j]));
  };
  baseKeys.forEach((k, i) => {
    if (keep && !keep(k)) return;
    pushOwn(k);
    columns.forEach((_, c) => {
      const o = overlay[c];
      out[c].push(o.size && o.has(k) ? o.get(k) ?? null : base.values[c][i]);
    });
  });
  pushOwn(null);
  return { rows: out.length ? out[0].length : L.count(), values: out };
}

/** One column of every row in key order (absent cells: null), of a workbook or a scenario. */
export function readColumn(reader: AnyReader, sheet: string, column: string): unknown[] {
  return ('own' in reader ? readLayeredColumns(reader, sheet, [column]) : readColumns(reader, sheet, [column])).values[0];
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : cellText(v)).toLowerCase();

/** One condition of a column filter (AG Grid's text, number and date filter types). */
function matches(m: FilterModel, v: unknown): boolean {
  if (m.conditions && m.conditions.length) {
    return m.operator === 'OR' ? m.conditions.some((c) => matches(c, v)) : m.conditions.every((c) => matches(c, v));
  }
  const blank = v === null || v === undefined || v === '';
  if (m.type === 'blank') return blank;
  if (m.type === 'notBlank') return !blank;
  if (m.filterType === 'number') {
    const n = typeof v === 'number' ? v : null;
    const f = Number(m.filter), to = Number(m.filterTo);
    if (n === null) return m.type === 'notEqual';
    switch (m.type) {
      case 'equals': return n === f;
      case 'notEqual': return n !== f;
      case 'greaterThan': return n > f;
      case 'greaterThanOrEqual': return n >= f;
      case 'lessThan': return n < f;
      case 'lessThanOrEqual': return n <= f;
      case 'inRange': return n >= f && n <= to;
      default: return true;
    }
  }
  if (m.filterType === 'date') {
    const day = typeof v === 'string' ? v.slice(0, 10) : '';
    const from = (m.dateFrom ?? '').slice(0, 10), to = (m.dateTo ?? '').slice(0, 10);
    if (!day) return false;
    switch (m.type) {
      case 'equals': return day === from;
      case 'notEqual': return day !== from;
      case 'greaterThan': return day > from;
      case 'lessThan': return day < from;
      case 'inRange': return day > from && day < to;
      default: return true;
    }
  }
  const s = text(v), f = text(m.filter);
  switch (m.type) {
    case 'equals': return s === f;
    case 'notEqual': return s !== f;
    case 'notContains': return !s.includes(f);
    case 'startsWith': return s.startsWith(f);
    case 'endsWith': return s.endsWith(f);
    default: return s.includes(f);
  }
}

/** Ranks of a column's values: blanks first, then numbers, then text in collation order. */
function ranks(values: unknown[]): Int32Array {
  const distinct = new Map<unknown, number>();
  for (const v of values) if (!distinct.has(v)) distinct.set(v, 0);
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const compare = (a: unknown, b: unknown): number => {
    const ka = a === null || a === '' ? 0 : typeof a === 'number' ? 1 : 2, kb = b === null || b === '' ? 0 : typeof b === 'number' ? 1 : 2;
    if (ka !== kb) return ka - kb;
    if (ka === 1) return (a as number) - (b as number);
    return ka === 0 ? 0 : collator.compare(cellText(a), cellText(b));
  };
  const order = [...distinct.keys()].sort(compare);
  // Values the collation holds equal ("n" and "N") share a rank: they are ties, kept in sheet order.
  let rank = 0;
  order.forEach((v, i) => distinct.set(v, i > 0 && compare(order[i - 1], v) !== 0 ? ++rank : rank));
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = distinct.get(values[i])!;
  return out;
}

/** Distinct values remembered per column by the quick filter. */
const MEMO_LIMIT = 1 << 14;

/**
 * Whether row i matches the quick filter: every word is in one of the columns (case ignored). Each
 * distinct value of a column is lowercased and tested once (a column of a million rows holds a few
 * thousand products), as a mask of the words it holds; a row matches when its columns' masks
 * cover every word. Lowercasing every cell for every word made most of a filter's garbage.
 */
function quickMatcher(words: string[], columns: unknown[][]): (i: number) => boolean {
  if (words.length > 30) return (i) => words.every((w) => columns.some((c) => text(c[i]).includes(w)));
  const all = 2 ** words.length - 1;
  const masks = columns.map(() => new Map<unknown, number>());
  const test = (v: unknown): number => {
    const t = text(v);
    let k = 0;
    for (let w = 0; w < words.length; w++) if (t.includes(words[w])) k |= 1 << w;
    return k;
  };
  // A column whose values are mostly distinct (ids) gains nothing from the memo: it stops growing.
  const maskOf = (m: Map<unknown, number>, v: unknown): number => {
    const k = m.get(v);
    if (k !== undefined) return k;
    const fresh = test(v);
    if (m.size < MEMO_LIMIT) m.set(v, fresh);
    return fresh;
  };
  return (i) => {
    let got = 0;
    for (let c = 0; c < columns.length && got !== all; c++) got |= maskOf(masks[c], columns[c][i]);
    return got === all;
  };
}

/**
 * Whether no row of a chunk can pass the quick filter, from the chunk's JSON text alone: a word
 * that is not in the lowercased text is in no cell of the chunk. That holds because a cell's
 * text (`text`), lowercased, is found in the lowercased JSON: a string as itself, a number as JSON
 * writes it, an object cell's JSON-like form piece by piece. Where the two forms differ, no chunk
 * is skipped for the word: a word with `"`, `\`, a control character or a surrogate (JSON escapes
 * them), or `…` (a long object cell's text is cut with it), or a word inside "yes" or "no" while
 * the chunk holds `true` or `false` (a yes/no cell's text). Null if no word can skip a chunk.
 */
function chunkSkipper(words: string[]): ((data: string) => boolean) | null {
  // eslint-disable-next-line no-control-regex
  const usable = words.filter((w) => !/["\\\u0000-\u001f\ud800-\udfff…]/.test(w));
  if (usable.length === 0) return null;
  const yesNoPart = usable.map((w) => 'yes'.includes(w) || 'no'.includes(w));
  return (data) => {
    const t = data.toLowerCase();
    // Looked for only when a word needs it: most words (an id, a product) are in no "yes" or "no".
    return usable.some((w, k) => !t.includes(w) && !(yesNoPart[k] && (t.includes('true') || t.includes('false'))));
  };
}

/** The rows a grid shows, in order. `computed` supplies the computed columns (page only). */
export function computeView(reader: AnyReader, sheet: string, req: ViewRequest, computed?: ComputedValue): ViewAnswer {
  const words = req.quick.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const filterCols = Object.keys(req.filter);
  const need = [...new Set([...req.sort.map((s) => s.colId), ...filterCols, ...(words.length ? req.columns : []), ...(computed ? ['id'] : [])])];
  // Computed columns are not in the chunks' text, nor are a scenario's layers read chunk by chunk.
  const skip = words.length && !computed && !('own' in reader) ? chunkSkipper(words) : null;
  const { rows, values, index } = 'own' in reader
    ? { ...readLayeredColumns(reader, sheet, need), index: null }
    : readColumns(reader, sheet, need, skip ?? undefined);
  // The rows read: all of them, or (chunks skipped) those `index` places in the sheet.
  const read = index ? index.length : rows;
  const col = (c: string) => values[need.indexOf(c)];
  if (computed) {
    for (const c of need) {
      const probe = computed(c, () => null);
      if (probe === undefined) continue;
      const arr = col(c);
      for (let i = 0; i < rows; i++) arr[i] = computed(c, (x) => values[need.indexOf(x)]?.[i] ?? null) ?? null;
    }
  }
  const quickMatch = words.length ? quickMatcher(words, req.columns.map(col)) : null;
  let order: Int32Array = new Int32Array(read);
  let n = 0;
  for (let i = 0; i < read; i++) {
    let ok = true;
    for (const c of filterCols) if (!matches(req.filter[c], col(c)[i])) { ok = false; break; }
    if (ok && quickMatch) ok = quickMatch(i);
    if (ok) order[n++] = i;
  }
  order = order.slice(0, n);
  // By each sort key, least significant first, each pass stable: the first key decides, then the
  // next, and rows equal on every key keep sheet order (as a comparison sort with `a - b` last).
  for (let k = req.sort.length - 1; k >= 0; k--) {
    order = sortByRank(order, ranks(col(req.sort[k].colId)), req.sort[k].sort === 'desc');
  }
  if (index) for (let k = 0; k < order.length; k++) order[k] = index[order[k]];
  return { rows, order };
}

/**
 * `order` stably sorted by each row's rank (ascending, or descending when `desc`): a counting sort,
 * linear in the rows (ranks are small integers: one per distinct value). A comparison sort of a
 * million rows took about half of a sort's time in the worker.
 */
function sortByRank(order: Int32Array, rank: Int32Array, desc: boolean): Int32Array {
  let max = 0;
  for (let i = 0; i < order.length; i++) if (rank[order[i]] > max) max = rank[order[i]];
  const at = new Int32Array(max + 2);
  const bucket = (r: number) => (desc ? max - r : r);
  for (let i = 0; i < order.length; i++) at[bucket(rank[order[i]]) + 1]++;
  for (let b = 1; b < at.length; b++) at[b] += at[b - 1];
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[at[bucket(rank[order[i]])]++] = order[i];
  return out;
}
