// Data-centre devices: ESX hosts in clusters, their VMs, cloud VMs and standalone physical
// servers. Workload roles are decided here because licensing depends on placement
// (an Oracle VM in a vMotion cluster licenses the whole cluster).

import { Random, cumulative } from './random';
import { Kind, Os, Role, Status, STATUS_NAMES } from './model';
import {
  AIX_MODELS, ALL_PROCESSORS, COMPANIES, DATA_CENTRES, DELL, POWER_BASE, SERVER_MODELS, SITES, SPARC_BASE,
  SPARC_MODELS, VM_MODEL, X86_WEIGHTS, type Processor,
} from './reference';
import { DeviceSink, processorCells } from './sink';
import type { Row } from './types';
import { idWidth, makeId } from './util';

const Purpose = { General: 0, Oracle: 1, Sql: 2 } as const;
const GENERAL_SIZES = [32, 16, 8, 16, 8, 4, 32, 8, 16, 4];
const ENVIRONMENTS = ['production', 'test', 'development'] as const;
const ENV_CUM = cumulative([0.55, 0.25, 0.2]);
const SMALL_VCPUS = [2, 2, 4, 4, 4, 8, 8, 16];
const DB_VCPUS = [4, 8, 8, 16, 16];
const x86Cum = cumulative(X86_WEIGHTS);

export interface ServerCounts { hosts: number; vms: number; cloud: number; linux: number; windows: number; aix: number; solaris: number }

export interface ClusterResult { clusters: Row[]; mobility: Uint8Array }

function isDbRole(role: number): boolean {
  return role === Role.Sql || role === Role.Oracle || role === Role.OracleSe || role === Role.Db2;
}

export function buildServers(seed: number, sink: DeviceSink, c: ServerCounts): ClusterResult {
  const rng = new Random(seed, 'servers');
  const { dev, rows, ids } = sink;

  // Clusters: a few small dedicated database clusters, then general clusters of 4–32 hosts;
  // about 8% of hosts stay standalone.
  const sizes: number[] = [];
  const purposes: number[] = [];
  let toCluster = Math.floor(c.hosts * 0.92);
  if (c.hosts >= 12) {
    for (let k = Math.max(1, Math.round(c.hosts / 250)); k > 0 && toCluster >= 8; k--) { sizes.push(4); purposes.push(Purpose.Oracle); toCluster -= 4; }
    for (let k = Math.max(1, Math.round(c.hosts / 300)); k > 0 && toCluster >= 8; k--) { sizes.push(4); purposes.push(Purpose.Sql); toCluster -= 4; }
  }
  for (let g = 0; toCluster >= 2; g++) {
    const size = Math.min(GENERAL_SIZES[g % GENERAL_SIZES.length], toCluster);
    sizes.push(size);
    purposes.push(Purpose.General);
    toCluster -= size;
  }
  const clusterWidth = idWidth(sizes.length, 3);
  const clusters: Row[] = [];
  const mobility = new Uint8Array(sizes.length);
  const clusterProc: number[] = [];
  const clusterSite: number[] = [];
  let generalSeen = 0;
  for (let k = 0; k < sizes.length; k++) {
    const purpose = purposes[k];
    const site = DATA_CENTRES[k % DATA_CENTRES.length];
    // Dedicated clusters are licensed whole anyway; among general ones, the second never
    // has vMotion so both kinds exist in every estate, the rest mostly do.
    const mob = purpose !== Purpose.General || (generalSeen++ !== 1 && rng.chance(0.75));
    mobility[k] = mob ? 1 : 0;
    clusterProc.push(rng.weighted(x86Cum));
    clusterSite.push(site);
    const prefix = purpose === Purpose.Oracle ? 'ORA' : purpose === Purpose.Sql ? 'SQL' : SITES[site].code;
    clusters.push({ id: makeId('c', k, clusterWidth), name: `${prefix}-CL${String(k + 1).padStart(2, '0')}`, mobility: mob });
  }

  // ESX hosts, filling clusters in order.
  const hostStart = sink.n;
  const hostWeights: number[] = [];
  let k = 0;
  let inCluster = 0;
  for (let h = 0; h < c.hosts; h++) {
    const cl = k < sizes.length ? k : -1;
    if (cl >= 0 && ++inCluster === sizes[k]) { k++; inCluster = 0; }
    const procIndex = cl >= 0 ? clusterProc[cl] : rng.weighted(x86Cum);
    const proc = ALL_PROCESSORS[procIndex];
    const site = cl >= 0 ? clusterSite[cl] : DATA_CENTRES[h % 2];
    const status = rng.chance(0.005) ? Status.Retired : Status.InUse;
    const i = sink.next(Kind.Host, site, SITES[site].company, status);
    const model = rng.pick(SERVER_MODELS);
    dev.cluster[i] = cl;
    dev.cpus[i] = proc.sockets;
    dev.cores[i] = proc.sockets * proc.coresPerSocket;
    dev.proc[i] = procIndex;
    dev.dell[i] = model[0] === DELL ? 1 : 0;
    dev.production[i] = 1;
    hostWeights.push(dev.cores[i]);
    rows[i] = {
      id: ids[i], name: `esx-${SITES[site].code.toLowerCase()}-${String(h + 1).padStart(4, '0')}`,
      modelCategory: 'ESX Server', status: STATUS_NAMES[status], virtual: false,
      ...(cl >= 0 ? { cluster: clusters[cl].id } : {}), cpus: dev.cpus[i], cores: dev.cores[i], hyperthreading: true,
      ...processorCells(proc), site: SITES[site].name, company: COMPANIES[SITES[site].company], ipAddress: sink.ip(i),
      environment: 'production', hardwareManufacturer: model[0], hardwareModel: model[1],
    };
  }
  const hostCum = cumulative(hostWeights);

  // VMs: more on bigger hosts; the host's cluster decides the workload.
  const generalWin: number[] = [];
  const generalLinux: number[] = [];
  for (let v = 0; v < c.vms; v++) {
    const host = c.hosts > 0 ? hostStart + rng.weighted(hostCum) : -1;
    const cl = host >= 0 ? dev.cluster[host] : -1;
    const purpose = cl >= 0 ? purposes[cl] : Purpose.General;
    const windows = purpose === Purpose.Sql || (purpose === Purpose.General && rng.chance(0.55));
    let role: number;
    if (purpose === Purpose.Oracle) {
      // Every Oracle product lives on the dedicated clusters (licensed whole, by design).
      const x = rng.next();
      role = x < 0.7 ? Role.Oracle : x < 0.8 ? Role.OracleSe : x < 0.92 ? Role.WebLogic : Role.Generic;
    }
    else if (purpose === Purpose.Sql) role = rng.chance(0.9) ? Role.Sql : Role.Generic;
    else role = windows ? windowsRole(rng) : linuxRole(rng);
    const site = host >= 0 ? dev.site[host] : DATA_CENTRES[0];
    const i = sink.next(Kind.Vm, site, SITES[site].company, rng.chance(0.01) ? Status.Retired : Status.InUse);
    dev.host[i] = host;
    dev.os[i] = windows ? Os.Windows : Os.Linux;
    dev.role[i] = role;
    if (purpose === Purpose.General && dev.status[i] === Status.InUse) (windows ? generalWin : generalLinux).push(i);
  }
  assignSpecialRoles(rng, sink, generalWin, generalLinux, c);
  for (let i = hostStart + c.hosts; i < sink.n; i++) {
    const role = dev.role[i];
    dev.vcpus[i] = rng.pick(isDbRole(role) ? DB_VCPUS : SMALL_VCPUS);
    const env = role === Role.Alemba ? (dev.production[i] ? 0 : 1) : rng.weighted(ENV_CUM);
    dev.production[i] = env === 0 ? 1 : 0;
    const host = dev.host[i];
    rows[i] = {
      id: ids[i], name: `${dev.os[i] === Os.Windows ? 'wsv' : 'lsv'}-${SITES[dev.site[i]].code.toLowerCase()}-${ids[i].slice(1)}`,
      modelCategory: dev.os[i] === Os.Windows ? 'Windows Server' : 'Linux Server', status: STATUS_NAMES[dev.status[i]],
      virtual: true, ...(host >= 0 ? { hostId: ids[host] } : {}), vcpus: dev.vcpus[i],
      site: SITES[dev.site[i]].name, company: COMPANIES[dev.company[i]], ipAddress: sink.ip(i),
      environment: ENVIRONMENTS[env], hardwareManufacturer: VM_MODEL[0], hardwareModel: VM_MODEL[1],
    };
  }

  // Cloud VMs: no host; Oracle counts them by vCPU (hyperthreaded: two vCPUs per processor).
  for (let v = 0; v < c.cloud; v++) {
    const windows = rng.chance(0.4);
    const aws = rng.chance(0.7);
    const i = sink.next(Kind.Cloud, DATA_CENTRES[aws ? 0 : 1], 0, Status.InUse);
    const role = windows ? (rng.chance(0.06) ? Role.Sql : rng.chance(0.4) ? Role.Web : Role.App)
      : rng.chance(0.04) ? Role.Oracle : rng.chance(0.4) ? Role.Web : Role.App;
    dev.os[i] = windows ? Os.Windows : Os.Linux;
    dev.role[i] = role;
    dev.cloud[i] = 1;
    dev.hyperthreading[i] = 1;
    dev.vcpus[i] = rng.pick(isDbRole(role) ? DB_VCPUS : SMALL_VCPUS);
    const env = rng.weighted(ENV_CUM);
    dev.production[i] = env === 0 ? 1 : 0;
    rows[i] = {
      id: ids[i], name: `${aws ? 'ec2' : 'az'}-${windows ? 'win' : 'lnx'}-${ids[i].slice(1)}`,
      modelCategory: windows ? 'Windows Server' : 'Linux Server', status: 'in use', virtual: true, vcpus: dev.vcpus[i],
      hyperthreading: true, cloud: aws ? 'aws' : 'azure', company: COMPANIES[0], ipAddress: sink.ip(i),
      environment: ENVIRONMENTS[env], hardwareManufacturer: aws ? 'Amazon EC2' : 'Microsoft Corporation',
      hardwareModel: aws ? rng.pick(['m6i.xlarge', 'r6i.2xlarge', 'c6i.4xlarge']) : rng.pick(['D4s_v5', 'E8s_v5']),
    };
  }

  physical(rng, sink, Kind.Linux, c.linux);
  physical(rng, sink, Kind.Windows, c.windows);
  physical(rng, sink, Kind.Aix, c.aix);
  physical(rng, sink, Kind.Solaris, c.solaris);
  return { clusters, mobility };
}

function windowsRole(rng: Random): number {
  const x = rng.next();
  return x < 0.15 ? Role.Web : x < 0.4 ? Role.App : x < 0.48 ? Role.Sql : Role.Generic;
}

function linuxRole(rng: Random): number {
  const x = rng.next();
  return x < 0.2 ? Role.Web : x < 0.4 ? Role.App : x < 0.45 ? Role.Was : x < 0.49 ? Role.Db2
    : x < 0.53 ? Role.OpenShift : Role.Generic;
}

/**
 * One-of-a-kind servers (mail, SharePoint, vCenter, the service desk …) and the classic
 * Oracle audit finding: a handful of Oracle VMs in general clusters.
 */
function assignSpecialRoles(rng: Random, sink: DeviceSink, win: number[], linux: number[], c: ServerCounts): void {
  const { dev } = sink;
  rng.shuffle(win);
  rng.shuffle(linux);
  let w = 0;
  let l = 0;
  const onWin = (role: number, n: number): void => { for (; n > 0 && w < win.length; n--) dev.role[win[w++]] = role; };
  const onLinux = (role: number, n: number): void => { for (; n > 0 && l < linux.length; n--) dev.role[linux[l++]] = role; };
  // The service desk: two production servers and a test one.
  for (let n = 0; n < 3 && w < win.length; n++) {
    dev.production[win[w]] = n < 2 ? 1 : 0;
    dev.role[win[w++]] = Role.Alemba;
  }
  onWin(Role.Exchange, Math.max(1, Math.round(c.vms / 1000)));
  onWin(Role.SharePoint, Math.max(1, Math.round(c.vms / 1500)));
  onWin(Role.VCenter, Math.max(1, Math.round(c.hosts / 30)));
  onWin(Role.Cognos, 2);
  onWin(Role.CitrixSrv, Math.max(2, Math.round(c.vms / 400)));
  onWin(Role.Bmc, 2);
  onWin(Role.Doors, 1);
  onLinux(Role.Aria, 1);
  onLinux(Role.Oracle, Math.max(1, Math.round(c.vms / 2500)));
}

function physical(rng: Random, sink: DeviceSink, kind: number, count: number): void {
  const { dev, rows, ids } = sink;
  for (let s = 0; s < count; s++) {
    const dc = rng.chance(0.8);
    const site = dc ? DATA_CENTRES[s % 2] : rng.int(9);
    const i = sink.next(kind, site, SITES[site].company, rng.chance(0.02) ? Status.Retired : Status.InUse);
    let procIndex: number;
    let model: readonly [string, string];
    let category: string;
    let role: number;
    const x = rng.next();
    if (kind === Kind.Aix) {
      const p = rng.int(3);
      procIndex = POWER_BASE + p;
      model = AIX_MODELS[p];
      category = 'AIX Server';
      role = x < 0.35 ? Role.Db2 : x < 0.7 ? Role.Was : x < 0.9 ? Role.Oracle : Role.Generic;
      dev.os[i] = Os.Aix;
    } else if (kind === Kind.Solaris) {
      const p = rng.int(3);
      procIndex = SPARC_BASE + p;
      model = SPARC_MODELS[p];
      category = 'Solaris Server';
      role = x < 0.7 ? Role.Oracle : x < 0.9 ? Role.WebLogic : Role.Generic;
      dev.os[i] = Os.Solaris;
    } else {
      procIndex = rng.weighted(x86Cum);
      model = rng.pick(SERVER_MODELS);
      const linux = kind === Kind.Linux;
      category = linux ? 'Linux Server' : 'Windows Server';
      role = linux
        ? x < 0.15 ? Role.Oracle : x < 0.2 ? Role.OracleSe : x < 0.28 ? Role.Db2 : x < 0.36 ? Role.Was
          : x < 0.46 ? Role.Hypervisor : x < 0.51 ? Role.OpenShift : Role.Generic
        : x < 0.25 ? Role.Sql : Role.Generic;
      dev.os[i] = linux ? Os.Linux : Os.Windows;
    }
    const proc: Processor = ALL_PROCESSORS[procIndex];
    dev.role[i] = role;
    dev.proc[i] = procIndex;
    dev.cpus[i] = proc.sockets;
    dev.cores[i] = proc.sockets * proc.coresPerSocket;
    dev.dell[i] = model[0] === DELL ? 1 : 0;
    const env = rng.weighted(ENV_CUM);
    dev.production[i] = env === 0 ? 1 : 0;
    rows[i] = {
      id: ids[i], name: `${category.slice(0, 3).toLowerCase()}-${SITES[site].code.toLowerCase()}-${ids[i].slice(1)}`,
      modelCategory: category, status: STATUS_NAMES[dev.status[i]], virtual: false, cpus: dev.cpus[i], cores: dev.cores[i],
      hyperthreading: kind !== Kind.Solaris, ...processorCells(proc), site: SITES[site].name,
      company: COMPANIES[SITES[site].company], ipAddress: sink.ip(i), environment: ENVIRONMENTS[env],
      hardwareManufacturer: model[0], hardwareModel: model[1],
    };
  }
}
