// Cell values a person or a peer can write that a well-behaved one never would: numbers whose
// millionths overflow, numbers beyond a double, huge texts, deep and wide values, keys that name
// Object.prototype's members. Each must be a problem on its cell, never an exception.

import fc from 'fast-check';

/** An array nested `depth` deep around `inner`, built without recursion. */
export function deepArray(depth: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** An object nested `depth` deep. */
export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** JSON text of an array nested `depth` deep (JSON.stringify itself recurses). */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const protoKeys = JSON.parse('{"__proto__": {"x": 1}, "constructor": null, "toString": 5}') as unknown;

function commonArbs(maxDepth: number): fc.Arbitrary<unknown>[] {
  return [
    fc.constantFrom<unknown>('1e309', '-1e309', '9'.repeat(400), `${'9'.repeat(5000)}x`, ' 1e308 ', '0x10', 'Infinity', 'NaN', '\u0000', '🧾'.repeat(3)),
    fc.constantFrom<unknown>(1e308, -1e308, Number.MAX_VALUE, 2 ** 53 + 2, 9_007_199_255, -9_007_199_255, 1e-320, -0, 0.1 + 0.2),
    fc.constantFrom<unknown>('x'.repeat(300_000), ` ${'y'.repeat(100_000)} `),
    fc.integer({ min: 1, max: maxDepth }).map((d) => deepArray(d)),
    fc.integer({ min: 1, max: maxDepth }).map((d) => deepObject(d)),
    fc.constant<unknown>(new Array(50_000).fill(7)),
    fc.constantFrom<unknown>({}, [], [null], { '': '' }),
  ];
}

/** Values that survive JSON (a workbook file, a chunk's data); `maxDepth` bounds nesting (a file's own rule, see cli/input.ts). */
export function hostileJsonValueArb(maxDepth = 60): fc.Arbitrary<unknown> {
  // A lone surrogate: Yjs writes strings as UTF-8, so a replica reads it as U+FFFD (chunks keep it).
  return fc.oneof(...commonArbs(maxDepth), fc.constantFrom<unknown>(protoKeys, '\ud800'));
}

/**
 * Values a cell of a Y.Map can be set to: JSON has no Infinity or NaN, and Yjs refuses to store an
 * object whose own "constructor" is not a constructor (such a value reaches a document only in a
 * chunk's JSON text, which hostileJsonValueArb covers).
 */
export function hostileDocValueArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...commonArbs(60)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(Infinity, -Infinity, NaN) },
  );
}
