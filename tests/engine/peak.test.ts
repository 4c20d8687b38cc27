// Property: peak (metrics/common.ts, the concurrent-use metrics' count) equals counting, at every
// instant an interval starts, the weight (or the distinct holders) of the intervals open then:
// intervals are half-open, and the first instant that reaches the largest count is the one named.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peak, type Interval } from '../../engine/metrics/common';

function byInstant(intervals: Interval<string>[], distinct: boolean) {
  let value = 0, at = NaN;
  const starts = [...new Set(intervals.filter((iv) => iv.end > iv.start).map((iv) => iv.start))].sort((a, b) => a - b);
  for (const t of starts) {
    const open = intervals.filter((iv) => iv.end > iv.start && iv.start <= t && t < iv.end);
    const count = distinct ? new Set(open.map((iv) => iv.holder ?? iv)).size : open.reduce((sum, iv) => sum + iv.weight, 0);
    if (count > value) { value = count; at = t; }
  }
  return { value, at };
}

const intervalArb = fc.record({
  start: fc.integer({ min: 0, max: 12 }), end: fc.integer({ min: -2, max: 14 }),
  weight: fc.integer({ min: 1, max: 4 }), holder: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
});

describe('peak', () => {
  it('is the largest count at any instant an interval starts (seeded)', () => {
    fc.assert(fc.property(fc.array(intervalArb, { maxLength: 14 }), fc.boolean(), (intervals, distinct) => {
      const got = peak(intervals, distinct);
      const want = byInstant(intervals, distinct);
      expect({ value: got.value, at: got.at }).toEqual(want);
      expect(got.open).toEqual(intervals.filter((iv) => iv.start <= got.at && got.at < iv.end));
    }), { seed: 20261123, numRuns: 2000 });
  });

  // Times that are not whole, or span more than a double's exact integers once events are packed
  // beside them, take the comparing sort; epoch milliseconds take the packed one. Both must agree.
  it('reads the same at any scale and offset of time: fractions, epoch milliseconds, spans near 2^53 (seeded)', () => {
    const scaled = fc.tuple(fc.array(intervalArb, { maxLength: 14 }), fc.constantFrom(1, 0.25, 60_000, 2 ** 48), fc.constantFrom(0, 1.7e12, -3.5));
    fc.assert(fc.property(scaled, fc.boolean(), ([intervals, scale, offset], distinct) => {
      const moved = intervals.map((iv) => ({ ...iv, start: offset + iv.start * scale, end: offset + iv.end * scale }));
      const got = peak(moved, distinct);
      expect({ value: got.value, at: got.at }).toEqual(byInstant(moved, distinct));
      expect(got.open).toEqual(moved.filter((iv) => iv.start <= got.at && got.at < iv.end));
    }), { seed: 20261123, numRuns: 2000 });
  });
});
