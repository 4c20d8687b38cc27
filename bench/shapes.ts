// Estate shapes for the benchmarks: one million installations in different proportions, so a
// speed that holds for one estate is not mistaken for the product's speed (issue "Speed that holds
// on any estate"). A shape sets the proportions that decide where the engine spends its time:
// positions per product and entitlements per position, capacity metrics against install and user
// metrics, VMs per host and clusters, users per device, sessions and sensor check-ins, and how
// many installation texts are distinct. The `bench` shape is the estate/ generator's LARGE estate;
// the others come from `writeShape` below. Deterministic: a shape always gives the same bytes.

import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { Random } from '../estate/random';
import { Clock, dayNumber, makeId } from '../estate/util';

export interface Shape {
  readonly name: string;
  readonly what: string;
  readonly seed: number;
  readonly devices: number;
  readonly installations: number;
  /** Share of devices that are VMs; each VM sits on a physical server. */
  readonly vmShare: number;
  readonly vmsPerHost: number;
  /** Share of physical servers in clusters (of 8 hosts), and of clusters with live migration. */
  readonly clusteredShare: number;
  readonly mobilityShare: number;
  readonly products: number;
  /** Share of products with licence positions. */
  readonly licensedShare: number;
  /** Positions per licensed product: versioned, versionless, downgrade, edition- and company-scoped, product `*`. */
  readonly positionsPerProduct: number;
  readonly entitlementsPerPosition: number;
  /** Metric families of positions, as weights. */
  readonly metricMix: { readonly install: number; readonly capacity: number; readonly user: number; readonly usage: number };
  readonly users: number;
  /** Share of installations that name their user. */
  readonly userShare: number;
  readonly sessions: number;
  readonly sensors: number;
  /** Share of installation rows whose version text is new (build numbers, hot fixes). */
  readonly distinctTextShare: number;
}

export const SHAPES: readonly Shape[] = [
  {
    name: 'capacity', what: '3,000 positions, nearly all reading processor capacities; 40% VMs, 8 per host, clusters',
    seed: 11, devices: 100_000, installations: 1_000_000, vmShare: 0.4, vmsPerHost: 8, clusteredShare: 0.6, mobilityShare: 0.5,
    products: 1500, licensedShare: 1, positionsPerProduct: 2, entitlementsPerPosition: 1.5,
    metricMix: { install: 0.05, capacity: 0.9, user: 0.05, usage: 0 }, users: 30_000, userShare: 0.3,
    sessions: 50_000, sensors: 50_000, distinctTextShare: 0.02,
  },
  {
    name: 'overlap', what: '3,000 positions, 8 per product (versions, downgrade, editions, scopes, product *), 3 entitlements each',
    seed: 12, devices: 100_000, installations: 1_000_000, vmShare: 0.2, vmsPerHost: 4, clusteredShare: 0.3, mobilityShare: 0.3,
    products: 375, licensedShare: 1, positionsPerProduct: 8, entitlementsPerPosition: 3,
    metricMix: { install: 0.5, capacity: 0.2, user: 0.25, usage: 0.05 }, users: 30_000, userShare: 0.4,
    sessions: 100_000, sensors: 100_000, distinctTextShare: 0.05,
  },
  {
    name: 'dense', what: '50k devices with 20 installations each, 3 users per device, many sessions and check-ins, 30% distinct texts',
    seed: 13, devices: 50_000, installations: 1_000_000, vmShare: 0.1, vmsPerHost: 4, clusteredShare: 0.2, mobilityShare: 0.2,
    products: 4000, licensedShare: 0.25, positionsPerProduct: 2, entitlementsPerPosition: 1,
    metricMix: { install: 0.4, capacity: 0.2, user: 0.3, usage: 0.1 }, users: 150_000, userShare: 0.8,
    sessions: 400_000, sensors: 400_000, distinctTextShare: 0.3,
  },
];

export function shapeNamed(name: string): Shape {
  const s = SHAPES.find((x) => x.name === name);
  if (!s) throw new Error(`no estate shape ${name} (shapes: bench, ${SHAPES.map((x) => x.name).join(', ')})`);
  return s;
}

const AS_OF = '2026-11-01';
const INSTALL = ['per_device', 'per_instance', 'per_copy_per_device', 'per_server'];
const CAPACITY = ['per_core', 'oracle_processor', 'pvu', 'per_core_cal', 'socket_pair', 'vpc', 'per_cpu_sum', 'per_processor', 'vmware_per_processor', 'per_core_multiplier'];
const USER = ['per_user', 'named_user', 'oracle_nup', 'per_user_device', 'user_cal', 'device_cal'];
const USAGE = ['floating', 'concurrent_user', 'token', 'sensor_subscription'];
const PUBLISHERS = ['Microsoft', 'Oracle', 'IBM', 'Adobe', 'SAP', 'VMware', 'Citrix', 'Red Hat', 'Autodesk', 'BMC', 'Quest', 'JetBrains', 'Salesforce', 'TechSmith', 'Corel'];
const COMPANIES = ['Acme EU', 'Acme US', 'Acme APAC'];
const VERSIONS = ['2016', '2019', '2021', '2024'];
const EDITIONS = ['Standard', 'Enterprise'];

type Row = Record<string, string | number | boolean>;

/** The rows of one sheet, made one at a time (a million rows never sit in memory as objects). */
type Rows = () => Iterable<Row>;

interface Product { publisher: string; product: string }

/** Writes a shape as a `reckon-workbook/1` JSON file, one row per line; resolves to its size in bytes. */
export async function writeShape(shape: Shape, file: string): Promise<number> {
  const sheets = buildShape(shape);
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let bytes = 0, buffer = '';
  const write = async (text: string, force = false): Promise<void> => {
    buffer += text;
    if (buffer.length < 1 << 20 && !force) return;
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  await write(`{"format":"reckon-workbook/1",\n"settings":${JSON.stringify({ asOf: AS_OF, currency: 'USD' })}`);
  for (const [sheet, rows] of Object.entries(sheets)) {
    await write(`,\n${JSON.stringify(sheet)}:[`);
    let first = true;
    for (const row of rows()) {
      await write((first ? '\n' : ',\n') + JSON.stringify(row));
      first = false;
    }
    await write(first ? ']' : '\n]');
  }
  await write('}\n', true);
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** Every sheet of the shape, in the interchange file's order. */
export function buildShape(s: Shape): Record<string, Rows> {
  const rnd = (stream: string) => new Random(s.seed, stream);
  const products: Product[] = [];
  for (let k = 0; k < s.products; k++) products.push({ publisher: PUBLISHERS[k % PUBLISHERS.length], product: `Product ${makeId('', k, 4)}` });
  // Devices: physical servers first (VMs point at them), then VMs, then endpoints.
  const vms = Math.round(s.devices * s.vmShare);
  const hosts = Math.max(1, Math.ceil(vms / s.vmsPerHost));
  const servers = Math.max(hosts, Math.round(s.devices * 0.05));
  const clusteredHosts = Math.round(hosts * s.clusteredShare);
  const clusters = Math.ceil(clusteredHosts / 8);
  const deviceId = (d: number) => makeId('d', d, 6);
  const userId = (u: number) => makeId('u', u, 6);

  const devices: Rows = function* () {
    const r = rnd('devices');
    for (let d = 0; d < s.devices; d++) {
      const row: Row = { id: deviceId(d), name: `HOST-${makeId('', d, 6)}`, company: COMPANIES[r.int(COMPANIES.length)] };
      if (d < servers) {
        const cpus = 1 + r.int(4);
        Object.assign(row, { modelCategory: d < clusteredHosts ? 'ESX Server' : 'Server', cpus, cores: cpus * (4 + 4 * r.int(8)), processorManufacturer: r.next() < 0.7 ? 'Intel' : 'AMD' });
        if (d < clusteredHosts) row.cluster = makeId('c', Math.floor(d / 8), 4);
      } else if (d < servers + vms) {
        Object.assign(row, { modelCategory: 'Server', virtual: true, hostId: deviceId((d - servers) % hosts), vcpus: 2 + 2 * r.int(8) });
      } else {
        Object.assign(row, { modelCategory: 'Computer', cpus: 1, cores: 4 + 2 * r.int(4), ownerId: userId(r.int(s.users)) });
      }
      yield row;
    }
  };

  // Installations: grouped by device as inventory exports are; servers and VMs carry the
  // capacity-licensed products (the first half of the catalogue), endpoints the rest.
  const perDevice = s.installations / s.devices;
  const installations: Rows = function* () {
    const r = rnd('installations');
    let n = 0;
    for (let d = 0; d < s.devices && n < s.installations; d++) {
      const left = s.installations - n;
      const count = d === s.devices - 1 ? left : Math.min(left, Math.max(0, Math.round(perDevice * (0.5 + r.next()))));
      for (let k = 0; k < count; k++, n++) {
        const half = Math.floor(products.length / 2);
        const p = d < servers + vms ? products[r.int(Math.max(1, half))] : products[half + r.int(products.length - half)];
        const version = r.next() < s.distinctTextShare ? `${VERSIONS[r.int(4)]}.${r.int(100000)}` : VERSIONS[r.int(4)];
        const row: Row = { id: makeId('i', n, 7), deviceId: deviceId(d), publisher: p.publisher, product: p.product, version };
        if (r.next() < 0.3) row.edition = EDITIONS[r.int(2)];
        if (r.next() < s.userShare) row.userId = userId(r.int(s.users));
        yield row;
      }
    }
  };

  const metricOf = (r: Random): string => {
    const m = s.metricMix, x = r.next() * (m.install + m.capacity + m.user + m.usage);
    const pick = (list: string[]) => list[r.int(list.length)];
    if (x < m.install) return pick(INSTALL);
    if (x < m.install + m.capacity) return pick(CAPACITY);
    if (x < m.install + m.capacity + m.user) return pick(USER);
    return pick(USAGE);
  };

  // Positions of a product vary by the fields that make them overlap (metrics.md, "Overlapping positions").
  const entitlements: Rows = function* () {
    const r = rnd('entitlements');
    let n = 0;
    for (let k = 0; k < products.length; k++) {
      // Licensed products are spread over the catalogue (servers' half and endpoints' half alike).
      if (Math.floor((k + 1) * s.licensedShare) === Math.floor(k * s.licensedShare)) continue;
      const p = products[k];
      const metric = metricOf(r);
      for (let v = 0; v < s.positionsPerProduct; v++) {
        const variant: Row = {};
        if (v % 8 === 1) variant.version = VERSIONS[2];
        if (v % 8 === 2) Object.assign(variant, { version: VERSIONS[3], downgrade: true });
        if (v % 8 === 3) variant.edition = EDITIONS[1];
        if (v % 8 === 4) variant.company = COMPANIES[0];
        if (v % 8 === 5) Object.assign(variant, { version: VERSIONS[1], edition: EDITIONS[0] });
        if (v % 8 === 6) variant.company = COMPANIES[1];
        const product = v % 8 === 7 ? '*' : p.product;
        const count = Math.max(1, Math.round(s.entitlementsPerPosition * (0.5 + r.next())));
        for (let e = 0; e < count; e++) {
          yield {
            id: makeId('e', n++, 5), publisher: p.publisher, product, metric, ...variant,
            quantity: 10 + r.int(2000), unitCost: 50 + r.int(5000), ...(metric === 'per_core' ? { minCoresPerProcessor: 8, minCoresPerServer: 16 } : {}),
          };
        }
      }
    }
  };

  const users: Rows = function* () {
    const r = rnd('users');
    for (let u = 0; u < s.users; u++) {
      yield { id: userId(u), name: `User ${u}`, company: COMPANIES[r.int(3)], employeeType: r.next() < 0.9 ? 'employee' : 'external', active: r.next() < 0.95 };
    }
  };
  const clusterRows: Rows = function* () {
    const r = rnd('clusters');
    for (let c = 0; c < clusters; c++) yield { id: makeId('c', c, 4), name: `Cluster ${c}`, mobility: r.next() < s.mobilityShare };
  };
  const clock = new Clock(dayNumber(AS_OF) - 90, 90);
  const sessions: Rows = function* () {
    const r = rnd('sessions');
    for (let k = 0; k < s.sessions; k++) {
      const p = products[r.int(products.length)], start = r.int(89 * 1440);
      yield { id: makeId('ss', k, 6), publisher: p.publisher, product: p.product, userId: userId(r.int(s.users)), start: clock.at(start), end: clock.at(start + 30 + r.int(600)) };
    }
  };
  const access: Rows = function* () {
    const r = rnd('access');
    for (let k = 0; k < s.users; k++) {
      const p = products[r.int(products.length)];
      yield { id: makeId('ac', k, 6), publisher: p.publisher, product: p.product, serverId: deviceId(r.int(servers)), userId: userId(r.int(s.users)) };
    }
  };
  const sensors: Rows = function* () {
    const r = rnd('sensors');
    for (let k = 0; k < s.sensors; k++) {
      const p = products[r.int(products.length)];
      yield { id: makeId('sn', k, 7), deviceId: deviceId(r.int(s.devices)), publisher: p.publisher, product: p.product, seenAt: clock.at(r.int(89 * 1440)) };
    }
  };
  const factors: Rows = function* () {
    yield { id: 'f1', kind: 'core_factor', processorManufacturer: 'Intel', value: 0.5 };
    yield { id: 'f2', kind: 'core_factor', processorManufacturer: 'AMD', value: 0.5 };
    yield { id: 'f3', kind: 'pvu', processorManufacturer: 'Intel', value: 70 };
  };
  const none: Rows = function* () {};
  return {
    entitlements, devices, installations, users, clusters: clusterRows, allocations: none, subscriptions: none,
    sessions, access, sensors, measurements: none, factors, tiers: none, modelCategories: none, hamCategories: none,
  };
}
