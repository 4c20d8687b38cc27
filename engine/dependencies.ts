// The dependency index: from a changed row to everything whose result it can change. An edit is
// examined twice, before and after it is applied, over the same neighbourhood; the units its source
// rows fed before and feed after are both re-evaluated, so moves (a VM to another host, a host into
// a cluster with mobility) are caught without a rule knowing about moves.

import type { AnyRow, Device, Installation } from './rows';
import type { SheetName } from './schema';
import type { Store } from './store/store';
import type { MemberList } from './metrics/rule';

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

/** Sheets whose rows configure many results at once rather than feed units. */
export const CONFIG_SHEETS: ReadonlySet<SheetName> = new Set(['entitlements', 'factors', 'tiers', 'modelCategories', 'hamCategories']);
