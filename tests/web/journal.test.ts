// The journal of updates not yet committed to IndexedDB (web/state/journal.ts): what a page wrote
// and did not drop comes back, byte for byte, in order, for its workspace only; it never throws
// where storage fails; and a document rebuilt from the committed records plus the journal equals
// the one that made the updates, whichever of them had been committed when the page went.

import fc from 'fast-check';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { JOURNAL_BUDGET, JOURNAL_LIMIT, UpdateJournal, type JournalStorage } from '../../web/state/journal';

class MapStorage implements JournalStorage {
  readonly items = new Map<string, string>();
  failWrites = false;
  get length(): number { return this.items.size; }
  key(i: number): string | null { return [...this.items.keys()][i] ?? null; }
  getItem(k: string): string | null { return this.items.get(k) ?? null; }
  setItem(k: string, v: string): void {
    if (this.failWrites) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string): void { this.items.delete(k); }
}

test('entries come back in write order, byte for byte, with their local flag, until dropped', () => {
  const storage = new MapStorage();
  const j = new UpdateJournal('reckon:w1', storage);
  const updates = Array.from({ length: 12 }, (_, i) => new Uint8Array([i, 255, 0, i * 7]));
  const keys = updates.map((u, i) => j.write(u, i % 3 !== 0));
  expect(keys.every((k) => k !== null)).toBe(true);
  j.drop(keys[4]);
  const back = new UpdateJournal('reckon:w1', storage).entries();
  expect(back.map((e) => [...e.update])).toEqual(updates.filter((_, i) => i !== 4).map((u) => [...u]));
  expect(back.map((e) => e.local)).toEqual(updates.map((_, i) => i % 3 !== 0).filter((_, i) => i !== 4));
});

test('a workspace reads only its own entries, however names nest; clear drops them all', () => {
  const storage = new MapStorage();
  storage.setItem('reckon.workspaces', '[]');
  new UpdateJournal('a', storage).write(new Uint8Array([1]), true);
  new UpdateJournal('a/b', storage).write(new Uint8Array([2]), true);
  new UpdateJournal('a', storage).write(new Uint8Array([3]), false); // another tab of 'a'
  expect(new UpdateJournal('a', storage).entries().map((e) => e.update[0]).sort()).toEqual([1, 3]);
  expect(new UpdateJournal('a/b', storage).entries().map((e) => e.update[0])).toEqual([2]);
  new UpdateJournal('a', storage).clear();
  expect(new UpdateJournal('a', storage).entries()).toEqual([]);
  expect(storage.items.size).toBe(2);
});

test('what cannot be journaled is skipped, never thrown; a damaged entry is dropped', () => {
  const storage = new MapStorage();
  const j = new UpdateJournal('w', storage);
  expect(j.write(new Uint8Array(JOURNAL_LIMIT + 1), true)).toBeNull();
  storage.failWrites = true;
  expect(j.write(new Uint8Array([1]), true)).toBeNull();
  storage.failWrites = false;
  expect(new UpdateJournal('w', null).write(new Uint8Array([1]), true)).toBeNull();
  const k = j.write(new Uint8Array([9]), true)!;
  storage.items.set(k.replace(/\d+$/, '999999999'), 'L%%not base64');
  storage.items.set(k.replace(/\d+$/, '999999998'), 'Xabc');
  expect(j.entries().map((e) => [...e.update])).toEqual([[9]]);
  expect(storage.items.size).toBe(1);
});

test('a page holds at most its budget of entries; dropping one makes room again', () => {
  const storage = new MapStorage();
  const j = new UpdateJournal('w', storage);
  const update = new Uint8Array(JOURNAL_LIMIT);
  const keys: (string | null)[] = [];
  for (let i = 0; i < 8; i++) keys.push(j.write(update, true));
  const written = keys.filter((k) => k !== null);
  expect(written.length).toBe(Math.floor(JOURNAL_BUDGET / (Math.ceil(JOURNAL_LIMIT / 3) * 4 + 1)));
  expect(j.write(update, true)).toBeNull();
  j.drop(written[0]);
  expect(j.write(update, true)).not.toBeNull();
});

test('large entries (several base64 chunks) come back whole', () => {
  const storage = new MapStorage();
  const j = new UpdateJournal('w', storage);
  const big = new Uint8Array(JOURNAL_LIMIT);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 9)) & 255;
  j.write(big, false);
  expect(Buffer.from(j.entries()[0].update).equals(Buffer.from(big))).toBe(true);
});

test('records committed plus the journal rebuild the document, whichever updates were committed (seeded)', () => {
  const edit = fc.record({ row: fc.integer({ min: 0, max: 5 }), value: fc.oneof(fc.string(), fc.constant(null)), committed: fc.boolean() });
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), (edits) => {
    const storage = new MapStorage();
    const journal = new UpdateJournal('w', storage);
    const records: Uint8Array[] = [];
    const source = new Y.Doc();
    // As doc-store.ts: journaled first, dropped once the record is committed.
    let next: (typeof edits)[number] = edits[0];
    source.on('update', (u: Uint8Array) => {
      const key = journal.write(u, true);
      if (next.committed) {
        records.push(u);
        journal.drop(key);
      }
    });
    for (const e of edits) {
      next = e;
      const cells = source.getMap<string>('cells');
      if (e.value === null) cells.delete(`r${e.row}`);
      else cells.set(`r${e.row}`, e.value);
    }
    const loaded = new Y.Doc();
    for (const r of records) Y.applyUpdate(loaded, r);
    for (const e of new UpdateJournal('w', storage).entries()) Y.applyUpdate(loaded, e.update);
    expect(loaded.getMap('cells').toJSON()).toEqual(source.getMap('cells').toJSON());
  }), { seed: 20261207, numRuns: 200 });
});
