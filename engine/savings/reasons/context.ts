// What every reclaim reason reads, and what it hands back: a draft candidate (its rows and why),
// which savings.ts then prices (effect.ts, derive.ts). A reason module holds one rule, written in
// its comment as the README states it.

import type { Device, Installation, User } from '../../rows';
import type { Store } from '../../store/store';
import type { World } from '../../store/world';
import type { Settings } from '../../settings';
import type { Effects, SourceRow } from '../effect';
import type { Usage } from '../usage';
import type { ReasonId } from '../types';
import { DAY_MS, isoDate } from '../../cells';

export interface ReasonContext {
  w: World;
  store: Store;
  settings: Settings;
  usage: Usage;
  effects: Effects;
}

export interface Draft {
  id: string;
  reason: ReasonId;
  why: string;
  rows: SourceRow[];
  action: 'remove' | 'deactivate';
  publisher: string;
  product: string;
  deviceId: string | null;
  userId: string | null;
}

/** A device's installations, by product (in key order), for the device-scoped reasons. */
export interface DeviceScope {
  device: Device;
  /** Installations whose deviceId names the device, in key order. */
  installs: Installation[];
  byProduct: Map<string, Installation[]>;
}

/** A user id's allocations and subscriptions, for the user-scoped reasons. */
export interface UserScope {
  idN: string;
  /** The row the id names on the users sheet (undefined: unknown). */
  user: User | undefined;
  /** The id as written on the rows (the users sheet's when known). */
  shown: string;
}

export const byKey = <T extends { key: string | number }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Days already written (a pass names the same few hundred lastSeen days thousands of times). */
const DAYS = new Map<number, string>();

export const day = (t: number): string => {
  const n = Math.floor(t / DAY_MS);
  let text = DAYS.get(n);
  if (text === undefined) {
    text = isoDate(n * DAY_MS);
    if (DAYS.size < 100_000) DAYS.set(n, text);
  }
  return text;
};

/** A product's name as people read it: "Autodesk AutoCAD". */
export const productName = (i: { publisherName: string; productName: string }): string => `${i.publisherName} ${i.productName}`.trim();

/** A device as people name it: its name, else its id. */
export const deviceName = (d: Device): string => (d.name !== '' && d.name !== d.id ? `${d.id} (${d.name})` : d.id);
