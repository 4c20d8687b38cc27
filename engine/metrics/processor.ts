// Processor metrics (metrics.md, "Processor metrics"). Each host is one unit, counted once however
// many of its VMs carry the product; Oracle and per-core-with-CAL count a whole cluster as one unit.
// Decimal factors are held as integer millionths (scale MICRO) so that sums are exact.

import type { Device, Installation } from '../rows';
import type { FactorKind } from '../schema';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import {
  FLAG_MISSING_CAPACITY, FLAG_NO_FACTOR, NONE, clusterUnit, unit, type Members, type MetricRule, type Unit, type UnitKey, type Why,
} from './rule';
import { MICRO, capacity, ceilDiv, deviceRef, fmt, toMicro, convertByTiers, explainTiers } from './common';
import { scopedDevice } from './install';

/** The host unit of a matched installation (scope filters the installation's own device). */
export function hostFeed(w: World, p: Position, i: Installation): Device | null {
  const d = scopedDevice(w, p, i);
  return d && w.hostOf(d);
}

/** "Installed on the host itself", and the matching VMs on it, from a host unit's members. */
export function hostMembers(w: World, h: Device, m: Members): { onHost: boolean; vms: Device[] } {
  const inst = m.inst ?? NONE;
  // One installation (most units of a load): no set to build, nothing to sort.
  if (inst.length === 1) {
    const d = inst[0].device!;
    return d === h ? { onHost: true, vms: [] } : { onHost: false, vms: [d] };
  }
  let onHost = false;
  const vms = new Set<Device>();
  for (const i of m.inst ?? NONE) {
    const d = i.device!;
    if (d === h) onHost = true;
    else vms.add(d);
  }
  return { onHost, vms: [...vms].sort((a, b) => (a.key < b.key ? -1 : 1)) };
}

const hostName = (h: Device) => `host ${h.id}`;

/**
 * A unit that is a VM (metrics.md, hostless VMs): still a VM for per_core and socket_pair. A VM is
 * a unit when it has no counting host, or when VMs of its own name it as their host. Decision: the
 * second is licensed as a VM too (its vCPUs are its capacity), so a unit's worth never depends on
 * the status of its own host, which an edit of that host would not re-examine.
 */
const isVmUnit = (h: Device) => h.virtual;

/**
 * A host's licensed cores under Microsoft's minimums: max(cores, minCoresPerProcessor × cpus,
 * minCoresPerServer). Processors are read only when a per-processor minimum is set, so a blank
 * cpus cell flags missing-capacity only where it counts.
 */
function licensedCores(w: World, h: Device, c: Position['cfg']): { value: number; flags: number; say: string } {
  const cores = capacity(w.coresOf(h));
  const cpus = c.minCoresPerProcessor > 0 ? capacity(w.cpusOf(h)) : { value: 0, flags: 0 };
  const value = Math.max(cores.value, c.minCoresPerProcessor * cpus.value, c.minCoresPerServer);
  const say = c.minCoresPerProcessor > 0 || c.minCoresPerServer > 0
    ? `max(${cores.value} cores, ${c.minCoresPerProcessor} × ${cpus.value} CPUs, ${c.minCoresPerServer}) = ${value}`
    : `${cores.value} cores`;
  return { value, flags: cores.flags | cpus.flags, say };
}

/** Σ over hosts of capacity × factor: per_cpu_* and per_core_* of BMC. */
function hostSum(id: string, what: 'cpus' | 'cores', kind: FactorKind | null): MetricRule {
  return {
    id,
    scope: 'device',
    scale: kind ? MICRO : 1,
    factorKind: kind ?? undefined,
    install: hostFeed,
    evaluate(w, p, key, _m, why) {
      const h = key as Device;
      const cap = capacity(what === 'cpus' ? w.cpusOf(h) : w.coresOf(h));
      if (!kind) {
        why?.push({ ref: deviceRef(h), amount: cap.value, why: `${hostName(h)}: ${cap.value} ${what}` });
        return unit(cap.value, cap.flags);
      }
      const f = w.factor(kind, p.publisher, h, 1);
      const micros = cap.value * toMicro(f.value);
      why?.push({ ref: deviceRef(h), amount: micros / MICRO, why: `${hostName(h)}: ${cap.value} ${what} × ${kind} ${fmt(f.value)}${f.found ? '' : ' (no factor: default)'} = ${fmt(micros / MICRO)}` });
      return unit(micros, cap.flags | (f.found ? 0 : FLAG_NO_FACTOR));
    },
  };
}

/**
 * Oracle processors of one unit: ⌈Σ over its hosts of cores × core factor⌉; a cloud VM standing as
 * its own host counts vCPUs (halved, rounded up, with hyperthreading) and no core factor.
 */
export function oracleUnit(w: World, p: Position, key: UnitKey, why: Why): Unit {
  if (typeof key === 'string') {
    const cluster = key.slice(2);
    let micros = 0, flags = 0;
    const lines: string[] = [];
    for (const h of w.clusterHosts(cluster)) {
      const cap = capacity(w.coresOf(h));
      const f = w.factor('core_factor', p.publisher, h, 1);
      micros += cap.value * toMicro(f.value);
      flags |= cap.flags | (f.found ? 0 : FLAG_NO_FACTOR);
      if (why) lines.push(`${h.id} ${cap.value} × ${fmt(f.value)}`);
    }
    const amount = ceilDiv(micros, MICRO);
    why?.push({ ref: `clusters/${w.cluster(cluster)?.id ?? cluster}`, amount, why: `cluster ${cluster} with live migration, licensed whole: ⌈${lines.join(' + ') || '0'}⌉ = ${amount}` });
    return unit(amount, flags);
  }
  const h = key as Device;
  if (h.virtual && h.cloud && w.hostOf(h) === h) {
    const v = capacity(h.vcpus);
    const amount = h.hyperthreading ? ceilDiv(v.value, 2) : v.value;
    why?.push({ ref: deviceRef(h), amount, why: `cloud VM ${h.id}: ${v.value} vCPUs${h.hyperthreading ? ' ÷ 2 (hyperthreading), rounded up' : ''} = ${amount}` });
    return unit(amount, v.flags);
  }
  const cap = capacity(w.coresOf(h));
  const f = w.factor('core_factor', p.publisher, h, 1);
  const amount = ceilDiv(cap.value * toMicro(f.value), MICRO);
  why?.push({ ref: deviceRef(h), amount, why: `${hostName(h)}: ⌈${cap.value} cores × core factor ${fmt(f.value)}${f.found ? '' : ' (no factor: default)'}⌉ = ${amount}` });
  return unit(amount, cap.flags | (f.found ? 0 : FLAG_NO_FACTOR));
}

/** The Oracle unit of a matched installation: its host's cluster when that has mobility, else the host. */
export function oracleFeed(w: World, p: Position, i: Installation): UnitKey | null {
  const h = hostFeed(w, p, i);
  if (!h) return null;
  const c = w.mobileCluster(h);
  return c === undefined ? h : clusterUnit(c);
}

/** Counted cores of a host for IBM metrics: whole host, or (sub-capacity) its VMs' vCPUs up to its cores. */
function countedCores(w: World, h: Device, m: Members, subcapacity: boolean): { cores: number; flags: number; say: string } {
  const host = capacity(w.coresOf(h));
  const { onHost, vms } = hostMembers(w, h, m);
  if (onHost || !subcapacity) return { cores: host.value, flags: host.flags, say: `${host.value} cores` };
  let sum = 0, flags = host.flags;
  for (const vm of vms) {
    const v = capacity(vm.vcpus);
    sum += v.value;
    flags |= v.flags;
  }
  const cores = Math.min(sum, host.value);
  return { cores, flags, say: `min(${sum} vCPUs of ${vms.length} VM${vms.length === 1 ? '' : 's'}, ${host.value} cores) = ${cores}` };
}

export const PROCESSOR_RULES: MetricRule[] = [
  hostSum('per_cpu_sum', 'cpus', null),
  hostSum('per_cpu_multiplier', 'cpus', 'multiplier'),
  hostSum('per_cpu_constant', 'cpus', 'constant'),
  hostSum('per_core_sum', 'cores', null),
  hostSum('per_core_multiplier', 'cores', 'multiplier'),
  hostSum('per_core_constant', 'cores', 'constant'),
  /** per_processor: Σ over distinct matching devices: cpus of a physical one, vcpus (else cpus) of a VM. */
  {
    id: 'per_processor',
    scope: 'device',
    install: scopedDevice,
    evaluate(_w, _p, key, _m, why) {
      const d = key as Device;
      const cap = capacity(d.virtual ? d.vcpus ?? d.cpus : d.cpus);
      why?.push({ ref: deviceRef(d), amount: cap.value, why: `${d.virtual ? 'VM' : 'device'} ${d.id}: ${cap.value} ${d.virtual ? 'vCPUs' : 'processors'}` });
      return unit(cap.value, cap.flags);
    },
  },
  /**
   * per_core: per host P = max(cores, minCoresPerProcessor × cpus, minCoresPerServer); installed on
   * the host itself → P; else min(P, Σ over matching VMs of max(vcpus, minCoresPerVm)). A VM
   * standing as a unit (hostless) is still a VM: P = max(vcpus, minCoresPerVm), no processor or
   * server minimums (blank vcpus 0).
   */
  {
    id: 'per_core',
    scope: 'device',
    install: hostFeed,
    evaluate(w, p, key, m, why) {
      const h = key as Device, c = p.cfg;
      let P: number, flags: number, say: string;
      if (isVmUnit(h)) {
        const v = capacity(h.vcpus);
        P = Math.max(v.value, c.minCoresPerVm);
        flags = v.flags;
        say = `VM ${h.id}: max(${v.value} vCPUs, ${c.minCoresPerVm}) = ${P}`;
      } else {
        const lic = licensedCores(w, h, c);
        P = lic.value;
        flags = lic.flags;
        say = `${hostName(h)}: ${lic.say}`;
      }
      const { onHost, vms } = hostMembers(w, h, m);
      if (onHost) {
        why?.push({ ref: deviceRef(h), amount: P, why: `${say}, installed on it` });
        return unit(P, flags);
      }
      let sum = 0;
      for (const vm of vms) {
        const v = capacity(vm.vcpus);
        flags |= v.flags;
        sum += Math.max(v.value, c.minCoresPerVm);
      }
      const amount = Math.min(P, sum);
      why?.push({ ref: deviceRef(h), amount, why: `${hostName(h)}: min(host ${P}, Σ max(vCPUs, ${c.minCoresPerVm}) over ${vms.length} VM${vms.length === 1 ? '' : 's'} = ${sum}) = ${amount}` });
      return unit(amount, flags);
    },
  },
  /**
   * per_core_cal: the unit is the host's cluster when the host is an `ESX Server` with its cluster
   * cell set, else the host; Σ over units of licensed cores, a host's being max(cores,
   * minCoresPerProcessor × cpus, minCoresPerServer) (Windows Server: 8 and 16); a cluster counts the
   * licensed cores of every counting physical ESX Server host in it.
   */
  {
    id: 'per_core_cal',
    scope: 'device',
    install: (w, p, i) => {
      const h = hostFeed(w, p, i);
      if (!h) return null;
      return h.modelCategory === 'esx server' && h.cluster !== '' ? clusterUnit(h.cluster) : h;
    },
    evaluate(w, p, key, _m, why) {
      if (typeof key === 'string') {
        const cluster = key.slice(2);
        let sum = 0, flags = 0;
        const parts: string[] = [];
        for (const h of w.clusterHosts(cluster)) {
          if (h.modelCategory !== 'esx server') continue;
          const lic = licensedCores(w, h, p.cfg);
          sum += lic.value;
          flags |= lic.flags;
          parts.push(`${h.id} ${lic.value}`);
        }
        why?.push({ ref: `clusters/${w.cluster(cluster)?.id ?? cluster}`, amount: sum, why: `ESX cluster ${cluster}: ${parts.join(' + ') || 'no hosts'} = ${sum} licensed cores` });
        return unit(sum, flags);
      }
      const h = key as Device;
      const lic = licensedCores(w, h, p.cfg);
      why?.push({ ref: deviceRef(h), amount: lic.value, why: `${hostName(h)}: ${lic.say}` });
      return unit(lic.value, lic.flags);
    },
  },
  /** vmware_per_processor: Σ over hosts cpus × ⌈(cores / cpus) / maxCoresPerProcessor⌉ (default 32). */
  {
    id: 'vmware_per_processor',
    scope: 'device',
    install: hostFeed,
    evaluate(w, p, key, _m, why) {
      const h = key as Device;
      const cpus = capacity(w.cpusOf(h)), cores = capacity(w.coresOf(h));
      const max = p.cfg.maxCoresPerProcessor;
      const per = cpus.value === 0 ? 0 : ceilDiv(cores.value, cpus.value * max);
      const amount = cpus.value * per;
      const flags = cpus.flags | cores.flags | (cpus.value === 0 ? FLAG_MISSING_CAPACITY : 0);
      why?.push({ ref: deviceRef(h), amount, why: `${hostName(h)}: ${cpus.value} CPUs × ⌈${cores.value} cores ÷ ${cpus.value} ÷ ${max}⌉ = ${amount}` });
      return unit(amount, flags);
    },
  },
  /**
   * socket_pair: per host, installed on it → ⌈cpus / 2⌉; else ⌈matching VMs / 2⌉. Hostless VMs
   * with the product are counted together, ⌈n / 2⌉ (two VMs per subscription): each gives part 0.
   */
  {
    id: 'socket_pair',
    scope: 'device',
    parts: 1,
    install: hostFeed,
    evaluate(w, _p, key, m, why) {
      const h = key as Device;
      const { onHost, vms } = hostMembers(w, h, m);
      if (onHost && isVmUnit(h)) {
        why?.push({ ref: deviceRef(h), amount: 0, why: `hostless VM ${h.id}: counted with the position's other hostless VMs, two per subscription` });
        return unit(0, 0, [1]);
      }
      if (onHost) {
        const cpus = capacity(w.cpusOf(h));
        const amount = ceilDiv(cpus.value, 2);
        why?.push({ ref: deviceRef(h), amount, why: `${hostName(h)}: ⌈${cpus.value} sockets ÷ 2⌉ = ${amount}` });
        return unit(amount, cpus.flags);
      }
      const amount = ceilDiv(vms.length, 2);
      why?.push({ ref: deviceRef(h), amount, why: `${hostName(h)}: ⌈${vms.length} VMs ÷ 2⌉ = ${amount}` });
      return unit(amount);
    },
    combine: (_w, _p, amount, parts) => amount + ceilDiv(parts[0], 2),
    explainTotal: (_w, _p, amount, parts) => (parts[0] === 0 ? null
      : `${amount} for hosts + ⌈${parts[0]} hostless VM${parts[0] === 1 ? '' : 's'} ÷ 2⌉ = ${amount + ceilDiv(parts[0], 2)}`),
  },
  /**
   * oracle_processor: unit = the host's cluster when it has mobility (licensed whole), else the host;
   * per unit ⌈Σ cores × core_factor⌉ (default 1); a cloud VM with no host counts vCPUs.
   */
  {
    id: 'oracle_processor',
    scope: 'device',
    factorKind: 'core_factor',
    install: oracleFeed,
    evaluate: (w, p, key, _m, why) => oracleUnit(w, p, key, why),
  },
  /**
   * pvu: per host, counted cores (cores(h) when installed on the host or not sub-capacity, else
   * min(Σ vcpus of matching VMs, cores(h))) × PVU per core (default 100).
   */
  {
    id: 'pvu',
    scope: 'device',
    scale: MICRO,
    factorKind: 'pvu',
    install: hostFeed,
    evaluate(w, p, key, m, why) {
      const h = key as Device;
      const counted = countedCores(w, h, m, p.cfg.subcapacity);
      const f = w.factor('pvu', p.publisher, h, 100);
      const micros = counted.cores * toMicro(f.value);
      why?.push({ ref: deviceRef(h), amount: micros / MICRO, why: `${hostName(h)}: ${counted.say} × ${fmt(f.value)} PVU${f.found ? '' : ' (no factor: default)'} = ${fmt(micros / MICRO)}` });
      return unit(micros, counted.flags | (f.found ? 0 : FLAG_NO_FACTOR));
    },
  },
  /** rvu: counted cores as for pvu, summed, then converted by tiers. */
  {
    id: 'rvu',
    scope: 'device',
    usesTiers: true,
    install: hostFeed,
    evaluate(w, p, key, m, why) {
      const h = key as Device;
      const counted = countedCores(w, h, m, p.cfg.subcapacity);
      why?.push({ ref: deviceRef(h), amount: counted.cores, why: `${hostName(h)}: ${counted.say} (before tiers)` });
      return unit(counted.cores, counted.flags);
    },
    combine: (w, p, amount) => convertByTiers(w, p, amount),
    explainTotal: (w, p, amount) => explainTiers(w, p, amount),
  },
  /** vpc: per host, installed on it → cores(h); else min(Σ vcpus of matching VMs, cores(h)). */
  {
    id: 'vpc',
    scope: 'device',
    install: hostFeed,
    evaluate(w, _p, key, m, why) {
      const h = key as Device;
      const counted = countedCores(w, h, m, true);
      why?.push({ ref: deviceRef(h), amount: counted.cores, why: `${hostName(h)}: ${counted.say}` });
      return unit(counted.cores, counted.flags);
    },
  },
];
