// Rights ending or due for notice within a horizon (io/report/renewals.ts), and the notes on
// rights that do not count today, from positions as the engine reports them.

import { describe, expect, it } from 'vitest';
import { readWorkbook, reconcile } from '../../engine/workbook';
import { inactiveReason, positionRightsNote, renewalsWithin } from '../../io/report/renewals';
import type { RawRow } from '../../engine/cells';

const positionsOf = (entitlements: RawRow[], asOf = '2026-11-01') =>
  reconcile(readWorkbook({ format: 'reckon-workbook/1', settings: { asOf, currency: 'USD' }, entitlements }, []), { today: asOf }).positions;
const ent = (id: string, more: RawRow): RawRow => ({ id, publisher: 'Acme', product: id.toUpperCase(), metric: 'per_device', quantity: 10, unitCost: 5, ...more });

describe('renewals within a horizon', () => {
  const positions = positionsOf([
    ent('a', { end: '2026-11-20' }), // ends in 19 days
    ent('b', { renewal: '2027-03-01', noticeDays: 90 }), // notice by 2026-12-01: in 30 days
    ent('c', { renewal: '2026-12-15', noticeDays: 60 }), // notice by 2026-10-16: overdue, renewal ahead
    ent('d', { end: '2026-10-01', renewal: '2026-12-01' }), // ended, renews in 30 days
    ent('e', { end: '2026-09-01' }), // ended, nothing ahead
    ent('f', { start: '2026-12-01', end: '2027-02-01', unitCost: null }), // not started; ends in 92 days
    ent('g', { renewal: '2027-06-01' }), // far off
    ent('h', { end: '2026-11-01', quantity: 2.5, unitCost: 1.1 }), // ends today, still counts today
  ]);

  it('lists what is due within 30 days, overdue notices first, with what to do and the cost at stake', () => {
    const items = renewalsWithin(positions, '2026-11-01', 30);
    expect(items.map((i) => [i.right.id, i.event, i.due, i.overdue, i.days, i.costAtStake])).toEqual([
      ['c', 'notice', '2026-11-01', true, -16, 50],
      ['h', 'end', '2026-11-01', false, 0, 2.75],
      ['a', 'end', '2026-11-20', false, 19, 50],
      ['b', 'notice', '2026-12-01', false, 30, 50],
      ['d', 'renewal', '2026-12-01', false, 30, 50],
    ]);
    expect(items.find((i) => i.right.id === 'd')!.right.state).toBe('ended');
  });

  it('widens with the horizon, and a right without unit cost has no cost at stake', () => {
    expect(renewalsWithin(positions, '2026-11-01', 90).map((i) => i.right.id)).toEqual(['c', 'h', 'a', 'b', 'd']);
    const wide = renewalsWithin(positions, '2026-11-01', 180);
    expect(wide.map((i) => i.right.id)).toEqual(['c', 'h', 'a', 'b', 'd', 'f']);
    expect(wide.find((i) => i.right.id === 'f')!.costAtStake).toBeNull();
  });

  it('follows asOf: after the renewal nothing is due', () => {
    expect(renewalsWithin(positionsOf([ent('b', { renewal: '2027-03-01', noticeDays: 90 })], '2027-03-02'), '2027-03-02', 180)).toEqual([]);
  });
});

describe('rights that do not count today', () => {
  it('say why on the right and on a position none of whose rights counts', () => {
    const [p] = positionsOf([ent('a', { end: '2026-01-31' }), { ...ent('b', { end: '2026-06-30' }), product: 'A' }]);
    expect(p.rights.map(inactiveReason)).toEqual(['ended on 2026-01-31', 'ended on 2026-06-30']);
    expect(positionRightsNote(p)).toBe('no right counts today: all ended (last on 2026-06-30)');
    const [q] = positionsOf([ent('a', { start: '2027-01-01' })]);
    expect(inactiveReason(q.rights[0])).toBe('starts on 2027-01-01');
    expect(positionRightsNote(q)).toBe('no right counts today: the next starts on 2027-01-01');
    const [r] = positionsOf([ent('a', {}), { ...ent('b', { end: '2026-01-31' }), product: 'A' }]);
    expect(positionRightsNote(r)).toBeNull();
  });
});
