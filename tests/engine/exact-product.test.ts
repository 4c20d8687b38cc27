// Property: exactProduct's fast path (a product of millionths below 2^53, divided as a double)
// gives the same number as reading the exact decimal product's text, which it replaced on the hot
// path of pricing (savings prices every candidate). Seeded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactProduct } from '../../engine/positions/position';

/** The exact decimal product of two millionths, written out and read back (the reference). */
function viaText(a: number, b: number): number {
  const p = BigInt(a) * BigInt(b);
  const negative = p < 0n;
  const abs = negative ? -p : p;
  const scale = 1_000_000_000_000n;
  return (negative ? -1 : 1) * Number(`${abs / scale}.${(abs % scale).toString().padStart(12, '0')}`);
}

const micros = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, 1, -1, 1_000_000, 1_150_000, 3_000_000, 999_999, 94_906_265, 94_906_266),
  fc.maxSafeInteger().map((x) => Math.trunc(x / 1_000_000)),
);

describe('exactProduct', () => {
  it('equals the exact decimal product read back, for any whole millionths (seeded)', () => {
    fc.assert(fc.property(micros, micros, (a, b) => {
      expect(Object.is(exactProduct(a, b), viaText(a, b) === 0 ? 0 : viaText(a, b))).toBe(true);
    }), { seed: 20261207, numRuns: 20_000 });
  });

  it('is exact where doubles are not, and never -0', () => {
    expect(exactProduct(3_000_000, 1_150_000)).toBe(3.45);
    expect(exactProduct(100_000, 200_000)).toBe(0.02);
    expect(Object.is(exactProduct(0, -5_000_000), 0)).toBe(true);
    expect(exactProduct(-3_000_000, 1_150_000)).toBe(-3.45);
  });
});
