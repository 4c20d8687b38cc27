// Chunks: up to CHUNK_ROWS imported rows stored column by column as one JSON text (model.ts).
//
// `data` is the JSON text of an array with one entry per column, in `columns` order. An entry is
// either the plain array of the column's n values, or an object:
//   { "v": [n values] }                      the values (used when "a" is needed)
//   { "d": [distinct texts], "i": [n indices into d] }   a text column with few distinct values
//   either with "a": [indices of the rows that do not have the column at all]
// "a" keeps a JSON row that leaves a column out apart from one holding null, so a workbook exports
// exactly as it was imported. "d"/"i" (dictionary) makes columns such as publisher, product or
// deviceId smaller to store and much cheaper to parse: one string per distinct value, not per row.
// Values are whatever JSON the file held (unknown columns may hold anything).

import type { Chunk } from './model';

export type RawCells = Record<string, unknown>;

/**
 * A row of cells whose keys are column names from files and peers: no prototype, so a column named
 * "__proto__" is a column like any other and no row seems to have "constructor" or "toString" cells.
 */
export function newCells(): RawCells {
  return Object.create(null) as RawCells;
}

export type ColumnData = unknown[] | { v?: unknown[]; d?: string[]; i?: number[]; a?: number[] };

/** A text column is stored as a dictionary when it has at most this share of distinct values. */
const DICTIONARY_SHARE = 0.25;

/** A chunk parsed once, ready to give out rows. */
export interface DecodedChunk {
  id: string;
  n: number;
  columns: string[];
  values: unknown[][];
  /** Per column: the rows that lack it, or null when every row has it. */
  absent: (Set<number> | null)[];
}

export function encodeChunk(id: string, rows: readonly RawCells[]): Chunk {
  const n = rows.length;
  const index = new Map<string, number>();
  const columns: string[] = [];
  for (const row of rows) {
    for (const c in row) {
      if (row[c] !== undefined && !index.has(c)) {
        index.set(c, columns.length);
        columns.push(c);
      }
    }
  }
  const data: ColumnData[] = columns.map((c) => {
    const values = new Array<unknown>(n);
    let absent: number[] | null = null;
    let texts = true;
    for (let i = 0; i < n; i++) {
      const v = Object.hasOwn(rows[i], c) ? rows[i][c] : undefined;
      if (v === undefined) {
        (absent ??= []).push(i);
        values[i] = null;
      } else {
        values[i] = v;
        if (typeof v !== 'string') texts = false;
      }
    }
    const dict = texts ? dictionaryOf(values, absent) : null;
    if (dict) return absent ? { ...dict, a: absent } : dict;
    return absent ? { v: values, a: absent } : values;
  });
  return { id, n, columns, data: JSON.stringify(data) };
}

/** The column as a dictionary of its texts, when that is worth it (few distinct values). */
function dictionaryOf(values: unknown[], absent: number[] | null): { d: string[]; i: number[] } | null {
  const limit = Math.floor(values.length * DICTIONARY_SHARE);
  const ids = new Map<string, number>();
  const d: string[] = [];
  const i = new Array<number>(values.length);
  const skip = absent ? new Set(absent) : null;
  for (let r = 0; r < values.length; r++) {
    if (skip?.has(r)) { i[r] = 0; continue; }
    const v = values[r] as string;
    let k = ids.get(v);
    if (k === undefined) {
      if (d.length >= limit) return null;
      ids.set(v, (k = d.length));
      d.push(v);
    }
    i[r] = k;
  }
  return d.length > 0 ? { d, i } : null;
}

/** The n values of one column entry (see the file comment). */
export function columnValues(col: ColumnData, n: number): unknown[] {
  if (Array.isArray(col)) return col;
  if (col.v) return col.v;
  if (col.d && col.i) {
    const { d, i } = col;
    const out = new Array<unknown>(n);
    for (let r = 0; r < n; r++) out[r] = d[i[r]];
    return out;
  }
  throw new Error('column without values');
}

/** Parses a chunk's data; throws on a chunk that is not of this shape (a damaged document). */
export function decodeChunk(chunk: Chunk): DecodedChunk {
  const data = JSON.parse(chunk.data) as ColumnData[];
  if (!Array.isArray(data) || data.length !== chunk.columns.length) throw new Error(`chunk ${chunk.id}: data does not match its columns`);
  const values: unknown[][] = [];
  const absent: (Set<number> | null)[] = [];
  for (const col of data) {
    const v = columnValues(col, chunk.n);
    if (v.length !== chunk.n) throw new Error(`chunk ${chunk.id}: a column has ${v.length} values for ${chunk.n} rows`);
    values.push(v);
    absent.push(!Array.isArray(col) && col.a ? new Set(col.a) : null);
  }
  return { id: chunk.id, n: chunk.n, columns: chunk.columns, values, absent };
}

/** Row `i` of a decoded chunk, as imported (without edits). */
export function chunkRow(d: DecodedChunk, i: number): RawCells {
  const row = newCells();
  const { columns, values, absent } = d;
  for (let c = 0; c < columns.length; c++) {
    const a = absent[c];
    if (a === null || !a.has(i)) row[columns[c]] = values[c][i];
  }
  return row;
}

/** A plain-object chunk as read back from Yjs (checks the fields the reader relies on). */
export function isChunk(x: unknown): x is Chunk {
  const c = x as Chunk;
  return typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.n === 'number'
    && Array.isArray(c.columns) && typeof c.data === 'string';
}
