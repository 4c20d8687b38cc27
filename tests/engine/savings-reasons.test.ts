// Reclaim candidates, reason by reason (engine/savings/reasons/): which rows each rule finds, what
// acting on them frees (checked against a full reconcile of the workbook after their edits, as the
// scenario compare would show it), and the edge cases: capacity metrics that free nothing or a whole
// host, a candidate freeing rights in two positions, surplus.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import type { Candidate } from '../../engine/savings/types';
import { applyEdits, expectFreedAsCompared, reconcile, savingsOf, type SheetsIn } from '../helpers/savings';

const dev = (id: string, more: RawRow = {}): RawRow => ({ id, status: 'in use', ...more });
const inst = (id: string, deviceId: string, product = 'Visio', more: RawRow = {}): RawRow => ({ id, deviceId, publisher: 'Microsoft', product, ...more });
const ent = (id: string, metric: string, quantity: number, more: RawRow = {}): RawRow => ({ id, publisher: 'Microsoft', product: 'Visio', metric, quantity, unitCost: 100, ...more });
const session = (id: string, more: RawRow): RawRow => ({ id, publisher: 'Microsoft', product: 'Visio', start: '2026-10-01T09:00:00Z', end: '2026-10-01T17:00:00Z', ...more });

/** The candidates of a workbook, each checked against a full reconcile after its own edits. */
function candidates(sheets: SheetsIn): { list: Candidate[]; of: (reason: string) => Candidate[] } {
  const { engine, k, result } = savingsOf(sheets);
  const before = reconcile(k);
  for (const c of result.candidates) {
    const after = reconcile(applyEdits(k, engine.savings().edits({ candidates: [c.id] })));
    expectFreedAsCompared(before, after, c.freed, c.id);
  }
  return { list: result.candidates, of: (reason) => result.candidates.filter((c) => c.reason === reason) };
}

const rowIds = (c: Candidate) => c.rows.map((r) => r.id);

describe('installed-unused', () => {
  const sheets: SheetsIn = {
    users: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3', active: false }],
    devices: [dev('d1', { ownerId: 'u1' }), dev('d2', { ownerId: 'u2' }), dev('d3', { ownerId: 'u1' }), dev('d4'), dev('d5', { ownerId: 'u3' })],
    installations: [
      inst('i1', 'd1'), inst('i2', 'd2'), inst('i3', 'd3'), inst('i4', 'd4', 'Visio', { userId: 'u2' }), inst('i5', 'd5'),
      inst('p1', 'd2', 'Project'),
    ],
    sessions: [
      session('s1', { userId: 'u1', deviceId: 'd1' }),
      // On d4 but outside the window (the 90 days before asOf): no evidence of use there.
      session('s2', { userId: 'u9', deviceId: 'd4', start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z' }),
      // An inactive user's session is still usage.
      session('s3', { userId: 'u3' }),
    ],
    entitlements: [ent('e1', 'per_device', 2), ent('e2', 'per_device', 5, { product: 'Project' })],
  };

  it('finds installations whose device and user have no session of a product that has sessions', () => {
    const { of } = candidates(sheets);
    const found = of('installed-unused');
    // i1: d1 and u1 have sessions; i3: its owner u1 has; i5: its owner u3 (inactive) has.
    // i2 (owner u2) and i4 (userId u2) have none. Project has no session at all: not judged.
    expect(found.map(rowIds)).toEqual([['i2'], ['i4']]);
    expect(found[0].freed).toEqual([{ key: 'microsoft|visio|||per_device|||', rights: 1, cost: 100 }]);
    expect(found[0].why).toMatch(/it has sessions in the window, none on this device or by its user u2/);
    expect(found[0].action).toBe('remove');
  });
});

describe('not-seen', () => {
  const sheets = (settings: Record<string, unknown> = {}): SheetsIn => ({
    settings,
    devices: [
      dev('d1', { lastSeen: '2026-06-01' }), dev('d2', { lastSeen: '2026-09-01' }), dev('d3'), dev('d4', { lastSeen: '2025-01-01', status: 'retired' }),
      dev('d5', { lastSeen: '2026-08-03' }),
    ],
    installations: [inst('i1', 'd1'), inst('i2', 'd1', 'Visio', { version: '2021' }), inst('i3', 'd2'), inst('i4', 'd3'), inst('i5', 'd4'), inst('i6', 'd5'),
      inst('x1', 'd1', 'Freeware Tool')],
    entitlements: [ent('e1', 'per_instance', 10)],
  });

  it('finds the installations on devices last seen more than notSeenDays (90) before asOf, per device and product', () => {
    const { of } = candidates(sheets());
    // d1: 153 days; d5: exactly 90 days is not more than 90; d3 never seen: not judged; d4 retired: counts nowhere.
    // The freeware on d1 counts in no position: no candidate.
    expect(of('not-seen').map(rowIds)).toEqual([['i1', 'i2']]);
    expect(of('not-seen')[0].freed).toEqual([{ key: 'microsoft|visio|||per_instance|||', rights: 2, cost: 200 }]);
    expect(of('not-seen')[0].why).toMatch(/last seen by discovery 2026-06-01: 153 days before asOf \(more than 90\)/);
  });

  it('follows the notSeenDays setting', () => {
    const { of } = candidates(sheets({ notSeenDays: 30 }));
    expect(of('not-seen').map(rowIds)).toEqual([['i1', 'i2'], ['i3'], ['i6']]);
  });

  it('a bad notSeenDays is a settings problem and the default (90) stands; it changes no count', () => {
    const { engine, result } = savingsOf(sheets({ notSeenDays: 'soon' }));
    expect(result.notSeenDays).toBe(90);
    expect(engine.result().problems).toContainEqual(expect.objectContaining({ sheet: 'settings', column: 'notSeenDays' }));
    const before = engine.result().positions;
    const patch = engine.apply([{ kind: 'settingsChanged', key: 'notSeenDays', value: 30 }], () => undefined);
    expect(patch.positions).toEqual([]);
    expect(engine.result().positions).toEqual(before);
    expect(engine.savings().result().candidates.filter((c) => c.reason === 'not-seen').map(rowIds)).toEqual([['i1', 'i2'], ['i3'], ['i6']]);
  });
});

describe('duplicate', () => {
  it('finds later rows of one device, product, version and edition (text compared ignoring case and spaces)', () => {
    const { of } = candidates({
      devices: [dev('d1')],
      installations: [
        inst('i1', 'd1', 'Visio', { version: '2021', edition: 'Pro' }), inst('i2', 'd1', ' visio ', { version: '2021', edition: 'pro ' }),
        inst('i3', 'd1', 'Visio', { version: '2019', edition: 'Pro' }), inst('i4', 'd1', 'VISIO', { version: '2021', edition: 'Pro' }),
      ],
      entitlements: [ent('e1', 'per_instance', 1), ent('e2', 'per_device', 1, { product: 'Visio', edition: 'Pro', id: 'e2', publisher: 'Microsoft', metric: 'per_device' })],
    });
    const [dup] = of('duplicate');
    expect(rowIds(dup)).toEqual(['i2', 'i4']);
    // per_instance gains 2; per_device (e2, one device) gains nothing: the device keeps i1.
    expect(dup.positions.sort()).toEqual(['microsoft|visio||pro|per_device|||', 'microsoft|visio|||per_instance|||'].sort());
    expect(dup.freed).toEqual([{ key: 'microsoft|visio|||per_instance|||', rights: 2, cost: 200 }]);
  });
});

describe('copies-exceeded', () => {
  it('finds the copies beyond copiesPerDevice, later ones first; they clear the flag and free no right', () => {
    const { of } = candidates({
      devices: [dev('d1'), dev('d2')],
      installations: [inst('i1', 'd1'), inst('i2', 'd1'), inst('i3', 'd1'), inst('i4', 'd2'), inst('i5', 'd2')],
      entitlements: [ent('e1', 'per_copy_per_device', 5, { copiesPerDevice: 2 })],
    });
    const found = of('copies-exceeded');
    expect(found.map(rowIds)).toEqual([['i3']]);
    expect(found[0].fixes).toEqual(['copies-exceeded']);
    expect(found[0].freed).toEqual([]);
    expect(found[0].note).toMatch(/clears copies-exceeded/);
  });
});

describe('inactive-holder', () => {
  it('finds allocations and active subscriptions held by inactive or unknown users', () => {
    const { of } = candidates({
      users: [{ id: 'u1' }, { id: 'u2', active: false }],
      entitlements: [ent('e1', 'named_user', 5), ent('e2', 'user_subscription', 1, { product: 'M365' })],
      allocations: [{ id: 'a1', entitlementId: 'e1', userId: 'u1' }, { id: 'a2', entitlementId: 'e1', userId: 'u2' }, { id: 'a3', entitlementId: 'e1', userId: 'ghost' }],
      subscriptions: [
        { id: 's1', userId: 'u2', publisher: 'Microsoft', product: 'M365' }, { id: 's2', userId: 'u1', publisher: 'Microsoft', product: 'M365' },
        { id: 's3', userId: 'u2', publisher: 'Microsoft', product: 'M365', active: false },
      ],
    });
    const found = of('inactive-holder');
    expect(found.map((c) => [c.action, ...rowIds(c)])).toEqual([['remove', 'a2'], ['remove', 'a3'], ['deactivate', 's1']]);
    // A person who counts as no user already frees no named_user right; the subscription is a record: it frees one.
    expect(found[0].freed).toEqual([]);
    expect(found[1].why).toMatch(/held by ghost, unknown to the users sheet/);
    expect(found[2].freed).toEqual([{ key: 'microsoft|m365|||user_subscription|||', rights: 1, cost: 100 }]);
  });
});

describe('allocated-unused', () => {
  it('user_subscription: allocated rights beyond the user\'s active subscriptions (allocatedNotInUse)', () => {
    const { of } = candidates({
      users: [{ id: 'u1' }, { id: 'u2' }],
      entitlements: [ent('e1', 'user_subscription', 4, { product: 'M365' })],
      allocations: [{ id: 'a1', entitlementId: 'e1', userId: 'u1', rights: 1 }, { id: 'a2', entitlementId: 'e1', userId: 'u1', rights: 2 }, { id: 'a3', entitlementId: 'e1', userId: 'u2' }],
      subscriptions: [{ id: 's1', userId: 'u1', publisher: 'Microsoft', product: 'M365' }, { id: 's2', userId: 'u2', publisher: 'Microsoft', product: 'M365' }],
    });
    // u1: 3 rights, 1 subscription: a2 (2 rights) can go (3 − 2 ≥ 1), a1 cannot. u2: 1 and 1.
    const found = of('allocated-unused');
    expect(found.map(rowIds)).toEqual([['a2']]);
    expect(found[0].why).toMatch(/u1 holds 3 rights .* allocated and 1 active subscription: 2 rights allocated, not in use/);
    expect(found[0].freed).toEqual([]);
  });

  it('other allocation metrics: the product has sessions in the window and the user none', () => {
    const { of } = candidates({
      users: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }],
      entitlements: [ent('e1', 'named_fixed', 1)],
      allocations: [{ id: 'a1', entitlementId: 'e1', userId: 'u1' }, { id: 'a2', entitlementId: 'e1', userId: 'u2' }],
      sessions: [session('s1', { userId: 'u2' })],
    });
    expect(of('allocated-unused').map(rowIds)).toEqual([['a1']]);
    expect(of('allocated-unused')[0].freed).toEqual([{ key: 'microsoft|visio|||named_fixed|||', rights: 1, cost: 100 }]);
  });
});

describe('what a candidate frees, as the compare shows it', () => {
  it('a capacity metric: a VM of a host frees part of it, or nothing where the host itself carries the product', () => {
    const sql = (id: string, d: string) => inst(id, d, 'SQL Server');
    const { of } = candidates({
      devices: [
        dev('h1', { cpus: 2, cores: 16 }), dev('v1', { virtual: true, hostId: 'h1', vcpus: 8, lastSeen: '2026-01-01' }), dev('v2', { virtual: true, hostId: 'h1', vcpus: 12 }),
        dev('h2', { cpus: 2, cores: 16 }), dev('v3', { virtual: true, hostId: 'h2', vcpus: 4, lastSeen: '2026-01-01' }),
      ],
      installations: [sql('i1', 'v1'), sql('i2', 'v2'), sql('i3', 'h2'), sql('i4', 'v3')],
      entitlements: [ent('e1', 'per_core', 10, { product: 'SQL Server' })],
    });
    const [v1, v3] = of('not-seen');
    // h1: min(16, 8 + 12) = 16; without v1: 12. h2 carries it itself: 16 whatever its VMs do.
    expect(v1.freed).toEqual([{ key: 'microsoft|sql server|||per_core|||', rights: 4, cost: 400 }]);
    expect(v3.freed).toEqual([]);
    expect(v3.note).toMatch(/frees no counted right/);
  });

  it('Oracle Processor with live migration: removing the last installation of a cluster frees the whole cluster', () => {
    const ora = (id: string, d: string) => ({ id, deviceId: d, publisher: 'Oracle', product: 'Database' });
    const { of } = candidates({
      clusters: [{ id: 'c1', mobility: true }],
      devices: [dev('h1', { cores: 8, cluster: 'c1', lastSeen: '2026-01-01' }), dev('h2', { cores: 8, cluster: 'c1' }), dev('h3', { cores: 4, lastSeen: '2026-01-02' })],
      installations: [ora('i1', 'h1'), ora('i3', 'h3')],
      entitlements: [{ id: 'e1', publisher: 'Oracle', product: 'Database', metric: 'oracle_processor', quantity: 10, unitCost: 47500 }],
    });
    const [h1] = of('not-seen');
    expect(h1.freed).toEqual([{ key: 'oracle|database|||oracle_processor|||', rights: 16, cost: 760000 }]);
  });

  it('a candidate that frees rights in two positions says so (per_device and per_user of one product)', () => {
    const { of } = candidates({
      users: [{ id: 'u1' }],
      devices: [dev('d1', { ownerId: 'u1', lastSeen: '2026-02-01' })],
      installations: [inst('i1', 'd1')],
      entitlements: [ent('e1', 'per_device', 1), ent('e2', 'per_user', 1, { unitCost: 30 })],
    });
    const [c] = of('not-seen');
    expect(c.freed).toEqual([
      { key: 'microsoft|visio|||per_device|||', rights: 1, cost: 100 },
      { key: 'microsoft|visio|||per_user|||', rights: 1, cost: 30 },
    ]);
    expect(c.rights).toBe(2);
    expect(c.cost).toBe(130);
  });

  it('rights freed in a covered position move up to its cover: the cover gains them', () => {
    const { of } = candidates({
      devices: [dev('d1'), dev('d2'), dev('d3', { lastSeen: '2026-01-01' })],
      installations: [inst('i1', 'd1', 'Visio', { version: '2019' }), inst('i2', 'd2', 'Visio', { version: '2019' }), inst('i3', 'd3', 'Visio', { version: '2019' })],
      entitlements: [ent('e1', 'per_device', 1, { version: '2019' }), ent('e2', 'per_device', 5, { unitCost: 250 })],
    });
    // e1 counts 3, hands 2 up to e2 (which covers it); without i3 it hands 1: e2 gains 1, e1 nothing.
    expect(of('not-seen')[0].freed).toEqual([{ key: 'microsoft|visio|||per_device|||', rights: 1, cost: 250 }]);
  });

  it('a position with no unit cost: rights freed, not priced', () => {
    const { of } = candidates({
      devices: [dev('d1', { lastSeen: '2026-01-01' })],
      installations: [inst('i1', 'd1')],
      entitlements: [ent('e1', 'per_device', 1, { unitCost: null })],
    });
    expect(of('not-seen')[0].freed).toEqual([{ key: 'microsoft|visio|||per_device|||', rights: 1, cost: null }]);
    expect(of('not-seen')[0].cost).toBeNull();
  });
});

describe('surplus', () => {
  it('available > 0 on a counting position, at unit cost; none on enterprise and site; null cost without a unit cost', () => {
    const r = reconcile(savingsOf({
      devices: [dev('d1')],
      installations: [inst('i1', 'd1'), inst('q1', 'd1', 'Toad', { publisher: 'Quest' })],
      entitlements: [
        ent('e1', 'per_device', 5, { unitCost: 12.5 }), ent('e2', 'per_user', 3, { unitCost: null }),
        { id: 'e3', publisher: 'Quest', product: 'Toad', metric: 'enterprise', quantity: 100, unitCost: 10 },
      ],
    }).k);
    const of = (id: string) => r.positions.find((p) => p.entitlementIds.includes(id))!;
    expect([of('e1').surplus, of('e1').surplusCost]).toEqual([4, 50]);
    expect([of('e2').surplus, of('e2').surplusCost]).toEqual([2, null]);
    expect([of('e3').surplus, of('e3').surplusCost]).toEqual([0, 0]);
  });

  it('totals per publisher and overall', () => {
    const { result } = savingsOf({
      devices: [dev('d1')],
      installations: [inst('i1', 'd1')],
      entitlements: [ent('e1', 'per_device', 5, { unitCost: 12.5 }), ent('e2', 'per_user', 3, { unitCost: null }),
        { id: 'e4', publisher: 'Adobe', product: 'Acrobat', metric: 'per_device', quantity: 2, unitCost: 100 }],
    });
    expect(result.totals.surplus).toEqual({
      cost: 250, count: 3, unpriced: 1, rights: 8,
      byPublisher: [
        { publisher: 'Adobe', cost: 200, count: 1, unpriced: 0, rights: 2 },
        { publisher: 'Microsoft', cost: 50, count: 2, unpriced: 1, rights: 6 },
      ],
    });
  });
});
