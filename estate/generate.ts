// Deterministic estate generator: a realistic `reckon-workbook/1` workbook of any size, for
// the demo workspace, tests and benchmarks. Pure: no IO, no clock, no Math.random; the same
// options always give byte-identical JSON.

import { POSITIONS } from './catalog';
import { injectBroken } from './broken';
import { buildDevices } from './devices';
import { stampLastSeen } from './discovery';
import { buildEntitlements, type Plan } from './entitlements';
import { Estimator } from './expect';
import { buildInstallations } from './installs';
import type { Estate } from './model';
import { AS_OF, FACTOR_ROWS, HAM_CATEGORY_ROWS, MODEL_CATEGORY_ROWS, TIER_ROWS } from './reference';
import { buildRights, people } from './rights';
import type { EstateOptions, Row, Workbook } from './types';
import { buildUsage } from './usage';
import { buildUsers } from './users';
import { idWidth, makeId } from './util';

export type { EstateOptions, Workbook, Row } from './types';

/** The browser demo workspace. */
export const DEMO: EstateOptions = { seed: 20261101, devices: 3000, installations: 25_000, entitlements: 300, users: 2000 };

/** The benchmark estate: 100k devices, exactly one million installations. */
export const LARGE: EstateOptions = { seed: 20261101, devices: 100_000, installations: 1_000_000, entitlements: 3000, users: 30_000 };

export interface Resolved {
  seed: number;
  devices: number;
  installations: number;
  entitlements: number;
  users: number;
  sensorDevices: number;
  brokenRefs: number;
}

export function resolveOptions(o: EstateOptions): Resolved {
  const scale = o.scale ?? 1;
  const n = (x: number): number => Math.max(0, Math.round(x * scale));
  const devices = n(o.devices);
  return {
    seed: Math.trunc(o.seed),
    devices,
    installations: n(o.installations),
    entitlements: n(o.entitlements),
    users: n(o.users),
    sensorDevices: o.sensorDevices !== undefined ? n(o.sensorDevices) : Math.max(20, Math.round(devices * 0.01)),
    brokenRefs: Math.max(0, Math.trunc(o.brokenRefs ?? 0)),
  };
}

export function generateEstate(options: EstateOptions): Workbook {
  return generateEstateWithPlan(options).workbook;
}

/** The workbook plus, per licence position, the consumption the generator planned for. */
export function generateEstateWithPlan(options: EstateOptions): { workbook: Workbook; plans: Plan[] } {
  const o = resolveOptions(options);
  const { users, usr, ids: userIds } = buildUsers(o.seed, o.users);
  const dv = buildDevices(o.seed, o.devices, usr, userIds);
  const ownersPool: number[] = [];
  for (let u = 0; u < o.users; u++) if (usr.active[u] && !usr.external[u]) ownersPool.push(u);
  const inst = buildInstallations(o.seed, o.installations, dv.dev, dv.ids, userIds, ownersPool);
  const e: Estate = {
    seed: o.seed, devices: dv.devices, dev: dv.dev, clusters: dv.clusters, clusterMobility: dv.clusterMobility,
    users, usr, installations: inst.installations, ins: inst.ins, byProduct: inst.byProduct,
    allocations: [], allocPosition: [], allocUser: [], allocType: [],
    subscriptions: [], subProduct: [], subActive: [],
    sessions: [], ses: { product: [], start: [], end: [], user: [], tokens: [], network: [] },
    access: [], accProduct: [], accUser: [], accDevice: [],
    sensors: [], sensorHourly: new Map(), sensorWeekly: new Map(),
    measurements: [], measProduct: [], measDay: [], measQuantity: [],
  };
  const ppl = people(e);
  buildRights(e, ppl, dv.ids, userIds);
  buildUsage(e, ppl, dv.ids, userIds, o.sensorDevices);

  const positions = POSITIONS.slice(0, Math.min(POSITIONS.length, o.entitlements));
  const estimator = new Estimator(e);
  const estimates = positions.map((p) => estimator.consumption(p));
  const ents = buildEntitlements(o.seed, o.entitlements, positions, estimates);

  // Allocations point at their position's first active entitlement; positions left out
  // (too few entitlement rows asked for) take their allocations with them.
  const allocations: Row[] = [];
  e.allocations.forEach((row, a) => {
    const target = ents.allocationTarget[e.allocPosition[a]];
    if (target === undefined) return;
    row.entitlementId = target;
    allocations.push(row);
  });

  const workbook: Workbook = {
    format: 'reckon-workbook/1',
    settings: { asOf: AS_OF, currency: 'USD', hamLicenseVersion: 5, hamSolutions: ['ham', 'tni'] },
    entitlements: ents.rows,
    devices: e.devices,
    installations: e.installations,
    users: e.users,
    clusters: e.clusters,
    allocations: withIds(allocations, 'al', 6),
    subscriptions: withIds(e.subscriptions, 'sb', 6),
    sessions: withIds(e.sessions, 'ss', 6),
    access: withIds(e.access, 'ac', 6),
    sensors: withIds(e.sensors, 'sn', 7),
    measurements: withIds(e.measurements, 'm', 4),
    factors: FACTOR_ROWS.map((r) => ({ ...r })),
    tiers: TIER_ROWS.map((r) => ({ ...r })),
    modelCategories: MODEL_CATEGORY_ROWS.map((r) => ({ ...r })),
    hamCategories: HAM_CATEGORY_ROWS.map((r) => ({ ...r })),
  };
  stampLastSeen(workbook.devices, o.seed);
  if (o.brokenRefs > 0) injectBroken(workbook, o.brokenRefs, o.seed);
  return { workbook, plans: ents.plans };
}

/** Activity rows are built before their count is known; ids are given once, in order. */
function withIds(rows: Row[], prefix: string, min: number): Row[] {
  const width = idWidth(rows.length, min);
  for (let i = 0; i < rows.length; i++) rows[i].id = makeId(prefix, i, width);
  return rows;
}
