// What the rule-edit benches share (bench/normalize.ts, bench/rule-edits.ts): the rules sheet's row
// keys, the engine change one edit to it makes, and the ordinary edits of a round (an exact alias
// pointed elsewhere, a rule made from an unrecognized pair, an ignore rule removed).

import type { RawRow } from '../engine/cells';
import type { Change } from '../engine/changes';

export type RuleEditKind = 'cellChanged' | 'rowAdded' | 'rowRemoved';
/** Times one edit: `row` is the rule's cells after it (undefined: removed). */
export type RuleEdit = (what: string, key: string, row: RawRow | undefined, kind: RuleEditKind) => void;

/** The key of the rules sheet's row `i` (as the benches load it). */
export const ruleKey = (i: number): string => `n${String(i).padStart(6, '0')}`;

/** The change an edit makes: a rule added or removed, or its `toProduct` cell set. */
export function ruleChange(kind: RuleEditKind, key: string, row: RawRow | undefined): Change {
  if (kind === 'rowAdded') return { kind, sheet: 'normalization', key, cells: row! };
  if (kind === 'rowRemoved') return { kind, sheet: 'normalization', key };
  return { kind, sheet: 'normalization', key, column: 'toProduct', value: row!.toProduct ?? null };
}

/** The first rule from `from` on that `pred` holds for. */
export const ruleIndex = (rules: readonly RawRow[], pred: (r: RawRow) => boolean, from = 0): number => rules.findIndex((r, i) => i >= from && pred(r));

/**
 * Round `n`'s ordinary edits, in order: an exact alias pointed elsewhere; a rule for an
 * unrecognized pair, as "make a rule" adds one (the list read after the alias edit); an ignore
 * rule removed. Returns the ignore rule's index, for a bench that puts it back.
 */
export function ordinaryRuleEdits(rules: readonly RawRow[], n: number, unrecognized: () => readonly { publisher: string; product: string }[], edit: RuleEdit): number {
  const vendor = (r: RawRow) => String(r.publisher ?? '').startsWith('Vendor');
  const al = ruleIndex(rules, (r) => r.kind === 'alias' && r.product !== undefined && vendor(r), n * 60);
  edit('exact alias: new product name', ruleKey(al), { ...rules[al], toProduct: `Aliased ${n}` }, 'cellChanged');
  const u = unrecognized()[n];
  if (u) edit('new alias (make a rule)', `z${n}`, { id: `z${n}`, kind: 'alias', publisher: u.publisher, product: u.product, toProduct: `Made ${n}` }, 'rowAdded');
  const ig = ruleIndex(rules, (r) => r.kind === 'ignore' && vendor(r), n * 40);
  edit('ignore rule removed', ruleKey(ig), undefined, 'rowRemoved');
  return ig;
}
