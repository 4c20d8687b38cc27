// A grid's view of a sheet (worker/view.ts): sorted by one or two columns, ascending or
// descending, over imported rows with edits, deletions and added rows, it is the order a plain
// comparison sort gives (blanks first, then numbers, then text in collation order; ties in sheet
// order). And reading some columns of a chunk (decodeColumns) gives what parsing it whole does.

import fc from 'fast-check';
import { expect, test } from 'vitest';
import { cellText } from '../../engine/cells';
import { decodeChunk, encodeChunk, type RawCells } from '../../worker/doc/chunk';
import { decodeColumns } from '../../worker/doc/chunk-index';
import { addRow, deleteRow, setCell } from '../../worker/doc/edit';
import { importWorkbook } from '../../worker/doc/import';
import { WorkbookReader } from '../../worker/doc/reader';
import { computeView, type SortSpec } from '../../worker/view';
import { testDoc } from '../doc/helpers';

const value = fc.oneof(
  fc.constantFrom(null, '', 'alpha', 'Alpha', 'beta', 'b10', 'b9', 'Ω', ' x', 'x]', '"q"', 'a\\b'),
  fc.integer({ min: -3, max: 12 }),
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.constant(undefined),
);
const row = fc.record({ id: fc.string({ maxLength: 3 }), cores: value, notes: value, site: value });
const COLS = ['id', 'cores', 'notes', 'site'] as const;
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), column: fc.constantFrom(...COLS), value }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), row }),
);
const sortSpec = fc.array(fc.record({ colId: fc.constantFrom(...COLS), sort: fc.constantFrom('asc' as const, 'desc' as const) }), { minLength: 1, maxLength: 2 });

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** The rule, as a comparison of two values. */
function compareValues(a: unknown, b: unknown): number {
  const kind = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : typeof v === 'number' ? 1 : 2);
  const ka = kind(a), kb = kind(b);
  if (ka !== kb) return ka - kb;
  if (ka === 1) return (a as number) - (b as number);
  return ka === 0 ? 0 : collator.compare(cellText(a), cellText(b));
}

test('a sorted view is the order of a comparison sort, ties in sheet order (seeded)', () => {
  fc.assert(fc.property(fc.array(row, { maxLength: 30 }), fc.array(edit, { maxLength: 12 }), sortSpec, (rows, edits, sort: SortSpec[]) => {
    const doc = testDoc();
    const clean = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    importWorkbook(doc, { settings: {}, sheets: { devices: clean } }, { chunkRows: 4 });
    const reader = new WorkbookReader(doc);
    for (const e of edits) {
      const keys = reader.sheet('devices').keys();
      if (e.kind === 'add') addRow(doc, 'devices', Object.fromEntries(Object.entries(e.row).filter(([, v]) => v !== undefined)) as never);
      else if (keys.length === 0) continue;
      else if (e.kind === 'delete') deleteRow(doc, 'devices', keys[e.at % keys.length]);
      else setCell(doc, 'devices', keys[e.at % keys.length], e.column, (e.value ?? null) as never);
    }
    const keys = reader.sheet('devices').keys();
    const cells = keys.map((k) => reader.readRow('devices', k) ?? {});
    const want = keys.map((_, i) => i).sort((a, b) => {
      for (const s of sort) {
        const d = compareValues(cells[a][s.colId] ?? null, cells[b][s.colId] ?? null);
        if (d !== 0) return s.sort === 'desc' ? -d : d;
      }
      return a - b;
    });
    const got = computeView(reader, 'devices', { sort, filter: {}, quick: '', columns: [...COLS] });
    expect(got.rows).toBe(keys.length);
    expect([...got.order]).toEqual(want);
  }), { seed: 20261207, numRuns: 150 });
});

test('some columns of a chunk read as the whole chunk parsed reads them, however it is spaced (seeded)', () => {
  const columns = fc.subarray([...COLS, 'absent'], { minLength: 0 });
  fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), columns, fc.boolean(), (rows, wanted, spaced) => {
    const chunk = encodeChunk('c1', rows as unknown as RawCells[]);
    const data = spaced ? JSON.stringify(JSON.parse(chunk.data), null, 2) : chunk.data;
    const whole = decodeChunk({ ...chunk, data });
    const some = decodeColumns({ ...chunk, data }, new Set(wanted));
    expect(some.columns).toEqual(whole.columns.filter((c) => wanted.includes(c)));
    some.columns.forEach((c, i) => {
      const j = whole.columns.indexOf(c);
      expect(some.values[i]).toEqual(whole.values[j]);
      expect(some.absent[i]).toEqual(whole.absent[j]);
    });
  }), { seed: 20261208, numRuns: 200 });
});

test('damaged chunk data is refused, as a whole parse refuses it', () => {
  const chunk = encodeChunk('c1', [{ id: 'a', n: 1 }, { id: 'b]', n: 2 }]);
  for (const data of [chunk.data.slice(0, -1), `${chunk.data}x`, chunk.data.replace('[', '{'), '[]', '[["a","b"],[1]]']) {
    expect(() => decodeColumns({ ...chunk, data }, new Set(['id', 'n']))).toThrow();
  }
});

test('the quick filter keeps the rows holding every word in one of the columns, case ignored (seeded)', () => {
  // Chunks that cannot match are skipped from their JSON text (chunkSkipper): the values include
  // what JSON writes otherwise than a cell's text (yes/no cells, quotes, backslashes, control
  // characters, object cells cut short with "…") and letters whose lowercase depends on context or
  // is longer (final sigma, dotted capital I, the Kelvin sign), with edits, deletions and added rows.
  const odd = fc.constantFrom(true, false, 'İstanbul', '\u212A-9', 'ΑΣ', 'ΑΣ"Β', `${'x'.repeat(90)}END`, 'a\u0007b', 'tab\there',
    { a: 'Yes', b: [1, { c: 'deep', d: { e: { f: 'g' } } }] }, [true, 'no']);
  const quickValue = fc.oneof(value, odd);
  const quickRow = fc.record({ id: fc.string({ maxLength: 3 }), cores: quickValue, notes: quickValue, site: quickValue });
  const quickEdit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), column: fc.constantFrom(...COLS), value: quickValue }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), row: quickRow }),
  );
  const word = fc.constantFrom('a', 'AL', 'x]', 'b1', '9', 'q"', 'ω', 'yes', 'e', 'no', 'o', 'i', 'k', 'σ', 'ς', '…', 'tru', 'null',
    'end', 'deep', 'g', '1', 'a\\b', 'İ', '"a"', 'ye', '"β');
  const clean = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
  fc.assert(fc.property(fc.array(quickRow, { maxLength: 30 }), fc.array(quickEdit, { maxLength: 8 }), fc.array(word, { minLength: 1, maxLength: 3 }), fc.subarray([...COLS], { minLength: 1 }), (rows, edits, words, columns) => {
    const doc = testDoc();
    importWorkbook(doc, { settings: {}, sheets: { devices: rows.map(clean) } }, { chunkRows: 4 });
    const reader = new WorkbookReader(doc);
    for (const e of edits) {
      const keys = reader.sheet('devices').keys();
      if (e.kind === 'add') addRow(doc, 'devices', clean(e.row) as never);
      else if (keys.length === 0) continue;
      else if (e.kind === 'delete') deleteRow(doc, 'devices', keys[e.at % keys.length]);
      else setCell(doc, 'devices', keys[e.at % keys.length], e.column, (e.value ?? null) as never);
    }
    const keys = reader.sheet('devices').keys();
    const cells = keys.map((k) => reader.readRow('devices', k) ?? {});
    const lower = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : cellText(v)).toLowerCase();
    const want = cells.map((_, i) => i).filter((i) => words.every((w) => columns.some((c) => lower(cells[i][c]).includes(w.toLowerCase()))));
    const got = computeView(reader, 'devices', { sort: [], filter: {}, quick: words.join(' '), columns });
    expect(got.rows).toBe(keys.length);
    expect([...got.order]).toEqual(want);
  }), {
    seed: 20261209, numRuns: 300,
    // JSON escapes these, so the chunk's text does not hold the word as typed: each must be read.
    examples: [
      [[{ id: 'x', cores: null, notes: '"q"', site: null }], [], ['q"'], ['notes']],
      [[{ id: 'y', cores: null, notes: 'a\\b', site: null }], [], ['a\\b'], ['notes']],
      [[{ id: 'z', cores: null, notes: 'ΑΣ"Β', site: null }], [], ['"β'], ['notes']],
    ],
  });
});
