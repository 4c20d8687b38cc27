// `--json` is written in chunks (cli/json-write.ts): the bytes must be JSON.stringify's, whatever
// the value holds (members JSON leaves out, toJSON, nesting deeper than the walk), and the text of
// a result larger than one V8 string must still come out whole.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../cli/json-write';

function written(value: unknown, depth?: number): { text: string; chunks: number } {
  const parts: string[] = [];
  writeJson(value, (t) => parts.push(t), depth);
  return { text: parts.join(''), chunks: parts.length };
}

/** Values as results hold them, plus what JSON.stringify treats specially. */
const odd = fc.constantFrom<unknown>(undefined, () => 1, Symbol('s'), Number.NaN, -0, Infinity, new Date(Date.UTC(2026, 0, 2)), { toJSON: () => 'x' });
const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), odd);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 5 })),
})).v;

describe('writeJson', () => {
  it('writes exactly JSON.stringify of any object or array, at any walk depth (seeded)', () => {
    fc.assert(fc.property(fc.oneof(fc.array(value), fc.dictionary(fc.string(), value)), fc.integer({ min: 0, max: 6 }), (v, depth) => {
      expect(written(v, depth).text).toBe(JSON.stringify(v));
    }), { seed: 19, numRuns: 400 });
  });

  it('writes a top-level leaf as JSON.stringify does, and refuses what has no JSON text', () => {
    for (const v of ['a', 1, null, true, new Date(0)]) expect(written(v).text).toBe(JSON.stringify(v));
    expect(() => written(undefined)).toThrow(TypeError);
  });

  it('writes a result whose text is longer than the longest string, in chunks', () => {
    // 600 positions of 2,000 lines of ~500 characters: ~600 MB of text, past V8's string limit.
    const why = 'w'.repeat(480);
    const lines = Array.from({ length: 2000 }, (_, k) => ({ ref: `installations/i${k}`, amount: 1, why }));
    const result = { positions: Array.from({ length: 600 }, (_, k) => ({ key: `p${String(k).padStart(3, '0')}`, contributions: lines })), problems: [] };
    expect(() => JSON.stringify(result)).toThrow(/Invalid string length/);
    let length = 0, chunks = 0, head = '';
    writeJson(result, (t) => {
      if (chunks === 0) head = t.slice(0, 40);
      length += t.length;
      chunks++;
    });
    const one = JSON.stringify(result.positions[0]);
    expect(head).toBe(`{"positions":[${one.slice(0, 40 - 14)}`);
    expect(length).toBe('{"positions":['.length + 600 * one.length + 599 + '],"problems":[]}'.length);
    expect(chunks).toBeGreaterThan(500);
  }, 60_000);
});
