// Conflicts people see (web/state/conflicts.ts), between two real Yjs documents: a cell written on
// both sides without either seeing the other's write is reported on the side whose value lost, with
// both values; a write made over a value seen is an ordinary edit, never a conflict.

import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { stillOpen, watchConflicts, type CellConflict } from '../../web/state/conflicts';
import { addRow, setCell } from '../../worker/doc/edit';
import { encodeChunk } from '../../worker/doc/chunk';
import { sheetTypes } from '../../worker/doc/layout';

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'relay');

function pair() {
  const a = new Y.Doc(), b = new Y.Doc();
  const seen = { a: [] as CellConflict[], b: [] as CellConflict[] };
  watchConflicts(a, (c) => seen.a.push(c));
  watchConflicts(b, (c) => seen.b.push(c));
  return { a, b, seen };
}

test('concurrent writes to a chunk row cell: the side whose value lost is told both values', () => {
  const { a, b, seen } = pair();
  sheetTypes(a, 'devices').chunks.push([encodeChunk('c1', [{ id: 'd1', cores: 4 }])]);
  sync(a, b);
  setCell(a, 'devices', 'c1.00000', 'cores', 8);
  setCell(b, 'devices', 'c1.00000', 'cores', 16);
  sync(a, b);
  sync(b, a);
  const winner = sheetTypes(a, 'devices').cells.get('c1.00000\tcores');
  expect(sheetTypes(b, 'devices').cells.get('c1.00000\tcores')).toBe(winner);
  const [loser, won] = winner === 8 ? [seen.b, seen.a] : [seen.a, seen.b];
  expect(won).toEqual([]);
  expect(loser).toEqual([{ sheet: 'devices', rowKey: 'c1.00000', column: 'cores', mine: winner === 8 ? 16 : 8, theirs: winner }]);
});

test('an edit over a value seen is not a conflict; nor are writes to different cells', () => {
  const { a, b, seen } = pair();
  const key = addRow(a, 'users', { id: 'u1', name: 'Ann' });
  sync(a, b);
  setCell(a, 'users', key, 'name', 'Anne');
  sync(a, b);
  setCell(b, 'users', key, 'name', 'Anna'); // B saw "Anne"
  setCell(a, 'users', key, 'site', 'Paris');
  sync(b, a);
  sync(a, b);
  expect(seen).toEqual({ a: [], b: [] });
});

test('concurrent writes to an added row cell are reported too', () => {
  const { a, b, seen } = pair();
  const key = addRow(a, 'users', { id: 'u1', name: 'Ann' });
  sync(a, b);
  setCell(a, 'users', key, 'name', 'Anne');
  setCell(b, 'users', key, 'name', 'Anna');
  sync(b, a);
  sync(a, b);
  const all = [...seen.a, ...seen.b];
  expect(all).toHaveLength(1);
  expect(all[0]).toMatchObject({ sheet: 'users', rowKey: key, column: 'name' });
  expect([all[0].mine, all[0].theirs].sort()).toEqual(['Anna', 'Anne']);
});

test('a kept conflict whose cell shows this device\'s value again is settled; others stay open', () => {
  const kept: CellConflict[] = [
    { sheet: 'entitlements', rowKey: 'r1', column: 'notes', mine: 'offline', theirs: 'online' },
    { sheet: 'entitlements', rowKey: 'r2', column: 'quantity', mine: 5, theirs: 7 },
    { sheet: 'devices', rowKey: 'r3', column: 'cores', mine: 8, theirs: 16 },
  ];
  // r1 was kept (Keep mine wrote it back), r2 still shows theirs, r3 was changed again since.
  const now: Record<string, unknown> = { r1: 'offline', r2: 7, r3: 12 };
  expect(stillOpen(kept, (c) => now[c.rowKey]).map((c) => c.rowKey)).toEqual(['r2', 'r3']);
  // A cell gone (its row deleted) does not show this device's value: the notice stays until acted on.
  expect(stillOpen(kept.slice(0, 1), () => undefined)).toHaveLength(1);
});
