// What the engine does when normalization results change under rows already in the store: rows
// loaded before the rules are normalized and re-filed at once (finish), and the rows of the pairs a
// rule edit renamed are moved: each row's contributions taken out of what it fed under its old
// names (the units it fed, its unlicensed tally) and put into what it feeds under its new ones,
// without re-reading the rows that stay. The engine hands in what it needs; its state stays its own.
//
// Invariant (as for any edit, dependencies.ts): every unit a moved row fed before or feeds after is
// re-evaluated, and every moved installation is uncounted for unlicensed before and counted after.

import type { RowKey } from '../cells';
import type { AnyRow, Installation, NormalizationRule } from '../rows';
import type { SheetName } from '../schema';
import type { ProductIndex } from '../store/multimap';
import type { Store } from '../store/store';
import type { World } from '../store/world';
import type { MemberList, UnitKey } from '../metrics/rule';
import type { Position } from '../positions/position';
import { feedOf } from '../positions/compute';
import { NORMALIZED_SHEETS, rawKeyOf, type Normalization, type Renamed } from './normalization';
import type { Unrecognized } from './unrecognized';

/**
 * What re-evaluating one unit alone costs (its candidate rows gathered around it: a device's other
 * installations, each checked), in rows of a position's whole re-count: measured on the bench
 * estate (bench/rule-edits.ts), 4,500 device units took as long as 40,000 rows counted whole.
 */
const UNIT_COST = 10;

/** Past this many moved rows, a reader of rows keeping its own figures (savings) redoes them whole. */
const JOURNAL_ROWS = 1_000;

type Index = ProductIndex<{ publisher: string; product: string }>;

export interface RenameHost {
  readonly store: Store;
  readonly world: World;
  readonly names: Normalization;
  readonly unrecognized: Unrecognized;
  /** Ranks the positions' groups changed since last asked: which position a row feeds depends on it. */
  rank(): void;
  /** The positions a row of this product can feed (its own and its publisher's `*` ones). */
  forProduct(publisher: string, product: string): Position[];
  /** Re-evaluates these units of a position at the next flush. */
  markUnits(p: Position, keys: UnitKey | UnitKey[] | null): void;
  /** Re-evaluates a position whole at the next flush. */
  markWhole(p: Position): void;
  /** Counts (1) or uncounts (−1) installations of one product for unlicensed, as they are now. */
  countUnlicensed(rows: readonly Installation[], sign: 1 | -1): void;
  /** The key of the installation a product's unlicensed tally is named after, if it has one. */
  unlicensedNamedBy(productKey: string): RowKey | undefined;
  /** Counts a product's unlicensed installations again. */
  recountUnlicensed(publisher: string, product: string): void;
  /** A row was renamed (was: a copy from before), for a reader of rows keeping its own figures; null when none reads. */
  readonly journalRow: ((sheet: SheetName, was: AnyRow, now: AnyRow) => void) | null;
  /** Rows were renamed in bulk: a reader of rows keeping its own figures redoes them whole. */
  renamedInBulk(): void;
}

/** The member list of each normalized sheet's rows. */
const LIST: Partial<Record<SheetName, MemberList>> = {
  installations: 'inst', subscriptions: 'subs', sessions: 'sessions', access: 'access', sensors: 'sensors', measurements: 'measurements',
};

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

/** Rules were edited (their keys): the rows of every pair whose names changed are moved. */
export function rulesEdited(host: RenameHost, edited: ReadonlySet<RowKey>): void {
  const s = host.store;
  // Rows loaded while no rule was in force were not looked at: every pair must be known first.
  if (!host.names.active) for (const sheet of NORMALIZED_SHEETS) for (const row of s.rows(sheet)) host.names.apply(row);
  const renamed = host.names.rulesChanged(edited, (key) => s.get('normalization', key) as NormalizationRule | undefined, () => s.ordered('normalization'));
  // The pairs whose rows change, by the product their rows are filed under now.
  const leaving = new Map<string, Map<string, Renamed>>();
  for (const r of renamed) {
    host.unrecognized.touch(r.before.rawKey);
    if (!r.rows) continue;
    let pairs = leaving.get(r.before.productKey);
    if (!pairs) leaving.set(r.before.productKey, (pairs = new Map()));
    pairs.set(r.before.rawKey, r);
  }
  if (leaving.size === 0) return;
  host.rank();
  for (const sheet of NORMALIZED_SHEETS) move(host, sheet, leaving);
}

/** Moves the rows of one sheet whose pairs were renamed, product by product. */
function move(host: RenameHost, sheet: SheetName, leaving: ReadonlyMap<string, ReadonlyMap<string, Renamed>>): void {
  const index = productIndex(host.store, sheet);
  // Gathered before any moves: a pair renamed into a product that other pairs leave is not read twice.
  const moving: { rows: AnyRow[]; before: Renamed['before']; after: Renamed['after'] }[] = [];
  let count = 0;
  for (const [productKey, pairs] of leaving) {
    const bag = index.exactlyKey(productKey);
    if (('size' in bag ? bag.size : bag.length) === 0) continue;
    const byPair = new Map<Renamed, AnyRow[]>();
    for (const row of bag as Iterable<AnyRow>) {
      const r = pairs.get(rawKeyOf(row as never));
      if (r === undefined) continue;
      const rows = byPair.get(r);
      if (rows) rows.push(row);
      else byPair.set(r, [row]);
    }
    for (const [r, rows] of byPair) {
      moving.push({ rows, before: r.before, after: r.after });
      count += rows.length;
    }
  }
  if (count === 0) return;
  const list = LIST[sheet]!, w = host.world, journal = count <= JOURNAL_ROWS ? host.journalRow : null;
  if (!journal) host.renamedInBulk();
  const installations = sheet === 'installations';
  // Each position is re-evaluated whole, or just the units the moved rows fed and feed: whichever
  // reads fewer rows (decided before any unit is marked, so a position counted whole marks none).
  const incoming = new Map<Position, number>(), outgoing = new Map<Position, number>();
  const tally = (m: Map<Position, number>, ps: readonly Position[], n: number) => { for (const p of ps) m.set(p, (m.get(p) ?? 0) + n); };
  const groups = moving.map(({ rows, before, after }) => {
    const from = host.forProduct(before.publisher, before.product), to = host.forProduct(after.publisher, after.product);
    tally(outgoing, from, rows.length);
    tally(incoming, to, rows.length);
    return { rows, before, from, to };
  });
  const whole = new Set<Position>();
  for (const p of new Set([...outgoing.keys(), ...incoming.keys()])) {
    const moved = (outgoing.get(p) ?? 0) + (incoming.get(p) ?? 0);
    if (moved * UNIT_COST > weight(index, p) + (incoming.get(p) ?? 0)) whole.add(p);
  }
  for (const p of whole) host.markWhole(p);
  // An unlicensed tally named after a row that leaves it is named again after the rows it keeps.
  const renameTally = new Map<string, Renamed['before']>();
  for (const g of groups) {
    const from = g.from.filter((p) => !whole.has(p)), to = g.to.filter((p) => !whole.has(p));
    const namedBy = installations ? host.unlicensedNamedBy(g.before.productKey) : undefined;
    if (installations) host.countUnlicensed(g.rows as Installation[], -1);
    // The rows' contributions out (as they are), the rows renamed and filed anew, then in.
    const was = journal ? g.rows.map((row) => ({ ...row }) as AnyRow) : null;
    for (const row of g.rows) {
      if (row.key === namedBy) renameTally.set(g.before.productKey, g.before);
      for (const p of from) host.markUnits(p, feedOf(w, p, list, row));
    }
    index.deleteMany(g.rows as never);
    for (const row of g.rows) host.names.apply(row);
    index.addMany(g.rows as never);
    for (const row of g.rows) for (const p of to) host.markUnits(p, feedOf(w, p, list, row));
    if (was) g.rows.forEach((row, k) => journal!(sheet, was[k], row));
    if (installations) host.countUnlicensed(g.rows as Installation[], 1);
  }
  for (const n of renameTally.values()) host.recountUnlicensed(n.publisher, n.product);
}

/** Rows a whole re-count of a position reads: its product's, or its publisher's for a `*` position. */
function weight(index: Index, p: Position): number {
  let rows = 0;
  for (const bag of index.of(p.publisher, p.product)) rows += 'size' in bag ? bag.size : bag.length;
  return rows;
}
