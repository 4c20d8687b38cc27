// Installations packed by the parallel reader's worker must unpack to exactly the rows parseRow
// makes, whether they were packed from typed rows or straight from raw cells (the fast path).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { parseRow } from '../../engine/rows';
import { InstallationPacker, packInstallations, unpackInstallations } from '../../engine/rows-pack';

/** Cells as files carry them, text mostly, with the odd blank, number, object and padded text. */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('d1', 'D1', ' d1 ', 'Acme', 'acme', 'Tool', 'Tool Pro', '2.0', 'Std', 'u1', 'É-Ü') },
  { weight: 2, arbitrary: fc.string({ maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', '   ', 7, true, { a: 1 }, ['x']) },
);
const rawRow = fc.record({
  id: fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) }, { weight: 1, arbitrary: cell }),
  deviceId: cell, publisher: cell, product: cell, version: cell, edition: cell, userId: cell, other: cell,
}, { requiredKeys: ['id'] });

/** A row without the fields the store fills in, for comparing. */
const plain = (row: object) => {
  const { device: _d, user: _u, ...rest } = row as Record<string, unknown>;
  return rest;
};

describe('installation packing', () => {
  it('raw rows packed on the fast path unpack to what parseRow makes (seeded)', () => {
    fc.assert(fc.property(fc.array(rawRow, { maxLength: 30 }), (rows) => {
      const packer = new InstallationPacker();
      for (const r of rows) packer.addRaw(r as RawRow);
      const got = unpackInstallations(packer.finish()).map(plain);
      expect(got).toEqual(rows.map((r, i) => plain(parseRow('installations', i, r as RawRow))));
    }), { seed: 20261122, numRuns: 300 });
  });

  it('typed rows round-trip, problems included', () => {
    const raws: RawRow[] = [{ id: 'I1', deviceId: 'd1', publisher: 'Acme', product: 'Tool' }, { id: '', deviceId: { x: 1 } }, { id: 'i3', version: ' 2.0 ' }];
    const typed = raws.map((r, i) => parseRow('installations', i, r));
    expect(unpackInstallations(packInstallations(typed)).map(plain)).toEqual(typed.map(plain));
    expect(typed[1].problems.map((p) => p.column)).toEqual(['deviceId', 'id']);
  });
});
