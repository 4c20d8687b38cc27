// Plans to compliance (engine/savings/plan.ts), step by step: reclaim first and only as much as the
// shortfall needs, with the fewest candidates; buy the rest at unit cost (in a cheaper covered
// position when there is one); a position without a unit cost says so; copies beyond the allowed
// number must be removed; a position with no active right gets a new one; the whole workbook's
// plan. Each plan's edits are applied and the workbook reconciled from scratch: the planned
// positions are no longer noncompliant and no position is worse.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import type { Result } from '../../engine/changes';
import type { SavingsAction, SavingsEdit } from '../../engine/savings/types';
import { applyEdits, byKey, reconcile, savingsOf, type SheetsIn } from '../helpers/savings';

const dev = (id: string, more: RawRow = {}): RawRow => ({ id, status: 'in use', ...more });
const inst = (id: string, deviceId: string, more: RawRow = {}): RawRow => ({ id, deviceId, publisher: 'Microsoft', product: 'Visio', ...more });
const ent = (id: string, metric: string, quantity: number, more: RawRow = {}): RawRow => ({ id, publisher: 'Microsoft', product: 'Visio', metric, quantity, unitCost: 100, ...more });
const OLD = '2026-01-01';

const RANK = { compliant: 0, warning1: 1, warning2: 2, noncompliant: 3 } as const;

/** Applies an action's edits and checks: the planned positions within their rights, none worse. */
function acted(sheets: SheetsIn, action: SavingsAction, planned: string[]): { edits: SavingsEdit[]; before: Result; after: Result } {
  const { engine, k } = savingsOf(sheets);
  const edits = engine.savings().edits(action);
  const before = reconcile(k), after = reconcile(applyEdits(k, edits));
  const a = byKey(after);
  for (const key of planned) {
    expect(a.get(key)!.status, `${key} after the plan`).not.toBe('noncompliant');
    expect(a.get(key)!.shortfall, `${key} shortfall after the plan`).toBe(0);
  }
  for (const p of before.positions) {
    const q = a.get(p.key)!;
    expect(q.available, `${p.key} available`).toBeGreaterThanOrEqual(p.available - 1e-9);
    expect(RANK[q.status], `${p.key} status`).toBeLessThanOrEqual(RANK[p.status]);
  }
  return { edits, before, after };
}

describe('a plan for one position', () => {
  const VISIO = 'microsoft|visio|||per_device|||';
  const stale = (n: number) => Array.from({ length: n }, (_, i) => dev(`s${i}`, { lastSeen: OLD }));

  it('reclaims only as many candidates as the shortfall needs, then buys nothing', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('d2'), ...stale(3)],
      installations: [inst('i1', 'd1'), inst('i2', 'd2'), inst('j0', 's0'), inst('j1', 's1'), inst('j2', 's2')],
      entitlements: [ent('e1', 'per_device', 3)],
    };
    const { result } = savingsOf(sheets);
    const plan = result.plans.find((p) => p.key === VISIO)!;
    expect(plan.shortfall).toBe(2);
    // Three candidates free one each: two are enough (the first by id).
    expect(plan.reclaim).toEqual(['not-seen|s0|microsoft\u0001visio', 'not-seen|s1|microsoft\u0001visio']);
    expect(plan.reclaimed).toBe(2);
    expect(plan.buy).toEqual([]);
    expect([plan.buyCost, plan.buyOnlyCost, plan.saving]).toEqual([0, 200, 200]);
    const { edits } = acted(sheets, { plan: VISIO }, [VISIO]);
    expect(edits).toEqual([{ op: 'delete', sheet: 'installations', key: 'ins0002' }, { op: 'delete', sheet: 'installations', key: 'ins0003' }]);
  });

  it('reclaims what it can and buys the rest, raising the active right with the highest unit cost', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('d2'), dev('d3'), ...stale(1)],
      installations: [inst('i1', 'd1'), inst('i2', 'd2'), inst('i3', 'd3'), inst('j0', 's0')],
      entitlements: [ent('e1', 'per_device', 1, { unitCost: 80 }), ent('e2', 'per_device', 0, { unitCost: 120 }), ent('e3', 'per_device', 5, { unitCost: 500, end: '2026-01-01' })],
    };
    const { result } = savingsOf(sheets);
    const plan = result.plans[0];
    expect([plan.shortfall, plan.reclaimed]).toEqual([3, 1]);
    // The position's unit cost is its highest (500, of the ended e3); the right raised is e2, the active one costing most.
    expect(plan.buy).toEqual([{ key: VISIO, rights: 2, unitCost: 500, cost: 1000, entitlementId: 'e2' }]);
    expect([plan.buyCost, plan.buyOnlyCost, plan.saving]).toEqual([1000, 1500, 500]);
    const { edits } = acted(sheets, { plan: VISIO }, [VISIO]);
    expect(edits).toContainEqual({ op: 'set', sheet: 'entitlements', key: 'ent0001', column: 'quantity', value: 2 });
  });

  it('a position with no unit cost says so: purchases and savings are not priced', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('d2')],
      installations: [inst('i1', 'd1'), inst('i2', 'd2')],
      entitlements: [ent('e1', 'per_device', 1, { unitCost: null })],
    };
    const plan = savingsOf(sheets).result.plans[0];
    expect(plan.buy).toEqual([{ key: VISIO, rights: 1, unitCost: null, cost: null, entitlementId: 'e1' }]);
    expect([plan.buyCost, plan.buyOnlyCost, plan.saving]).toEqual([null, null, null]);
    expect(plan.note).toMatch(/no unit cost: the rights to buy are not priced/);
    acted(sheets, { plan: VISIO }, [VISIO]);
  });

  it('a position whose rights have all ended gets a new entitlement naming it', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('d2')],
      installations: [inst('i1', 'd1', { version: '2021' }), inst('i2', 'd2', { version: '2021' })],
      entitlements: [ent('e1', 'per_device', 5, { version: '2021', end: '2026-06-30', minCoresPerVm: 4, edition: '' })],
    };
    const key = 'microsoft|visio|2021||per_device|||';
    const plan = savingsOf(sheets).result.plans[0];
    expect(plan.buy).toEqual([{ key, rights: 2, unitCost: 100, cost: 200, entitlementId: null }]);
    const { edits } = acted(sheets, { plan: key }, [key]);
    expect(edits).toEqual([{ op: 'add', sheet: 'entitlements', cells: {
      id: 'e1-bought', publisher: 'Microsoft', product: 'Visio', version: '2021', metric: 'per_device', quantity: 2, unitCost: 100,
      notes: 'Rights bought by the plan to compliance',
    } }]);
  });

  it('copies beyond copiesPerDevice are reclaimed whatever is bought', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('d2')],
      installations: [inst('i1', 'd1'), inst('i2', 'd1'), inst('i3', 'd2')],
      entitlements: [ent('e1', 'per_copy_per_device', 5)],
    };
    const key = 'microsoft|visio|||per_copy_per_device|||';
    const plan = savingsOf(sheets).result.plans[0];
    expect(plan.shortfall).toBe(0);
    expect(plan.reclaim).toEqual([`copies-exceeded|d1|${key}`]);
    expect(plan.buy).toEqual([]);
    expect(plan.note).toMatch(/whatever is bought/);
    acted(sheets, { plan: key }, [key]);
  });

  it('prefers fewer candidates: one that frees two over two that free one', () => {
    const sheets: SheetsIn = {
      devices: [dev('d1'), dev('a', { lastSeen: OLD }), dev('b', { lastSeen: OLD }), dev('z', { lastSeen: OLD })],
      installations: [inst('i1', 'd1'), inst('ia', 'a'), inst('ib', 'b'), inst('z1', 'z'), inst('z2', 'z', { version: '2' })],
      entitlements: [ent('e1', 'per_instance', 3)],
    };
    const plan = savingsOf(sheets).result.plans[0];
    expect(plan.reclaim).toEqual(['not-seen|z|microsoft\u0001visio']);
    acted(sheets, { plan: plan.key }, [plan.key]);
  });
});

describe('plans across a cover (shortfall moves up)', () => {
  // Office 2019 (e1, 1 right, 10 each) is covered by Office (e2, 1 right, 100 each): 2019 rows feed
  // e1, whose shortfall moves up to e2.
  const office = (id: string, d: string) => inst(id, d, { product: 'Office', version: '2019' });
  const sheets = (e1Cost: number): SheetsIn => ({
    devices: [dev('d1'), dev('d2'), dev('d3'), dev('s1', { lastSeen: OLD }), dev('s2', { lastSeen: OLD })],
    installations: [office('i1', 'd1'), office('i2', 'd2'), office('i3', 'd3'), office('j1', 's1'), office('j2', 's2'), inst('o1', 'd1', { product: 'Office' })],
    entitlements: [ent('e1', 'per_device', 1, { product: 'Office', version: '2019', unitCost: e1Cost }), ent('e2', 'per_device', 1, { product: 'Office' })],
  });
  const E1 = 'microsoft|office|2019||per_device|||', E2 = 'microsoft|office|||per_device|||';

  it('reclaims rows of the covered position to free rights in the cover, and buys the rest in the cheaper covered position', () => {
    const { result } = savingsOf(sheets(10));
    // e1: 5 devices, 1 right: hands 4 up; e2: 1 own + 4 = 5 for 1 right: 4 short.
    expect(result.plans.map((p) => p.key)).toEqual([E2]);
    const plan = result.plans[0];
    expect(plan.shortfall).toBe(4);
    expect(plan.reclaim).toEqual(['not-seen|s1|microsoft\u0001office', 'not-seen|s2|microsoft\u0001office']);
    expect(plan.reclaimed).toBe(2);
    // 2 still short: 2019 rights cost 10, Office rights 100; e1 hands up 2, so both are bought there.
    expect(plan.buy).toEqual([{ key: E1, rights: 2, unitCost: 10, cost: 20, entitlementId: 'e1' }]);
    expect([plan.buyCost, plan.buyOnlyCost, plan.saving]).toEqual([20, 400, 380]);
    acted(sheets(10), { plan: E2 }, [E2, E1]);
  });

  it('buys in the cover itself when the covered position costs as much or more', () => {
    const plan = savingsOf(sheets(150)).result.plans[0];
    expect(plan.buy).toEqual([{ key: E2, rights: 2, unitCost: 100, cost: 200, entitlementId: 'e2' }]);
    acted(sheets(150), { plan: E2 }, [E2]);
  });
});

describe('the whole workbook\'s plan', () => {
  it('reclaims every position plan\'s candidates together and buys what each still lacks', () => {
    const sheets: SheetsIn = {
      users: [{ id: 'u1' }, { id: 'u2' }],
      devices: [dev('d1', { ownerId: 'u1' }), dev('d2', { ownerId: 'u2', lastSeen: OLD }), dev('d3')],
      installations: [inst('i1', 'd1'), inst('i2', 'd2'), inst('i3', 'd3'), inst('p1', 'd1', { product: 'Project' })],
      entitlements: [ent('e1', 'per_device', 1), ent('e2', 'per_user', 1, { unitCost: 50 }),
        { id: 'e3', publisher: 'Microsoft', product: 'Project', metric: 'per_device', quantity: 0, unitCost: null }],
    };
    const { result } = savingsOf(sheets);
    // Visio per_device: 3 for 1; per_user: u1, u2 and i3 alone: 3 for 1; Project: 1 for 0, no unit cost.
    expect(result.plans.map((p) => p.key).sort()).toEqual(['microsoft|project|||per_device|||', 'microsoft|visio|||per_device|||', 'microsoft|visio|||per_user|||']);
    const w = result.whole;
    expect(w.key).toBe('');
    // The not-seen d2 candidate frees one right in each Visio position.
    expect(w.reclaim).toEqual(['not-seen|d2|microsoft\u0001visio']);
    expect(w.reclaimed).toBe(2);
    expect(w.buyOnlyCost).toBe(300);
    expect(w.buyCost).toBe(150);
    expect(w.saving).toBe(150);
    expect(w.note).toMatch(/1 position has no unit cost/);
    acted(sheets, { whole: true }, result.plans.map((p) => p.key));
  });
});
