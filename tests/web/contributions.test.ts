// The explanation panel's layout of contributions (web/ui/contributions.ts): flagged lines first,
// then filtered, sorted and grouped lines; grouping by reason folds the same reason about different rows.

import { expect, test } from 'vitest';
import { arrange, reasonOf, toLine } from '../../web/ui/contributions';
import type { Contribution } from '../../engine/metrics/rule';

const copies: Contribution[] = Array.from({ length: 945 }, (_, i) => ({ ref: `devices/d${i}`, amount: 1, why: '1 copy', name: `pc-${i}` }));
const over: Contribution[] = [
  { ref: 'devices/d9001', amount: 1, why: '3 copies > 2 allowed per device', flags: ['copies-exceeded'], name: 'lab-1' },
  { ref: 'devices/d9002', amount: 1, why: '4 copies > 2 allowed per device', flags: ['copies-exceeded'], name: 'lab-2' },
];

test('flagged lines come first; the rest folds into one group by reason', () => {
  const a = arrange([...copies, ...over], { filter: '', sort: 'amount', group: 'reason' });
  expect(a.first.map((l) => l.name)).toEqual(['lab-1', 'lab-2']);
  expect(a.groups).toHaveLength(1);
  expect(a.groups[0]).toMatchObject({ label: '1 copy', total: 945 });
  expect(a.shown).toBe(947);
});

test('filter by name, id or reason; sort by name with numbers in order; group by amount heaviest first', () => {
  expect(arrange(copies, { filter: 'pc-94', sort: 'amount', group: 'none' }).shown).toBe(6); // pc-94, pc-940..944
  const rows: Contribution[] = [
    { ref: 'devices/b', amount: 2, why: 'x', name: 'srv-10' }, { ref: 'devices/a', amount: 8, why: 'x', name: 'srv-9' }, { ref: 'total', amount: 10, why: 'sum' },
  ];
  const byName = arrange(rows, { filter: '', sort: 'name', group: 'none' });
  expect(byName.groups[0].lines.map((l) => l.name)).toEqual(['srv-9', 'srv-10']);
  expect(byName.first.map((l) => l.ref)).toEqual(['total']);
  expect(arrange(rows, { filter: '', sort: 'amount', group: 'amount' }).groups.map((g) => g.label)).toEqual(['counting 8', 'counting 2']);
  expect(arrange(rows, { filter: 'srv-9', sort: 'id', group: 'sheet' }).groups.map((g) => [g.label, g.lines.length])).toEqual([['Devices', 1]]);
});

test('a reason reads without the row it is about', () => {
  expect(reasonOf(toLine({ ref: 'devices/h1', name: 'srv-12', amount: 8, why: 'srv-12: 16 cores × core factor 0.5' }))).toBe('16 cores × core factor 0.5');
  expect(reasonOf(toLine({ ref: 'devices/vm7', amount: 2, why: 'VM vm7: 2 vCPUs' }))).toBe('VM: 2 vCPUs');
});
