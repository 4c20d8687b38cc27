// Acting on savings in a scenario: the row changes of chosen reclaim candidates or of a plan to
// compliance (engine/savings/edits.ts) written into a scenario document as one transaction, through
// the scenario's own edit functions (edit.ts), so the compare view shows them and the baseline is
// untouched until the person applies the scenario.

import type { SavingsEdit } from '../../engine/savings/types';
import { addScenarioRow, deleteScenarioRow, setScenarioCell } from './edit';
import type { LayeredReader } from './reader';

/** Applies the edits in one transaction; returns how many changed a row (a row already gone is skipped). */
export function applySavingsEdits(r: LayeredReader, edits: readonly SavingsEdit[], origin?: unknown): number {
  let done = 0;
  r.scenario.transact(() => {
    for (const e of edits) {
      if (e.op === 'delete') { if (deleteScenarioRow(r, e.sheet, e.key)) done++; }
      else if (e.op === 'set') { if (setScenarioCell(r, e.sheet, e.key, e.column, e.value)) done++; }
      else { addScenarioRow(r, e.sheet, e.cells); done++; }
    }
  }, origin);
  return done;
}
