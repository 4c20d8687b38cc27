// Property (a): random edit sequences on a Y.Doc (cells of chunk rows and added rows, row adds and
// deletes on every sheet, settings, VM host moves, cluster mobility, factors, tiers, undo/redo),
// forwarded as updates to the worker service: after every step the view built only from its
// patches equals a full reconcile of the document's export.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { overlapScenarioArb, workbookArb } from '../helpers/random-workbook';
import { docEditArb, docScenario, type DocEdit } from './doc-harness';

/** Seeds that once failed, kept as regression tests (`runs` reaches the failing case). */
const PINNED: { seed: number; runs: number; note: string }[] = [];

/** Shrunk failures, as explicit scenarios. */
const SCENARIOS: { note: string; initial: Record<string, Record<string, unknown>[]>; edits: DocEdit[]; reloadAbove?: number }[] = [];

/** RECKON_STRESS=N runs N cases with a random seed (printed on failure) instead of the pinned seeds. */
const STRESS = Number(process.env.RECKON_STRESS ?? 0);
const runs = (seed: number, numRuns: number) => (STRESS ? { numRuns: STRESS } : { seed, numRuns });

describe('the worker service\'s patches equal a full reconcile of the document', () => {
  const property = (reloadAbove?: number) => fc.asyncProperty(workbookArb(), fc.array(docEditArb(), { minLength: 1, maxLength: 25 }),
    (wb, edits) => docScenario(wb, edits, reloadAbove === undefined ? {} : { reloadAbove }));

  it('incremental (seeded)', async () => {
    await fc.assert(property(), runs(20261201, 120));
  });

  it('with a full reload for every batch: reload patches diff against what the view had (seeded)', async () => {
    await fc.assert(property(1), runs(20261202, 40));
  });

  it('over overlapping positions whose rows and shortfall move between positions (seeded)', async () => {
    await fc.assert(fc.asyncProperty(overlapScenarioArb(), ({ initial, edits }) => docScenario(initial, edits)), runs(20261226, 80));
  });

  for (const pin of PINNED) {
    it(`pinned seed ${pin.seed}: ${pin.note}`, async () => {
      await fc.assert(property(), { seed: pin.seed, numRuns: pin.runs });
    });
  }
  for (const sc of SCENARIOS) it(sc.note, () => docScenario(sc.initial, sc.edits, sc.reloadAbove === undefined ? {} : { reloadAbove: sc.reloadAbove }));
});
