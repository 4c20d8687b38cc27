// What the engine does when normalization results change under rows already in the store: rows
// loaded before the rules are normalized and re-filed at once (finish), and the rows of a pair a
// rule edit renamed are re-fed — one by one, as edits of those rows, or in bulk (re-filed, and the
// positions and unlicensed tallies of the products they leave and join counted again whole),
// whichever reads fewer rows. The engine hands in what it needs; its state stays its own.

import type { RowKey } from '../cells';
import type { AnyRow, NormalizationRule } from '../rows';
import type { SheetName } from '../schema';
import type { ProductIndex } from '../store/multimap';
import type { Store } from '../store/store';
import type { Position } from '../positions/position';
import { NORMALIZED_SHEETS, rawKeyOf, type Normalization, type Renamed } from './normalization';
import type { Unrecognized } from './unrecognized';

/**
 * What re-feeding one row as an edit costs (its neighbourhood examined twice, its units marked),
 * in rows of a bulk re-count: on the bench estate a row re-fed alone cost about as much as thirty
 * rows of a position's whole re-count.
 */
const ROW_COST = 30;

type Index = ProductIndex<{ publisher: string; product: string }>;

export interface RenameHost {
  readonly store: Store;
  readonly names: Normalization;
  readonly unrecognized: Unrecognized;
  /** The positions a row of this product can feed (its own and its publisher's `*` ones). */
  forProduct(publisher: string, product: string): Iterable<Position>;
  /** Re-evaluates a position whole at the next flush. */
  markWhole(p: Position): void;
  /** Counts a product's unlicensed installations again. */
  recountUnlicensed(publisher: string, product: string): void;
  /** Puts a row's new version in place of its old one, as an edit does. */
  replaceRow(sheet: SheetName, key: RowKey, fresh: AnyRow): void;
  /** Rows were renamed in place, outside replaceRow: a reader of rows keeping its own figures redoes them whole. */
  renamedInBulk(): void;
}

/** The index of a normalized sheet's rows by (publisher, product). */
export function productIndex(store: Store, sheet: SheetName): Index {
  const index = { installations: store.installsByProduct, subscriptions: store.subscriptionsByProduct, sessions: store.sessionsByProduct,
    access: store.accessByProduct, sensors: store.sensorsByProduct, measurements: store.measurementsByProduct }[sheet as 'installations'];
  return index as unknown as Index;
}

/** Normalizes rows that were loaded before the rules (any sheet order is allowed), filing them afresh. */
export function normalizeLoaded(store: Store, names: Normalization): void {
  for (const sheet of NORMALIZED_SHEETS) {
    // Filed afresh: a loading store's indexes are arrays, which do not remove.
    const index = productIndex(store, sheet);
    index.clear();
    for (const row of store.rows(sheet)) {
      names.apply(row);
      index.add(row as never);
    }
  }
}

/** Rules were edited (their keys): the rows of every pair whose names changed are re-fed. */
export function rulesEdited(host: RenameHost, edited: ReadonlySet<RowKey>): void {
  const s = host.store;
  // Rows loaded while no rule was in force were not looked at: every pair must be known first.
  if (!host.names.active) for (const sheet of NORMALIZED_SHEETS) for (const row of s.rows(sheet)) host.names.apply(row);
  const renamed = host.names.rulesChanged(edited, (key) => s.get('normalization', key) as NormalizationRule | undefined, () => s.ordered('normalization'));
  for (const r of renamed) {
    host.unrecognized.touch(r.before.rawKey);
    if (r.rows) for (const sheet of NORMALIZED_SHEETS) rename(host, sheet, r);
  }
}

function rename(host: RenameHost, sheet: SheetName, { before, after }: Renamed): void {
  const index = productIndex(host.store, sheet);
  const rows: AnyRow[] = [];
  for (const row of index.exactlyKey(before.productKey) as Iterable<AnyRow>) if (rawKeyOf(row as never) === before.rawKey) rows.push(row);
  if (rows.length === 0) return;
  if (rows.length * ROW_COST <= weight(host, index, before) + weight(host, index, after)) {
    for (const row of rows) {
      const fresh = { ...row } as AnyRow;
      host.names.apply(fresh);
      host.replaceRow(sheet, row.key, fresh);
    }
    return;
  }
  for (const row of rows) {
    index.delete(row as never);
    host.names.apply(row);
    index.add(row as never);
  }
  host.renamedInBulk();
  for (const n of [before, after]) {
    for (const p of host.forProduct(n.publisher, n.product)) host.markWhole(p);
    if (sheet === 'installations') host.recountUnlicensed(n.publisher, n.product);
  }
}

/** Rows a bulk re-count of a product reads: its own, and its publisher's when a `*` position counts them all. */
function weight(host: RenameHost, index: Index, n: { publisher: string; product: string; productKey: string }): number {
  const size = (bag: Iterable<unknown> & ({ size: number } | { length: number })) => ('size' in bag ? bag.size : bag.length);
  let rows = size(index.exactlyKey(n.productKey));
  for (const p of host.forProduct(n.publisher, n.product)) if (p.product === '*') for (const bag of index.of(p.publisher, '*')) rows += size(bag);
  return rows;
}
