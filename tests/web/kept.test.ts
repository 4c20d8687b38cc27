// What the page keeps beside a workspace (web/state/kept.ts): values come back as written, for
// their workspace only, until cleared; storage that fails or holds garbage reads as nothing.

import { expect, test } from 'vitest';
import { KeptValues } from '../../web/state/kept';
import type { JournalStorage } from '../../web/state/journal';

function storage(): JournalStorage & { items: Map<string, string>; fail: boolean } {
  const items = new Map<string, string>();
  return {
    items, fail: false,
    get length() { return items.size; },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem(k, v) { if (this.fail) throw new Error('quota'); items.set(k, v); },
    removeItem: (k) => void items.delete(k),
  };
}

test('values come back per workspace until cleared; failures read as nothing, never throw', () => {
  const s = storage();
  const a = new KeptValues('reckon:a', s), ab = new KeptValues('reckon:a/b', s);
  expect(a.set('conflicts', [{ sheet: 'devices', rowKey: 'k', column: 'cores' }])).toBe(true);
  ab.set('unsent', 1);
  expect(new KeptValues('reckon:a', s).get('conflicts')).toEqual([{ sheet: 'devices', rowKey: 'k', column: 'cores' }]);
  expect(a.get('unsent')).toBeUndefined();
  a.clear();
  expect(a.get('conflicts')).toBeUndefined();
  expect(ab.get('unsent')).toBe(1);
  s.fail = true;
  expect(ab.set('unsent', 0)).toBe(false);
  expect(ab.get('unsent')).toBe(1);
  s.items.set([...s.items.keys()][0], '{not json');
  expect(ab.get('unsent')).toBeUndefined();
  expect(new KeptValues('x', null).set('unsent', 1)).toBe(false);
});
