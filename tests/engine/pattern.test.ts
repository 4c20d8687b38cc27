// The pattern language of normalization rules (engine/normalize/pattern.ts): it matches as
// JavaScript's RegExp (ignoring case) does on the subset it reads, refuses the rest with a message
// naming the character, and runs in time linear in the text whatever the pattern.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, expand, groupsNamed, MAX_INPUT, Pattern, PatternError } from '../../engine/normalize/pattern';

/**
 * Random patterns of the subset, over a small alphabet so that they match often. A repeated or
 * optional group has a body that cannot match the empty text: there RegExp refuses empty
 * iterations, which a linear-time matcher does not do (pattern.ts says so).
 */
const plainAtom = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'A', 'c', ' ', '\\.', '-') },
  { weight: 2, arbitrary: fc.constantFrom('.', '[ab]', '[^a]', '[a-c]', '\\d', '\\w', '\\s', '\\W') },
);
const solid = fc.array(plainAtom, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(''));
const patternArb: fc.Arbitrary<string> = fc.letrec<{ alt: string; seq: string; item: string }>((tie) => ({
  alt: fc.oneof({ weight: 4, arbitrary: tie('seq') }, { weight: 1, arbitrary: fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`) }),
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join('')),
  item: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(plainAtom, fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?')).map(([a, q]) => a + q) },
    { weight: 1, maxDepth: 3, arbitrary: tie('alt').map((x) => `(${x})`) },
    { weight: 1, arbitrary: fc.tuple(solid, solid).map(([a, b]) => `(?:${a}|${b})?`) },
    { weight: 1, arbitrary: fc.tuple(fc.tuple(solid, solid).map(([a, b]) => `(${a}|${b})`), fc.constantFrom('*', '+', '{1,2}', '*?')).map(([g, q]) => g + q) },
  ),
})).alt.chain((body) => fc.constantFrom(body, `^${body}`, `${body}$`, `\\b${body}`));

const textArb = fc.array(fc.constantFrom('a', 'b', 'c', '1', ' ', '.', '-', 'x'), { maxLength: 10 }).map((xs) => xs.join(''));

function groupsOf(p: Pattern, text: string): (string | undefined)[] | null {
  const m = p.exec(text);
  return m ? Array.from({ length: p.groups + 1 }, (_, g) => (m[2 * g] >= 0 ? text.slice(m[2 * g], m[2 * g + 1]) : undefined)) : null;
}

describe('the pattern language', () => {
  it('matches as RegExp with the i flag does: the same match and groups (seeded)', () => {
    fc.assert(fc.property(patternArb, textArb, (source, text) => {
      const p = compilePattern(source);
      // More than 9 groups or too large a program is refused (the test below); else it compiles.
      if (p instanceof PatternError) { expect(p.message).toMatch(/more than 9 groups|too large/); return; }
      const js = new RegExp(source, 'i').exec(text);
      // RegExp resets the groups inside a repeated group at each iteration, which a Pike VM does
      // not: the whole match is compared, and the groups where no group is repeated.
      const mine = groupsOf(p as Pattern, text);
      const where = `${source} on ${JSON.stringify(text)}`;
      expect(p.steps, where).toBeLessThanOrEqual(p.size * (text.length + 1));
      if (js === null || mine === null) expect(mine === null, where).toBe(js === null);
      else if (/\)[*+{]/.test(source)) expect(mine[0], where).toBe(js[0]);
      else expect(mine, where).toEqual([...js]);
    }), { seed: 2026112, numRuns: 3000 });
  });

  it('captures groups as RegExp does in patterns without repeated groups', () => {
    const cases: [string, string][] = [
      ['Microsoft Office Professional Plus (\\d{4})', 'microsoft office professional plus 2019 - en-us'],
      ['^adobe acrobat (dc|reader dc)( \\(64-bit\\))?$', 'adobe acrobat dc (64-bit)'],
      ['(a|ab)(c|bcd)(d*)', 'abcd'],
      ['sql server (\\d{4}) (standard|enterprise|express)', 'microsoft sql server 2019 enterprise edition'],
      ['(\\d+)\\.(\\d+)', 'v 10.25.3'],
      ['x?(y)?z', 'xz'],
      ['\\bx64\\b', 'tool x64'],
    ];
    for (const [source, text] of cases) {
      const p = compilePattern(source) as Pattern;
      const js = new RegExp(source, 'i').exec(text);
      expect(groupsOf(p, text), source).toEqual(js ? [...js] : null);
    }
  });

  it('refuses what it does not read, naming the character', () => {
    const refused: [string, RegExp, number][] = [
      ['(a', /unclosed "\("/, 1], ['a)', /unmatched "\)"/, 2], ['[ab', /unclosed "\["/, 1], ['a\\1', /backreferences/, 2],
      ['(?=a)b', /lookaround/, 1], ['(?<!a)b', /lookaround/, 1], ['(?<year>\\d+)', /named groups/, 1], ['*a', /nothing to repeat/, 1],
      ['a**', /two quantifiers/, 3], ['\\q', /unknown escape/, 1], ['a{200}', /above 100/, 2], ['[z-a]', /out of order/, 3],
      ['a{3,2}', /below its minimum/, 2], ['[]', /empty class/, 1], ['a\\', /lone/, 2], ['^*', /anchor/, 1],
      ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', /more than 9 groups/, 28], ['x'.repeat(301), /longer than 300/, 301],
      ['(((a{100}){100}){100})', /too large/, 1],
    ];
    for (const [source, message, at] of refused) {
      const p = compilePattern(source);
      expect(p, source).toBeInstanceOf(PatternError);
      expect((p as PatternError).message, source).toMatch(message);
      expect((p as PatternError).at, source).toBe(at);
    }
  });

  it('runs in time linear in the text: patterns that hang a backtracking engine finish at once', () => {
    // Each of these takes RegExp exponential or high-polynomial time on such texts.
    const evil = ['(a+)+b', '(a|aa)+c', '(a*)*b', '(a|a?)+d', '(\\w+\\s?)+$x', 'a*a*a*a*a*a*a*b', '(.*a){12}z'];
    const text = `${'a'.repeat(MAX_INPUT - 20)}!`;
    for (const source of evil) {
      const p = compilePattern(source) as Pattern;
      expect(p, source).toBeInstanceOf(Pattern);
      // The literal prefilter would skip most of these: run the program on a text holding the literal.
      const t = `${text}${p.literal}`.slice(0, MAX_INPUT);
      p.exec(t);
      // Each program step joins a thread list at most once per position of the text.
      expect(p.steps, source).toBeGreaterThan(0);
      expect(p.steps, source).toBeLessThanOrEqual(p.size * (t.length + 1));
    }
  });

  it('reads a text longer than MAX_INPUT on its first MAX_INPUT characters', () => {
    const p = compilePattern('b$') as Pattern;
    expect(p.test(`${'a'.repeat(MAX_INPUT - 1)}b`)).toBe(true);
    expect(p.test(`${'a'.repeat(MAX_INPUT)}b`)).toBe(false);
  });

  it('fills templates with the match: $0…$9, $$, and a group that took no part as blank', () => {
    const p = compilePattern('office (\\w+) (\\d{4})( sp\\d)?') as Pattern;
    const text = 'microsoft office standard 2016';
    const m = p.exec(text);
    expect(expand('$1 $2|$3|$$|$0|$x', m, text)).toBe('standard 2016||$|office standard 2016|$x');
    expect(groupsNamed('Office $1 ($3) $$5')).toBe(3);
    expect(p.literal).toBe('office ');
  });
});
