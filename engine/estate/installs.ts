// Installations: a software profile per device kind and workload (Office, Acrobat and the
// security sensor on nearly every endpoint, databases on a few servers), then a skewed long
// tail of tools until the requested total is reached exactly.

import { PI, PRODUCTS, type ProductKey } from './catalog';
import { Random, cumulative } from './random';
import { Kind, Os, Role, Status, type DeviceColumns, type InstallColumns } from './model';
import { CONTOSO, FABRIKAM, SITE_DETROIT } from './reference';
import type { Row } from './types';
import { idWidth, makeId } from './util';

/** Growable columns of (device, product, version, edition, user). */
class Buffer {
  dev = new Int32Array(1024);
  prod = new Uint16Array(1024);
  ver = new Uint8Array(1024);
  ed = new Uint8Array(1024);
  user = new Int32Array(1024);
  n = 0;

  push(d: number, p: number, v: number, e: number, u: number): void {
    if (this.n === this.dev.length) this.grow();
    const i = this.n++;
    this.dev[i] = d;
    this.prod[i] = p;
    this.ver[i] = v;
    this.ed[i] = e;
    this.user[i] = u;
  }

  private grow(): void {
    const size = this.dev.length * 2;
    const dev = new Int32Array(size); dev.set(this.dev); this.dev = dev;
    const prod = new Uint16Array(size); prod.set(this.prod); this.prod = prod;
    const ver = new Uint8Array(size); ver.set(this.ver); this.ver = ver;
    const ed = new Uint8Array(size); ed.set(this.ed); this.ed = ed;
    const user = new Int32Array(size); user.set(this.user); this.user = user;
  }
}

const VERSION_CUM = PRODUCTS.map((p) => (p.versions ? cumulative(p.versionWeights ?? p.versions.map(() => 1)) : null));
const EDITION_CUM = PRODUCTS.map((p) => (p.editions ? cumulative(p.editionWeights ?? p.editions.map(() => 1)) : null));

/** Per-user products only go on devices with an owner, so every such install has a person. */
type TailEntry = readonly [key: ProductKey, weight: number, owned?: boolean];
const ENDPOINT_TAIL: readonly TailEntry[] = [
  ['notepadpp', 10], ['vlc', 8], ['vscode', 8], ['sevenZip', 6], ['git', 6], ['putty', 5], ['python', 5],
  ['keepass', 4], ['firefox', 4], ['filezilla', 3], ['paintnet', 3], ['greenshot', 3], ['postman', 3], ['winzip', 3],
  ['gimp', 2], ['wireshark', 2], ['winrar', 2], ['teamviewer', 2], ['snagit', 2, true], ['docker', 1.5],
  ['vs', 1.5, true], ['intellij', 1.2, true], ['nitro', 1], ['minitab', 0.8], ['spss', 0.8, true],
  ['camtasia', 0.6, true], ['tableau', 0.5, true], ['chrome', 1],
];
const SERVER_TAIL: readonly TailEntry[] = [
  ['python', 6], ['sevenZip', 5], ['notepadpp', 5], ['perl', 4], ['java', 4], ['git', 3], ['putty', 2],
  ['wireshark', 2], ['tomcat', 2], ['apache', 2],
];
const ENDPOINT_TAIL_CUM = cumulative(ENDPOINT_TAIL.map((t) => t[1]));
const SERVER_TAIL_CUM = cumulative(SERVER_TAIL.map((t) => t[1]));

class Profiler {
  readonly buf = new Buffer();
  private alembaSeen = 0;
  constructor(private readonly rng: Random, private readonly dev: DeviceColumns, private readonly ownersPool: readonly number[]) {}

  /** Adds product `key` on device d; edition -1 = drawn from the product's editions. */
  add(d: number, key: ProductKey, edition = -1): void {
    const p = PI[key];
    const vc = VERSION_CUM[p];
    const ec = EDITION_CUM[p];
    const v = vc ? 1 + this.rng.weighted(vc) : 0;
    const e = edition >= 0 ? edition + 1 : ec ? 1 + this.rng.weighted(ec) : 0;
    this.buf.push(d, p, v, e, this.userFor(d));
  }

  maybe(d: number, key: ProductKey, p: number): void {
    if (this.rng.next() < p) this.add(d, key);
  }

  /** An explicit userId on some installs of owned devices (the login seen by discovery). */
  userFor(d: number): number {
    const owner = this.dev.owner[d];
    if (owner < 0 || this.dev.status[d] !== Status.InUse) return -1;
    const x = this.rng.next();
    return x < 0.1 ? owner : x < 0.11 && this.ownersPool.length > 0 ? this.ownersPool[this.rng.int(this.ownersPool.length)] : -1;
  }

  device(d: number): void {
    const k = this.dev.kind[d];
    if (k === Kind.Desktop || k === Kind.Laptop) this.endpoint(d);
    else if (k === Kind.Thin) { this.add(d, 'cvad'); this.maybe(d, 'falcon', 0.9); this.maybe(d, 'clientMgmt', 0.5); }
    else if (k === Kind.Host) this.add(d, this.rng.chance(0.95) ? 'vsphere' : 'vsphereStd');
    else if (k === Kind.Vm || k === Kind.Cloud || k === Kind.Linux || k === Kind.Windows || k === Kind.Aix || k === Kind.Solaris) this.server(d);
    else if (k === Kind.Hmi) this.maybe(d, 'falcon', 0.3);
  }

  private endpoint(d: number): void {
    const owned = this.dev.owner[d] >= 0;
    const company = this.dev.company[d];
    const contoso = company === CONTOSO;
    this.add(d, 'win11');
    this.maybe(d, 'office', 0.9);
    this.maybe(d, 'visio', 0.07);
    if (owned) this.maybe(d, 'project', 0.04);
    this.maybe(d, 'reader', 0.75);
    this.maybe(d, 'acroPro', 0.18);
    if (owned) this.maybe(d, 'acroStd', 0.1);
    this.maybe(d, 'chrome', 0.9);
    this.maybe(d, 'falcon', 0.96);
    this.maybe(d, 'java', 0.35);
    this.maybe(d, 'zoom', 0.45);
    if (this.rng.chance(0.6)) {
      this.add(d, 'clientMgmt');
      // A leftover older agent next to the current one: the per-copy licence is breached.
      this.maybe(d, 'clientMgmt', 0.004);
    }
    if (owned) this.maybe(d, 'horizon', 0.12);
    this.maybe(d, 'cvad', 0.08);
    this.maybe(d, 'autocad', contoso ? 0.12 : 0.01);
    this.maybe(d, 'revit', contoso ? 0.04 : 0.002);
    this.maybe(d, 'matlab', contoso || company === FABRIKAM ? 0.04 : 0.01);
    if (contoso) this.maybe(d, 'solidworks', 0.05);
    this.maybe(d, 'pcomm', company === FABRIKAM ? 0.3 : 0.03);
    if (contoso) this.maybe(d, 'doors', 0.02);
    this.maybe(d, 'sapGui', 0.15);
    this.maybe(d, 'toad', 0.01);
    if (this.dev.site[d] === SITE_DETROIT) this.maybe(d, 'trackit', 0.05);
  }

  private server(d: number): void {
    const { dev } = this;
    const k = dev.kind[d];
    const os = dev.os[d];
    if (os === Os.Windows) this.add(d, 'winsrv', k === Kind.Windows ? 1 : 0);
    else if (os === Os.Linux) this.add(d, this.rng.chance(k === Kind.Cloud ? 0.6 : 0.85) ? 'rhel' : 'ubuntu');
    if (os === Os.Windows || os === Os.Linux) this.maybe(d, 'falcon', 0.9);
    this.maybe(d, 'bladelogic', 0.35);
    this.maybe(d, 'truesight', 0.25);
    this.maybe(d, 'discovery', 0.2);
    this.maybe(d, 'capacity', 0.08);
    this.maybe(d, 'helixOps', 0.1);
    if (k === Kind.Vm) this.maybe(d, 'patrolVirt', 0.06);
    this.maybe(d, 'controlM', 0.04);
    this.maybe(d, 'tivoli', 0.12);
    switch (dev.role[d]) {
      case Role.Sql: this.add(d, 'sql', this.rng.chance(0.35) ? 0 : 1); this.maybe(d, 'patrolDb', 0.7); this.maybe(d, 'spotlight', 0.1); break;
      case Role.Oracle: this.add(d, 'oradb'); this.maybe(d, 'patrolDb', 0.7); break;
      case Role.OracleSe: this.add(d, 'orase2'); this.maybe(d, 'patrolDb', 0.5); break;
      case Role.Db2: this.add(d, 'db2'); this.maybe(d, 'patrolDb', 0.5); break;
      case Role.Was: this.add(d, 'was'); break;
      case Role.WebLogic: this.add(d, 'weblogic'); break;
      case Role.OpenShift: this.add(d, 'openshift'); break;
      case Role.Hypervisor: this.add(d, 'hypervisor'); break;
      case Role.CitrixSrv: this.add(d, 'cvad'); break;
      case Role.Exchange: this.add(d, 'exchange'); break;
      case Role.SharePoint: this.add(d, 'sharepoint'); this.add(d, 'sql', 1); break;
      case Role.VCenter: this.add(d, 'vcenter'); break;
      case Role.Cognos: this.add(d, 'cognos'); break;
      case Role.Bmc: this.add(d, 'controlMem'); this.add(d, 'remedy'); break;
      case Role.Aria: this.add(d, 'aria'); break;
      case Role.Doors: this.add(d, 'doors'); break;
      case Role.Web: this.maybe(d, 'apache', os === Os.Linux ? 0.7 : 0); break;
      case Role.App: this.maybe(d, 'tomcat', os === Os.Linux ? 0.6 : 0.1); break;
      case Role.Alemba: this.alemba(d); break;
      default: break;
    }
  }

  /** The service desk and its connectors (three distinct paid connectors, three free ones). */
  private alemba(d: number): void {
    this.add(d, 'asm');
    const n = this.alembaSeen++;
    const connectors: readonly ProductKey[] = n === 0 ? ['asmTeams', 'asmEntra', 'asmSccm', 'asmServiceNow', 'asmJira']
      : n === 1 ? ['asmSalesforce', 'asmEntra'] : ['asmServiceNow'];
    for (const c of connectors) this.add(d, c);
  }

  tail(d: number, server: boolean): void {
    const entry = server ? SERVER_TAIL[this.rng.weighted(SERVER_TAIL_CUM)] : ENDPOINT_TAIL[this.rng.weighted(ENDPOINT_TAIL_CUM)];
    this.add(d, entry[2] && this.dev.owner[d] < 0 ? 'notepadpp' : entry[0]);
  }
}

export interface InstallResult { installations: Row[]; ins: InstallColumns; byProduct: { offsets: Int32Array; items: Int32Array } }

export function buildInstallations(seed: number, budget: number, dev: DeviceColumns, deviceIds: readonly string[],
  userIds: readonly string[], ownersPool: readonly number[]): InstallResult {
  const rng = new Random(seed, 'installations');
  const count = dev.kind.length;
  const core = new Profiler(rng, dev, ownersPool);
  for (let d = 0; d < count; d++) core.device(d);
  const buf = core.buf;

  // Too many core installs for the budget: keep a uniform sample, in order (selection sampling).
  const keep = new Uint8Array(buf.n);
  if (buf.n <= budget) keep.fill(1);
  else {
    let need = budget;
    for (let i = 0; i < buf.n && need > 0; i++) {
      if (rng.next() * (buf.n - i) < need) { keep[i] = 1; need--; }
    }
  }
  const kept = Math.min(buf.n, budget);

  // The long tail: skewed per device (a few power users and build servers carry many tools).
  const tailCount = new Int32Array(count);
  const eligible: number[] = [];
  const weights: number[] = [];
  for (let d = 0; d < count; d++) {
    const k = dev.kind[d];
    const endpoint = k === Kind.Desktop || k === Kind.Laptop;
    const server = k === Kind.Vm || k === Kind.Cloud || k === Kind.Linux || k === Kind.Windows;
    if (!endpoint && !server) continue;
    const u = rng.next();
    eligible.push(d);
    weights.push((endpoint ? 1 : 0.4) * (0.2 + u * u * u * 6));
  }
  if (eligible.length > 0) {
    const cum = cumulative(weights);
    for (let r = budget - kept; r > 0; r--) tailCount[eligible[rng.weighted(cum)]]++;
  }

  // Materialise rows device by device: core installs, then that device's tail.
  const total = kept + (eligible.length > 0 ? budget - kept : 0);
  const ins: InstallColumns = {
    device: new Int32Array(total), product: new Uint16Array(total), version: new Uint8Array(total),
    edition: new Uint8Array(total), user: new Int32Array(total),
  };
  const installations: Row[] = new Array(total);
  const width = idWidth(total, 7);
  const tail = new Profiler(rng, dev, ownersPool);
  let c = 0;
  let n = 0;
  const emit = (b: Buffer, j: number): void => {
    const p = b.prod[j];
    const def = PRODUCTS[p];
    const row: Row = { id: makeId('i', n, width), deviceId: deviceIds[b.dev[j]], publisher: def.publisher, product: def.product };
    if (b.ver[j]) row.version = def.versions![b.ver[j] - 1];
    if (b.ed[j]) row.edition = def.editions![b.ed[j] - 1];
    if (b.user[j] >= 0) row.userId = userIds[b.user[j]];
    installations[n] = row;
    ins.device[n] = b.dev[j];
    ins.product[n] = p;
    ins.version[n] = b.ver[j];
    ins.edition[n] = b.ed[j];
    ins.user[n] = b.user[j];
    n++;
  };
  for (let d = 0; d < count; d++) {
    for (; c < buf.n && buf.dev[c] === d; c++) if (keep[c]) emit(buf, c);
    if (tailCount[d] > 0) {
      const k = dev.kind[d];
      const server = !(k === Kind.Desktop || k === Kind.Laptop);
      tail.buf.n = 0;
      for (let t = 0; t < tailCount[d]; t++) tail.tail(d, server);
      for (let j = 0; j < tail.buf.n; j++) emit(tail.buf, j);
    }
  }
  return { installations, ins, byProduct: groupByProduct(ins.product, PRODUCTS.length) };
}

function groupByProduct(product: Uint16Array, productCount: number): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(productCount + 1);
  for (let i = 0; i < product.length; i++) offsets[product[i] + 1]++;
  for (let p = 0; p < productCount; p++) offsets[p + 1] += offsets[p];
  const fill = offsets.slice(0, productCount);
  const items = new Int32Array(product.length);
  for (let i = 0; i < product.length; i++) items[fill[product[i]]++] = i;
  return { offsets, items };
}
