// Normalization rules (the `normalization` sheet) checked and compiled. A rule with a problem does
// nothing; its problem names the cell (a pattern that does not read, a template naming a group the
// pattern lacks, a rule that cannot match or writes nothing it must).
//
// Kinds (what `publisher` and `product` match; blank `to*` keeps what was there):
// - alias, product blank: a publisher alias — the raw publisher, exactly, becomes toPublisher.
// - alias with a product: the raw product, exactly (and the publisher, raw or already aliased, when
//   set), becomes toProduct/toPublisher/toVersion/toEdition, written as they are.
// - ignore: the product pattern (blank: every product of the publisher) marks the installation as
//   needing no license: it counts nowhere, not even as unlicensed.
// - pattern: the product pattern (pattern.ts; the publisher exactly, when set); its captures fill
//   $1…$9 in the to* templates ("Office Professional Plus", version "$1").

import type { RowKey } from '../cells';
import { normShared } from '../cells';
import type { NormalizationRule } from '../rows';
import { compilePattern, groupsNamed, Pattern } from './pattern';

export interface CompiledRule {
  /** The rule's row key: keys sort in sheet order, and the first matching rule of a kind wins. */
  readonly key: RowKey;
  readonly kind: 'alias' | 'ignore' | 'pattern';
  /** Comparison form; '' matches any publisher. */
  readonly publisher: string;
  /** alias: the product's comparison form ('' for a publisher alias). */
  readonly product: string;
  /** ignore and pattern: the compiled product pattern (null: every product of the publisher). */
  readonly pattern: Pattern | null;
  readonly toPublisher: string;
  readonly toProduct: string;
  readonly toVersion: string;
  readonly toEdition: string;
  /** Their comparison forms (for outputs without captures). */
  readonly toPublisherN: string;
  readonly toProductN: string;
  readonly toVersionN: string;
  readonly toEditionN: string;
}

const TEMPLATES = ['toPublisher', 'toProduct', 'toVersion', 'toEdition'] as const;

/**
 * Checks a typed rule, reporting each problem on its cell; true when the rule can do something.
 * A rule whose kind is blank or unknown does nothing (an unknown kind is reported by the cell reader).
 */
export function checkRule(r: NormalizationRule, report: (column: string, message: string) => void, kindGiven: boolean): boolean {
  if (r.kind === '') {
    if (!kindGiven) report('kind', 'kind is required (alias, ignore or pattern): the rule does nothing');
    return false;
  }
  if (r.kind === 'alias') {
    if (r.publisher === '' && r.product === '') {
      report('publisher', 'an alias needs a publisher or a product to match: the rule does nothing');
      return false;
    }
    if (r.product === '' && r.toPublisher === '') {
      report('toPublisher', 'a publisher alias needs toPublisher: the rule does nothing');
      return false;
    }
    return true;
  }
  if (r.product === '') {
    if (r.kind === 'pattern') {
      report('product', 'a pattern rule needs a product pattern: the rule does nothing');
      return false;
    }
    if (r.publisher === '') {
      report('publisher', 'an ignore rule needs a publisher or a product pattern: the rule does nothing');
      return false;
    }
    return true;
  }
  const p = compilePattern(r.product);
  if (!(p instanceof Pattern)) {
    report('product', `product is not a pattern Reckon reads: ${p.message} (at character ${p.at}); the rule does nothing`);
    return false;
  }
  let ok = true;
  if (r.kind === 'pattern') {
    for (const t of TEMPLATES) {
      const n = groupsNamed(r[t]);
      if (n > p.groups) {
        report(t, `${t} names $${n} but the pattern has ${p.groups === 0 ? 'no groups' : `${p.groups} group${p.groups === 1 ? '' : 's'}`}: the rule does nothing`);
        ok = false;
      }
    }
  }
  return ok;
}

/** A rule row's cells as compiled (rows change in place: an entry holds for the version it was made from). */
interface Compiled { kind: string; publisher: string; product: string; rule: CompiledRule }
const COMPILED = new WeakMap<NormalizationRule, Compiled>();

const sameVersion = (c: Compiled, r: NormalizationRule) => c.rule.key === r.key && c.kind === r.kind && c.publisher === r.publisher && c.product === r.product
  && c.rule.toPublisher === r.toPublisher && c.rule.toProduct === r.toProduct && c.rule.toVersion === r.toVersion && c.rule.toEdition === r.toEdition;

/** The rules that can do something, in sheet order (rows given in sheet order); each row compiled once per version. */
export function compileRules(rows: readonly NormalizationRule[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const r of rows) {
    if (!r.valid) continue;
    const hit = COMPILED.get(r);
    if (hit !== undefined && sameVersion(hit, r)) {
      out.push(hit.rule);
      continue;
    }
    const kind = r.kind as CompiledRule['kind'];
    const pattern = kind !== 'alias' && r.product !== '' ? (compilePattern(r.product) as Pattern) : null;
    const rule: CompiledRule = {
      key: r.key, kind, publisher: r.publisher,
      product: kind === 'alias' ? normShared(r.product) : '',
      pattern, toPublisher: r.toPublisher, toProduct: r.toProduct, toVersion: r.toVersion, toEdition: r.toEdition,
      toPublisherN: normShared(r.toPublisher), toProductN: normShared(r.toProduct), toVersionN: normShared(r.toVersion), toEditionN: normShared(r.toEdition),
    };
    COMPILED.set(r, { kind: r.kind, publisher: r.publisher, product: r.product, rule });
    out.push(rule);
  }
  return out;
}
