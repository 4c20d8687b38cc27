// Typed rows of any sheet packed column by column, so that a thread that read them can hand them to
// another cheaply: structured clone of a hundred thousand devices costs several times what parsing
// them again does, while a few typed arrays and one list of distinct strings cost almost nothing.
// unpackRows(packer.finish()) gives rows equal to the originals, field for field and in field order.

import { NO_PROBLEMS, type Problem } from './cells';
import type { AnyRow } from './rows';

/**
 * How one field's values travel. A column starts as the kind of its first value and becomes `any`
 * (a plain array, cloned as it is) the first time a value of another kind turns up.
 * - `text`: indexes into the pack's list of distinct strings (companies, sites, categories repeat).
 *   A text column whose values mostly differ (ids, names, addresses) becomes `any` once that shows:
 *   looking a new string up costs more than cloning it.
 * - `scalar`: numbers, booleans, undefined and null; a tag per row says which, numbers sit beside it.
 * - `same`: in every row the very value of an earlier field (an id and its comparison form, which
 *   are one string when the id is lower case already). Nothing travels; the unpacked row shares it.
 */
export type PackedColumn =
  | { kind: 'text'; index: Uint32Array }
  | { kind: 'scalar'; tag: Uint8Array; number: Float64Array }
  | { kind: 'any'; values: unknown[] }
  | { kind: 'same'; as: number };

export interface PackedRows {
  count: number;
  /** The rows' fields in the order their parser makes them (every row of a sheet has the same). */
  fields: string[];
  /** Each field's values; null for `problems`, which travel apart. */
  columns: (PackedColumn | null)[];
  strings: string[];
  /** Rows whose problems are not the shared empty list. */
  problems: [number, Problem[]][];
}

const NUMBER = 0, FALSE = 1, TRUE = 2, UNDEFINED = 3, NULL = 4;
const SCALARS: readonly unknown[] = [0, false, true, undefined, null];

const isScalar = (v: unknown) => v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean';

/** One column under construction; typed arrays grow by doubling. */
interface Building {
  kind: PackedColumn['kind'];
  /** text: how many of its values were new to the pack. */
  fresh: number;
  /** text: the last value put and its index. */
  last: string | undefined;
  lastIndex: number;
  index: Uint32Array;
  tag: Uint8Array;
  number: Float64Array;
  values: unknown[];
  /** The earlier field whose value this one has been in every row so far (===), or -1. */
  sameAs: number;
}

/** Puts one row's values at `i`, column by column (see compileAdder). */
type Adder = (row: AnyRow, i: number, columns: readonly (Building | null)[], put: typeof putCell, pack: Pack) => void;

/** The pack's distinct strings, shared by its text columns. */
interface Pack { strings: string[]; stringIds: Map<string, number> }

export class RowPacker {
  private count = 0;
  private capacity = 1024;
  private fields: string[] | null = null;
  private columns: (Building | null)[] = [];
  private adder: Adder | null = null;
  private readonly pack: Pack = { strings: [], stringIds: new Map() };
  private readonly problems: [number, Problem[]][] = [];

  add(row: AnyRow): void {
    if (this.adder === null) this.start(row);
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.adder!(row, i, this.columns, putCell, this.pack);
    if (row.problems !== NO_PROBLEMS) this.problems.push([i, row.problems]);
  }

  finish(): PackedRows {
    const n = this.count;
    const columns = this.columns.map((c): PackedColumn | null =>
      c === null ? null : c.sameAs >= 0 ? { kind: 'same', as: c.sameAs } : c.kind === 'text' ? { kind: 'text', index: c.index.slice(0, n) }
        : c.kind === 'scalar' ? { kind: 'scalar', tag: c.tag.slice(0, n), number: c.number.slice(0, n) }
          : { kind: 'any', values: c.values });
    return { count: n, fields: this.fields ?? [], columns, strings: this.pack.strings, problems: this.problems };
  }

  /** The first row fixes the fields and each column's first kind. */
  private start(row: AnyRow): void {
    const fields = (this.fields = Object.keys(row));
    const cells = row as unknown as Record<string, unknown>;
    this.columns = fields.map((f, k) => {
      if (f === 'problems') return null;
      const v = cells[f];
      const kind = typeof v === 'string' ? 'text' : isScalar(v) ? 'scalar' : 'any';
      // Only strings and objects: equal numbers or booleans are not one value worth sharing.
      const sameAs = typeof v === 'string' || (typeof v === 'object' && v !== null)
        ? fields.findIndex((g, j) => j < k && g !== 'problems' && cells[g] === v) : -1;
      return {
        kind, values: [], fresh: 0, last: undefined, lastIndex: 0, sameAs,
        index: new Uint32Array(kind === 'text' ? this.capacity : 0),
        tag: new Uint8Array(kind === 'scalar' ? this.capacity : 0),
        number: new Float64Array(kind === 'scalar' ? this.capacity : 0),
      };
    });
    this.adder = compileAdder(fields, this.columns);
  }

  private grow(): void {
    for (const c of this.columns) if (c?.kind === 'text' && c.fresh > this.count / 2) loosen(c, this.pack, this.count);
    this.capacity *= 2;
    for (const c of this.columns) {
      if (c?.kind === 'text') c.index = grown(c.index, this.capacity);
      if (c?.kind === 'scalar') { c.tag = grown(c.tag, this.capacity); c.number = grown(c.number, this.capacity); }
    }
  }
}

function putCell(c: Building, i: number, v: unknown, pack: Pack): void {
  if (c.kind === 'text' && typeof v === 'string') {
    // Neighbouring rows often share a value (a site, a status): no lookup for a repeat.
    if (v !== c.last) {
      let k = pack.stringIds.get(v);
      if (k === undefined) { pack.stringIds.set(v, (k = pack.strings.length)); pack.strings.push(v); c.fresh++; }
      c.last = v;
      c.lastIndex = k;
    }
    c.index[i] = c.lastIndex;
  } else if (c.kind === 'scalar' && isScalar(v)) {
    if (typeof v === 'number') { c.tag[i] = NUMBER; c.number[i] = v; }
    else c.tag[i] = v === undefined ? UNDEFINED : v === null ? NULL : v ? TRUE : FALSE;
  } else {
    if (c.kind !== 'any') loosen(c, pack, i);
    c.values[i] = v;
  }
}

/** A value of another kind turned up at row `i` (or mostly new strings): the column becomes a plain array of its values so far. */
function loosen(c: Building, pack: Pack, i: number): void {
  for (let r = 0; r < i; r++) c.values.push(readCell(c, pack.strings, r));
  c.kind = 'any';
}

/**
 * An Adder for rows with these fields that reads each field by name, as rowMaker writes them: a
 * hundred thousand devices read through a varying field name cost twice as much. Fields that are
 * not identifiers are read by a loop over their names.
 */
function compileAdder(fields: readonly string[], columns: readonly (Building | null)[]): Adder {
  if (!fields.every((f) => IDENTIFIER.test(f))) {
    return (row, i, cols, put, pack) => {
      const cells = row as unknown as Record<string, unknown>;
      cols.forEach((c, k) => {
        if (!c) return;
        const v = cells[fields[k]];
        if (c.sameAs >= 0 && v !== cells[fields[c.sameAs]]) c.sameAs = -1;
        put(c, i, v, pack);
      });
    };
  }
  const reads: string[] = [], puts: string[] = [];
  fields.forEach((f, k) => {
    const c = columns[k];
    if (!c) return;
    reads.push(`const v${k} = row.${f};`);
    // Only a column that started as an earlier field's value can still be one.
    if (c.sameAs >= 0) puts.push(`if (columns[${k}].sameAs >= 0 && v${k} !== v${c.sameAs}) columns[${k}].sameAs = -1;`);
    puts.push(`put(columns[${k}], i, v${k}, pack);`);
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is made of identifiers only
  return new Function('row', 'i', 'columns', 'put', 'pack', [...reads, ...puts].join(' ')) as Adder;
}

function grown<T extends Uint32Array | Uint8Array | Float64Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/**
 * A number as JSON.parse would make it: whole numbers as small integers. Read from a Float64Array
 * they are doubles, and rows holding doubles where parsed rows hold small integers get a different
 * hidden class, which slows every rule that reads them.
 */
function asParsed(x: number): number {
  return (x | 0) === x && (x !== 0 || 1 / x > 0) ? x | 0 : x;
}

function readCell(c: Exclude<PackedColumn, { kind: 'same' }> | Building, strings: readonly string[], i: number): unknown {
  if (c.kind === 'text') return strings[c.index[i]];
  if (c.kind === 'scalar') return c.tag[i] === NUMBER ? asParsed(c.number[i]) : SCALARS[c.tag[i]];
  return c.values[i];
}

/** The rows a RowPacker was given, in the order it was given them. */
export function unpackRows(p: PackedRows): AnyRow[] {
  const problems = new Map(p.problems);
  const make = rowMaker(p.fields, p.columns);
  const out = new Array<AnyRow>(p.count);
  for (let i = 0; i < p.count; i++) out[i] = make(p.columns, p.strings, SCALARS, asParsed, problems.get(i) ?? NO_PROBLEMS, i) as AnyRow;
  return out;
}

type RowMaker = (
  columns: readonly (PackedColumn | null)[], strings: readonly string[], scalars: readonly unknown[], num: typeof asParsed, problems: Problem[], i: number,
) => object;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A function that makes row `i` as one object literal with the pack's fields in their order: rows
 * then have the shape their parser gives them, and making one costs a third of filling an empty
 * object field by field. The source names only fields that are identifiers (parsers make no
 * others); any other field list is read field by field.
 */
function rowMaker(fields: readonly string[], columns: readonly (PackedColumn | null)[]): RowMaker {
  if (!fields.every((f) => IDENTIFIER.test(f))) {
    return (cols, strings, _scalars, _num, problems, i) => {
      const values: unknown[] = [];
      cols.forEach((c, k) => values.push(c === null ? problems : c.kind === 'same' ? values[c.as] : readCell(c, strings, i)));
      return Object.fromEntries(fields.map((f, k) => [f, values[k]]));
    };
  }
  const cells = fields.map((f, k) => {
    const c = columns[k];
    const value = c === null ? 'problems'
      : c.kind === 'text' ? `strings[columns[${k}].index[i]]`
        : c.kind === 'scalar' ? `(columns[${k}].tag[i] === ${NUMBER} ? num(columns[${k}].number[i]) : scalars[columns[${k}].tag[i]])`
          : c.kind === 'same' ? `v${c.as}`
            : `columns[${k}].values[i]`;
    return `const v${k} = ${value};`;
  });
  const row = fields.map((f, k) => `${f}: v${k}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: the source is made of identifiers only
  return new Function('columns', 'strings', 'scalars', 'num', 'problems', 'i', `${cells.join(' ')} return { ${row.join(', ')} };`) as RowMaker;
}

/** The transferable buffers of a pack (postMessage moves them instead of copying). */
export function packedBuffers(p: PackedRows): ArrayBuffer[] {
  return p.columns.flatMap((c) => (c === null ? [] : c.kind === 'text' ? [c.index.buffer] : c.kind === 'scalar' ? [c.tag.buffer, c.number.buffer] : [])) as ArrayBuffer[];
}
