// Reading single rows of a chunk without parsing all of it: one pass over the chunk's JSON text
// finds where each cell's value starts and ends (a few milliseconds for 10k rows, a quarter of a
// JSON.parse, and 8 bytes per cell to keep), then a row is a handful of tiny JSON.parse calls.
// The index of every chunk of a million-row sheet fits in tens of megabytes; parsed chunks would
// take hundreds.
//
// The scanner accepts exactly the JSON that chunk.ts writes (and any whitespace): an array with
// one entry per column, each entry an array of n values or an object with "v", or "d" and "i"
// (a dictionary column: parsed whole, it is small), and maybe "a". Anything else throws (a damaged
// chunk).

import { columnValues, newCells, type ColumnData, type DecodedChunk, type RawCells } from './chunk';
import type { Chunk } from './model';

export interface IndexedChunk {
  id: string;
  n: number;
  columns: string[];
  data: string;
  /** Per column: where each row's value starts and ends in `data`. */
  starts: Uint32Array[];
  ends: Uint32Array[];
  /** Per column: rows that lack it, or null. */
  absent: (Set<number> | null)[];
  /** Per dictionary column: its texts and each row's index into them (else null). */
  dict: (string[] | null)[];
  idx: (Int32Array | null)[];
}

const QUOTE = 34, BACKSLASH = 92, OPEN_ARRAY = 91, CLOSE_ARRAY = 93, OPEN_OBJECT = 123, CLOSE_OBJECT = 125, COMMA = 44, COLON = 58;

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new Error(`damaged chunk data: ${what} at ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++this.i);
  }

  peek(): number {
    this.ws();
    return this.s.charCodeAt(this.i);
  }

  expect(code: number): void {
    if (this.peek() !== code) this.fail(`expected ${String.fromCharCode(code)}`);
    this.i++;
  }

  /** Skips a string starting at its opening quote. */
  string(): void {
    const s = this.s;
    let j = this.i + 1;
    for (;;) {
      const k = s.indexOf('"', j);
      if (k < 0) this.fail('unterminated string');
      let b = 0;
      while (s.charCodeAt(k - 1 - b) === BACKSLASH) b++;
      if (b % 2 === 0) {
        this.i = k + 1;
        return;
      }
      j = k + 1;
    }
  }

  value(): void {
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      const close = c === OPEN_ARRAY ? CLOSE_ARRAY : CLOSE_OBJECT;
      this.i++;
      if (this.peek() === close) { this.i++; return; }
      for (;;) {
        if (close === CLOSE_OBJECT) { this.string(); this.expect(COLON); }
        this.value();
        const next = this.peek();
        this.i++;
        if (next === close) return;
        if (next !== COMMA) this.fail('expected , or a closing bracket');
      }
    }
    // A number, true, false or null: up to the next delimiter.
    const s = this.s, start = this.i;
    let d = s.charCodeAt(this.i);
    while (this.i < s.length && d !== COMMA && d !== CLOSE_ARRAY && d !== CLOSE_OBJECT && d !== 32 && d !== 10 && d !== 13 && d !== 9) d = s.charCodeAt(++this.i);
    if (this.i === start) this.fail('expected a value');
  }

  /**
   * Skips one value in a single pass (brackets counted, strings jumped over): faster than
   * `value()` for a whole column, and checks only that its brackets balance.
   */
  skip(): void {
    const s = this.s;
    const c = this.peek();
    if (c !== OPEN_ARRAY && c !== OPEN_OBJECT) return this.value();
    let depth = 0;
    for (let i = this.i; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === QUOTE) {
        this.i = i;
        this.string();
        i = this.i - 1;
      } else if (d === OPEN_ARRAY || d === OPEN_OBJECT) depth++;
      else if (d === CLOSE_ARRAY || d === CLOSE_OBJECT) {
        if (--depth === 0) {
          this.i = i + 1;
          return;
        }
      }
    }
    this.fail('unbalanced brackets');
  }

  /** An array of n values, noting where each starts and ends. */
  values(n: number, starts: Uint32Array, ends: Uint32Array): void {
    this.expect(OPEN_ARRAY);
    let r = 0;
    if (this.peek() === CLOSE_ARRAY) { this.i++; } else {
      for (;;) {
        if (r >= n) this.fail('more values than rows');
        this.ws();
        starts[r] = this.i;
        this.value();
        ends[r++] = this.i;
        const next = this.peek();
        this.i++;
        if (next === CLOSE_ARRAY) break;
        if (next !== COMMA) this.fail('expected , or ]');
      }
    }
    if (r !== n) this.fail(`${r} values for ${n} rows`);
  }
}

export function indexChunk(chunk: Chunk): IndexedChunk {
  const { n, columns, data } = chunk;
  const sc = new Scanner(data);
  const starts: Uint32Array[] = [], ends: Uint32Array[] = [], absent: (Set<number> | null)[] = [];
  const dicts: (string[] | null)[] = [], idxs: (Int32Array | null)[] = [];
  const NONE = new Uint32Array(0);
  sc.expect(OPEN_ARRAY);
  for (let c = 0; c < columns.length; c++) {
    if (c > 0) sc.expect(COMMA);
    let st = new Uint32Array(n), en = new Uint32Array(n);
    let missing: Set<number> | null = null;
    let dict: string[] | null = null, idx: Int32Array | null = null;
    if (sc.peek() === OPEN_OBJECT) {
      sc.i++;
      let sawValues = false;
      for (;;) {
        sc.ws();
        const keyStart = sc.i;
        sc.string();
        const key = JSON.parse(data.slice(keyStart, sc.i)) as string;
        sc.expect(COLON);
        if (key === 'v') { sc.values(n, st, en); sawValues = true; } else {
          sc.ws();
          const at = sc.i;
          sc.value();
          const parsed = key === 'a' || key === 'd' || key === 'i' ? JSON.parse(data.slice(at, sc.i)) : null;
          if (key === 'a') missing = new Set(parsed as number[]);
          else if (key === 'd') dict = parsed as string[];
          else if (key === 'i') idx = Int32Array.from(parsed as number[]);
        }
        const next = sc.peek();
        sc.i++;
        if (next === CLOSE_OBJECT) break;
        if (next !== COMMA) sc.fail('expected , or }');
      }
      if (!sawValues) {
        if (!dict || !idx || !Array.isArray(dict) || idx.length !== n) sc.fail('column without values');
        st = en = NONE;
      }
    } else sc.values(n, st, en);
    starts.push(st);
    ends.push(en);
    absent.push(missing);
    dicts.push(dict);
    idxs.push(dict ? idx : null);
  }
  sc.expect(CLOSE_ARRAY);
  return { id: chunk.id, n, columns, data, starts, ends, absent, dict: dicts, idx: idxs };
}

/** Row `i` of an indexed chunk, as imported (without edits). */
export function indexedRow(x: IndexedChunk, i: number): RawCells {
  const row = newCells();
  for (let c = 0; c < x.columns.length; c++) {
    const a = x.absent[c];
    if (a !== null && a.has(i)) continue;
    const d = x.dict[c];
    row[x.columns[c]] = d ? d[x.idx[c]![i]] : JSON.parse(x.data.slice(x.starts[c][i], x.ends[c][i]));
  }
  return row;
}

/**
 * Some columns of a chunk, parsed, as decodeChunk gives them (`columns`: those of `wanted` the
 * chunk has, in its order); the other columns' values are skipped over, never parsed. A sort or
 * filter over a million rows reads one or two of a sheet's columns: parsing every column of every
 * chunk made most of its time and hundreds of MB of garbage. Throws on damaged data, as
 * decodeChunk does, for the whole top-level array and the columns parsed.
 */
export function decodeColumns(chunk: Chunk, wanted: ReadonlySet<string>): DecodedChunk {
  const { n, columns, data } = chunk;
  const sc = new Scanner(data);
  const out: DecodedChunk = { id: chunk.id, n, columns: [], values: [], absent: [] };
  sc.expect(OPEN_ARRAY);
  for (let c = 0; c < columns.length; c++) {
    if (c > 0) sc.expect(COMMA);
    sc.ws();
    const start = sc.i;
    if (!wanted.has(columns[c])) {
      sc.skip();
      continue;
    }
    sc.skip();
    const col = JSON.parse(data.slice(start, sc.i)) as ColumnData;
    const v = columnValues(col, n);
    if (v.length !== n) sc.fail(`${v.length} values for ${n} rows`);
    out.columns.push(columns[c]);
    out.values.push(v);
    out.absent.push(!Array.isArray(col) && col.a ? new Set(col.a) : null);
  }
  sc.expect(CLOSE_ARRAY);
  sc.ws();
  if (sc.i !== data.length) sc.fail('data after the columns');
  return out;
}
