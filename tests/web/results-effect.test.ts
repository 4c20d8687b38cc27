// What a patch tells the grids to redraw (web/state/results.ts PatchEffect): the entitlement rows
// of every position that changed, and which of their computed columns may show something new.
// A column left out would leave a stale figure on screen; so every field that differs between a
// position's old and new result must be named, whatever changed (seeded property test).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ENTITLEMENT_FIELDS, Results, type PatchEffect } from '../../web/state/results';
import type { PositionResult } from '../../engine/positions/position';
import { emptyPatch } from '../../engine/changes';

function position(over: Partial<PositionResult> = {}): PositionResult {
  return {
    key: 'p1', entitlementIds: ['E-1', 'E-2'], publisher: 'Microsoft', product: 'Visio', version: '', downgrade: false,
    edition: '', metric: 'per_user', company: '', site: '', network: '', purchased: 10, consumed: 8, available: 2,
    status: 'compliant', shortfall: 0, shortfallCost: 0, surplus: 2, surplusCost: null, currency: 'EUR', warn1: null,
    warn2: null, unitCost: null, allocation: null, flags: [], moves: [],
    rights: [{ id: 'E-1', quantity: 6, start: '', end: '', active: true }, { id: 'E-2', quantity: 4, start: '', end: '', active: true }] as unknown as PositionResult['rights'],
    ...over,
  };
}

function effectOf(results: Results, patch: Partial<ReturnType<typeof emptyPatch>>): PatchEffect {
  let seen: PatchEffect | null = null;
  const stop = results.onPatch((e) => { seen = e; });
  results.apply({ ...emptyPatch(), ...patch });
  stop();
  return seen!;
}

describe('the effect of a patch on entitlement rows', () => {
  it('a quantity edit names purchased and available, for every pooled row', () => {
    const r = new Results();
    effectOf(r, { positions: [position()] });
    const e = effectOf(r, { positions: [position({ purchased: 11, available: 3, surplus: 3 })] });
    expect([...e.entitlementFields].sort()).toEqual(['available', 'purchased']);
    expect([...e.entitlementIds].sort()).toEqual(['e-1', 'e-2']);
  });

  it('a new, a removed or a repooled position names every column', () => {
    const r = new Results();
    expect(effectOf(r, { positions: [position()] }).entitlementFields.size).toBe(ENTITLEMENT_FIELDS.length);
    expect(effectOf(r, { positions: [position({ entitlementIds: ['E-1'] })] }).entitlementFields.size).toBe(ENTITLEMENT_FIELDS.length);
    const gone = effectOf(r, { removedPositions: ['p1'] });
    expect(gone.entitlementFields.size).toBe(ENTITLEMENT_FIELDS.length);
    expect([...gone.entitlementIds]).toEqual(['e-1']);
  });

  it('names every field that differs, whatever changed', () => {
    const statuses = ['compliant', 'warning1', 'warning2', 'noncompliant'] as const;
    const fields = fc.record({
      purchased: fc.integer({ min: 0, max: 3 }), consumed: fc.integer({ min: 0, max: 3 }), available: fc.integer({ min: -3, max: 3 }),
      status: fc.constantFrom(...statuses), shortfallCost: fc.integer({ min: 0, max: 2 }), ended: fc.boolean(),
    });
    const of = (f: { purchased: number; consumed: number; available: number; status: (typeof statuses)[number]; shortfallCost: number; ended: boolean }) =>
      position({
        purchased: f.purchased, consumed: f.consumed, available: f.available, status: f.status, shortfallCost: f.shortfallCost,
        rights: [{ id: 'E-1', quantity: 6, start: '', end: f.ended ? '2026-01-31' : '', active: !f.ended }, { id: 'E-2', quantity: 4, start: '', end: '', active: true }] as unknown as PositionResult['rights'],
      });
    fc.assert(fc.property(fields, fields, (a, b) => {
      const r = new Results();
      effectOf(r, { positions: [of(a)] });
      const e = effectOf(r, { positions: [of(b)] });
      const want = new Set<string>();
      for (const f of ['purchased', 'consumed', 'available', 'status', 'shortfallCost'] as const) if (a[f] !== b[f]) want.add(f);
      if (a.ended !== b.ended) want.add('rights');
      for (const f of want) expect(e.entitlementFields.has(f as never)).toBe(true);
      // and nothing that did not change: the point is to redraw less.
      expect(e.entitlementFields.size).toBe(want.size);
    }), { seed: 20261207, numRuns: 300 });
  });
});
