// Rows of any sheet packed column by column by the parallel reader's worker must unpack, after a
// structured clone (what postMessage does), to exactly the rows parseRow made: same fields, same
// order, same values, problems included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PROBLEMS, type RawRow } from '../../engine/cells';
import { parseRow, type AnyRow } from '../../engine/rows';
import { packedBuffers, RowPacker, unpackRows } from '../../engine/rows-columns';
import { COLUMNS, SHEETS, type SheetName } from '../../engine/schema';

/** Cells of every kind a file can hold in any column: most readable, some not. */
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('d1', ' D1 ', 'Acme', 'in use', 'retired', 'per_core', 'employee', 'admin', 'Production') },
  { weight: 2, arbitrary: fc.constantFrom('2026-01-31', '2026-10-02T00:47:49Z', '2026-13-45', 'yes', 'true', 'false') },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double({ noNaN: true, min: -1, max: 1e6 })) },
  { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.string({ maxLength: 4 })) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', { a: 1 }, ['x']) },
);

/** A raw row of `sheet`: any of its columns, an id most of the time, and now and then an unknown column. */
const rawRow = (sheet: SheetName) => fc.record({
  ...Object.fromEntries(COLUMNS[sheet].map((c) => [c.name, c.name === 'id' ? fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 5 }) }, { weight: 1, arbitrary: cell }) : cell])),
  extra: cell,
}, { requiredKeys: [] });

function roundTrip(rows: AnyRow[]): AnyRow[] {
  const packer = new RowPacker();
  for (const r of rows) packer.add(r);
  const packed = packer.finish();
  return unpackRows(structuredClone(packed, { transfer: packedBuffers(packed) }));
}

describe('packing rows column by column', () => {
  it('every sheet: unpacked rows equal parseRow\'s, field order included (seeded)', () => {
    for (const sheet of SHEETS) {
      fc.assert(fc.property(fc.array(rawRow(sheet), { maxLength: 25 }), (raws) => {
        const typed = raws.map((r, i) => parseRow(sheet, i, r as RawRow));
        const got = roundTrip(typed);
        expect(got).toEqual(typed);
        got.forEach((row, i) => {
          expect(Object.keys(row)).toEqual(Object.keys(typed[i]));
          // Rows without problems share the one empty list, as parseRow's do.
          if (typed[i].problems === NO_PROBLEMS) expect(row.problems).toBe(NO_PROBLEMS);
        });
      }), { seed: 20261122, numRuns: 60 });
    }
  });

  it('a column whose values change kind part-way is carried as it is', () => {
    const rows = [
      { sheet: 'sensors', key: 0, id: 'a', idN: 'a', seenAt: 5, note: 'x', problems: NO_PROBLEMS },
      { sheet: 'sensors', key: 1, id: 'b', idN: 'b', seenAt: undefined, note: 7, problems: NO_PROBLEMS },
      { sheet: 'sensors', key: 2, id: 'c', idN: 'c', seenAt: 'late', note: null, problems: [{ sheet: 'sensors', rowId: 'c', column: 'seenAt', message: 'm' }] },
      { sheet: 'sensors', key: 3, id: 'd', idN: 'd', seenAt: true, note: { deep: [1] }, problems: NO_PROBLEMS },
    ] as unknown as AnyRow[];
    expect(roundTrip(rows)).toEqual(rows);
  });

  it('a field that holds an earlier field\'s very value in every row travels as that field', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      sheet: 'users', key: i, id: `u${i}`, idN: `u${i}`, name: i === 30 ? 'Ann' : `u${i}`, problems: NO_PROBLEMS,
    })) as unknown as AnyRow[];
    const packer = new RowPacker();
    for (const r of rows) packer.add(r);
    const packed = packer.finish();
    const kinds = Object.fromEntries(packed.fields.map((f, k) => [f, packed.columns[k]?.kind]));
    expect(kinds).toMatchObject({ id: 'text', idN: 'same', name: 'text' });
    expect(roundTrip(rows)).toEqual(rows);
  });

  it('fields that are not identifiers are packed and made field by field', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      sheet: 'users', key: i, id: `u${i}`, idN: `u${i}`, 'odd-name': i % 2 ? 'x' : 7, 'the name': `n${i % 3}`, problems: NO_PROBLEMS,
    })) as unknown as AnyRow[];
    const got = roundTrip(rows);
    expect(got).toEqual(rows);
    expect(Object.keys(got[0])).toEqual(Object.keys(rows[0]));
  });

  it('no rows', () => {
    expect(roundTrip([])).toEqual([]);
  });
});
