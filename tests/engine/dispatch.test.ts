// One pass over a group's rows (engine/positions/dispatch.ts) must give each position exactly the
// units, members and member order it gets row by row through feedOf (a row feeds p when p's own
// feed counts it and no rival ranked before p does), whichever positions of the group are being
// gathered: a load gathers them all, an edit or an explanation only some.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, LOAD_ORDER } from '../../engine/engine';
import type { RawRow } from '../../engine/cells';
import type { World } from '../../engine/store/world';
import type { MemberList, UnitKey } from '../../engine/metrics/rule';
import type { Position } from '../../engine/positions/position';
import { feedOf } from '../../engine/positions/compute';
import { gatherGroup } from '../../engine/positions/dispatch';
import { overlapScenarioArb } from '../helpers/random-workbook';

type Fed = [UnitKey, [MemberList, unknown][]][];

/** Every source row of p offered to feedOf, in the order the position's rows are kept (by product, by kind). */
function rowByRow(w: World, p: Position): Fed {
  const s = w.store, units = new Map<UnitKey, [MemberList, unknown][]>();
  const offer = (list: MemberList, row: unknown) => {
    const fed = feedOf(w, p, list, row);
    if (fed === null) return;
    for (const k of Array.isArray(fed) ? fed : [fed]) {
      let m = units.get(k);
      if (!m) units.set(k, (m = []));
      m.push([list, row]);
    }
  };
  const r = p.rule;
  if (r.install) for (const set of s.installsByProduct.of(p.publisher, p.product)) for (const i of set) offer('inst', i);
  if (r.allocation) {
    const seen = new Set<string>();
    for (const e of p.entitlements) {
      if (e.idN === '' || seen.has(e.idN)) continue;
      seen.add(e.idN);
      for (const a of s.allocationsByEntitlement.get(e.idN)) offer('alloc', a);
    }
  }
  const byProduct = [[r.access, 'access', s.accessByProduct], [r.subscription, 'subs', s.subscriptionsByProduct], [r.session, 'sessions', s.sessionsByProduct],
    [r.sensor, 'sensors', s.sensorsByProduct], [r.measurement, 'measurements', s.measurementsByProduct]] as const;
  for (const [feed, list, index] of byProduct) {
    if (!feed) continue;
    for (const set of (index as typeof s.accessByProduct).of(p.publisher, p.product)) for (const row of set) offer(list, row);
  }
  if (r.user) for (const u of s.rows('users')) offer('users', u);
  return [...units];
}

/** gatherGroup's units of p, in the same form. */
function inOnePass(w: World, ranked: readonly Position[], targets: readonly Position[], p: Position): Fed {
  const units = gatherGroup(w, ranked, targets).get(p)!;
  return [...units].map(([k, m]) => {
    const rows: [MemberList, unknown][] = [];
    for (const [list, arr] of Object.entries(m) as [MemberList, unknown[] | undefined][]) for (const row of arr ?? []) rows.push([list, row]);
    return [k, rows];
  });
}

/** The same members, ignoring the order of lists within a unit (a unit's lists are read separately). */
const byList = (fed: Fed) => fed.map(([k, rows]) => [k, [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))]);

describe('gathering a group in one pass', () => {
  it('gives every position, among any subset being gathered, what feedOf gives it row by row (seeded)', () => {
    fc.assert(fc.property(overlapScenarioArb(0), fc.infiniteStream(fc.boolean()), ({ initial }, picks) => {
      const engine = new Engine({ today: '2026-06-01' });
      engine.load({}, Object.fromEntries(LOAD_ORDER.map((s) => [s, { rows: initial[s] as RawRow[] }])));
      engine.positionResults(); // ranks the groups
      const seen = new Set<unknown>();
      for (const p of engine.positions.all.values()) {
        const g = engine.positions.group(p);
        if (seen.has(g)) continue;
        seen.add(g);
        const pick = picks.take(g.ranked.length);
        const some = g.ranked.filter(() => pick.next().value as boolean);
        for (const targets of [g.ranked, some]) {
          for (const q of targets) expect(byList(inOnePass(engine.world, g.ranked, targets, q))).toEqual(byList(rowByRow(engine.world, q)));
        }
      }
    }), { seed: 20261207, numRuns: 500 });
  });

  it('keeps a person from a `*` position when a named one not being gathered counts them', () => {
    // e1 (X, company North) ranks before e2 (X): u1 of South is e2's, so never the `*` right's,
    // even when only e1 and the `*` right are gathered (an edit of those two).
    const engine = new Engine({ today: '2026-06-01' });
    const right = (id: string, more: RawRow) => ({ id, publisher: 'Acme', product: 'X', metric: 'employee', quantity: 1, ...more });
    engine.load({}, {
      users: { rows: [{ id: 'u1', company: 'South' }, { id: 'u2', company: 'North' }] },
      entitlements: { rows: [right('e1', { company: 'North' }), right('e2', {}), right('e3', { product: '*' })] },
    });
    engine.positionResults();
    const [e1, e2, e3] = ['e1', 'e2', 'e3'].map((id) => [...engine.positions.all.values()].find((p) => p.entitlements[0].id === id)!);
    const ranked = engine.positions.group(e1).ranked;
    expect(ranked).toEqual([e1, e2, e3]);
    for (const targets of [ranked, [e1, e3], [e3]]) {
      for (const q of targets) expect(byList(inOnePass(engine.world, ranked, targets, q))).toEqual(byList(rowByRow(engine.world, q)));
    }
    expect(gatherGroup(engine.world, ranked, [e1, e3]).get(e3)!.size).toBe(0);
  });
});
