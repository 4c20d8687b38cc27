// Property: savings in an incremental engine (the worker's) equal savings in a one-shot engine
// (the command line's) on the same workbook. The incremental side prices a unit from the engine's
// kept worth and skips gathering a device's unit when a candidate removes every row it can hold
// (effect.ts, leavesNothing); the one-shot side gathers and evaluates every unit before and after.
// So this checks those shortcuts against the plain computation. Seeded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyed, load, savingsWorkbookArb, type SheetsIn } from '../helpers/savings';

describe('savings: incremental engine equals one-shot engine', () => {
  it('on random workbooks (seeded)', () => {
    let candidates = 0;
    fc.assert(fc.property(savingsWorkbookArb(), (sheets) => {
      const k = keyed(sheets as SheetsIn);
      const incremental = load(k, true);
      incremental.initialPatch();
      const oneShot = load(k, false);
      oneShot.initialPatch();
      const r = incremental.savings().result();
      candidates += r.candidates.length;
      expect(r).toEqual(oneShot.savings().result());
    }), { seed: 20261207, numRuns: 150 });
    expect(candidates).toBeGreaterThan(150);
  });
});
