// The engine's tables: every typed row, rows by id, and the indexes the rules look through.
// Invariant: a row is in every index that its current field values name, and in no other; rows
// change only through `add` and `remove` (a changed row is removed, changed, added back).
//
// Loading keeps only what reading needs: rows in arrays, ids of the sheets other rows refer to, and
// a duplicate check for the rest; at a million rows every map entry per row costs a measurable
// share of the run. What edits need besides is built when first needed, never during the load
// people wait for: makeEditable() builds the indexes from a row to the rows near it and makes sets
// removable (first edit, or Engine.warm); openSheet() builds one sheet's rows by key and ids (first
// edit of that sheet: editing a device must not wait for a million installations to be keyed).

import type { RowKey } from '../cells';
import type { SheetName } from '../schema';
import { SHEETS } from '../schema';
import type {
  Access, Allocation, AnyRow, Device, Entitlement, Installation, Measurement, RowOf, Sensor, Session, Subscription, User,
} from '../rows';
import type { Settings } from '../settings';
import { MultiMap, ProductIndex } from './multimap';

type Tables = { [S in SheetName]: Map<RowKey, RowOf[S]> };
type Bags = { makeRemovablePart(budget: number): boolean };
type Lists = { [S in SheetName]: RowOf[S][] };
/** id → the row, or its rows in key order when the id is duplicated. */
type IdIndex = Map<string, AnyRow | AnyRow[]>;

/** Sheets whose ids other rows refer to: their ids are always indexed. */
const REFERENCED: ReadonlySet<SheetName> = new Set(['devices', 'users', 'clusters', 'entitlements']);

export class Store {
  /** Rows by key, of open sheets. */
  readonly tables = Object.fromEntries(SHEETS.map((s) => [s, new Map()])) as unknown as Tables;
  /** Rows in sheet order, of sheets not yet open. */
  private readonly lists = Object.fromEntries(SHEETS.map((s) => [s, []])) as unknown as Lists;
  /** The neighbour indexes are built and sets removable (see makeEditable). */
  private editable = false;
  /** Sheets with rows by key and every id indexed (see openSheet). */
  private readonly open = new Set<SheetName>();
  /** How many rows of a sheet being opened in parts are keyed already. */
  private readonly opened = new Map<SheetName, number>();
  /** Rows taken out and not put back: a unit that is a row object is gone when it is here. */
  private readonly removed = new WeakSet<AnyRow>();
  private readonly ids = Object.fromEntries(SHEETS.map((s) => [s, new Map()])) as unknown as Record<SheetName, IdIndex>;
  /** ids.devices, read on every installation. */
  private readonly deviceIds = this.ids.devices;
  /** One-shot duplicate check for unindexed sheets: the last id, while ids arrive increasing. */
  private readonly lastId = Object.fromEntries(SHEETS.map((s) => [s, ''])) as Record<SheetName, string>;
  private readonly seenIds = new Map<SheetName, Set<string>>();
  /**
   * The device and user the last installation added was given: a file lists installations device
   * by device, so most rows name the ones before them. Forgotten when any device or user comes or goes.
   */
  private lastDevice: { idN: string; row: Device | undefined } | null = null;
  private lastUser: { idN: string; row: User | undefined } | null = null;
  /** Rows found (one-shot) to repeat an earlier row's id. */
  private readonly repeated = new Set<AnyRow>();
  /** Sheets where two rows have shared an id at some point (never cleared: a hint, see mayRepeat). */
  private readonly shared = new Set<SheetName>();
  /**
   * A device or user came or went after installations were added, so an installation may hold
   * another row than the one its ids name now (Engine.finish resolves them all again). Stays false
   * in a load that reads devices and users first (LOAD_ORDER): no pass over the installations.
   */
  installationsStale = false;

  // Indexes every reconcile needs.
  readonly installsByProduct: ProductIndex<Installation>;
  readonly accessByProduct: ProductIndex<Access>;
  readonly subscriptionsByProduct: ProductIndex<Subscription>;
  readonly sessionsByProduct: ProductIndex<Session>;
  readonly sensorsByProduct: ProductIndex<Sensor>;
  readonly measurementsByProduct: ProductIndex<Measurement>;
  readonly entitlementsByProduct: ProductIndex<Entitlement>;
  readonly devicesByCluster: MultiMap<string, Device>;
  readonly allocationsByEntitlement: MultiMap<string, Allocation>;

  // Indexes only incremental reconciliation needs: from a changed row to the rows near it.
  readonly installsByDevice: MultiMap<string, Installation>;
  readonly installsByUser: MultiMap<string, Installation>;
  readonly devicesByOwner: MultiMap<string, Device>;
  readonly vmsByHost: MultiMap<string, Device>;
  readonly allocationsByUser: MultiMap<string, Allocation>;
  readonly allocationsByDevice: MultiMap<string, Allocation>;
  readonly accessByUser: MultiMap<string, Access>;
  readonly accessByDevice: MultiMap<string, Access>;
  readonly accessByServer: MultiMap<string, Access>;
  readonly subscriptionsByUser: MultiMap<string, Subscription>;
  readonly sessionsByUser: MultiMap<string, Session>;
  readonly sessionsByDevice: MultiMap<string, Session>;
  readonly sensorsByDevice: MultiMap<string, Sensor>;

  /**
   * `incremental`: the store will be edited (positions keep their units, unlicensed its per-device
   * counts); its edit structures are still built only when first needed.
   */
  constructor(public settings: Settings, readonly incremental: boolean) {
    this.installsByProduct = new ProductIndex(false);
    this.accessByProduct = new ProductIndex(false);
    this.subscriptionsByProduct = new ProductIndex(false);
    this.sessionsByProduct = new ProductIndex(false);
    this.sensorsByProduct = new ProductIndex(false);
    this.measurementsByProduct = new ProductIndex(false);
    this.entitlementsByProduct = new ProductIndex(false);
    this.devicesByCluster = new MultiMap(false);
    this.allocationsByEntitlement = new MultiMap(false);
    this.installsByDevice = new MultiMap(false);
    this.installsByUser = new MultiMap(false);
    this.devicesByOwner = new MultiMap(false);
    this.vmsByHost = new MultiMap(false);
    this.allocationsByUser = new MultiMap(false);
    this.allocationsByDevice = new MultiMap(false);
    this.accessByUser = new MultiMap(false);
    this.accessByDevice = new MultiMap(false);
    this.accessByServer = new MultiMap(false);
    this.subscriptionsByUser = new MultiMap(false);
    this.sessionsByUser = new MultiMap(false);
    this.sessionsByDevice = new MultiMap(false);
    this.sensorsByDevice = new MultiMap(false);
  }

  /** Every row of a sheet (in sheet order until the sheet is open; in arrival order after). */
  rows<S extends SheetName>(sheet: S): Iterable<RowOf[S]> {
    return this.open.has(sheet) ? this.tables[sheet].values() : this.lists[sheet];
  }

  count(sheet: SheetName): number {
    return this.open.has(sheet) ? this.tables[sheet].size : this.lists[sheet].length;
  }

  /** Builds the indexes from a row to the rows near it and makes every set removable, once. */
  makeEditable(): void {
    this.makeEditablePart(Infinity);
  }

  /** Where makeEditablePart left off: sheets whose rows are indexed, and rows of the next one. */
  private indexedSheets = 0;
  private indexedRows = 0;

  /**
   * makeEditable in steps of about `budget` rows (a worker warms between other work); true once
   * editable. Every set is made removable first, so the edit-only indexes fill sets directly.
   */
  makeEditablePart(budget: number): boolean {
    if (this.editable) return true;
    for (const bags of Object.values(this) as unknown[]) {
      if (!(bags instanceof MultiMap || bags instanceof ProductIndex)) continue;
      if (!(bags as Bags).makeRemovablePart(budget)) return false;
    }
    while (this.indexedSheets < SHEETS.length) {
      // No sheet is open before the store is editable (openSheet makes it editable first).
      const rows = this.lists[SHEETS[this.indexedSheets]] as AnyRow[];
      const end = Math.min(rows.length, this.indexedRows + budget);
      for (let k = this.indexedRows; k < end; k++) this.indexForEdits(rows[k], true);
      budget -= end - this.indexedRows;
      if (end < rows.length) {
        this.indexedRows = end;
        return false;
      }
      this.indexedSheets++;
      this.indexedRows = 0;
      if (budget <= 0 && this.indexedSheets < SHEETS.length) return false;
    }
    this.editable = true;
    return true;
  }

  /** Keys a sheet's rows and indexes all its ids, once: needed before any row of it changes. */
  openSheet(sheet: SheetName): void {
    this.openSheetPart(sheet, Infinity);
  }

  /**
   * Opens up to `count` more rows of a sheet (a caller with idle time opens a big sheet in
   * slices); true once the sheet is open. Until then the sheet reads as before.
   */
  openSheetPart(sheet: SheetName, count: number): boolean {
    if (this.open.has(sheet)) return true;
    this.makeEditable();
    const table = this.tables[sheet] as Map<RowKey, AnyRow>;
    const list = this.lists[sheet] as AnyRow[];
    const from = this.opened.get(sheet) ?? 0, to = Math.min(list.length, from + count);
    for (let k = from; k < to; k++) {
      const row = list[k];
      table.set(row.key, row);
      if (row.idN !== '' && !REFERENCED.has(sheet)) this.fileId(row);
    }
    this.opened.set(sheet, to);
    if (to < list.length) return false;
    (this.lists as Record<SheetName, AnyRow[]>)[sheet] = [];
    this.seenIds.delete(sheet);
    this.open.add(sheet);
    return true;
  }

  /** The row with this key (its sheet open). */
  get<S extends SheetName>(sheet: S, key: RowKey): RowOf[S] | undefined {
    return this.tables[sheet].get(key);
  }

  /** The first row (in sheet order) with this id. */
  first<S extends SheetName>(sheet: S, idN: string): RowOf[S] | undefined {
    if (idN === '') return undefined;
    const hit = this.ids[sheet].get(idN);
    return (Array.isArray(hit) ? hit[0] : hit) as RowOf[S] | undefined;
  }

  /** Some row has this id: first() without reading the row, which a check of a reference need not. */
  hasId(sheet: SheetName, idN: string): boolean {
    return idN !== '' && this.ids[sheet].has(idN);
  }

  /** Every row with this id, in sheet order (sheets whose ids are indexed). */
  withId<S extends SheetName>(sheet: S, idN: string): readonly RowOf[S][] {
    const hit = this.ids[sheet].get(idN);
    return (hit === undefined ? [] : Array.isArray(hit) ? hit : [hit]) as RowOf[S][];
  }

  /** False when no row of the sheet can repeat another's id: no two have ever shared one. */
  mayRepeat(sheet: SheetName): boolean {
    return this.shared.has(sheet);
  }

  /** The row repeats the id of an earlier row of its sheet. */
  isRepeat(row: AnyRow): boolean {
    if (row.idN === '') return false;
    if (this.open.has(row.sheet) || REFERENCED.has(row.sheet)) {
      const same = this.withId(row.sheet, row.idN);
      return same.length > 1 && same[0] !== row;
    }
    return this.repeated.has(row);
  }

  device(idN: string): Device | undefined {
    if (idN === '') return undefined;
    const hit = this.deviceIds.get(idN);
    return (Array.isArray(hit) ? hit[0] : hit) as Device | undefined;
  }

  /** The row was in the store and has been taken out (a row changed in place is put back). */
  isRemoved(row: AnyRow): boolean {
    return this.removed.has(row);
  }

  add(row: AnyRow): void {
    const open = this.open.has(row.sheet);
    if (open) (this.tables[row.sheet] as Map<RowKey, AnyRow>).set(row.key, row);
    else (this.lists[row.sheet] as AnyRow[]).push(row);
    this.file(row, open, this.lists[row.sheet].length - 1);
  }

  /**
   * add() for each of a sheet's rows, in order. The store takes the array itself as the sheet's
   * list when it has none yet (the caller gives it up): a million rows pushed one by one cost the
   * copies of a growing array.
   */
  addAll(sheet: SheetName, rows: AnyRow[]): void {
    if (this.open.has(sheet) || this.lists[sheet].length > 0) {
      for (const row of rows) this.add(row);
      return;
    }
    (this.lists as Record<SheetName, AnyRow[]>)[sheet] = rows;
    for (let k = 0; k < rows.length; k++) this.file(rows[k], false, k);
  }

  /** What add() does besides keeping the row (at `at` in its list): its id, its device and user, its indexes. */
  private file(row: AnyRow, open: boolean, at: number): void {
    if (this.editable) this.removed.delete(row);
    if (row.idN !== '') {
      if (open || REFERENCED.has(row.sheet)) this.fileId(row);
      else this.checkRepeat(row, at);
    }
    // Installations resolve their device and user as they arrive (those sheets load first: LOAD_ORDER).
    if (row.sheet === 'installations') {
      if (row.device === undefined) {
        if (this.lastDevice?.idN !== row.deviceId) this.lastDevice = { idN: row.deviceId, row: this.device(row.deviceId) };
        row.device = this.lastDevice.row;
      }
      if (row.user === undefined && row.userId !== '') {
        if (this.lastUser?.idN !== row.userId) this.lastUser = { idN: row.userId, row: this.first('users', row.userId) };
        row.user = this.lastUser.row;
      }
    } else this.forgetLastResolved(row.sheet);
    this.index(row, true);
    if (this.editable) this.indexForEdits(row, true);
  }

  /** Its sheet open (the engine opens it before any edit of it). */
  remove(row: AnyRow): void {
    this.forgetLastResolved(row.sheet);
    this.removed.add(row);
    (this.tables[row.sheet] as Map<RowKey, AnyRow>).delete(row.key);
    if (row.idN !== '') this.unfileId(row);
    this.index(row, false);
    this.indexForEdits(row, false);
  }

  private forgetLastResolved(sheet: SheetName): void {
    if (sheet !== 'devices' && sheet !== 'users') return;
    if (sheet === 'devices') this.lastDevice = null;
    else this.lastUser = null;
    if (this.count('installations') > 0) this.installationsStale = true;
  }

  private checkRepeat(row: AnyRow, at: number): void {
    const last = this.lastId[row.sheet];
    let seen = this.seenIds.get(row.sheet);
    if (!seen && row.idN > last) {
      this.lastId[row.sheet] = row.idN; // still increasing: no earlier row can hold this id
      return;
    }
    if (!seen) {
      // Ids stopped increasing: from here on, remember them all (including the earlier ones).
      seen = new Set(this.lists[row.sheet].slice(0, at).map((r) => r.idN));
      this.seenIds.set(row.sheet, seen);
    }
    if (seen.has(row.idN)) {
      this.repeated.add(row);
      this.shared.add(row.sheet);
    } else seen.add(row.idN);
  }

  private fileId(row: AnyRow): void {
    const ids = this.ids[row.sheet];
    const hit = ids.get(row.idN);
    if (hit === undefined) ids.set(row.idN, row);
    else {
      this.shared.add(row.sheet);
      const list = Array.isArray(hit) ? hit : [hit];
      // Keep sheet (key) order; rows usually arrive in order, so search from the end.
      let at = list.length;
      while (at > 0 && list[at - 1].key > row.key) at--;
      list.splice(at, 0, row);
      ids.set(row.idN, list);
    }
  }

  private unfileId(row: AnyRow): void {
    const ids = this.ids[row.sheet];
    const hit = ids.get(row.idN);
    if (hit === row) ids.delete(row.idN);
    else if (Array.isArray(hit)) {
      const list = hit.filter((r) => r !== row);
      ids.set(row.idN, list.length === 1 ? list[0] : list);
    }
  }

  /** The indexes every reconcile reads. */
  private index(row: AnyRow, add: boolean): void {
    switch (row.sheet) {
      case 'installations': file(this.installsByProduct, row, add); break;
      case 'devices': if (row.cluster) put(this.devicesByCluster, row.cluster, row, add); break;
      case 'entitlements': file(this.entitlementsByProduct, row, add); break;
      case 'allocations': put(this.allocationsByEntitlement, row.entitlementId, row, add); break;
      case 'access': file(this.accessByProduct, row, add); break;
      case 'subscriptions': file(this.subscriptionsByProduct, row, add); break;
      case 'sessions': file(this.sessionsByProduct, row, add); break;
      case 'sensors': file(this.sensorsByProduct, row, add); break;
      case 'measurements': file(this.measurementsByProduct, row, add); break;
      default: break;
    }
  }

  /** The indexes only edits read: from a changed row to the rows near it. */
  private indexForEdits(row: AnyRow, add: boolean): void {
    switch (row.sheet) {
      case 'installations':
        put(this.installsByDevice, row.deviceId, row, add);
        if (row.userId) put(this.installsByUser, row.userId, row, add);
        break;
      case 'devices':
        if (row.ownerId) put(this.devicesByOwner, row.ownerId, row, add);
        if (row.hostId) put(this.vmsByHost, row.hostId, row, add);
        break;
      case 'allocations':
        if (row.userId) put(this.allocationsByUser, row.userId, row, add);
        if (row.deviceId) put(this.allocationsByDevice, row.deviceId, row, add);
        break;
      case 'access':
        if (row.userId) put(this.accessByUser, row.userId, row, add);
        if (row.deviceId) put(this.accessByDevice, row.deviceId, row, add);
        if (row.serverId) put(this.accessByServer, row.serverId, row, add);
        break;
      case 'subscriptions': if (row.userId) put(this.subscriptionsByUser, row.userId, row, add); break;
      case 'sessions':
        if (row.userId) put(this.sessionsByUser, row.userId, row, add);
        if (row.deviceId) put(this.sessionsByDevice, row.deviceId, row, add);
        break;
      case 'sensors': if (row.deviceId) put(this.sensorsByDevice, row.deviceId, row, add); break;
      default: break;
    }
  }

  /** Rows of a small sheet in sheet order. */
  ordered<S extends SheetName>(sheet: S): RowOf[S][] {
    return [...this.rows(sheet)].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

function put<K, V>(m: MultiMap<K, V>, k: K, v: V, add: boolean): void {
  if (add) m.add(k, v);
  else m.delete(k, v);
}

function file<T extends { publisher: string; product: string }>(m: ProductIndex<T>, v: T, add: boolean): void {
  if (add) m.add(v);
  else m.delete(v);
}
