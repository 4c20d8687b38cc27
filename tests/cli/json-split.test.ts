// Reading an array a piece at a time must give exactly what JSON.parse gives, or say it cannot
// (SplitError) so the caller reads the file the plain way; it must never give something else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayPieces, locateArrays, SplitError } from '../../cli/json-split';

/**
 * The pieces joined, or 'split failed'. Either way the buffer must be as it was (pieces are
 * bracketed in place while they are decoded).
 */
function readInPieces(text: string, bytes: number): unknown[] | 'split failed' {
  const buf = Buffer.from(text);
  try {
    return [...arrayPieces(buf, { start: 0, end: buf.length }, bytes)].flat();
  } catch (err) {
    if (err instanceof SplitError) return 'split failed';
    throw err;
  } finally {
    expect(buf.toString()).toBe(text);
  }
}

/** Text that tries to look like a piece boundary from inside a string. */
const tricky = fc.constantFrom('},{', '}, {', '"},{"a":1}', '\\"},{', ']', '}\n,\n{', 'é}', '\u2028');
const cell = fc.oneof(fc.string(), tricky, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const row = fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), tricky), fc.oneof(cell, fc.array(cell, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), cell, { maxKeys: 2 })), { maxKeys: 5 });
const element = fc.oneof({ weight: 8, arbitrary: row }, { weight: 1, arbitrary: cell }, { weight: 1, arbitrary: fc.jsonValue() });
const spacing = fc.constantFrom(undefined, 0, 1, '\t', ' \n');

describe('arrayPieces', () => {
  it('joined pieces equal JSON.parse, or the split says it failed (seeded)', () => {
    fc.assert(fc.property(fc.array(element, { maxLength: 40 }), spacing, fc.integer({ min: 1, max: 200 }), (rows, space, bytes) => {
      const text = JSON.stringify(rows, null, space);
      const got = readInPieces(text, bytes);
      if (got !== 'split failed') expect(got).toEqual(JSON.parse(text));
    }), { seed: 20261122, numRuns: 400 });
  });

  it('splits arrays of flat rows however they are spaced (seeded)', () => {
    const flat = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 5 });
    fc.assert(fc.property(fc.array(flat, { minLength: 1, maxLength: 40 }), spacing, fc.integer({ min: 1, max: 200 }), (rows, space, bytes) => {
      const text = JSON.stringify(rows, null, space);
      expect(readInPieces(text, bytes)).toEqual(JSON.parse(text));
    }), { seed: 20261122, numRuns: 300 });
  });

  it('a boundary inside a string makes the piece before it fail', () => {
    const text = JSON.stringify([{ a: 'x' }, { a: '}, {"b": 1' }, { a: 'y' }]);
    // With one-byte pieces every `}` followed by `,{` is tried, the one in the string first.
    const inString = text.indexOf('}, {');
    expect(inString).toBeGreaterThan(0);
    expect(readInPieces(text, inString - 1)).toBe('split failed');
  });

  it('empty arrays and whitespace', () => {
    expect(readInPieces('[]', 1)).toEqual([]);
    expect(readInPieces('[ \n ]', 1)).toEqual([]);
    expect(readInPieces('[ {"a":1} ,\n {"a":2} ]', 1)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe('locateArrays', () => {
  it('finds each top-level array of the keys asked for, stepping over other values', () => {
    const text = JSON.stringify({ format: 'x', settings: { a: [1, { b: '"]}' }] }, devices: [{ id: 'd' }], skip: [1], users: [] });
    const found = locateArrays(Buffer.from(text), new Set(['devices', 'users']))!;
    expect([...found.keys()]).toEqual(['devices', 'users']);
    for (const [key, r] of found) expect(JSON.parse(text.slice(r.start, r.end))).toEqual(JSON.parse(text)[key]);
  });

  it('gives up on text that is not an object', () => {
    expect(locateArrays(Buffer.from('[1,2]'), new Set(['devices']))).toBeNull();
    expect(locateArrays(Buffer.from('{"devices": [1], oops}'), new Set(['devices']))).toBeNull();
  });
});
