// Normalization inside one engine: the rules in force, one result per distinct raw (publisher,
// product) pair (a million installations name a few thousand), and the rows' normalized fields.
//
// Which sheets (decision, written in the README): every row naming a product — installations,
// subscriptions, sessions, access records, sensor check-ins, measurements — has its publisher and
// product normalized; installations also their version and edition. Entitlements and tiers name
// the targets and are never rewritten; factors name publishers as their vendors' tables do.
//
// Invariant: every row of a normalized sheet in the store holds the fields its raw pair's memoized
// result gives it (apply), and every memoized result is the current normalizer's for its pair. A
// rule edit (rulesChanged) re-normalizes only the pairs the old rule decided or the new one could
// decide, and reports those whose result changed; the engine re-feeds their rows.

import type { RowKey } from '../cells';
import type { AnyRow, NormalizationRule, ProductNames } from '../rows';
import type { SheetName } from '../schema';
import { productKey } from '../store/multimap';
import { Normalizer, sameFields, sameNormalized, type Normalized } from './normalizer';

export const NORMALIZED_SHEETS: readonly SheetName[] = ['installations', 'subscriptions', 'sessions', 'access', 'sensors', 'measurements'];
const NORMALIZED: ReadonlySet<SheetName> = new Set(NORMALIZED_SHEETS);
export const isNormalized = (sheet: SheetName): boolean => NORMALIZED.has(sheet);

/** A row of a normalized sheet. */
type Named = Extract<AnyRow, { sheet: 'installations' | 'subscriptions' | 'sessions' | 'access' | 'sensors' | 'measurements' }>;

/** The raw publisher and product of a row of a normalized sheet (comparison forms). */
export function rawOf(row: Named): { publisher: string; product: string; key: string } {
  if (row.sheet === 'installations') return { publisher: row.raw.publisher, product: row.raw.product, key: row.raw.productKey };
  return { publisher: row.rawPublisher, product: row.rawProduct, key: productKey(row.rawPublisher, row.rawProduct) };
}

export function rawKeyOf(row: Named): string {
  return row.sheet === 'installations' ? row.raw.productKey : productKey(row.rawPublisher, row.rawProduct);
}

/** A pair whose result a rule edit changed; `rows`: its rows' fields change too (not only which rule decided). */
export interface Renamed { before: Normalized; after: Normalized; rows: boolean }

/** Past this many rules edited at once (a pasted catalogue), every pair is re-normalized. */
const WIDE = 64;

export class Normalization {
  normalizer = new Normalizer([]);
  private readonly memo = new Map<string, Normalized>();
  /** Memoized pairs by the rules that decided them, and by their raw and canonical publishers. */
  private readonly byRule = new Map<RowKey, Set<string>>();
  private readonly byPublisher = new Map<string, Set<string>>();
  /** Renewed whenever a memoized result changes: results cached on raw names under an older stamp are stale. */
  private stamp: object = {};

  /** Rules are in force: rows must be normalized as they come. */
  get active(): boolean {
    return this.normalizer.size > 0;
  }

  private static file<K>(m: Map<K, Set<string>>, k: K, v: string, add: boolean): void {
    let set = m.get(k);
    if (add) {
      if (!set) m.set(k, (set = new Set()));
      set.add(v);
    } else if (set) {
      set.delete(v);
      if (set.size === 0) m.delete(k);
    }
  }

  private index(n: Normalized, add: boolean): void {
    const file = Normalization.file;
    if (n.publisherRule !== null) file(this.byRule, n.publisherRule, n.rawKey, add);
    if (n.productRule !== null) file(this.byRule, n.productRule, n.rawKey, add);
    file(this.byPublisher, n.rawPublisher, n.rawKey, add);
    if (n.canonicalPublisher !== n.rawPublisher) file(this.byPublisher, n.canonicalPublisher, n.rawKey, add);
  }

  private remember(n: Normalized): void {
    const old = this.memo.get(n.rawKey);
    if (old) {
      this.index(old, false);
      this.stamp = {};
    }
    this.memo.set(n.rawKey, n);
    this.index(n, true);
  }

  /** The result for a raw pair, computed once per pair. */
  of(rawPublisher: string, rawProduct: string, rawKey: string): Normalized {
    let n = this.memo.get(rawKey);
    if (n === undefined) this.remember((n = this.normalizer.normalize(rawPublisher, rawProduct)));
    return n;
  }

  /**
   * The result for an installation's raw names: cached on the names object, which thousands of
   * installations share, while this normalization's results stand (`stamp`); else looked up.
   */
  ofNames(raw: ProductNames): Normalized {
    if (raw.normalizedBy === this.stamp) return raw.normalized as Normalized;
    const n = this.of(raw.publisher, raw.product, raw.productKey);
    raw.normalized = n;
    raw.normalizedBy = this.stamp;
    return n;
  }

  /** The result memoized for a pair, if any row brought it. */
  known(rawKey: string): Normalized | undefined {
    return this.memo.get(rawKey);
  }

  entries(): IterableIterator<Normalized> {
    return this.memo.values();
  }

  /** Writes a row's normalized fields from its raw ones (a row fresh from parseRow already holds the raw ones). */
  apply(row: AnyRow): void {
    if (!isNormalized(row.sheet)) return;
    const r = row as Named;
    if (r.sheet === 'installations') {
      const raw = r.raw;
      const n = this.ofNames(raw);
      r.publisher = n.publisher;
      r.product = n.product;
      r.productKey = n.productKey;
      r.publisherName = n.publisherName ?? raw.publisherName;
      r.productName = n.productName ?? raw.productName;
      r.version = n.version ?? r.rawVersion;
      r.edition = n.edition ?? r.rawEdition;
      return;
    }
    const n = this.of(r.rawPublisher, r.rawProduct, productKey(r.rawPublisher, r.rawProduct));
    r.publisher = n.publisher;
    r.product = n.product;
  }

  /** Rules in force from now on; the memo is emptied (a load, before rows are read). */
  reset(rules: readonly NormalizationRule[]): void {
    this.normalizer = new Normalizer(rules);
    this.memo.clear();
    this.stamp = {};
    this.byRule.clear();
    this.byPublisher.clear();
  }

  /**
   * Rules changed (edited: the keys of rules added, changed or removed; ruleOf: a rule now, by key;
   * rules: the whole sheet now, in order). The normalizer takes the edits in place, and the pairs
   * re-normalized are those an edited rule decided before or could decide now (found through the
   * indexes: by rule, by publisher); returns those whose result changed. Past WIDE edited rules the
   * normalizer is rebuilt and every pair re-normalized.
   */
  rulesChanged(edited: ReadonlySet<RowKey>, ruleOf: (key: RowKey) => NormalizationRule | undefined, rules: () => readonly NormalizationRule[]): Renamed[] {
    const candidates = new Set<string>();
    if (edited.size > WIDE) {
      this.normalizer = new Normalizer(rules());
      for (const k of this.memo.keys()) candidates.add(k);
    } else {
      const next = this.normalizer;
      for (const key of edited) for (const k of this.byRule.get(key) ?? []) candidates.add(k);
      for (const key of edited) next.update(key, ruleOf(key));
      for (const key of edited) {
        const rule = next.rule(key);
        if (!rule) continue;
        const pool = rule.publisher === '' ? this.memo.keys() : this.byPublisher.get(rule.publisher) ?? [];
        for (const k of pool) {
          if (candidates.has(k)) continue;
          const n = this.memo.get(k)!;
          if (next.couldDecide(rule, n.rawPublisher, n.rawProduct)) candidates.add(k);
        }
      }
    }
    const out: Renamed[] = [];
    for (const k of candidates) {
      const before = this.memo.get(k)!;
      const after = this.normalizer.normalize(before.rawPublisher, before.rawProduct);
      if (sameNormalized(before, after)) continue;
      this.remember(after);
      out.push({ before, after, rows: !sameFields(before, after) });
    }
    return out;
  }
}
