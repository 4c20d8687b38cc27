// Data-driven metric cases: a table of { name, why, sheets, expect } per family, each computed by
// hand from the spec (metrics.md, workbook.md, ham.md) in its `why`.

import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../engine/cells';
import type { Result } from '../../engine/changes';
import type { PositionResult } from '../../engine/positions/position';
import { position, run, type Sheets as RunSheets } from '../helpers/workbook';

/** What a case expects of the position listing an entitlement. */
export interface Want {
  consumed?: number;
  purchased?: number;
  available?: number;
  status?: PositionResult['status'];
  shortfall?: number;
  shortfallCost?: number;
  /** The exact set of flags. */
  flags?: string[];
  allocation?: PositionResult['allocation'];
  entitlementIds?: string[];
  /** Refs that must appear among the contributions, with their amounts when given. */
  refs?: Record<string, number | null>;
  /** Contributions' amounts add up to the consumption (a metric that is a sum). */
  sums?: boolean;
}

/** A workbook's sheets by name, and its settings (merged over asOf 2026-11-01 / USD). */
export interface Sheets {
  settings?: Record<string, unknown>;
  [sheet: string]: RawRow[] | Record<string, unknown> | undefined;
}

export interface Case {
  name: string;
  why: string;
  sheets: Sheets;
  expect: Record<string, Want>;
}

export const AS_OF = '2026-11-01';
const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();

/** Reconciles sheets, with settings merged over asOf 2026-11-01 / USD. */
export function reckon(sheets: Sheets): Result {
  return run({ ...sheets, settings: { asOf: AS_OF, currency: 'USD', ...(sheets.settings ?? {}) } } as unknown as RunSheets);
}

export function checkPosition(r: Result, id: string, want: Want): void {
  const p = position(r, id);
  const label = (k: string) => `${id}.${k}`;
  for (const k of ['consumed', 'purchased', 'available', 'status', 'shortfall', 'shortfallCost'] as const) {
    if (want[k] === undefined) continue;
    if (typeof want[k] === 'number') expect(p[k] as number, label(k)).toBeCloseTo(want[k] as number, 9);
    else expect(p[k], label(k)).toBe(want[k]);
  }
  if (want.flags) expect([...p.flags].sort(), label('flags')).toEqual([...want.flags].sort());
  if (want.allocation !== undefined) {
    if (want.allocation === null) expect(p.allocation, label('allocation')).toBeNull();
    else expect(p.allocation, label('allocation')).toMatchObject(want.allocation);
  }
  if (want.entitlementIds) expect(p.entitlementIds.map(norm).sort(), label('entitlementIds')).toEqual(want.entitlementIds.map(norm).sort());
  const contributions = p.contributions ?? [];
  if (want.refs) {
    for (const [ref, amount] of Object.entries(want.refs)) {
      const got = contributions.filter((c) => norm(c.ref) === norm(ref));
      expect(got.length, `${id} contribution ${ref} in ${JSON.stringify(contributions.map((c) => c.ref))}`).toBeGreaterThan(0);
      if (amount !== null) expect(got.reduce((s, c) => s + c.amount, 0), `${id} contribution ${ref}`).toBeCloseTo(amount, 9);
      for (const c of got) expect(typeof c.why === 'string' && c.why.length > 0, `${id} ${ref} why`).toBe(true);
    }
  }
  if (want.sums) expect(contributions.reduce((s, c) => s + c.amount, 0), `${id} Σ contributions`).toBeCloseTo(p.consumed, 9);
}

/** One `it` per case, under a `describe` for the family. */
export function table(family: string, cases: Case[]): void {
  describe(family, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.why}`, () => {
        const r = reckon(c.sheets);
        for (const [id, want] of Object.entries(c.expect)) checkPosition(r, id, want);
      });
    }
  });
}

// ---- Row builders: publisher Acme, product App unless told otherwise. ----

export const PUB = 'Acme';
export const PROD = 'App';

export const ent = (id: string, metric: string, quantity: unknown = 100, more: RawRow = {}): RawRow => ({ id, publisher: PUB, product: PROD, metric, quantity, ...more });
export const dev = (id: string, more: RawRow = {}): RawRow => ({ id, name: id.toUpperCase(), ...more });
/** A physical host with cpus sockets and cores cores. */
export const host = (id: string, cpus: unknown, cores: unknown, more: RawRow = {}): RawRow => dev(id, { cpus, cores, ...more });
/** A virtual machine on hostId (null: no host). */
export const vm = (id: string, hostId: string | null, vcpus: unknown, more: RawRow = {}): RawRow => dev(id, { virtual: true, ...(hostId === null ? {} : { hostId }), vcpus, ...more });
export const inst = (id: string, deviceId: string, more: RawRow = {}): RawRow => ({ id, deviceId, publisher: PUB, product: PROD, ...more });
/** Installations of Acme App on each device, ids i1.. in order. */
export const installs = (...deviceIds: string[]): RawRow[] => deviceIds.map((d, k) => inst(`i${k + 1}`, d));
export const user = (id: string, more: RawRow = {}): RawRow => ({ id, name: id.toUpperCase(), ...more });
export const users = (...ids: string[]): RawRow[] => ids.map((u) => user(u));
export const factor = (id: string, kind: string, value: number, more: RawRow = {}): RawRow => ({ id, kind, publisher: PUB, value, ...more });
export const tier = (id: string, from: number, to: number | null, unitsPer: number, more: RawRow = {}): RawRow => ({ id, publisher: PUB, product: PROD, from, to, unitsPer, ...more });
export const session = (id: string, start: string, end: string | null, more: RawRow = {}): RawRow => ({ id, publisher: PUB, product: PROD, start, ...(end === null ? {} : { end }), ...more });
export const access = (id: string, more: RawRow = {}): RawRow => ({ id, publisher: PUB, product: PROD, ...more });
export const alloc = (id: string, entitlementId: string, more: RawRow = {}): RawRow => ({ id, entitlementId, ...more });
/** Times on 2026-10-20 (inside a window of October), e.g. t('10:30'). */
export const t = (hhmm: string, day = '2026-10-20'): string => `${day}T${hhmm}:00Z`;
/** The October window most session cases use. */
export const OCTOBER = { windowStart: '2026-10-01', windowEnd: '2026-11-01' };
