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

import type { AnyRow, NormalizationRule } from '../rows';
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

export class Normalization {
  normalizer: Normalizer = Normalizer.EMPTY;
  private readonly memo = new Map<string, Normalized>();

  /** Rules are in force: rows must be normalized as they come. */
  get active(): boolean {
    return this.normalizer.size > 0;
  }

  /** The result for a raw pair, computed once per pair. */
  of(rawPublisher: string, rawProduct: string, rawKey: string): Normalized {
    let n = this.memo.get(rawKey);
    if (n === undefined) this.memo.set(rawKey, (n = this.normalizer.normalize(rawPublisher, rawProduct)));
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
      const n = this.of(raw.publisher, raw.product, raw.productKey);
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
  }

  /**
   * The rules changed (rules: the sheet now, in order; edited: the keys of rules added, changed or
   * removed; before: those rules as they were). Re-normalizes the pairs any of them decided before
   * or could decide now, and returns those whose result changed. Past `wide` edited rules (a
   * pasted catalogue) every pair is re-normalized.
   */
  rulesChanged(rules: readonly NormalizationRule[], edited: ReadonlySet<unknown>, wide = 64): Renamed[] {
    const next = new Normalizer(rules);
    this.normalizer = next;
    const fresh = next.rules.filter((r) => edited.has(r.key));
    const everything = edited.size > wide;
    const out: Renamed[] = [];
    for (const [key, before] of this.memo) {
      const touched = everything || edited.has(before.publisherRule) || edited.has(before.productRule)
        || fresh.some((r) => next.couldDecide(r, before.rawPublisher, before.rawProduct));
      if (!touched) continue;
      const after = next.normalize(before.rawPublisher, before.rawProduct);
      if (sameNormalized(before, after)) continue;
      this.memo.set(key, after);
      out.push({ before, after, rows: !sameFields(before, after) });
    }
    return out;
  }
}
