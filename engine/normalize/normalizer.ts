// The normalizer: one raw (publisher, product) pair, in comparison form, to the names entitlements
// use. Pure: the same rules and pair give the same result whatever else is in the workbook, and in
// whatever order rows arrive (memoized per pair by normalization.ts).
//
// Precedence (decision, written in the README):
// 1. Publisher: the first publisher alias (alias, product blank) in sheet order whose publisher is
//    the raw publisher. The result is the pair's canonical publisher.
// 2. Product: the first matching rule, trying kinds in this order and each kind in sheet order:
//    exact aliases, then ignore rules, then patterns. A rule's publisher, when set, must be the raw
//    or the canonical publisher. Exact aliases go first because an exact text is a person's
//    deliberate statement; ignore rules before patterns, so that a broad pattern ("Microsoft Office
//    (.*)") never counts a language pack an ignore rule names.
// Blank outputs keep what was there: the canonical publisher, the raw product, the row's version
// and edition. Captures come from the comparison form, so a name built from them is in lower case.
//
// Indexing, so thousands of rules cost little per pair: publisher aliases and exact product aliases
// in hash maps; ignore rules and patterns filed by publisher ('' for any), each tried only when its
// required literal (pattern.ts) is in the product text.

import { normShared, type RowKey } from '../cells';
import type { NormalizationRule } from '../rows';
import { productKey } from '../store/multimap';
import { expand } from './pattern';
import { compileRules, type CompiledRule } from './rules';

/**
 * The comparison publisher of an ignored row. Entitlement publishers are trimmed, so none can start
 * with a space: an ignored row matches no position and no entitlement (unlicensed.ts skips it).
 */
export const IGNORED_PUBLISHER = ' ignored';

export interface Normalized {
  /** productKey(raw publisher, raw product), comparison forms: the pair's identity. */
  readonly rawKey: string;
  readonly rawPublisher: string;
  readonly rawProduct: string;
  /** The publisher after publisher aliases (comparison form): product rules name it or the raw one. */
  readonly canonicalPublisher: string;
  /** Comparison forms reconciliation uses. */
  readonly publisher: string;
  readonly product: string;
  readonly productKey: string;
  /** Display names from the rules; null keeps the row's own (raw) display text. */
  readonly publisherName: string | null;
  readonly productName: string | null;
  /** Version and edition from the rule (comparison forms); null keeps the row's own. */
  readonly version: string | null;
  readonly edition: string | null;
  readonly ignored: boolean;
  /** The rules that decided it (their row keys), null where none did. */
  readonly publisherRule: RowKey | null;
  readonly productRule: RowKey | null;
}

/** The same names for the rows (whichever rules gave them). */
export function sameFields(a: Normalized, b: Normalized): boolean {
  return a.publisher === b.publisher && a.product === b.product && a.publisherName === b.publisherName && a.productName === b.productName
    && a.version === b.version && a.edition === b.edition && a.ignored === b.ignored;
}

export function sameNormalized(a: Normalized, b: Normalized): boolean {
  return sameFields(a, b) && a.publisherRule === b.publisherRule && a.productRule === b.productRule;
}

/** Files a rule into its list, keeping the list in sheet (key) order. */
function fileRule(m: Map<string, CompiledRule[]>, k: string, r: CompiledRule): void {
  const list = m.get(k);
  if (!list) { m.set(k, [r]); return; }
  let at = list.length;
  while (at > 0 && list[at - 1].key > r.key) at--;
  list.splice(at, 0, r);
}

function unfileRule(m: Map<string, CompiledRule[]>, k: string, r: CompiledRule): void {
  const list = m.get(k);
  const at = list ? list.indexOf(r) : -1;
  if (at < 0) return;
  list!.splice(at, 1);
  if (list!.length === 0) m.delete(k);
}

export class Normalizer {
  /** The rules that can do something, by row key. */
  private readonly byKey = new Map<RowKey, CompiledRule>();
  /** Publisher aliases by raw publisher, in sheet order: the first decides. */
  private readonly publisherAliases = new Map<string, CompiledRule[]>();
  private readonly exact = new Map<string, CompiledRule[]>();
  private readonly ignores = new Map<string, CompiledRule[]>();
  private readonly patterns = new Map<string, CompiledRule[]>();

  /** Rules in sheet order. */
  constructor(rows: readonly NormalizationRule[]) {
    for (const r of compileRules(rows)) this.add(r);
  }

  /** How many rules can do something. */
  get size(): number {
    return this.byKey.size;
  }

  rule(key: RowKey): CompiledRule | undefined {
    return this.byKey.get(key);
  }

  private indexOf(r: CompiledRule): [Map<string, CompiledRule[]>, string] {
    if (r.kind === 'alias') return r.product === '' ? [this.publisherAliases, r.publisher] : [this.exact, r.product];
    return [r.kind === 'ignore' ? this.ignores : this.patterns, r.publisher];
  }

  private add(r: CompiledRule): void {
    this.byKey.set(r.key, r);
    const [index, k] = this.indexOf(r);
    fileRule(index, k, r);
  }

  /**
   * Takes the rule of a row key out and puts the row's current version in (undefined: removed; a
   * rule with problems does nothing): a rule edit changes the normalizer in place, in the size of
   * the lists the rule is filed in.
   */
  update(key: RowKey, row: NormalizationRule | undefined): void {
    const old = this.byKey.get(key);
    if (old) {
      this.byKey.delete(key);
      const [index, k] = this.indexOf(old);
      unfileRule(index, k, old);
    }
    if (row?.valid) for (const r of compileRules([row])) this.add(r);
  }

  /** The publisher alias that applies to a raw publisher (comparison forms). */
  publisherOf(rawPublisher: string): CompiledRule | undefined {
    return this.publisherAliases.get(rawPublisher)?.[0];
  }

  /**
   * The first rule in sheet order, among the lists of up to three publishers, that matches the
   * product (null when none does); its match, for patterns, is left in `lastMatch`.
   */
  private firstIn(index: Map<string, CompiledRule[]>, p1: string, p2: string, p3: string | null, product: string): CompiledRule | null {
    let best: CompiledRule | null = null;
    let bestMatch: Int32Array | null = null;
    for (let k = 0; k < 3; k++) {
      const list = index.get(k === 0 ? p1 : k === 1 ? p2 : p3 ?? '\u0000');
      if (!list || (k === 2 && p3 === null)) continue;
      for (let i = 0; i < list.length; i++) {
        const rule = list[i];
        if (best !== null && rule.key > best.key) break;
        if (rule.pattern === null) { best = rule; bestMatch = null; break; }
        const match = rule.pattern.exec(product);
        if (match !== null) { best = rule; bestMatch = match; break; }
      }
    }
    this.lastMatch = bestMatch;
    return best;
  }

  private lastMatch: Int32Array | null = null;

  /** Normalizes a raw pair given in comparison form (trimmed, lower case). */
  normalize(rawPublisher: string, rawProduct: string): Normalized {
    const rawKey = productKey(rawPublisher, rawProduct);
    const alias = this.publisherOf(rawPublisher);
    const canonical = alias ? alias.toPublisherN : rawPublisher;
    const other = canonical === rawPublisher ? null : canonical;

    let rule: CompiledRule | null = null;
    let match: Int32Array | null = null;
    const exact = this.exact.get(rawProduct);
    if (exact) {
      for (const r of exact) {
        if (r.publisher === '' || r.publisher === rawPublisher || r.publisher === canonical) { rule = r; break; }
      }
    }
    if (rule === null && this.ignores.size) rule = this.firstIn(this.ignores, '', rawPublisher, other, rawProduct);
    if (rule === null && this.patterns.size) {
      rule = this.firstIn(this.patterns, '', rawPublisher, other, rawProduct);
      match = this.lastMatch;
    }

    if (rule?.kind === 'ignore') {
      return {
        rawKey, rawPublisher, rawProduct, canonicalPublisher: canonical, publisher: IGNORED_PUBLISHER, product: rawProduct, productKey: productKey(IGNORED_PUBLISHER, rawProduct),
        publisherName: null, productName: null, version: null, edition: null, ignored: true,
        publisherRule: alias?.key ?? null, productRule: rule.key,
      };
    }
    if (rule === null && alias === undefined) {
      return {
        rawKey, rawPublisher, rawProduct, canonicalPublisher: canonical, publisher: rawPublisher, product: rawProduct, productKey: rawKey,
        publisherName: null, productName: null, version: null, edition: null, ignored: false, publisherRule: null, productRule: null,
      };
    }
    const templated = rule?.kind === 'pattern' && match !== null;
    const fill = (template: string, n: string) => (templated && template.includes('$') ? normShared(expand(template, match, rawProduct)) : n);
    const shown = (template: string) => (templated ? expand(template, match, rawProduct) : template);
    const publisherName = rule && rule.toPublisher !== '' ? shown(rule.toPublisher) : alias ? alias.toPublisher : null;
    const productName = rule && rule.toProduct !== '' ? shown(rule.toProduct) : null;
    const version = rule && rule.toVersion !== '' ? fill(rule.toVersion, rule.toVersionN) : null;
    const edition = rule && rule.toEdition !== '' ? fill(rule.toEdition, rule.toEditionN) : null;
    const publisher = rule && rule.toPublisher !== '' ? fill(rule.toPublisher, rule.toPublisherN) : canonical;
    const product = rule && rule.toProduct !== '' ? fill(rule.toProduct, rule.toProductN) : rawProduct;
    return {
      rawKey, rawPublisher, rawProduct, canonicalPublisher: canonical, publisher, product, productKey: productKey(publisher, product),
      publisherName, productName, version, edition, ignored: false,
      publisherRule: alias?.key ?? null, productRule: rule?.key ?? null,
    };
  }

  /**
   * Whether a rule could decide a pair now: its publisher alias covers the raw publisher, or it
   * matches the product (with the publisher as the rule asks). A rule edit re-normalizes only the
   * pairs this holds for, and those whose result used the rule before.
   */
  couldDecide(rule: CompiledRule, rawPublisher: string, rawProduct: string): boolean {
    if (rule.kind === 'alias' && rule.product === '') return rule.publisher === rawPublisher;
    if (rule.publisher !== '' && rule.publisher !== rawPublisher) {
      const alias = this.publisherOf(rawPublisher);
      if (!alias || alias.toPublisherN !== rule.publisher) return false;
    }
    if (rule.kind === 'alias') return rule.product === rawProduct;
    return rule.pattern === null || rule.pattern.test(rawProduct);
  }
}
