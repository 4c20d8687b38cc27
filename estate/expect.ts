// What each position will consume, estimated from the generated estate, so entitlement
// quantities can be set to land where the catalog wants them (compliant, warning,
// noncompliant). This follows metrics.md closely but is not the engine: it only has to be
// right for the data this generator produces.

import { PI, POS, PRODUCTS, type PositionDef } from './catalog';
import { Kind, Status, type Estate } from './model';
import { ceilMean, factorValue, maxMatching, measured, peak, tierUnits } from './lookups';
import { ALL_PROCESSORS, COMPANIES, NETWORKS, SITES } from './reference';
import { WINDOW_DAYS } from './usage';

const FREE_CONNECTORS = new Set(['microsoft teams', 'ad/entra', 'sso', 'intune', 'scom', 'sccm']);

interface HostUse {
  onHost: boolean;
  vms: number[];
}

export class Estimator {
  private readonly devMark: Int32Array;
  private readonly userMark: Int32Array;
  private epoch = 0;
  private readonly factorCache = new Map<string, number>();
  private clusterCores: Float64Array | null = null;
  private clusterHostList: number[][] | null = null;

  constructor(private readonly e: Estate) {
    this.devMark = new Int32Array(e.dev.kind.length);
    this.userMark = new Int32Array(e.usr.active.length);
  }

  consumption(pos: PositionDef): number {
    const m = pos.metric;
    switch (m) {
      case 'per_instance': case 'enterprise': case 'site': return this.installs(pos).length;
      case 'per_device': case 'per_copy_per_device': return this.installDevices(pos).length;
      case 'per_server': return this.hosts(pos).filter((h) => !pos.extra?.hardwareManufacturer || this.e.dev.dell[h]).length;
      case 'per_cpu_sum': return this.sumHosts(pos, (h) => this.cpus(h));
      case 'per_cpu_multiplier': return this.sumHosts(pos, (h) => this.cpus(h) * this.factor('multiplier', pos, h, 1));
      case 'per_cpu_constant': return this.sumHosts(pos, (h) => this.cpus(h) * this.factor('constant', pos, h, 1));
      case 'per_core_sum': return this.sumHosts(pos, (h) => this.cores(h));
      case 'per_core_multiplier': return this.sumHosts(pos, (h) => this.cores(h) * this.factor('multiplier', pos, h, 1));
      case 'per_core_constant': return this.sumHosts(pos, (h) => this.cores(h) * this.factor('constant', pos, h, 1));
      case 'per_processor': return this.installDevices(pos).reduce((s, d) => s + (this.isVirtual(d) ? this.e.dev.vcpus[d] || this.e.dev.cpus[d] : this.e.dev.cpus[d]), 0);
      case 'per_core': return this.perCore(pos);
      case 'per_core_cal': return this.perCoreCal(pos);
      case 'vmware_per_processor': return this.sumHosts(pos, (h) => this.cpus(h) * Math.ceil(this.cores(h) / Math.max(1, this.cpus(h)) / 32));
      case 'socket_pair': return this.socketPairs(pos);
      case 'oracle_processor': return this.oracleProcessors(this.installs(pos), pos);
      case 'pvu': return this.sumUses(pos, (h, u) => this.countedCores(h, u, pos.extra?.subcapacity === true) * this.factor('pvu', pos, h, 100));
      case 'rvu': return this.tiers(pos, this.sumUses(pos, (h, u) => this.countedCores(h, u, pos.extra?.subcapacity === true)));
      case 'vpc': return this.sumUses(pos, (h, u) => this.countedCores(h, u, true));
      case 'per_user': return this.perUser(pos);
      case 'named_user': return this.distinctUsers([...this.allocationUsers(pos), ...this.installUsers(pos)]);
      case 'authorized_user': return this.distinctUsers([...this.accessUsers(pos), ...this.allocationUsers(pos)]);
      case 'auvu': return this.tiers(pos, this.distinctUsers([...this.accessUsers(pos), ...this.allocationUsers(pos)]));
      case 'euvu': return this.tiers(pos, this.countUsers(pos, (u) => !this.e.usr.external[u]));
      case 'external_uvu': return this.tiers(pos, this.countUsers(pos, (u) => this.e.usr.external[u] === 1));
      case 'employee': return this.countUsers(pos, (u) => !this.e.usr.external[u]);
      case 'user_cal': return this.distinctUsers(this.accessUsers(pos));
      case 'device_cal': return this.distinctDevices(this.accessDevices(pos, false)).length;
      case 'per_osi': return this.distinctDevices(this.accessDevices(pos, true)).length;
      case 'oracle_nup': {
        const users = this.distinctUsers([...this.accessUsers(pos), ...this.installUsers(pos)]);
        const nup = Number(pos.extra?.nupPerProcessor ?? 0);
        return Math.max(users, nup * this.oracleProcessors(this.installs(pos), pos));
      }
      case 'per_user_device': return this.perUserDevice(pos);
      case 'sap_named_user': return this.distinctUsers(this.allocationUsers(pos, String(pos.extra?.userType ?? '')));
      case 'fue': return this.fue(pos);
      case 'named_fixed': return this.distinctUsers(this.allocationUsers(pos));
      case 'user_subscription': return this.e.subProduct.reduce((s, p, i) => s + (p === this.product(pos) && this.e.subActive[i] ? 1 : 0), 0);
      case 'floating': case 'network': case 'token': case 'concurrent_user': case 'asm_concurrent':
        return peak(this.e, {
          product: this.product(pos), network: pos.network ? NETWORKS.indexOf(pos.network as (typeof NETWORKS)[number]) : -1,
          weight: m === 'token' ? 'tokens' : m === 'concurrent_user' ? 'distinct-users' : 'one',
          deskOnly: m === 'asm_concurrent', windowMinutes: WINDOW_DAYS * 1440,
        });
      case 'engine_measurement': case 'digital_access': case 'saas_consumption':
        return measured(this.e, this.product(pos), WINDOW_DAYS, m === 'engine_measurement');
      case 'sensor_hourly': return ceilMean(this.e.sensorHourly.get(this.product(pos)), 672);
      case 'sensor_subscription': return ceilMean(this.e.sensorWeekly.get(this.product(pos)), 4);
      case 'asm_analyst': return this.countUsers(pos, (u) => this.e.usr.role[u] > 0);
      case 'asm_site': return this.installDevices(pos).filter((d) => this.e.dev.production[d]).length;
      case 'asm_connector': {
        const names = new Set<string>();
        for (const i of this.installs(pos)) {
          const name = PRODUCTS[this.e.ins.product[i]].product.toLowerCase();
          if (name !== 'service manager' && !FREE_CONNECTORS.has(name)) names.add(name);
        }
        return names.size;
      }
    }
  }

  // ---- matching ----

  private product(pos: PositionDef): number {
    return pos.product.endsWith(':*') ? -1 : PI[pos.product as keyof typeof PI];
  }

  private products(pos: PositionDef): number[] {
    if (!pos.product.endsWith(':*')) return [this.product(pos)];
    const publisher = pos.product.slice(0, -2);
    return PRODUCTS.map((p, i) => (p.publisher === publisher ? i : -1)).filter((i) => i >= 0);
  }

  private userScoped(pos: PositionDef): boolean {
    return ['per_user', 'named_user', 'oracle_nup', 'per_user_device'].includes(pos.metric);
  }

  /** Matching installations on counting devices (device scope applied unless the metric is user-based). */
  private installs(pos: PositionDef): number[] {
    const { ins, dev, byProduct } = this.e;
    const out: number[] = [];
    const deviceScope = !this.userScoped(pos);
    for (const p of this.products(pos)) {
      const def = PRODUCTS[p];
      const v = pos.version ? 1 + (def.versions ?? []).indexOf(pos.version) : 0;
      const ed = pos.edition ? 1 + (def.editions ?? []).indexOf(pos.edition) : 0;
      for (let j = byProduct.offsets[p]; j < byProduct.offsets[p + 1]; j++) {
        const i = byProduct.items[j];
        const d = ins.device[i];
        if (dev.status[d] >= Status.Retired) continue;
        if (v && ins.version[i] !== v) continue;
        if (ed && ins.edition[i] !== ed) continue;
        if (deviceScope && !this.inScope(pos, dev.company[d], dev.site[d])) continue;
        out.push(i);
      }
    }
    return out;
  }

  private inScope(pos: PositionDef, company: number, site: number): boolean {
    return (!pos.company || COMPANIES[company] === pos.company) && (!pos.site || SITES[site].name === pos.site);
  }

  private counting(u: number): boolean {
    return u >= 0 && this.e.usr.active[u] === 1;
  }

  private userScope(pos: PositionDef, u: number): boolean {
    return this.inScope(pos, this.e.usr.company[u], this.e.usr.site[u]);
  }

  /** The counting user of installation i, else -1. */
  private installUser(i: number): number {
    const u = this.e.ins.user[i] >= 0 ? this.e.ins.user[i] : this.e.dev.owner[this.e.ins.device[i]];
    return this.counting(u) ? u : -1;
  }

  private installUsers(pos: PositionDef): number[] {
    return this.installs(pos).map((i) => this.installUser(i)).filter((u) => u >= 0 && this.userScope(pos, u));
  }

  private allocationUsers(pos: PositionDef, userType?: string): number[] {
    const index = POS[pos.key] ?? -1;
    const out: number[] = [];
    const { allocPosition, allocUser, allocType } = this.e;
    for (let a = 0; a < allocPosition.length; a++) {
      if (allocPosition[a] !== index) continue;
      if (userType && (allocType[a] ?? '').toLowerCase() !== userType.toLowerCase()) continue;
      const u = allocUser[a];
      if (this.counting(u) && this.userScope(pos, u)) out.push(u);
    }
    return out;
  }

  private accessUsers(pos: PositionDef): number[] {
    const products = this.products(pos);
    const out: number[] = [];
    for (let a = 0; a < this.e.accProduct.length; a++) {
      const u = this.e.accUser[a];
      if (products.includes(this.e.accProduct[a]) && this.counting(u) && this.userScope(pos, u)) out.push(u);
    }
    return out;
  }

  private accessDevices(pos: PositionDef, needIp: boolean): number[] {
    const products = this.products(pos);
    const out: number[] = [];
    for (let a = 0; a < this.e.accProduct.length; a++) {
      const d = this.e.accDevice[a];
      if (d < 0 || !products.includes(this.e.accProduct[a]) || this.e.dev.status[d] >= Status.Retired) continue;
      if (!needIp || this.e.dev.hasIp[d]) out.push(d);
    }
    return out;
  }

  private distinctUsers(users: readonly number[]): number {
    const mark = ++this.epoch;
    let n = 0;
    for (const u of users) if (this.userMark[u] !== mark) { this.userMark[u] = mark; n++; }
    return n;
  }

  private distinctDevices(devices: readonly number[]): number[] {
    const mark = ++this.epoch;
    const out: number[] = [];
    for (const d of devices) if (this.devMark[d] !== mark) { this.devMark[d] = mark; out.push(d); }
    return out;
  }

  private installDevices(pos: PositionDef): number[] {
    return this.distinctDevices(this.installs(pos).map((i) => this.e.ins.device[i]));
  }

  private countUsers(pos: PositionDef, pred: (u: number) => boolean): number {
    let n = 0;
    for (let u = 0; u < this.e.usr.active.length; u++) if (this.counting(u) && pred(u) && this.userScope(pos, u)) n++;
    return n;
  }

  // ---- hosts and processors ----

  private isVirtual(d: number): boolean {
    const k = this.e.dev.kind[d];
    return k === Kind.Vm || k === Kind.Cloud;
  }

  /** host(d) of metrics.md: the counting host of a VM, else the device itself. */
  private hostOf(d: number): number {
    const h = this.e.dev.host[d];
    return this.isVirtual(d) && h >= 0 && this.e.dev.status[h] < Status.Retired ? h : d;
  }

  private cpus(h: number): number {
    return this.e.dev.cpus[h] || (this.isVirtual(h) ? this.e.dev.vcpus[h] : 0);
  }

  private cores(h: number): number {
    return this.e.dev.cores[h] || (this.isVirtual(h) ? this.e.dev.vcpus[h] : 0);
  }

  private uses(pos: PositionDef, installs = this.installs(pos)): Map<number, HostUse> {
    const map = new Map<number, HostUse>();
    const mark = ++this.epoch;
    for (const i of installs) {
      const d = this.e.ins.device[i];
      const h = this.hostOf(d);
      let use = map.get(h);
      if (!use) map.set(h, (use = { onHost: false, vms: [] }));
      if (d === h) use.onHost = true;
      else if (this.devMark[d] !== mark) { this.devMark[d] = mark; use.vms.push(d); }
    }
    return map;
  }

  private hosts(pos: PositionDef): number[] {
    return [...this.uses(pos).keys()];
  }

  private sumHosts(pos: PositionDef, f: (h: number) => number): number {
    let s = 0;
    for (const h of this.uses(pos).keys()) s += f(h);
    return s;
  }

  private sumUses(pos: PositionDef, f: (h: number, u: HostUse) => number): number {
    let s = 0;
    for (const [h, u] of this.uses(pos)) s += f(h, u);
    return s;
  }

  private countedCores(h: number, u: HostUse, subcapacity: boolean): number {
    if (u.onHost || !subcapacity) return this.cores(h);
    return Math.min(u.vms.reduce((s, d) => s + this.e.dev.vcpus[d], 0), this.cores(h));
  }

  /** A VM with no counting host: still a VM for per_core and socket_pair (metrics.md). */
  private hostless(h: number): boolean {
    return this.isVirtual(h) && this.hostOf(h) === h;
  }

  /** Licensed cores under the per-processor and per-server minimums. */
  private licensedCores(h: number, pos: PositionDef): number {
    const minCpp = Number(pos.extra?.minCoresPerProcessor ?? 0);
    const minServer = Number(pos.extra?.minCoresPerServer ?? 0);
    return Math.max(this.cores(h), minCpp * this.cpus(h), minServer);
  }

  private perCore(pos: PositionDef): number {
    const minVm = Number(pos.extra?.minCoresPerVm ?? 0);
    return this.sumUses(pos, (h, u) => {
      const p = this.hostless(h) ? Math.max(this.e.dev.vcpus[h], minVm) : this.licensedCores(h, pos);
      return u.onHost ? p : Math.min(p, u.vms.reduce((s, d) => s + Math.max(this.e.dev.vcpus[d], minVm), 0));
    });
  }

  /** Hosts: ⌈cpus / 2⌉ on the host, else ⌈VMs / 2⌉; hostless VMs together, two per subscription. */
  private socketPairs(pos: PositionDef): number {
    let hostless = 0;
    const hosts = this.sumUses(pos, (h, u) => {
      if (u.onHost && this.hostless(h)) { hostless++; return 0; }
      return u.onHost ? Math.ceil(this.cpus(h) / 2) : Math.ceil(u.vms.length / 2);
    });
    return hosts + Math.ceil(hostless / 2);
  }

  private ensureClusterCores(): Float64Array {
    if (this.clusterCores) return this.clusterCores;
    const cc = new Float64Array(this.e.clusters.length);
    const { dev } = this.e;
    for (let d = 0; d < dev.kind.length; d++) {
      if (dev.kind[d] === Kind.Host && dev.cluster[d] >= 0 && dev.status[d] < Status.Retired) cc[dev.cluster[d]] += dev.cores[d];
    }
    return (this.clusterCores = cc);
  }

  /** Counting physical ESX hosts per cluster. */
  private clusterHosts(): number[][] {
    if (this.clusterHostList) return this.clusterHostList;
    const { dev } = this.e;
    const lists: number[][] = this.e.clusters.map(() => []);
    for (let d = 0; d < dev.kind.length; d++) {
      if (dev.kind[d] === Kind.Host && dev.cluster[d] >= 0 && dev.status[d] < Status.Retired) lists[dev.cluster[d]].push(d);
    }
    return (this.clusterHostList = lists);
  }

  private perCoreCal(pos: PositionDef): number {
    const cc = this.ensureClusterCores();
    const seen = new Set<string>();
    let s = 0;
    for (const h of this.uses(pos).keys()) {
      const cl = this.e.dev.kind[h] === Kind.Host ? this.e.dev.cluster[h] : -1;
      const key = cl >= 0 ? `c${cl}` : `h${h}`;
      if (seen.has(key)) continue;
      seen.add(key);
      s += cl >= 0 ? this.clusterLicensedCores(cl, pos, cc) : this.licensedCores(h, pos);
    }
    return s;
  }

  /** A cluster's licensed cores: Σ over its counting physical hosts (the cores alone without minimums). */
  private clusterLicensedCores(cl: number, pos: PositionDef, cc: Float64Array): number {
    if (!pos.extra?.minCoresPerProcessor && !pos.extra?.minCoresPerServer) return cc[cl];
    let s = 0;
    for (const d of this.clusterHosts()[cl]) s += this.licensedCores(d, pos);
    return s;
  }

  private oracleProcessors(installs: number[], pos: PositionDef): number {
    const { dev, clusterMobility } = this.e;
    const units = new Map<string, number>();
    for (const h of this.uses(pos, installs).keys()) {
      const cl = dev.kind[h] === Kind.Host ? dev.cluster[h] : -1;
      if (cl >= 0 && clusterMobility[cl]) {
        if (units.has(`c${cl}`)) continue;
        let s = 0;
        for (const d of this.clusterHosts()[cl]) s += dev.cores[d] * this.factor('core_factor', pos, d, 1);
        units.set(`c${cl}`, Math.ceil(s));
      } else if (dev.cloud[h] && dev.host[h] < 0) {
        units.set(`h${h}`, dev.hyperthreading[h] ? Math.ceil(dev.vcpus[h] / 2) : dev.vcpus[h]);
      } else {
        units.set(`h${h}`, Math.ceil(this.cores(h) * this.factor('core_factor', pos, h, 1)));
      }
    }
    let s = 0;
    for (const v of units.values()) s += v;
    return s;
  }

  /** Factor for host h's processor, cached per (kind, publisher, processor). */
  private factor(kind: string, pos: PositionDef, h: number, fallback: number): number {
    const publisher = PRODUCTS[this.products(pos)[0]].publisher;
    const proc = this.e.dev.proc[h];
    const key = `${kind}|${publisher}|${proc}`;
    let value = this.factorCache.get(key);
    if (value === undefined) {
      value = factorValue(kind, publisher, proc >= 0 ? ALL_PROCESSORS[proc] : null, fallback);
      this.factorCache.set(key, value);
    }
    return value;
  }

  private tiers(pos: PositionDef, n: number): number {
    const def = PRODUCTS[this.products(pos)[0]];
    return tierUnits(def.publisher, def.product, pos.metric, n);
  }

  // ---- users, pairs ----

  /** Users of installations and of access records for the product; an installation with no user counts on its own. */
  private perUser(pos: PositionDef): number {
    const users: number[] = pos.version ? [] : this.accessUsers(pos);
    let anonymous = 0;
    for (const i of this.installs(pos)) {
      const u = this.installUser(i);
      if (u < 0) { if (!pos.company && !pos.site) anonymous++; } else if (this.userScope(pos, u)) users.push(u);
    }
    return this.distinctUsers(users) + anonymous;
  }

  /** Minimum vertex cover of the user–device graph (König: = maximum matching), plus forced vertices. */
  private perUserDevice(pos: PositionDef): number {
    const pairs: [number, number][] = [];
    for (const i of this.installs(pos)) {
      const u = this.installUser(i);
      pairs.push([u >= 0 && this.userScope(pos, u) ? u : -1, this.e.ins.device[i]]);
    }
    const products = this.products(pos);
    for (let a = 0; a < this.e.accProduct.length; a++) {
      if (!products.includes(this.e.accProduct[a])) continue;
      const u = this.e.accUser[a];
      const d = this.e.accDevice[a];
      pairs.push([this.counting(u) ? u : -1, d >= 0 && this.e.dev.status[d] < Status.Retired ? d : -1]);
    }
    const forcedUsers = new Set<number>();
    const forcedDevices = new Set<number>();
    for (const [u, d] of pairs) {
      if (u < 0 && d >= 0) forcedDevices.add(d);
      if (d < 0 && u >= 0) forcedUsers.add(u);
    }
    const adj = new Map<number, number[]>();
    for (const [u, d] of pairs) {
      if (u < 0 || d < 0 || forcedUsers.has(u) || forcedDevices.has(d)) continue;
      let list = adj.get(u);
      if (!list) adj.set(u, (list = []));
      if (!list.includes(d)) list.push(d);
    }
    return forcedUsers.size + forcedDevices.size + maxMatching(adj);
  }

  private fue(pos: PositionDef): number {
    const index = POS[pos.key] ?? -1;
    const best = new Map<number, number>();
    const weight: Record<string, number> = { advanced: 30, core: 6, 'self-service': 1 };
    for (let a = 0; a < this.e.allocPosition.length; a++) {
      const u = this.e.allocUser[a];
      if (this.e.allocPosition[a] !== index || !this.counting(u)) continue;
      best.set(u, Math.max(best.get(u) ?? 0, weight[this.e.allocType[a] ?? ''] ?? 0));
    }
    let s = 0;
    for (const w of best.values()) s += w;
    return Math.ceil(s / 30);
  }

  // ---- time ----

}

