// Reading an array a piece at a time must give exactly what JSON.parse gives, or say it cannot
// (SplitError) so the caller reads the file the plain way; it must never give something else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayPieces, arrayStart, locateArrays, SplitError } from '../../cli/json-split';

/** The pieces joined, or 'split failed'. Either way the buffer must be as it was (both threads read it). */
function readInPieces(text: string, bytes: number): unknown[] | 'split failed' {
  const buf = Buffer.from(text);
  try {
    return [...arrayPieces(buf, 0, { end: buf.length, bytes })].flat();
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

/**
 * The installations of a file whose bytes arrive `steps` at a time, parsed as they do, and where
 * their array ends; or 'split failed'. Bytes not yet in read as `]},{` (an array's close, a boundary), so a
 * look past them shows.
 */
function readArriving(text: string, steps: number[], bytes: number): { rows: unknown[]; end: number } | 'split failed' {
  const real = Buffer.from(text), buf = Buffer.alloc(real.length, ']},{');
  let avail = 0, step = 0;
  const readTo = (n: number) => {
    while (avail < n && avail < real.length) {
      const next = Math.min(real.length, avail + steps[step++ % steps.length]);
      real.copy(buf, avail, avail, next);
      avail = next;
    }
    return avail;
  };
  const pieces = arrayPieces(buf, text.indexOf('['), { bytes, readTo });
  const rows: unknown[] = [];
  try {
    for (let r = pieces.next(); ; r = pieces.next()) {
      if (r.done) return { rows, end: r.value };
      rows.push(...r.value);
    }
  } catch (err) {
    if (err instanceof SplitError) return 'split failed';
    throw err;
  }
}

describe('arrayPieces of a file still being read', () => {
  it('gives what JSON.parse gives and ends where locateArrays says, looking at no byte not yet in (seeded)', () => {
    const flat = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), tricky, fc.integer(), fc.constant(null)), { maxKeys: 5 });
    const steps = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(fc.array(flat, { maxLength: 30 }), spacing, steps, fc.integer({ min: 1, max: 120 }), (rows, space, arrive, bytes) => {
      const text = `{"installations":${JSON.stringify(rows, null, space)},"users":[{"id":"u]},1"}]}`;
      const got = readArriving(text, arrive, bytes);
      if (got === 'split failed') {
        // Only a boundary or a close inside a string can fool the byte search.
        expect(JSON.stringify(rows)).toMatch(/[\]}]/);
        return;
      }
      expect(got.rows).toEqual(JSON.parse(text).installations);
      expect(got.end).toBe(locateArrays(Buffer.from(text), new Set(['installations']))!.get('installations')!.end);
    }), { seed: 20261123, numRuns: 400 });
  });

  it('an array that never ends in the bytes read fails the split', () => {
    expect(readArriving('{"installations":[{"a":1},{"a":2}', [3], 1)).toBe('split failed');
  });
});

describe('arrayStart', () => {
  it('finds where the first array of a key starts as soon as the walk gets there, and not before', () => {
    const text = JSON.stringify({ format: 'x', devices: [{ id: 'd]' }], installations: [{ id: 'i' }], users: [] });
    const at = text.indexOf('[{"id":"i"');
    for (let n = 0; n <= text.length; n++) {
      expect(arrayStart(Buffer.from(text.slice(0, n)), 'installations')).toBe(n > at ? at : -1);
    }
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
