// The scenario grid's key list (web/scenario/sheet-view.ts) is kept from both documents' events
// without reading rows; after every transaction of either document it must equal the layered
// reader's keys (property, seeded): random baseline edits (undo included), random scenario edits
// (imports, whole-sheet replaces, reverts, undo), and a merge back into the baseline.

import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHEETS } from '../../engine/schema';
import { WorkbookReader } from '../../worker/doc/reader';
import { LayeredReader } from '../../worker/scenario/reader';
import { applyMerge, planMerge } from '../../worker/scenario/merge';
import { LayeredSheetRows } from '../../web/scenario/sheet-view';
import { workbookArb } from '../helpers/random-workbook';
import { TODAY, applyEdit, docEditArb, workbookTypes } from '../doc/doc-harness';
import { testDoc } from '../doc/helpers';
import { applyScenarioEdit, forkDoc, scenarioEditArb, scenarioTypes, seedBase } from './harness';

const WATCHED = ['devices', 'clusters', 'installations', 'entitlements'] as const;

describe('the scenario grid\'s row keys follow both documents', () => {
  it('equal the layered view\'s keys after every transaction (seeded)', () => {
    const step = fc.oneof(
      { weight: 2, arbitrary: docEditArb().map((edit) => ({ on: 'base' as const, edit })) },
      { weight: 3, arbitrary: scenarioEditArb().map((edit) => ({ on: 'scenario' as const, edit })) },
      { weight: 1, arbitrary: fc.constant({ on: 'merge' as const }) },
    );
    fc.assert(fc.property(workbookArb(), fc.array(step, { minLength: 1, maxLength: 25 }), (wb, steps) => {
      const base = testDoc(1);
      seedBase(base, wb, { asOf: TODAY });
      const baseReader = new WorkbookReader(base);
      const scen = forkDoc(2);
      const r = new LayeredReader(baseReader, scen);
      const baseUndo = new Y.UndoManager(workbookTypes(base), { captureTimeout: 0 });
      const undo = new Y.UndoManager(scenarioTypes(scen), { captureTimeout: 0 });
      const lists = WATCHED.map((s) => new LayeredSheetRows(r.sheet(s), () => {}));
      const check = (what: string) => WATCHED.forEach((s, i) => expect(lists[i].keys, `${what}: ${s}`).toEqual(r.sheet(s).keys()));
      check('fork');
      steps.forEach((st, n) => {
        if (st.on === 'base') applyEdit(base, st.edit, baseUndo, baseReader);
        else if (st.on === 'scenario') applyScenarioEdit(r, st.edit, undo);
        else applyMerge(r, Object.fromEntries(planMerge(r).conflicts.map((c) => [c.id, 'scenario'])));
        check(`step ${n}: ${JSON.stringify(st)}`);
      });
      for (const l of lists) l.destroy();
      void SHEETS;
    }), process.env.RECKON_STRESS ? { numRuns: Number(process.env.RECKON_STRESS) } : { seed: 20261804, numRuns: 120 });
  });
});
