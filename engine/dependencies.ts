// The dependency index: from a changed row to everything whose result it can change. An edit is
// examined twice, before and after it is applied, over the same neighbourhood; the units its source
// rows fed before and feed after are both re-evaluated, so moves (a VM to another host, a host into
// a cluster with mobility) are caught without a rule knowing about moves.

import type { AnyRow, Device, Installation } from './rows';
import type { SheetName } from './schema';
import type { Store } from './store/store';
import type { MemberList, MetricRule } from './metrics/rule';
import { METRICS } from './metrics/catalog';

/** What an edit can touch: source rows (by member list), assets for HAM, and clusters. */
export class Near {
  readonly rows = new Map<MemberList, Set<unknown>>();
  readonly devices = new Set<Device>();
  readonly clusters = new Set<string>();

  add(list: MemberList, row: unknown): void {
    let set = this.rows.get(list);
    if (!set) this.rows.set(list, (set = new Set()));
    set.add(row);
  }

  addAll(list: MemberList, rows: Iterable<unknown>): void {
    for (const r of rows) this.add(list, r);
  }
}

/** Installations on a device and on the VMs it hosts: everything its host unit is made of. */
function aroundHost(store: Store, idN: string, near: Near): void {
  near.addAll('inst', store.installsByDevice.get(idN));
  for (const vm of store.vmsByHost.get(idN)) near.addAll('inst', store.installsByDevice.get(vm.idN) as Iterable<Installation>);
}

/** Gathers the neighbourhood of one version of a row into `near`. */
export function collect(store: Store, row: AnyRow, near: Near): void {
  const id = row.idN;
  switch (row.sheet) {
    case 'installations': near.add('inst', row); return;
    case 'allocations': near.add('alloc', row); return;
    case 'access': near.add('access', row); return;
    case 'subscriptions': near.add('subs', row); return;
    case 'sessions': near.add('sessions', row); return;
    case 'sensors': near.add('sensors', row); return;
    case 'measurements': near.add('measurements', row); return;
    case 'devices':
      near.devices.add(row);
      if (row.cluster !== '') near.clusters.add(row.cluster);
      if (id === '') return;
      aroundHost(store, id, near);
      near.addAll('access', store.accessByDevice.get(id));
      near.addAll('sessions', store.sessionsByDevice.get(id));
      near.addAll('sensors', store.sensorsByDevice.get(id));
      return;
    case 'users':
      near.add('users', row);
      if (id === '') return;
      near.addAll('inst', store.installsByUser.get(id));
      for (const d of store.devicesByOwner.get(id)) near.addAll('inst', store.installsByDevice.get(d.idN));
      near.addAll('alloc', store.allocationsByUser.get(id));
      near.addAll('access', store.accessByUser.get(id));
      near.addAll('subs', store.subscriptionsByUser.get(id));
      near.addAll('sessions', store.sessionsByUser.get(id));
      return;
    case 'clusters':
      if (id === '') return;
      near.clusters.add(id);
      for (const h of store.devicesByCluster.get(id)) aroundHost(store, h.idN, near);
      return;
    default:
      // entitlements, factors, tiers and the HAM sheets change whole positions or configurations.
      return;
  }
}

export type RuleFilter = (r: MetricRule) => boolean;
const none: RuleFilter = () => false;
const PROCESSOR = new Set(METRICS.filter((m) => m.family === 'processor').map((m) => m.id));
const readsCapacity: RuleFilter = (r) => PROCESSOR.has(r.id) || r.id === 'oracle_nup';
const readsClusters: RuleFilter = (r) => r.id === 'oracle_processor' || r.id === 'oracle_nup' || r.id === 'per_core_cal';
/** Rules that resolve host(d) (and so read a device's virtual flag and hostId). */
const readsHosts: RuleFilter = (r) => readsCapacity(r) || r.id === 'per_server';
/** Rules that count the users of installations (the device owner stands in for a missing userId). */
const readsOwners: RuleFilter = (r) => r.install !== undefined && (r.scope === 'user' || r.scope === 'both');
const only = (...ids: string[]): RuleFilter => (r) => ids.includes(r.id);

/**
 * Columns that only some rules read. An edit that changes only such columns re-evaluates only the
 * positions of those rules; any other column (ids, status, scope, hosts…) can touch every rule.
 * HAM and unlicensed are re-examined for every edit regardless (they are cheap per row).
 */
const NARROW: Partial<Record<SheetName, Record<string, RuleFilter>>> = {
  devices: {
    name: none, ot: none, lastSeen: none,
    cpus: readsCapacity, cores: readsCapacity, vcpus: readsCapacity, hyperthreading: readsCapacity, cloud: readsCapacity,
    processorManufacturer: readsCapacity, processorType: readsCapacity, processorModel: readsCapacity,
    processorFamily: readsCapacity, maxClockSpeed: readsCapacity,
    cluster: readsClusters, modelCategory: only('per_core_cal'), environment: only('asm_site'),
    hardwareManufacturer: only('per_server'), hardwareModel: only('per_server'), ipAddress: only('per_osi'),
    ownerId: readsOwners, hostId: readsHosts, virtual: (r) => readsHosts(r) || r.id === 'per_processor',
  },
  users: { name: none, employeeType: (r) => r.user !== undefined, role: only('asm_analyst', 'asm_concurrent') },
  clusters: { name: none, mobility: only('oracle_processor', 'oracle_nup') },
};

/** Fields of a typed row that are not read from its cells: resolved references, scratch marks. */
const NOT_CELLS = new Set(['problems', 'key', 'sheet', 'seen', 'device', 'user']);

/**
 * Which rules an edit of a row can touch: null for all. Compares the typed row before and after,
 * column by column, so an edit that changes one capacity figure reaches only processor rules.
 */
export function rulesTouched(sheet: SheetName, before: AnyRow, after: AnyRow): RuleFilter | null {
  const narrow = NARROW[sheet];
  if (!narrow) return null;
  const filters: RuleFilter[] = [];
  const b = before as unknown as Record<string, unknown>, a = after as unknown as Record<string, unknown>;
  for (const field of Object.keys(a)) {
    if (NOT_CELLS.has(field) || b[field] === a[field]) continue;
    const column = field === 'modelCategoryName' ? 'modelCategory' : field;
    const filter = narrow[column];
    if (!filter) return null;
    filters.push(filter);
  }
  return (r) => filters.some((f) => f(r));
}

/** Sheets whose rows configure many results at once rather than feed units. */
export const CONFIG_SHEETS: ReadonlySet<SheetName> = new Set(['entitlements', 'factors', 'tiers', 'modelCategories', 'hamCategories']);
