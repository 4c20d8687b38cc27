// Property: the rows of big sheets built from their cells read by name (rows.ts PLAIN) are the rows
// the CellReader makes, field for field, in field order (so they share a hidden class), with the
// same problems; whatever the cells hold, since any row the plain way does not take is read cell by cell.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRow, readRow } from '../../engine/rows';
import { COLUMNS, type SheetName } from '../../engine/schema';

const BIG_SHEETS: SheetName[] = ['installations', 'sessions', 'sensors'];

const TEXTS = ['', '  ', 'd1', ' D1 ', 'Acme', 'acme ', 'X', 'Service Manager', '1', '2026-10-02T00:47:49Z', '2026-10-02',
  ' 2026-10-02T09:00:00+02:00 ', '2026-02-30', 'not a date', 'İstanbul'];

const textArb = fc.oneof(fc.constantFrom(...TEXTS), fc.string({ maxLength: 6 }));
const cellArb = fc.oneof({ weight: 6, arbitrary: textArb }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 0, 1, -1, 2.5, true, false, {}, [1]) });

/** Rows with any subset of the sheet's columns (and an unknown one), in any order. */
const rawArb = (sheet: SheetName, cell: fc.Arbitrary<unknown>) =>
  fc.dictionary(fc.constantFrom(...COLUMNS[sheet].map((c) => c.name), 'note'), cell, { maxKeys: 12 });

/** Rows every column of which is text, with the dates that read: the rows the plain way takes. */
const plainRawArb = (sheet: SheetName) => rawArb(sheet, textArb).map((raw) => ({
  id: 'r1', start: '2026-10-02T08:00:00Z', ...raw,
}));

describe.each(BIG_SHEETS)('%s typed by name', (sheet) => {
  const same = (raw: Record<string, unknown>) => {
    const plain = parseRow(sheet, 7, raw), read = readRow(sheet, 7, raw);
    expect(plain).toEqual(read);
    expect(Object.keys(plain)).toEqual(Object.keys(read));
  };

  it('equals the row the CellReader makes, whatever the cells hold (seeded)', () => {
    fc.assert(fc.property(rawArb(sheet, cellArb), same), { seed: 20261123, numRuns: 2000 });
  });

  it('equals it on rows of text cells, the rows it takes (seeded)', () => {
    fc.assert(fc.property(plainRawArb(sheet), same), { seed: 20261123, numRuns: 2000 });
  });
});
