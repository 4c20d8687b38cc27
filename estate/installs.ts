// Installations: a software profile per device kind and workload (Office, Acrobat and the
// security sensor on nearly every endpoint, databases on a few servers), then a skewed long
// tail of tools until the requested total is reached exactly.

import { DESKTOP_TOOL_INDICES, PI, PRODUCTS, type ProductKey } from './catalog';
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

const SERVER_TOOLS = new Set(['WinSCP', 'Node.js', 'PowerShell 7', 'SQL Server Management Studio', 'Everything', 'WinMerge', 'MobaXterm']);

/** [product index, weight, per-user]: per-user products only go on devices with an owner. */
type TailEntry = readonly [product: number, weight: number, owned: boolean];
const t = (key: ProductKey, weight: number, owned = false): TailEntry => [PI[key], weight, owned];
// Products of the endpoint core profile (7-Zip, Firefox, Chrome …) stay out of its tail.
const ENDPOINT_TAIL: readonly TailEntry[] = [
  t('notepadpp', 6), t('vlc', 6), t('vscode', 7), t('git', 6), t('putty', 5), t('python', 5),
  t('keepass', 4), t('filezilla', 3), t('paintnet', 3), t('greenshot', 3), t('postman', 3), t('winzip', 3),
  t('gimp', 2), t('wireshark', 2), t('winrar', 2), t('teamviewer', 2), t('snagit', 2, true), t('docker', 1.5),
  t('vs', 1.5, true), t('intellij', 1.2, true), t('nitro', 1), t('minitab', 0.8), t('spss', 0.8, true),
  t('camtasia', 0.6, true), t('tableau', 0.5, true),
  ...DESKTOP_TOOL_INDICES.map((p, i): TailEntry => [p, 3 / (1 + (i % 5)), false]),
];
const SERVER_TAIL: readonly TailEntry[] = [
  t('python', 6), t('sevenZip', 5), t('notepadpp', 5), t('perl', 4), t('java', 4), t('git', 3), t('putty', 2),
  t('wireshark', 2), t('tomcat', 2), t('apache', 2), t('filezilla', 1), t('keepass', 1),
  ...DESKTOP_TOOL_INDICES.filter((p) => SERVER_TOOLS.has(PRODUCTS[p].product)).map((p): TailEntry => [p, 2, false]),
];
const ENDPOINT_TAIL_CUM = cumulative(ENDPOINT_TAIL.map((t) => t[1]));
const SERVER_TAIL_CUM = cumulative(SERVER_TAIL.map((t) => t[1]));

class Profiler {
  readonly buf = new Buffer();
  private alembaSeen = 0;
  constructor(private readonly rng: Random, private readonly dev: DeviceColumns, private readonly ownersPool: readonly number[]) {}

  /** Adds product `key` on device d; edition -1 = drawn from the product's editions. */
  add(d: number, key: ProductKey, edition = -1): void {
    this.addProduct(d, PI[key], edition);
  }

  addProduct(d: number, p: number, edition = -1): void {
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
    this.maybe(d, 'edge', 0.98);
    this.maybe(d, 'vcredist', 0.95);
    this.maybe(d, 'dotnet', 0.7);
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
    if (os === Os.Windows) { this.maybe(d, 'vcredist', 0.6); this.maybe(d, 'dotnet', 0.5); }
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

  /** One long-tail install on d; a few redraws avoid the same tool twice on one machine. */
  tail(d: number, server: boolean): void {
    let p = PI.notepadpp;
    for (let attempt = 0; attempt < 4; attempt++) {
      const entry = server ? SERVER_TAIL[this.rng.weighted(SERVER_TAIL_CUM)] : ENDPOINT_TAIL[this.rng.weighted(ENDPOINT_TAIL_CUM)];
      p = entry[2] && this.dev.owner[d] < 0 ? PI.notepadpp : entry[0];
      if (!this.holds(p)) break;
    }
    this.addProduct(d, p);
  }

  /** Whether the buffer (one device's tail) already holds the product. */
  private holds(p: number): boolean {
    for (let j = 0; j < this.buf.n; j++) if (this.buf.prod[j] === p) return true;
    return false;
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
    // Developers' machines and build servers collect many more tools than the rest.
    const u = rng.next();
    const heavy = rng.chance(0.05);
    eligible.push(d);
    weights.push(endpoint ? (heavy ? 3 + 5 * u : 0.3 + 1.7 * u) : heavy ? 2 + 2 * u : 0.1 + 0.5 * u);
  }
  if (eligible.length > 0) {
    // Systematic sampling: one random offset, then each device gets the floor or ceiling of
    // its share. Exact total, O(devices), and the weights already carry the skew.
    const total = weights.reduce((s, w) => s + w, 0);
    const rest = budget - kept;
    const offset = rng.next();
    let acc = 0;
    let prev = Math.floor(offset);
    for (let j = 0; j < eligible.length; j++) {
      acc += weights[j];
      const upTo = j === eligible.length - 1 ? rest + Math.floor(offset) : Math.floor((acc / total) * rest + offset);
      tailCount[eligible[j]] = upTo - prev;
      prev = upTo;
    }
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
    installations[n] = installRow(makeId('i', n, width), deviceIds[b.dev[j]], def.publisher, def.product,
      b.ver[j] ? def.versions![b.ver[j] - 1] : null, b.ed[j] ? def.editions![b.ed[j] - 1] : null,
      b.user[j] >= 0 ? userIds[b.user[j]] : null);
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

/**
 * One literal per combination of optional cells: every row is born with its final shape,
 * so a million rows need no property backing stores (which showed up as GC time).
 */
function installRow(id: string, deviceId: string, publisher: string, product: string,
  version: string | null, edition: string | null, userId: string | null): Row {
  if (userId === null) {
    if (edition === null) return version === null ? { id, deviceId, publisher, product } : { id, deviceId, publisher, product, version };
    return version === null ? { id, deviceId, publisher, product, edition } : { id, deviceId, publisher, product, version, edition };
  }
  if (edition === null) {
    return version === null ? { id, deviceId, publisher, product, userId } : { id, deviceId, publisher, product, version, userId };
  }
  return version === null ? { id, deviceId, publisher, product, edition, userId } : { id, deviceId, publisher, product, version, edition, userId };
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
