// Property: a workbook reconciled on two engines, one holding everything but installations and the
// other (the installation side) holding installations with only INSTALLATION_SIDE_SHEETS, gives
// exactly the result of one engine holding everything, explanations and problems included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem, RawRow } from '../../engine/cells';
import { Engine, LOAD_ORDER } from '../../engine/engine';
import { feedSheets, INSTALLATION_SIDE_SHEETS, mergeProblems, SIDE_CHECKED_SHEETS } from '../../engine/installation-side';
import { RULES } from '../../engine/metrics';
import { parseRow } from '../../engine/rows';
import { SHEETS, type SheetName } from '../../engine/schema';
import { denseWorkbookArb, overlapScenarioArb, workbookArb } from '../helpers/random-workbook';

const TODAY = '2026-11-01';
type Sheets = Record<SheetName, RawRow[]>;

function whole(settings: Record<string, unknown>, sheets: Sheets) {
  const engine = new Engine({ today: TODAY });
  engine.load(settings, Object.fromEntries(SHEETS.map((s) => [s, { rows: sheets[s] }])));
  return engine.result({ contributions: true });
}

/**
 * As the command line's parallel reader does: the installation side types installations before it
 * has the other sheets (the rules among them), and adds them typed once it has.
 */
function split(settings: Record<string, unknown>, sheets: Sheets, typedFirst = false) {
  const typed = typedFirst ? sheets.installations.map((raw, i) => parseRow('installations', i, raw)) : null;
  const others = new Engine({ today: TODAY });
  others.begin(settings);
  for (const sheet of LOAD_ORDER) if (sheet !== 'installations') others.addSheet(sheet, { rows: sheets[sheet] });
  others.finish({ pending: 'installations' });

  const side = new Engine({ today: TODAY });
  side.begin(settings);
  for (const sheet of LOAD_ORDER) {
    if (sheet === 'installations' && typed) side.addSheet(sheet, { typed });
    else if (sheet === 'installations' || INSTALLATION_SIDE_SHEETS.includes(sheet)) side.addSheet(sheet, { rows: sheets[sheet] });
  }
  side.finish({ only: 'installations' });
  return others.resultBesidesInstallations({ contributions: true })(side.installationResults({ contributions: true }));
}

const settingsArb = fc.constantFrom({}, { asOf: '2026-06-30', currency: 'EUR' });

describe('reconciling on an installation side and the rest', () => {
  it('equals one engine holding everything (seeded)', () => {
    fc.assert(fc.property(workbookArb(), settingsArb, (wb, settings) => {
      const sheets = wb as unknown as Sheets;
      expect(split(settings, sheets)).toEqual(whole(settings, sheets));
    }), { seed: 20261122, numRuns: 150 });
  });

  it('equals one engine holding everything, in dense workbooks of metrics that read installations (seeded)', () => {
    fc.assert(fc.property(denseWorkbookArb(), settingsArb, (wb, settings) => {
      expect(split(settings, wb)).toEqual(whole(settings, wb));
    }), { seed: 20261122, numRuns: 600 });
  });

  it('equals one engine holding everything, with overlapping positions whose shortfall moves (seeded)', () => {
    // Moves stay within one publisher and metric, so within one side.
    fc.assert(fc.property(overlapScenarioArb(0), settingsArb, ({ initial }, settings) => {
      expect(split(settings, initial)).toEqual(whole(settings, initial));
    }), { seed: 20261225, numRuns: 400 });
  });

  it('equals one engine when the side typed its installations before it had the normalization rules (seeded)', () => {
    fc.assert(fc.property(fc.oneof(workbookArb(), denseWorkbookArb()), settingsArb, (wb, settings) => {
      const sheets = wb as unknown as Sheets;
      expect(split(settings, sheets, true)).toEqual(whole(settings, sheets));
    }), { seed: 20261203, numRuns: 300 });
  });

  it('an engine that finished all but installations, then took them, equals one that had them all along (seeded)', () => {
    fc.assert(fc.property(workbookArb(), settingsArb, (wb, settings) => {
      const sheets = wb as unknown as Sheets;
      const engine = new Engine({ today: TODAY });
      engine.begin(settings);
      for (const sheet of LOAD_ORDER) if (sheet !== 'installations') engine.addSheet(sheet, { rows: sheets[sheet] });
      engine.finish({ pending: 'installations' });
      engine.addSheet('installations', { rows: sheets.installations });
      engine.finish();
      expect(engine.result({ contributions: true })).toEqual(whole(settings, sheets));
    }), { seed: 20261123, numRuns: 100 });
  });

  it('the installation side checks the sheets it holds whose references name sheets it holds', () => {
    expect([...SIDE_CHECKED_SHEETS]).toEqual(['entitlements', 'devices', 'installations', 'users', 'clusters', 'allocations', 'access', 'factors', 'tiers', 'modelCategories', 'normalization']);
  });

  it('the installation side holds every sheet a rule reading installations is fed from', () => {
    for (const rule of RULES.values()) {
      if (!rule.install) continue;
      for (const sheet of feedSheets(rule)) if (sheet !== 'installations') expect(INSTALLATION_SIDE_SHEETS, rule.id).toContain(sheet);
    }
    expect(INSTALLATION_SIDE_SHEETS).not.toContain('installations');
    expect(INSTALLATION_SIDE_SHEETS).not.toContain('sensors');
  });

  it('installation problems go between the devices\' and the users\'', () => {
    const p = (sheet: SheetName, rowId: string): Problem => ({ sheet, rowId, column: 'id', message: 'm' });
    expect(mergeProblems([p('devices', 'd1'), p('users', 'u1')], [p('installations', 'i1'), p('installations', 'i2')]).map((x) => x.rowId))
      .toEqual(['d1', 'i1', 'i2', 'u1']);
    expect(mergeProblems([p('entitlements', 'e1')], [p('installations', 'i1')]).map((x) => x.rowId)).toEqual(['e1', 'i1']);
    // The side checks devices and allocations too; the other engine users' and sessions'.
    expect(mergeProblems([p('subscriptions', 'b1'), p('sessions', 's1'), p('sensors', 'n1')], [p('devices', 'd1'), p('installations', 'i1'), p('allocations', 'a1'), p('access', 'x1')]).map((x) => x.rowId))
      .toEqual(['d1', 'i1', 'a1', 'b1', 's1', 'x1', 'n1']);
  });
});
