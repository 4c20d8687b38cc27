// The bounded pre-validation pass: everything Yjs writes passes; hostile and
// random bytes are rejected with UpdateRejected (never another exception).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { defaultUpdateLimits, type UpdateLimits } from '../../server/config';
import { UpdateRejected, validateStateVector, validateUpdate } from '../../server/validate-update';
import { conflictStorm, hostileUpdates } from './hostile';

const limits = defaultUpdateLimits;

type Op =
  | { kind: 'set'; doc: number; key: string; value: unknown }
  | { kind: 'delete'; doc: number; key: string }
  | { kind: 'text'; doc: number; at: number; text: string }
  | { kind: 'untext'; doc: number; at: number; length: number }
  | { kind: 'push'; doc: number; values: unknown[] }
  | { kind: 'sync'; from: number; to: number };

const value = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 8 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3, noNullPrototype: true }),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 4 }),
);
const doc = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), doc, key: fc.string({ maxLength: 3 }), value }),
  fc.record({ kind: fc.constant('delete' as const), doc, key: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('text' as const), doc, at: fc.nat(50), text: fc.string({ maxLength: 6, unit: 'grapheme' }) }),
  fc.record({ kind: fc.constant('untext' as const), doc, at: fc.nat(50), length: fc.nat(8) }),
  fc.record({ kind: fc.constant('push' as const), doc, values: fc.array(value, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('sync' as const), from: doc, to: doc }),
);

function run(ops: Op[]): { docs: Y.Doc[]; updates: Uint8Array[] } {
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  for (const d of docs) d.on('update', (u: Uint8Array) => updates.push(u));
  for (const o of ops) {
    if (o.kind === 'sync') {
      Y.applyUpdate(docs[o.to]!, Y.encodeStateAsUpdate(docs[o.from]!, Y.encodeStateVector(docs[o.to]!)));
      continue;
    }
    const d = docs[o.doc]!;
    const text = d.getText('t');
    if (o.kind === 'set') d.getMap('m').set(o.key, o.value);
    else if (o.kind === 'delete') d.getMap('m').delete(o.key);
    else if (o.kind === 'text') text.insert(Math.min(o.at, text.length), o.text);
    else if (o.kind === 'untext') text.delete(Math.min(o.at, text.length), Math.min(o.length, text.length - Math.min(o.at, text.length)));
    else d.getArray('a').push(o.values);
  }
  return { docs, updates };
}

function docWithClient(clientID: number, rows: number): Y.Doc {
  const d = new Y.Doc();
  d.clientID = clientID;
  d.transact(() => {
    for (let i = 0; i < rows; i++) d.getMap('byId').set(`row${i}`, i);
  });
  return d;
}

function expectRejected(update: Uint8Array, within: UpdateLimits = limits): string {
  try {
    validateUpdate(update, within);
  } catch (error) {
    expect(error).toBeInstanceOf(UpdateRejected);
    return (error as UpdateRejected).reason;
  }
  throw new Error('expected a rejection');
}

describe('validateUpdate', () => {
  it('accepts every update, state and merge Yjs produces', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { docs, updates } = run(ops);
        for (const u of updates) validateUpdate(u, limits);
        for (const d of docs) {
          validateUpdate(Y.encodeStateAsUpdate(d), limits);
          validateUpdate(Y.encodeStateAsUpdate(d, Y.encodeStateVector(docs[0]!)), limits);
          validateStateVector(Y.encodeStateVector(d), limits);
        }
        if (updates.length > 0) validateUpdate(Y.mergeUpdates(updates), limits);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts rich content: rich text, embeds, XML, nested types, subdocuments, binary', () => {
    const d = new Y.Doc();
    const t = d.getText('t');
    t.insert(0, 'hello 😀 world');
    t.format(0, 3, { bold: true });
    t.insertEmbed(2, { image: 'x.png' });
    const a = d.getArray<unknown>('a');
    a.insert(0, [new Uint8Array([1, 2]), 1.5, 2 ** 40, -5, true, null, { deep: { er: [1, [2]] } }]);
    const nested = new Y.Map();
    a.push([nested, new Y.Doc()]);
    nested.set('k', new Y.Text('inner'));
    d.getXmlFragment('x').insert(0, [new Y.XmlElement('p'), new Y.XmlText('hi')]);
    a.delete(0, 2);
    const stats = validateUpdate(Y.encodeStateAsUpdate(d), limits);
    expect(stats.items).toBeGreaterThan(5);
  });

  it('rejects every hostile update to the decoder with a reason', () => {
    const { conflictStorm: _integrationOnly, ...decoderHostile } = hostileUpdates;
    const reasons = Object.fromEntries(Object.entries(decoderHostile).map(([name, u]) => [name, expectRejected(u)]));
    expect(reasons).toEqual({
      hugeClientCount: 'too-many-clients',
      hugeStructCount: 'truncated',
      hugeClock: 'clock-out-of-range',
      stringPastEnd: 'truncated',
      deepNesting: 'too-deep',
      emptyObjectBomb: 'too-many-values',
      overlappingDeletes: 'unsorted-delete-set',
      badContentRef: 'bad-content-ref',
    });
    // Without the bound on values, the heap estimate still stops it.
    expect(expectRejected(hostileUpdates.emptyObjectBomb, { ...limits, maxValues: Infinity })).toBe('decode-budget');
  });

  it('estimates the integration cost of items sharing an insertion point', () => {
    expect(validateUpdate(conflictStorm(500), limits).integrationSteps).toBe(0); // too few items to matter
    const storm = validateUpdate(conflictStorm(32_000), limits);
    expect(storm.integrationSteps).toBe((32_001 * 32_000) / 2); // Z shares the origin too
    expect(storm.integrationSteps).toBeGreaterThan(limits.maxIntegrationSteps); // → tried in a worker
    // many items, all at different positions: the second pass runs and finds no group
    const d = new Y.Doc();
    d.transact(() => {
      for (let i = 0; i < 10_000; i++) d.getArray('rows').push([i]);
    });
    const spread = Y.mergeUpdates([Y.encodeStateAsUpdate(d), Y.encodeStateAsUpdate(docWithClient(2, 9_000))]);
    expect(validateUpdate(spread, limits).integrationSteps).toBeLessThan(limits.maxIntegrationSteps);
  });

  it('flags (but accepts) many rows inserted one by one at the same position', () => {
    const d = new Y.Doc();
    const rows = d.getArray('rows');
    rows.insert(0, ['first']);
    const before = Y.encodeStateVector(d);
    d.transact(() => {
      for (let i = 0; i < 10_000; i++) rows.insert(1, [i]); // same left origin each time
    });
    // Not a real conflict, but the estimate cannot tell: the relay will try it in a worker.
    expect(validateUpdate(Y.encodeStateAsUpdate(d, before), limits).integrationSteps).toBeGreaterThan(limits.maxIntegrationSteps);
  });

  it('rejects truncations and bit flips of valid updates, or accepts what Yjs can apply', () => {
    const { docs } = run([
      { kind: 'set', doc: 0, key: 'a', value: { x: [1, 'two'] } },
      { kind: 'text', doc: 1, at: 0, text: 'hello' },
      { kind: 'push', doc: 2, values: [1, 'x', null] },
      { kind: 'sync', from: 1, to: 0 },
      { kind: 'sync', from: 2, to: 0 },
      { kind: 'untext', doc: 0, at: 1, length: 2 },
    ]);
    const valid = Y.encodeStateAsUpdate(docs[0]!);
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(7), fc.boolean(), (at, bit, truncate) => {
        const mutated = truncate ? valid.slice(0, at) : valid.slice();
        if (!truncate) mutated[at]! ^= 1 << bit;
        try {
          validateUpdate(mutated, limits);
        } catch (error) {
          expect(error).toBeInstanceOf(UpdateRejected);
          return;
        }
        // Accepted: well-formed by construction. Yjs may still refuse it
        // semantically (the relay catches that), but must not hang.
        try {
          Y.applyUpdate(new Y.Doc(), mutated);
        } catch {
          // a semantic error is fine
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws anything but UpdateRejected on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          validateUpdate(bytes, limits);
        } catch (error) {
          expect(error).toBeInstanceOf(UpdateRejected);
        }
        try {
          validateStateVector(bytes, limits);
        } catch (error) {
          expect(error).toBeInstanceOf(UpdateRejected);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
