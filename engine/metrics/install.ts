// Install and device metrics (metrics.md, "Install and device metrics"). Units are devices (or
// hosts for per_server); the entitlement's company/site filters the device of each installation.

import type { Device, Installation } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { FLAG_COPIES_EXCEEDED, NONE, unit, type MetricRule } from './rule';
import { deviceRef } from './common';

/** The counting device of a matched installation, when the position's scope admits it. */
export function scopedDevice(w: World, p: Position, i: Installation): Device | null {
  const d = i.device!;
  return w.inDeviceScope(p, d) ? d : null;
}

const perDevice = (id: string, amountOf: (n: number) => number, say: (n: number) => string, extra: Partial<MetricRule> = {}): MetricRule => ({
  id,
  scope: 'device',
  install: scopedDevice,
  evaluate(_w, _p, d, m, why) {
    const n = (m.inst ?? NONE).length;
    why?.push({ ref: deviceRef(d as Device), amount: amountOf(n), why: say(n) });
    return unit(amountOf(n));
  },
  ...extra,
});

const installs = (n: number) => `${n} matching installation${n === 1 ? '' : 's'}`;

export const INSTALL_RULES: MetricRule[] = [
  /** per_instance: matching installations, each one. */
  perDevice('per_instance', (n) => n, installs),
  /** per_device: distinct devices with a matching installation. */
  perDevice('per_device', () => 1, (n) => `installed (${installs(n)})`),
  /**
   * per_copy_per_device: distinct devices; noncompliant, flagged copies-exceeded, when any device
   * has more matching installations than copiesPerDevice (default 1).
   */
  {
    id: 'per_copy_per_device',
    scope: 'device',
    install: scopedDevice,
    evaluate(_w, p, d, m, why) {
      const n = (m.inst ?? NONE).length;
      const over = n > p.cfg.copiesPerDevice;
      why?.push({ ref: deviceRef(d as Device), amount: 1, why: `${n} cop${n === 1 ? 'y' : 'ies'}${over ? ` > ${p.cfg.copiesPerDevice} allowed per device` : ''}` });
      return unit(1, over ? FLAG_COPIES_EXCEEDED : 0);
    },
  },
  /**
   * per_server: distinct hosts host(d) of matching installations; where the entitlement sets
   * hardwareManufacturer / hardwareModel, only hosts with those.
   */
  {
    id: 'per_server',
    scope: 'device',
    install: (w, p, i) => {
      const d = scopedDevice(w, p, i);
      return d && w.hostOf(d);
    },
    evaluate(_w, p, h, m, why) {
      const host = h as Device;
      if (p.cfg.hardwareManufacturer !== '' && host.hardwareManufacturer !== p.cfg.hardwareManufacturer) return null;
      if (p.cfg.hardwareModel !== '' && host.hardwareModel !== p.cfg.hardwareModel) return null;
      why?.push({ ref: deviceRef(host), amount: 1, why: `server ${host.id} (${installs((m.inst ?? NONE).length)} on it or its VMs)` });
      return unit(1);
    },
  },
  /** enterprise: matching installations, for information; always compliant. */
  perDevice('enterprise', (n) => n, installs, { alwaysCompliant: true }),
  /** site: matching installations on devices at the entitlement's site; always compliant. */
  perDevice('site', (n) => n, installs, { alwaysCompliant: true }),
];
