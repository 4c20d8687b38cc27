// The engine's tables: every typed row by key, rows by id, and the indexes the rules look through.
// Invariant: a row is in every index that its current field values name, and in no other; rows
// change only through `add` and `remove` (a changed row is removed, changed, added back).

import type { SheetName } from '../schema';
import { SHEETS } from '../schema';
import type {
  Access, Allocation, AnyRow, Device, Entitlement, Installation, Measurement, RowOf, Sensor, Session, Subscription,
} from '../rows';
import type { Settings } from '../settings';
import { MultiMap, ProductIndex } from './multimap';

type Tables = { [S in SheetName]: Map<string, RowOf[S]> };
/** id → the row, or its rows in key order when the id is duplicated. */
type IdIndex = Map<string, AnyRow | AnyRow[]>;

export class Store {
  readonly tables: Tables = Object.fromEntries(SHEETS.map((s) => [s, new Map()])) as unknown as Tables;
  private readonly ids = Object.fromEntries(SHEETS.map((s) => [s, new Map()])) as unknown as Record<SheetName, IdIndex>;

  // Indexes every reconcile needs.
  readonly installsByProduct = new ProductIndex<Installation>();
  readonly accessByProduct = new ProductIndex<Access>();
  readonly subscriptionsByProduct = new ProductIndex<Subscription>();
  readonly sessionsByProduct = new ProductIndex<Session>();
  readonly sensorsByProduct = new ProductIndex<Sensor>();
  readonly measurementsByProduct = new ProductIndex<Measurement>();
  readonly entitlementsByProduct = new ProductIndex<Entitlement>();
  readonly devicesByCluster = new MultiMap<string, Device>();
  readonly allocationsByEntitlement = new MultiMap<string, Allocation>();

  // Indexes only incremental reconciliation needs: from a changed row to the rows near it.
  readonly installsByDevice = new MultiMap<string, Installation>();
  readonly installsByUser = new MultiMap<string, Installation>();
  readonly devicesByOwner = new MultiMap<string, Device>();
  readonly vmsByHost = new MultiMap<string, Device>();
  readonly allocationsByUser = new MultiMap<string, Allocation>();
  readonly allocationsByDevice = new MultiMap<string, Allocation>();
  readonly accessByServer = new MultiMap<string, Access>();
  readonly accessByUser = new MultiMap<string, Access>();
  readonly accessByDevice = new MultiMap<string, Access>();
  readonly subscriptionsByUser = new MultiMap<string, Subscription>();
  readonly sessionsByUser = new MultiMap<string, Session>();
  readonly sessionsByDevice = new MultiMap<string, Session>();
  readonly sensorsByDevice = new MultiMap<string, Sensor>();

  constructor(public settings: Settings, readonly incremental: boolean) {}

  /** The first row (in sheet order) with this id. */
  first<S extends SheetName>(sheet: S, idN: string): RowOf[S] | undefined {
    if (idN === '') return undefined;
    const hit = this.ids[sheet].get(idN);
    return (Array.isArray(hit) ? hit[0] : hit) as RowOf[S] | undefined;
  }

  /** Every row with this id, in sheet order. */
  withId<S extends SheetName>(sheet: S, idN: string): readonly RowOf[S][] {
    const hit = this.ids[sheet].get(idN);
    return (hit === undefined ? [] : Array.isArray(hit) ? hit : [hit]) as RowOf[S][];
  }

  device(idN: string): Device | undefined {
    return this.first('devices', idN);
  }

  add(row: AnyRow): void {
    (this.tables[row.sheet] as Map<string, AnyRow>).set(row.key, row);
    if (row.idN !== '') this.fileId(row);
    this.index(row, true);
  }

  remove(row: AnyRow): void {
    (this.tables[row.sheet] as Map<string, AnyRow>).delete(row.key);
    if (row.idN !== '') this.unfileId(row);
    this.index(row, false);
  }

  private fileId(row: AnyRow): void {
    const ids = this.ids[row.sheet];
    const hit = ids.get(row.idN);
    if (hit === undefined) ids.set(row.idN, row);
    else {
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

  private index(row: AnyRow, add: boolean): void {
    const inc = this.incremental;
    const put = <K, V>(m: MultiMap<K, V>, k: K, v: V) => (add ? m.add(k, v) : m.delete(k, v));
    const putP = <T extends { publisher: string; product: string }>(m: ProductIndex<T>, v: T) => (add ? m.add(v) : m.delete(v));
    switch (row.sheet) {
      case 'installations':
        putP(this.installsByProduct, row);
        if (inc) {
          put(this.installsByDevice, row.deviceId, row);
          if (row.userId) put(this.installsByUser, row.userId, row);
        }
        break;
      case 'devices':
        if (row.cluster) put(this.devicesByCluster, row.cluster, row);
        if (inc) {
          if (row.ownerId) put(this.devicesByOwner, row.ownerId, row);
          if (row.hostId) put(this.vmsByHost, row.hostId, row);
        }
        break;
      case 'entitlements':
        putP(this.entitlementsByProduct, row);
        break;
      case 'allocations':
        put(this.allocationsByEntitlement, row.entitlementId, row);
        if (inc && row.userId) put(this.allocationsByUser, row.userId, row);
        if (inc && row.deviceId) put(this.allocationsByDevice, row.deviceId, row);
        break;
      case 'access':
        putP(this.accessByProduct, row);
        if (inc) {
          if (row.userId) put(this.accessByUser, row.userId, row);
          if (row.deviceId) put(this.accessByDevice, row.deviceId, row);
          if (row.serverId) put(this.accessByServer, row.serverId, row);
        }
        break;
      case 'subscriptions':
        putP(this.subscriptionsByProduct, row);
        if (inc && row.userId) put(this.subscriptionsByUser, row.userId, row);
        break;
      case 'sessions':
        putP(this.sessionsByProduct, row);
        if (inc) {
          if (row.userId) put(this.sessionsByUser, row.userId, row);
          if (row.deviceId) put(this.sessionsByDevice, row.deviceId, row);
        }
        break;
      case 'sensors':
        putP(this.sensorsByProduct, row);
        if (inc && row.deviceId) put(this.sensorsByDevice, row.deviceId, row);
        break;
      case 'measurements':
        putP(this.measurementsByProduct, row);
        break;
      default:
        break;
    }
  }

  /** Rows of a small sheet in sheet order. */
  ordered<S extends SheetName>(sheet: S): RowOf[S][] {
    return [...this.tables[sheet].values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
