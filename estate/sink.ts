// Shared state of the device builders: the rows, their typed columns and the ids.

import { Kind, type DeviceColumns } from './model';
import type { Processor } from './reference';
import type { Row } from './types';
import { idWidth, makeId } from './util';

export class DeviceSink {
  readonly rows: Row[];
  readonly ids: string[];
  readonly dev: DeviceColumns;
  private readonly width: number;
  n = 0;

  constructor(readonly count: number) {
    this.rows = new Array(count);
    this.ids = new Array(count);
    this.width = idWidth(count, 6);
    for (let i = 0; i < count; i++) this.ids[i] = makeId('d', i, this.width);
    this.dev = {
      kind: new Uint8Array(count), status: new Uint8Array(count), host: new Int32Array(count).fill(-1),
      cluster: new Int32Array(count).fill(-1), cpus: new Uint16Array(count), cores: new Uint16Array(count),
      vcpus: new Uint16Array(count), hyperthreading: new Uint8Array(count), cloud: new Uint8Array(count),
      company: new Uint8Array(count), site: new Uint8Array(count), owner: new Int32Array(count).fill(-1),
      production: new Uint8Array(count), proc: new Int16Array(count).fill(-1), dell: new Uint8Array(count),
      hasIp: new Uint8Array(count), role: new Uint8Array(count), os: new Uint8Array(count),
    };
  }

  /** Starts the next device; returns its index. */
  next(kind: number, site: number, company: number, status: number): number {
    const i = this.n++;
    this.dev.kind[i] = kind;
    this.dev.site[i] = site;
    this.dev.company[i] = company;
    this.dev.status[i] = status;
    return i;
  }

  /** 10.x.y.z, unique per device index. */
  ip(i: number): string {
    this.dev.hasIp[i] = 1;
    return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  }

  isVirtual(i: number): boolean {
    const k = this.dev.kind[i];
    return k === Kind.Vm || k === Kind.Cloud;
  }
}

/** The processor columns of a device row. */
export function processorCells(p: Processor): Record<string, string | number> {
  return {
    processorManufacturer: p.manufacturer, processorType: p.type, processorModel: p.model,
    processorFamily: p.family, maxClockSpeed: p.clock,
  };
}
