// Chunks: up to CHUNK_ROWS imported rows stored column by column as one JSON text (model.ts).
//
// `data` is the JSON text of an array with one entry per column, in `columns` order. An entry is
// the array of the column's n values; when some rows do not have the column at all (a JSON row
// that leaves it out, which is not the same row as one holding null), the entry is instead
// `{ "v": values, "a": [indices of the rows without it] }`, so that a workbook exports exactly as
// it was imported. Values are whatever JSON the file held (unknown columns may hold anything).

import type { Chunk } from './model';

export type RawCells = Record<string, unknown>;

type ColumnData = unknown[] | { v: unknown[]; a: number[] };

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
    for (let i = 0; i < n; i++) {
      const v = rows[i][c];
      if (v === undefined) {
        (absent ??= []).push(i);
        values[i] = null;
      } else values[i] = v;
    }
    return absent ? { v: values, a: absent } : values;
  });
  return { id, n, columns, data: JSON.stringify(data) };
}

/** Parses a chunk's data; throws on a chunk that is not of this shape (a damaged document). */
export function decodeChunk(chunk: Chunk): DecodedChunk {
  const data = JSON.parse(chunk.data) as ColumnData[];
  if (!Array.isArray(data) || data.length !== chunk.columns.length) throw new Error(`chunk ${chunk.id}: data does not match its columns`);
  const values: unknown[][] = [];
  const absent: (Set<number> | null)[] = [];
  for (const col of data) {
    if (Array.isArray(col)) {
      values.push(col);
      absent.push(null);
    } else {
      values.push(col.v);
      absent.push(new Set(col.a));
    }
  }
  return { id: chunk.id, n: chunk.n, columns: chunk.columns, values, absent };
}

/** Row `i` of a decoded chunk, as imported (without edits). */
export function chunkRow(d: DecodedChunk, i: number): RawCells {
  const row: RawCells = {};
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
