// A license position: the entitlements that share publisher, product, version, edition, metric,
// company, site and network (metrics.md, "Positions and status"), and what they consume.

import type { Entitlement } from '../rows';
import type { Settings } from '../settings';
import { DAY_MS, isoDate } from '../cells';
import { MICRO, toMicro } from '../metrics/common';
import type { ScopeOf } from '../store/world';
import type { Rivals } from './ranking';
import { surplusOf } from '../savings/surplus';
import {
  FLAG_COPIES_EXCEEDED, FLAG_NAMES, type AllocationBreakdown, type Contribution, type MetricRule, type Unit, type UnitKey,
} from '../metrics/rule';

export type Status = 'compliant' | 'warning1' | 'warning2' | 'noncompliant';

/** One entitlement of a position: whether it counts today, and its dates (ISO) as the Renewals view reads them. */
export interface RightResult {
  id: string;
  quantity: number;
  unitCost: number | null;
  /** Counts at asOf (start ≤ asOf ≤ end), has ended before it, or starts after it. */
  state: 'active' | 'ended' | 'not started';
  start: string | null;
  end: string | null;
  renewal: string | null;
  /** The last day to give notice: renewal − noticeDays (null without both). */
  noticeBy: string | null;
}

/** Shortfall moved between two overlapping positions: + received from the other, − handed over to it. */
export interface MoveResult {
  key: string;
  amount: number;
}

/** A position as the result format shows it (workbook.md, "Results"). */
export interface PositionResult {
  key: string;
  entitlementIds: string[];
  publisher: string;
  product: string;
  version: string;
  /** A downgrade right: also covers lower versions (key: version ending with `+`). */
  downgrade: boolean;
  edition: string;
  metric: string;
  company: string;
  site: string;
  network: string;
  purchased: number;
  consumed: number;
  available: number;
  status: Status;
  shortfall: number;
  shortfallCost: number;
  /** Rights beyond consumption on a counting position (available > 0), and their cost (engine/savings/surplus.ts). */
  surplus: number;
  surplusCost: number | null;
  currency: string;
  warn1: number | null;
  warn2: number | null;
  unitCost: number | null;
  allocation: AllocationBreakdown | null;
  flags: string[];
  /** Shortfall moved in from the positions it covers and up to its nearest cover (metrics.md). */
  moves: MoveResult[];
  rights: RightResult[];
  contributions?: Contribution[];
}

/**
 * Entitlement settings outside the position key: taken from the first active entitlement of the
 * position, in sheet order, that sets them (metrics.md).
 */
export interface PositionConfig {
  copiesPerDevice: number;
  maxCoresPerProcessor: number;
  minCoresPerProcessor: number;
  minCoresPerServer: number;
  minCoresPerVm: number;
  nupPerProcessor: number;
  subcapacity: boolean;
  hardwareManufacturer: string;
  hardwareModel: string;
  userType: string;
}

/** workbook.md "Results": a downgrade position's version part ends with `+`. */
export function positionKey(e: Entitlement): string {
  return [e.publisher, e.product, e.downgrade ? `${e.version}+` : e.version, e.edition, e.metric, e.company, e.site, e.network].join('|');
}

/** A moved shortfall, in millionths, between a position and the other one named. */
export interface Move {
  other: Position;
  micros: number;
}

export class Position implements ScopeOf {
  readonly publisher: string;
  readonly product: string;
  readonly version: string;
  readonly downgrade: boolean;
  readonly edition: string;
  readonly company: string;
  readonly site: string;
  readonly network: string;
  /**
   * The positions ranked before it that can match the same rows (ranking.ts): a row it matches
   * feeds it only when none of them matches the row. null: there are none, the common case.
   */
  rivals: Rivals | null = null;
  /** Its nearest cover (ranking.ts), to which its shortfall moves; null: none. */
  cover: Position | null = null;
  /** Its place in its group's rank order (ranking.ts). */
  rank = 0;
  /** Consumption from its own rows, before shortfall moves (the rule's units). */
  own = 0;
  /** Shortfall received, in millionths, by giver (the positions it covers), and their sum (moves.ts). */
  movesIn = new Map<Position, number>();
  inMicros = 0;
  /** Shortfall handed to its cover. */
  moveOut: Move | null = null;
  /** Its entitlements in sheet order. */
  entitlements: Entitlement[] = [];
  active: Entitlement[] = [];
  cfg!: PositionConfig;
  readonly units = new Map<UnitKey, Unit>();
  amount = 0;
  parts: number[];
  /** How many units raise each flag, by bit position. */
  readonly flagCounts = [0, 0, 0];
  /** The last summary handed out, to tell what changed. */
  result: PositionResult | null = null;

  constructor(readonly key: string, readonly metric: string, readonly rule: MetricRule, first: Entitlement) {
    this.publisher = first.publisher;
    this.product = first.product;
    this.version = first.version;
    this.downgrade = first.downgrade;
    this.edition = first.edition;
    this.company = first.company;
    this.site = first.site;
    this.network = first.network;
    this.parts = new Array(rule.parts ?? 0).fill(0);
  }

  /** Re-derives the active entitlements and the settings taken from them. */
  refreshEntitlements(asOf: number): void {
    this.entitlements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.active = this.entitlements.filter((e) => (e.start === undefined || e.start <= asOf) && (e.end === undefined || asOf <= e.end));
    const first = <T>(get: (e: Entitlement) => T | undefined | '', fallback: T): T => {
      for (const e of this.active) {
        const v = get(e);
        if (v !== undefined && v !== '') return v as T;
      }
      return fallback;
    };
    this.cfg = {
      copiesPerDevice: first((e) => e.copiesPerDevice, 1),
      maxCoresPerProcessor: first((e) => e.maxCoresPerProcessor || undefined, 32),
      minCoresPerProcessor: first((e) => e.minCoresPerProcessor, 0),
      minCoresPerServer: first((e) => e.minCoresPerServer, 0),
      minCoresPerVm: first((e) => e.minCoresPerVm, 0),
      nupPerProcessor: first((e) => e.nupPerProcessor, 0),
      subcapacity: first((e) => e.subcapacity, false),
      hardwareManufacturer: first((e) => e.hardwareManufacturer, ''),
      hardwareModel: first((e) => e.hardwareModel, ''),
      userType: first((e) => e.userType, ''),
    };
  }

  setUnit(key: UnitKey, u: Unit | null): void {
    const old = this.units.get(key);
    if (old) this.account(old, -1);
    if (u) {
      this.units.set(key, u);
      this.account(u, 1);
    } else if (old) this.units.delete(key);
  }

  clearUnits(): void {
    this.units.clear();
    this.amount = 0;
    this.parts.fill(0);
    this.flagCounts.fill(0);
  }

  /** Adds (or takes away) a unit's worth to the position's sums. */
  account(u: Unit, sign: 1 | -1): void {
    this.amount += sign * u.amount;
    const parts = u.parts;
    if (parts !== undefined) for (let k = 0; k < parts.length; k++) this.parts[k] += sign * parts[k];
    const f = u.flags;
    if (f !== 0) {
      if (f & 1) this.flagCounts[0] += sign;
      if (f & 2) this.flagCounts[1] += sign;
      if (f & 4) this.flagCounts[2] += sign;
    }
  }

  flags(): number {
    let f = 0;
    for (let b = 0; b < 3; b++) if (this.flagCounts[b] > 0) f |= 1 << b;
    return f;
  }
}

/** Σ of the entitlements that set a value, in millionths (exact); null when none sets it. */
const sumMicros = (list: Entitlement[], get: (e: Entitlement) => number | undefined): number | null => {
  let total: number | null = null;
  for (const e of list) {
    const v = get(e);
    if (v !== undefined) total = (total ?? 0) + toMicro(v);
  }
  return total;
};
const fromMicros = (m: number | null) => (m === null ? null : m / MICRO);

/**
 * The exact decimal product of two amounts held in millionths, as the nearest number: 3 × 1.15 is
 * 3.45, not 3.4499999999999997. BigInt, because the product of two millionths can pass 2^53.
 * Never throws: amounts that are not whole millionths (a sum past 2^53, which cells cannot make but
 * a sum of a million of them could) are multiplied as doubles.
 */
export function exactProduct(aMicros: number, bMicros: number): number {
  if (!Number.isSafeInteger(aMicros) || !Number.isSafeInteger(bMicros)) return (aMicros / MICRO) * (bMicros / MICRO);
  // A product below 2^53 is exact as a double, and dividing it by 10^12 (exact too) rounds once,
  // to the number nearest the exact decimal: what reading its text gives (0, never -0).
  const direct = aMicros * bMicros;
  if (Number.isSafeInteger(direct)) return direct === 0 ? 0 : direct / 1e12;
  const p = BigInt(aMicros) * BigInt(bMicros);
  const negative = p < 0n;
  const abs = negative ? -p : p;
  const scale = 1_000_000_000_000n;
  const text = `${abs / scale}.${(abs % scale).toString().padStart(12, '0')}`;
  return (negative ? -1 : 1) * Number(text);
}

/**
 * The position's numbers and status from its consumption (metrics.md, "Positions and status").
 * Sums and differences are taken in millionths so that 0.7 + 0.2 + 0.1 purchased is 1: a rounding
 * error must never turn a compliant position noncompliant.
 */
export function summarize(p: Position, consumed: number, settings: Settings, allocation: AllocationBreakdown | null): PositionResult {
  const purchasedMicros = purchasedOf(p);
  const consumedMicros = toMicro(consumed);
  const warn1Micros = sumMicros(p.active, (e) => e.warn1);
  const warn2Micros = sumMicros(p.active, (e) => e.warn2);
  const purchased = purchasedMicros / MICRO;
  // The highest unit cost of any of its entitlements prices the shortfall: what buying more would cost.
  let unitCost: number | null = null;
  for (const e of p.entitlements) if (e.unitCost !== undefined && (unitCost === null || e.unitCost > unitCost)) unitCost = e.unitCost;
  const flagBits = p.flags();
  const always = p.rule.alwaysCompliant === true;
  let status: Status = 'compliant';
  if (!always) {
    if (consumedMicros > purchasedMicros || flagBits & FLAG_COPIES_EXCEEDED) status = 'noncompliant';
    else if (warn2Micros !== null && consumedMicros >= warn2Micros) status = 'warning2';
    else if (warn1Micros !== null && consumedMicros >= warn1Micros) status = 'warning1';
  }
  const shortfallMicros = always ? 0 : Math.max(0, consumedMicros - purchasedMicros);
  const unitMicros = toMicro(unitCost ?? 0);
  const { surplus, surplusCost } = surplusOf((purchasedMicros - consumedMicros) / MICRO, unitCost, !always,
    () => exactProduct(purchasedMicros - consumedMicros, unitMicros));
  const first = p.entitlements[0];
  return {
    key: p.key,
    entitlementIds: p.entitlements.map((e) => e.id),
    publisher: first.publisherName, product: first.productName, version: first.versionName, downgrade: p.downgrade, edition: first.editionName,
    metric: p.metric, company: p.company, site: p.site, network: p.network,
    purchased, consumed, available: (purchasedMicros - consumedMicros) / MICRO, status, shortfall: shortfallMicros / MICRO,
    shortfallCost: exactProduct(shortfallMicros, unitMicros), surplus, surplusCost, currency: settings.currency,
    warn1: fromMicros(warn1Micros), warn2: fromMicros(warn2Micros), unitCost, allocation,
    flags: FLAG_NAMES.filter(([bit]) => flagBits & bit).map(([, name]) => name),
    moves: movesOf(p),
    rights: p.entitlements.map((e) => rightOf(e, settings.asOf)),
  };
}

/** Σ quantity of the active entitlements, in millionths. */
const quantityOf = (e: Entitlement) => e.quantity;

export function purchasedOf(p: Position): number {
  return sumMicros(p.active, quantityOf) ?? 0;
}

/** Shortfall received, by giver in rank order. */
export function receivedInRankOrder(p: Position): Move[] {
  return [...p.movesIn].map(([other, micros]) => ({ other, micros })).sort((a, b) => a.other.rank - b.other.rank);
}

/** Received moves (+) in the order of their givers' rank, then the one handed over (−). */
function movesOf(p: Position): MoveResult[] {
  const out = p.movesIn.size === 0 ? [] : receivedInRankOrder(p).map((m) => ({ key: m.other.key, amount: m.micros / MICRO }));
  if (p.moveOut) out.push({ key: p.moveOut.other.key, amount: -p.moveOut.micros / MICRO });
  return out;
}

/** A time as an ISO day when it is midnight UTC, else as an ISO date-time. */
const isoTime = (t: number | undefined): string | null =>
  t === undefined ? null : t % DAY_MS === 0 ? isoDate(t) : new Date(t).toISOString();

/** Whether an entitlement counts at asOf (metrics.md "Active entitlement") and its dates. */
export function rightOf(e: Entitlement, asOf: number): RightResult {
  const state = e.start !== undefined && asOf < e.start ? 'not started' : e.end !== undefined && asOf > e.end ? 'ended' : 'active';
  const noticeBy = e.renewal !== undefined && e.noticeDays !== undefined ? e.renewal - e.noticeDays * DAY_MS : undefined;
  return {
    id: e.id, quantity: e.quantity, unitCost: e.unitCost ?? null, state,
    start: isoTime(e.start), end: isoTime(e.end), renewal: isoTime(e.renewal), noticeBy: isoTime(noticeBy),
  };
}

/** Two summaries say the same (contributions aside). */
export function sameResult(a: PositionResult | null, b: PositionResult): boolean {
  if (a === null) return false;
  for (const k of Object.keys(b) as (keyof PositionResult)[]) {
    if (k === 'contributions') continue;
    if (!samePlain(a[k], b[k])) return false;
  }
  return true;
}

/** Plain data (numbers, text, arrays, objects of them) equal field by field: a cover's list of moves can be long. */
function samePlain(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!samePlain(x[i], y[i])) return false;
    return true;
  }
  const kx = Object.keys(x), ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (const k of kx) if (!samePlain((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k])) return false;
  return true;
}
