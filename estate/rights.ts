// Who holds what: allocations (incl. SAP user types and FUE classes), SaaS subscriptions
// (with leavers still allocated and unallocated usage) and client-access records.

import { PI, POS, PRODUCTS, type ProductKey } from './catalog';
import { Random } from './random';
import { Kind, Os, Role, Status, type Estate } from './model';
import { CONTOSO } from './reference';
import type { Row } from './types';

/** Users drawn independently with probability p from a pool, in order. */
function sample(rng: Random, pool: readonly number[], p: number): number[] {
  const out: number[] = [];
  for (const u of pool) if (rng.next() < p) out.push(u);
  return out;
}

export interface People {
  /** Active, not external: they hold licences and own devices. */
  employees: number[];
  inactive: number[];
  analysts: number[];
  /** First owned in-use endpoint of each user, else -1. */
  device: Int32Array;
}

export function people(e: Estate): People {
  const { usr, dev } = e;
  const employees: number[] = [];
  const inactive: number[] = [];
  const analysts: number[] = [];
  for (let u = 0; u < usr.active.length; u++) {
    if (!usr.active[u]) inactive.push(u);
    else if (!usr.external[u]) employees.push(u);
    if (usr.active[u] && usr.role[u] === 1) analysts.push(u);
  }
  const device = new Int32Array(usr.active.length).fill(-1);
  for (let d = 0; d < dev.kind.length; d++) {
    const o = dev.owner[d];
    const k = dev.kind[d];
    if (o >= 0 && device[o] < 0 && dev.status[d] === Status.InUse && (k === Kind.Desktop || k === Kind.Laptop)) device[o] = d;
  }
  return { employees, inactive, analysts, device };
}

export function buildRights(e: Estate, ppl: People, deviceIds: readonly string[], userIds: readonly string[]): void {
  const rng = new Random(e.seed, 'rights');
  const { employees, inactive, analysts } = ppl;

  const allocate = (position: string, u: number, userType: string | null = null, device = -1): void => {
    const row: Row = { id: '', entitlementId: null };
    if (u >= 0) row.userId = userIds[u];
    if (device >= 0) row.deviceId = deviceIds[device];
    if (userType) row.userType = userType;
    e.allocations.push(row);
    e.allocPosition.push(POS[position]);
    e.allocUser.push(u);
    e.allocType.push(userType);
  };
  const subscribe = (key: ProductKey, u: number, active: boolean): void => {
    const def = PRODUCTS[PI[key]];
    const row: Row = { id: '', publisher: def.publisher, product: def.product };
    if (u >= 0) row.userId = userIds[u];
    if (!active) row.active = false;
    e.subscriptions.push(row);
    e.subProduct.push(PI[key]);
    e.subActive.push(active);
  };

  // Microsoft 365: most staff on E3, some on E5; leavers' licences are often not reclaimed.
  for (const u of employees) {
    const x = rng.next();
    const plan = x < 0.08 ? 'm365e5' : x < 0.88 ? 'm365e3' : null;
    if (plan) {
      allocate(plan, u);
      if (rng.chance(0.96)) subscribe(plan, u, true);
    } else if (rng.chance(0.15)) subscribe('m365e3', u, true);
  }
  for (const u of inactive) {
    if (rng.chance(0.3)) {
      allocate('m365e3', u);
      if (rng.chance(0.5)) subscribe('m365e3', u, false);
    }
  }
  // Shared mailboxes: in use, no person.
  for (let n = Math.max(3, Math.round(employees.length * 0.002)); n > 0; n--) subscribe('m365e3', -1, true);

  for (const u of sample(rng, employees, 0.025)) {
    allocate('creative', u);
    if (rng.chance(0.95)) subscribe('creative', u, true);
  }
  for (const u of sample(rng, employees, 0.002)) subscribe('creative', u, true);
  for (const u of sample(rng, employees, 0.04)) {
    allocate('salesCloud', u);
    subscribe('salesCloud', u, rng.chance(0.97));
  }
  for (const u of sample(rng, employees, 0.3)) subscribe('zoom', u, rng.chance(0.98));

  for (const u of sample(rng, employees, 0.04)) allocate('horizon', u);
  for (const u of sample(rng, employees, 0.01)) allocate('cognos', u);
  const contosoStaff = employees.filter((u) => e.usr.company[u] === CONTOSO);
  for (const u of sample(rng, contosoStaff, 0.005)) allocate('doors', u);

  // SAP named users: the user type must match the licence's; a few are miscategorised.
  for (const u of sample(rng, employees, 0.03)) allocate('sapPro', u, rng.chance(0.03) ? 'Developer' : 'Professional');
  for (const u of sample(rng, employees, 0.05)) allocate('sapFun', u, 'Functional');
  for (const u of sample(rng, employees, 0.15)) allocate('sapProd', u, 'Productivity');
  // FUE: a user counts once, at the highest class allocated.
  for (const u of sample(rng, employees, 0.06)) {
    const x = rng.next();
    const cls = x < 0.15 ? 'advanced' : x < 0.5 ? 'core' : 'self-service';
    allocate('sapCloud', u, cls);
    if (rng.chance(0.1)) allocate('sapCloud', u, cls === 'advanced' ? 'self-service' : 'advanced');
  }
  for (const u of sample(rng, analysts, 0.6)) allocate('remedyFixed', u);

  // Device allocations: Visio Professional is assigned to the machines that carry it.
  const visio = PI.visio;
  for (let j = e.byProduct.offsets[visio]; j < e.byProduct.offsets[visio + 1]; j++) {
    const i = e.byProduct.items[j];
    if (e.ins.edition[i] === 1 && rng.chance(0.5)) allocate('visio', -1, null, e.ins.device[i]);
  }

  buildAccess(e, rng, ppl, deviceIds, userIds);
}

function buildAccess(e: Estate, rng: Random, ppl: People, deviceIds: readonly string[], userIds: readonly string[]): void {
  const { dev, usr } = e;
  const servers = (pred: (d: number) => boolean): number[] => {
    const out: number[] = [];
    for (let d = 0; d < dev.kind.length; d++) if (dev.status[d] === Status.InUse && pred(d)) out.push(d);
    return out;
  };
  const add = (key: ProductKey, server: number, u: number, d: number): void => {
    const def = PRODUCTS[PI[key]];
    const row: Row = { id: '', publisher: def.publisher, product: def.product, serverId: deviceIds[server] };
    if (u >= 0) row.userId = userIds[u];
    if (d >= 0) row.deviceId = deviceIds[d];
    e.access.push(row);
    e.accProduct.push(PI[key]);
    e.accUser.push(u);
    e.accDevice.push(d);
  };
  const activeUsers: number[] = [];
  for (let u = 0; u < usr.active.length; u++) if (usr.active[u]) activeUsers.push(u);

  // Windows Server CALs: people through user CALs, shop-floor machines through device CALs.
  const windows = servers((d) => dev.os[d] === Os.Windows && (dev.kind[d] === Kind.Vm || dev.kind[d] === Kind.Windows));
  if (windows.length > 0) {
    for (const u of sample(rng, ppl.employees, 0.6)) {
      add('winsrv', windows[rng.int(windows.length)], u, -1);
      if (rng.chance(0.3)) add('winsrv', windows[rng.int(windows.length)], u, -1);
    }
    for (let d = 0; d < dev.kind.length; d++) {
      const k = dev.kind[d];
      if (dev.status[d] === Status.InUse && (k === Kind.Thin || k === Kind.Kiosk || k === Kind.Hmi)) add('winsrv', windows[rng.int(windows.length)], -1, d);
    }
  }
  const byRole = (role: number): number[] => servers((d) => dev.role[d] === role);
  const cognos = byRole(Role.Cognos);
  if (cognos.length > 0) for (const u of sample(rng, activeUsers, 0.08)) add('cognos', cognos[rng.int(cognos.length)], u, -1);
  const doors = byRole(Role.Doors);
  if (doors.length > 0) {
    const contoso = activeUsers.filter((u) => usr.company[u] === CONTOSO);
    for (const u of sample(rng, contoso, 0.01)) add('doors', doors[0], u, -1);
  }
  const se2 = byRole(Role.OracleSe);
  if (se2.length > 0) for (const u of sample(rng, ppl.employees, 0.02)) add('orase2', se2[rng.int(se2.length)], u, -1);
  // Aria Operations monitors operating-system instances: the VMs and physical servers it watches.
  const aria = byRole(Role.Aria);
  if (aria.length > 0) {
    for (let d = 0; d < dev.kind.length; d++) {
      const k = dev.kind[d];
      if (dev.status[d] !== Status.InUse) continue;
      if ((k === Kind.Vm && rng.chance(0.4)) || ((k === Kind.Linux || k === Kind.Windows) && rng.chance(0.2))) add('aria', aria[0], -1, d);
    }
  }
  // Citrix: users reaching published desktops from their own machine, from an unknown one, or kiosks.
  const citrix = byRole(Role.CitrixSrv);
  if (citrix.length > 0) {
    for (const u of sample(rng, ppl.employees, 0.05)) {
      const d = rng.chance(0.7) ? ppl.device[u] : -1;
      add('cvad', citrix[rng.int(citrix.length)], u, d);
    }
    for (let d = 0; d < dev.kind.length; d++) {
      if (dev.kind[d] === Kind.Kiosk && dev.status[d] === Status.InUse) add('cvad', citrix[0], -1, d);
    }
  }
}
