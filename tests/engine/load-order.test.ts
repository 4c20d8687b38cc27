// Property: sheets may reach the engine in any order (Engine.addSheet), raw or typed already; the
// result is the one of raw rows in LOAD_ORDER, where devices and users come before the installations
// that hold them. Installations added first find their devices and users when finish() resolves
// them again (Store.installationsStale); a typed sheet's array becomes the store's list (Store.addAll).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import { Engine, LOAD_ORDER } from '../../engine/engine';
import { parseRow } from '../../engine/rows';
import { SHEETS, type SheetName } from '../../engine/schema';
import { denseWorkbookArb, workbookArb } from '../helpers/random-workbook';

const TODAY = '2026-11-01';

function reconcileInOrder(order: readonly SheetName[], sheets: Record<SheetName, RawRow[]>) {
  const engine = new Engine({ today: TODAY });
  engine.begin({});
  for (const sheet of order) engine.addSheet(sheet, { rows: sheets[sheet] });
  engine.finish();
  return engine.result({ contributions: true });
}

const orderArb = fc.shuffledSubarray([...SHEETS], { minLength: SHEETS.length, maxLength: SHEETS.length });

describe('loading sheets in any order', () => {
  it('gives the result of LOAD_ORDER, duplicate devices and users included (seeded)', () => {
    fc.assert(fc.property(fc.oneof(workbookArb(), denseWorkbookArb()), orderArb, (wb, order) => {
      const sheets = wb as unknown as Record<SheetName, RawRow[]>;
      expect(reconcileInOrder(order, sheets)).toEqual(reconcileInOrder(LOAD_ORDER, sheets));
    }), { seed: 20261123, numRuns: 300 });
  });

  it('rows typed already, a sheet in one array, give the result of raw rows (seeded)', () => {
    fc.assert(fc.property(fc.oneof(workbookArb(), denseWorkbookArb()), (wb) => {
      const sheets = wb as unknown as Record<SheetName, RawRow[]>;
      const engine = new Engine({ today: TODAY });
      engine.begin({});
      for (const sheet of LOAD_ORDER) engine.addSheet(sheet, { typed: sheets[sheet].map((raw, key) => parseRow(sheet, key, raw)) });
      engine.finish();
      expect(engine.result({ contributions: true })).toEqual(reconcileInOrder(LOAD_ORDER, sheets));
    }), { seed: 20261123, numRuns: 300 });
  });

  it('installations added before their devices and users are counted on them', () => {
    const sheets = Object.fromEntries(SHEETS.map((s) => [s, []])) as unknown as Record<SheetName, RawRow[]>;
    sheets.entitlements = [{ id: 'e1', publisher: 'Acme', product: 'X', metric: 'per_device', quantity: 1 }];
    sheets.installations = [
      { id: 'i1', deviceId: 'd1', publisher: 'Acme', product: 'X', userId: 'u1' },
      { id: 'i2', deviceId: 'd2', publisher: 'Acme', product: 'X' },
    ];
    sheets.devices = [{ id: 'd1' }, { id: 'd2', status: 'retired' }, { id: 'd1', status: 'retired' }];
    sheets.users = [{ id: 'u1' }];
    const result = reconcileInOrder(['entitlements', 'installations', 'devices', 'users'], sheets);
    // d1's first row counts; d2 is retired: one device consumes, and no reference is unknown.
    expect(result.positions[0]).toMatchObject({ consumed: 1, status: 'compliant' });
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringContaining('duplicate id "d1"')]);
  });
});
