// Cell readings (workbook.md): numbers, counts, booleans, ISO dates and date-times, and text
// comparisons that ignore case and surrounding spaces. Checked through reconciliation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTime } from '../../engine/cells';
import { position } from '../helpers/workbook';
import { access, alloc, dev, ent, host, inst, installs, OCTOBER, reckon, session, user, vm } from './table';

const consumedOf = (sheets: Parameters<typeof reckon>[0], id = 'e1') => position(reckon(sheets), id).consumed;

describe('numbers and counts', () => {
  it('numbers as numbers or text with spaces; fractions exact', () => {
    const r = reckon({ entitlements: [ent('e1', 'per_device', '5'), ent('e2', 'per_device', ' 2.5 '), ent('e3', 'per_device', 0.25)] });
    expect(position(r, 'e1').purchased).toBe(7.75);
    expect(r.problems).toEqual([]);
  });
  it('counts as text: cores "16" and " 8 " → 24', () => {
    const r = reckon({ devices: [host('h1', '2', '16'), host('h2', ' 1 ', ' 8 ')], installations: installs('h1', 'h2'), entitlements: [ent('e1', 'per_core_sum')] });
    expect(position(r, 'e1')).toMatchObject({ consumed: 24, flags: [] });
    expect(r.problems).toEqual([]);
  });
  it('a count of 0 is readable: cpus 0 counts 0 and is not a problem', () => {
    const r = reckon({ devices: [host('h1', 0, 8)], installations: installs('h1'), entitlements: [ent('e1', 'per_core_sum')] });
    expect(r.problems).toEqual([]);
    expect(position(r, 'e1').consumed).toBe(8);
  });
});

describe('booleans', () => {
  // per_processor reads a device as virtual (vcpus 4) or physical (cpus 1).
  const perProcessor = (virtual: unknown) =>
    reckon({ devices: [dev('x', { virtual, cpus: 1, vcpus: 4 })], installations: installs('x'), entitlements: [ent('e1', 'per_processor')] });
  for (const v of [true, 'true', 'TRUE', ' yes ', 'Yes', 1, '1']) {
    it(`${JSON.stringify(v)} is true`, () => {
      const r = perProcessor(v);
      expect(r.problems).toEqual([]);
      expect(position(r, 'e1').consumed).toBe(4);
    });
  }
  for (const v of [false, 'false', 'False', 'no', ' NO ', 0, '0', null, '']) {
    it(`${JSON.stringify(v)} is false`, () => {
      const r = perProcessor(v);
      expect(r.problems).toEqual([]);
      expect(position(r, 'e1').consumed).toBe(1);
    });
  }
  // workbook.md lists the spellings: true/false/yes/no/1/0. Anything else does not parse.
  for (const v of ['y', 'n', 'on', 'off', 2, 'maybe']) {
    it(`${JSON.stringify(v)} is not a boolean: a problem`, () => {
      const r = perProcessor(v);
      expect(r.problems.some((p) => p.sheet === 'devices' && p.rowId === 'x' && p.column === 'virtual'), JSON.stringify(r.problems)).toBe(true);
    });
  }
  it('active "No" makes a user inactive; "yes" and blank keep it active', () => {
    const sheets = {
      users: [user('u1', { active: 'No' }), user('u2', { active: 'yes' }), user('u3')],
      allocations: ['u1', 'u2', 'u3'].map((u, k) => alloc(`a${k}`, 'e1', { userId: u })),
      entitlements: [ent('e1', 'named_fixed')],
    };
    expect(consumedOf(sheets)).toBe(2);
  });
});

describe('dates and date-times', () => {
  const purchased = (more: Record<string, unknown>) => position(reckon({ entitlements: [ent('e1', 'per_device', 1, more)] }), 'e1').purchased;
  it('a date alone is 00:00 UTC: end = asOf is active, the day before is not', () => {
    expect(purchased({ end: '2026-11-01' })).toBe(1);
    expect(purchased({ end: '2026-10-31' })).toBe(0);
  });
  it('date-times with Z and with offsets', () => {
    expect(purchased({ end: '2026-11-01T00:00:00Z' })).toBe(1);
    expect(purchased({ end: '2026-10-31T23:59:59Z' })).toBe(0);
    // 12:00+02:00 on Nov 1 is 10:00Z, after asOf's 00:00Z: still active.
    expect(purchased({ end: '2026-11-01T12:00:00+02:00' })).toBe(1);
    // 01:00+02:00 on Nov 1 is Oct 31 23:00Z: ended before asOf.
    expect(purchased({ end: '2026-11-01T01:00:00+02:00' })).toBe(0);
    // 20:00-05:00 on Oct 31 is Nov 1 01:00Z: after asOf.
    expect(purchased({ end: '2026-10-31T20:00:00-05:00' })).toBe(1);
  });
  it('a date-time without a zone is read as UTC (the same on every machine)', () => {
    // s1 10:00–11:00 (no zone, = UTC) overlaps s2 10:59Z–11:30Z → 2.
    const sheets = {
      settings: OCTOBER,
      sessions: [session('s1', '2026-10-20T10:00:00', '2026-10-20T11:00:00'), session('s2', '2026-10-20T10:59:00Z', '2026-10-20T11:30:00Z')],
      entitlements: [ent('e1', 'floating')],
    };
    expect(consumedOf(sheets)).toBe(2);
  });
  it('session dates without a time are 00:00 UTC', () => {
    // s1 [Oct 20 00:00Z, Oct 21 00:00Z); s2 Oct 20 23:00Z–Oct 21 01:00Z overlaps it; s3 starts Oct 21 00:00Z (touches s1).
    const sheets = {
      settings: OCTOBER,
      sessions: [session('s1', '2026-10-20', '2026-10-21'), session('s2', '2026-10-20T23:00:00Z', '2026-10-21T01:00:00Z'), session('s3', '2026-10-21T00:00:00Z', '2026-10-21T00:30:00Z')],
      entitlements: [ent('e1', 'floating')],
    };
    // At 23:00–24:00: s1, s2 → 2; at 00:00–00:30: s2, s3 → 2; never all three.
    expect(consumedOf(sheets)).toBe(2);
  });
  it('fractional seconds are readable', () => {
    const r = reckon({ settings: OCTOBER, sessions: [session('s1', '2026-10-20T10:00:00.500Z', '2026-10-20T11:00:00.250Z')], entitlements: [ent('e1', 'floating')] });
    expect(r.problems).toEqual([]);
    expect(position(r, 'e1').consumed).toBe(1);
  });
});

describe('text comparisons ignore case and surrounding spaces', () => {
  it('ids in references: deviceId, hostId, userId, entitlementId', () => {
    const r = reckon({
      users: [user('u1')],
      devices: [host('h1', 2, 16), vm('v1', ' H1 ', 4)],
      installations: [inst('i1', ' V1', { userId: 'U1 ' })],
      allocations: [alloc('a1', ' E2 ', { userId: ' u1' })],
      entitlements: [ent('e1', 'per_cpu_sum'), ent('e2', 'named_fixed')],
    });
    expect(r.problems).toEqual([]);
    expect(position(r, 'e1').consumed).toBe(2); // v1 on h1 → h1's 2 cpus
    expect(position(r, 'e2').consumed).toBe(1);
  });
  it('enum values: status, metric, employeeType, role, userType, environment', () => {
    const r = reckon({
      users: [user('u1', { employeeType: ' EXTERNAL ', role: 'External Contact ' }), user('u2', { employeeType: 'Employee' })],
      devices: [dev('d1', { status: ' IN USE ', environment: ' PRODUCTION ' }), dev('d2', { status: 'Retired' })],
      installations: installs('d1', 'd2'),
      allocations: [alloc('a1', 'e5', { userId: 'u2', userType: ' ADVANCED ' })],
      entitlements: [
        ent('e1', ' Per_Device '), ent('e2', 'EXTERNAL_UVU'), ent('e3', 'asm_analyst'), ent('e4', 'asm_site'), ent('e5', 'fue'),
      ],
    });
    expect(r.problems).toEqual([]);
    expect(position(r, 'e1').consumed).toBe(1);
    expect(position(r, 'e2').consumed).toBe(1);
    expect(position(r, 'e3').consumed).toBe(1);
    expect(position(r, 'e4').consumed).toBe(1);
    expect(position(r, 'e5').consumed).toBe(1);
  });
  it('site, company and network', () => {
    const r = reckon({
      settings: OCTOBER,
      devices: [dev('d1', { site: ' london', company: 'CONTOSO ' })],
      installations: installs('d1'),
      sessions: [session('s1', '2026-10-20T09:00:00Z', '2026-10-20T10:00:00Z', { network: ' Lan1 ' })],
      entitlements: [ent('e1', 'per_device', 1, { site: 'London ', company: ' contoso' }), ent('e2', 'floating', 1, { network: 'LAN1' })],
    });
    expect(position(r, 'e1').consumed).toBe(1);
    expect(position(r, 'e2').consumed).toBe(1);
  });
  it('access records match the product ignoring case', () => {
    const r = reckon({ users: [user('u1')], access: [access('x1', { userId: 'u1', publisher: 'ACME', product: ' app ' })], entitlements: [ent('e1', 'user_cal')] });
    expect(position(r, 'e1').consumed).toBe(1);
  });
});

describe('toTime: the two shapes read by position', () => {
  /** What Date makes of "YYYY-MM-DD": its UTC midnight when it is that very day, else NaN. */
  const byDate = (year: number, month: number, day: number) => {
    const t = Date.UTC(year, month - 1, day);
    const d = new Date(t);
    return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? t : NaN;
  };
  const pad = (n: number, width: number) => String(n).padStart(width, '0');

  it('every day and impossible day of years 100 to 9999 reads as Date reads it (seeded)', () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 86_399 }), (year, month, day, second) => {
      const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
      const want = byDate(year, month, day);
      expect(toTime(date)).toBe(want);
      const time = `${pad(Math.floor(second / 3600), 2)}:${pad(Math.floor(second / 60) % 60, 2)}:${pad(second % 60, 2)}`;
      expect(toTime(`${date}T${time}Z`)).toBe(want + second * 1000);
    }), { seed: 20261123, numRuns: 3000 });
  });

  /** The rule for both shapes, through a pattern and Date: what the positional reading must match. */
  const byPattern = (s: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(s);
    if (!m || Number(m[1]) < 100) return NaN;
    const [h, mi, sec] = [m[4], m[5], m[6]].map((x) => Number(x ?? 0));
    if (h > 23 || mi > 59 || sec > 59) return NaN;
    return byDate(Number(m[1]), Number(m[2]), Number(m[3])) + ((h * 60 + mi) * 60 + sec) * 1000;
  };

  it('a stamp with any digit or date separator changed reads as the pattern and Date read it (seeded)', () => {
    const stamp = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 86_399 }), fc.boolean())
      .map(([year, month, day, second, withTime]) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
        + (withTime ? `T${pad(Math.floor(second / 3600), 2)}:${pad(Math.floor(second / 60) % 60, 2)}:${pad(second % 60, 2)}Z` : ''));
    const char = fc.constantFrom(...'0123456789/:-TZ .+a'.split(''), '\u0660', '\u0000');
    fc.assert(fc.property(stamp, fc.nat(), char, (s, at, c) => {
      const i = at % s.length;
      const changed = s.slice(0, i) + c + s.slice(i + 1);
      // A change to the time's separators leaves the two shapes for the general reading (DATE_RE).
      if (changed.length === 20 && !/^.{10}T..:..:..Z$/.test(changed)) return;
      expect(toTime(changed)).toBe(byPattern(changed));
    }), { seed: 20261123, numRuns: 5000 });
  });

  it('leap days, and years before 100 (typos, not dates)', () => {
    expect(toTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(toTime('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(toTime('1900-02-29')).toBeNaN();
    expect(toTime('2023-02-29')).toBeNaN();
    expect(toTime('0099-12-31')).toBeNaN();
    expect(toTime('0100-01-01')).toBe(Date.UTC(100, 0, 1));
    expect(toTime('2026-1x-01')).toBeNaN();
  });
});
