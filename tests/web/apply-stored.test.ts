// The page applies its stored records with the document's 'update' listeners set aside (Yjs would
// otherwise encode every record again for them): the document ends the same, no listener hears a
// stored record, every listener hears what comes after, and a damaged record costs only itself.

import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { STORE_ORIGIN, applyStored } from '../../web/state/doc-store';

function records(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const source = new Y.Doc();
  source.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) source.getMap('cells').set(`k${i}`, `value ${i}`);
  return out;
}

test('stored records reach the document, not its update listeners; later updates reach every listener', () => {
  const doc = new Y.Doc();
  const heard: unknown[] = [];
  const listener = (_u: Uint8Array, origin: unknown) => heard.push(origin);
  doc.on('update', listener);
  let late: (() => void) | null = null;
  const lateHeard: unknown[] = [];
  // A listener added while the records are applied (an observer reacting to them) is kept; as in
  // Yjs, it hears the transaction it was added in.
  doc.getMap('cells').observe(() => {
    if (late) return;
    late = () => {};
    doc.on('update', (_u: Uint8Array, origin: unknown) => lateHeard.push(origin));
  });
  const afterTransaction: unknown[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => afterTransaction.push([tr.origin, tr.local]));

  const damaged: unknown[] = [];
  applyStored(doc, [...records(5), new Uint8Array([1, 2, 3]), 'not bytes'], (e) => damaged.push(e));
  expect(doc.getMap('cells').size).toBe(5);
  expect(heard).toEqual([]);
  expect(damaged).toHaveLength(1);
  expect(afterTransaction).toEqual([[STORE_ORIGIN, false]]);

  doc.getMap('cells').set('edit', 1);
  expect(heard).toEqual([null]);
  expect(lateHeard).toEqual([STORE_ORIGIN, null]);
});

test('a document without update listeners keeps none', () => {
  const doc = new Y.Doc();
  applyStored(doc, records(3), () => {});
  expect(doc.getMap('cells').size).toBe(3);
  expect((doc as unknown as { _observers: Map<string, unknown> })._observers.has('update')).toBe(false);
});
