// Concurrent, usage and sensor metrics (metrics.md, "Concurrent, usage and sensor metrics",
// "Window" and "peak").

import type { RawRow } from '../../engine/cells';
import { dev, ent, OCTOBER, session, t, table, user, users, type Case } from './table';

const measure = (id: string, date: string, quantity: number, more: RawRow = {}): RawRow => ({ id, publisher: 'Acme', product: 'App', date, quantity, ...more });
const seen = (id: string, deviceId: string, seenAt: string, more: RawRow = {}): RawRow => ({ id, deviceId, publisher: 'Acme', product: 'App', seenAt, ...more });
const HOUR = 3_600_000;
/** The first hour of the 672-hour span ending at 2026-11-01T00:00Z. */
const SPAN_START = Date.UTC(2026, 9, 4);
const hourAt = (k: number, minute = 30) => new Date(SPAN_START + k * HOUR + minute * 60_000).toISOString();

const peaks: Case[] = [
  {
    name: 'floating peak; touching sessions do not overlap',
    why: 's1 09–11, s2 10–12, s3 11–13 (starts when s1 ends): at most 2 open at once → 2',
    sheets: {
      settings: OCTOBER,
      sessions: [session('s1', t('09:00'), t('11:00')), session('s2', t('10:00'), t('12:00')), session('s3', t('11:00'), t('13:00'))],
      entitlements: [ent('e1', 'floating', 2)],
    },
    expect: { e1: { consumed: 2, status: 'compliant' } },
  },
  {
    name: 'floating back-to-back sessions',
    why: 's1 09–10 and s2 10–11 touch end-to-start → never both open → 1',
    sheets: { settings: OCTOBER, sessions: [session('s1', t('09:00'), t('10:00')), session('s2', t('10:00'), t('11:00'))], entitlements: [ent('e1', 'floating')] },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'floating open-ended session lasts to windowEnd',
    why: 's1 from Oct 20 with no end is still open when s2 (Oct 25) and s3 (Oct 30) run together → 3',
    sheets: {
      settings: OCTOBER,
      sessions: [session('s1', t('09:00'), null), session('s2', t('09:00', '2026-10-25'), null), session('s3', t('09:00', '2026-10-30'), t('10:00', '2026-10-30'))],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 3 } },
  },
  {
    name: 'floating window is half-open',
    why: 'October window: s1,s2 end exactly at windowStart (never open inside); s3,s4 start at windowEnd 2026-11-01 (outside); s5 spans windowStart and s6 ends after windowEnd → 1 each, not together',
    sheets: {
      settings: OCTOBER,
      sessions: [
        session('s1', '2026-09-30T20:00:00Z', '2026-10-01T00:00:00Z'), session('s2', '2026-09-30T21:00:00Z', '2026-10-01'),
        session('s3', '2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z'), session('s4', '2026-11-01', null),
        session('s5', '2026-09-30T23:00:00Z', '2026-10-01T01:00:00Z'), session('s6', '2026-10-31T23:00:00Z', '2026-11-01T05:00:00Z'),
      ],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'floating default window: 90 days ending at asOf',
    why: 'asOf 2026-11-01 → window [2026-08-03, 2026-11-01): s1,s2 together on Aug 2 are outside; s3 on Aug 3 inside → 1',
    sheets: {
      sessions: [session('s1', t('10:00', '2026-08-02'), t('11:00', '2026-08-02')), session('s2', t('10:00', '2026-08-02'), t('11:00', '2026-08-02')), session('s3', t('00:00', '2026-08-03'), t('01:00', '2026-08-03'))],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'floating with time zones',
    why: 's1 10:00–11:00+02:00 = 08–09Z overlaps s2 08:30–09:30Z → 2; s3 09:00–10:00+02:00 = 07–08Z ends when s1 starts',
    sheets: {
      settings: OCTOBER,
      sessions: [session('s1', '2026-10-20T10:00:00+02:00', '2026-10-20T11:00:00+02:00'), session('s2', t('08:30'), t('09:30')), session('s3', '2026-10-20T09:00:00+02:00', '2026-10-20T10:00:00+02:00')],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'floating product filter, product *, and users do not matter',
    why: 'e1 (App): s1 by unknown u9 and s2 by inactive u8 overlap → 2 (usage that happened counts); Tool session ignored; e2 (product *): only the Tool session, App sessions feed the named e1 → 1',
    sheets: {
      settings: OCTOBER,
      users: [user('u8', { active: false })],
      sessions: [session('s1', t('09:00'), t('11:00'), { userId: 'u9' }), session('s2', t('09:00'), t('11:00'), { userId: 'u8' }), session('s3', t('09:00'), t('11:00'), { product: 'Tool' })],
      entitlements: [ent('e1', 'floating'), ent('e2', 'floating', 5, { product: '*' })],
    },
    expect: { e1: { consumed: 2 }, e2: { consumed: 1 } },
  },
  {
    name: 'network filter on session metrics',
    why: 'e1 floating on network LAN1: s1 "lan1 ", s2 LAN1 overlap → 2; s3,s4 on LAN2 and s5 blank excluded; e2 network metric LAN2 → 2; e3 token on LAN2 (3 + 1 tokens) → 4',
    sheets: {
      settings: OCTOBER,
      sessions: [
        session('s1', t('09:00'), t('11:00'), { network: 'lan1 ' }), session('s2', t('09:30'), t('10:30'), { network: 'LAN1' }),
        session('s3', t('09:00'), t('11:00'), { network: 'LAN2', tokens: 3 }), session('s4', t('09:00'), t('11:00'), { network: 'lan2' }), session('s5', t('09:00'), t('11:00')),
      ],
      entitlements: [ent('e1', 'floating', 5, { network: 'LAN1' }), ent('e2', 'network', 5, { network: 'LAN2' }), ent('e3', 'token', 5, { network: 'LAN2' })],
    },
    expect: { e1: { consumed: 2 }, e2: { consumed: 2 }, e3: { consumed: 4 } },
  },
  {
    name: 'concurrent_user distinct users',
    why: 'u1 09–12 and 10–13 (one user), u2 11:30–12:30, a user-less session 11:45–12:15 (its own user): at 11:45 {u1, u2, anon} → 3',
    sheets: {
      settings: OCTOBER,
      users: users('u1', 'u2'),
      sessions: [session('s1', t('09:00'), t('12:00'), { userId: 'u1' }), session('s2', t('10:00'), t('13:00'), { userId: 'u1' }), session('s3', t('11:30'), t('12:30'), { userId: 'u2' }), session('s4', t('11:45'), t('12:15'))],
      entitlements: [ent('e1', 'concurrent_user', 2)],
    },
    expect: { e1: { consumed: 3, status: 'noncompliant', shortfall: 1 } },
  },
  {
    name: 'concurrent_user sessions without users',
    why: 'two overlapping user-less sessions count as two users → 2',
    sheets: { settings: OCTOBER, sessions: [session('s1', t('09:00'), t('11:00')), session('s2', t('10:00'), t('12:00'))], entitlements: [ent('e1', 'concurrent_user')] },
    expect: { e1: { consumed: 2 } },
  },
  {
    // Ambiguity decided: an inactive or unknown user id "counts as no user" everywhere, so each of
    // its sessions counts as its own user (the sessions still count: usage that happened).
    name: 'concurrent_user sessions of an inactive user',
    why: 'u9 is inactive: its two overlapping sessions count as two users → 2',
    sheets: {
      settings: OCTOBER,
      users: [user('u9', { active: false })],
      sessions: [session('s1', t('09:00'), t('11:00'), { userId: 'u9' }), session('s2', t('10:00'), t('12:00'), { userId: 'u9' })],
      entitlements: [ent('e1', 'concurrent_user')],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'token peak weight',
    why: 's1 3 tokens 09–11, s2 2 tokens 10–12, s3 (1) 11–12: 10–11 → 5, 11–12 → 3 → 5',
    sheets: {
      settings: OCTOBER,
      sessions: [session('s1', t('09:00'), t('11:00'), { tokens: 3 }), session('s2', t('10:00'), t('12:00'), { tokens: '2' }), session('s3', t('11:00'), t('12:00'))],
      entitlements: [ent('e1', 'token', 4)],
    },
    expect: { e1: { consumed: 5, status: 'noncompliant' } },
  },
  {
    // Ambiguity decided: with only windowEnd set, the window is the 90 days ending at windowEnd
    // (the literal "windowStart = asOf − 90 days" would leave an empty window for a past windowEnd).
    name: 'windowEnd alone: the 90 days ending at it',
    why: 'windowEnd 2026-06-01 → [2026-03-03, 2026-06-01): s1,s2 together on May 20 → 2; s3,s4,s5 together on Oct 20 are after windowEnd',
    sheets: {
      settings: { windowEnd: '2026-06-01' },
      sessions: [
        session('s1', t('09:00', '2026-05-20'), t('10:00', '2026-05-20')), session('s2', t('09:00', '2026-05-20'), t('10:00', '2026-05-20')),
        session('s3', t('09:00'), t('10:00')), session('s4', t('09:00'), t('10:00')), session('s5', t('09:00'), t('10:00')),
      ],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'windowStart alone: the window ends at asOf',
    why: 'windowStart 2026-10-25, windowEnd = asOf: s1,s2 on Oct 20 outside; s3 on Oct 30 → 1',
    sheets: {
      settings: { windowStart: '2026-10-25' },
      sessions: [session('s1', t('09:00'), t('10:00')), session('s2', t('09:00'), t('10:00')), session('s3', t('09:00', '2026-10-30'), t('10:00', '2026-10-30'))],
      entitlements: [ent('e1', 'floating')],
    },
    expect: { e1: { consumed: 1 } },
  },
];

const usage: Case[] = [
  {
    name: 'engine_measurement latest, then largest that date',
    why: 'Oct 5 → 100; Oct 20 → 50 and 70 (latest date; largest 70); Nov 1 999 is at windowEnd (outside); other product ignored → 70',
    sheets: {
      settings: OCTOBER,
      measurements: [measure('m1', '2026-10-05', 100), measure('m2', '2026-10-20', 50), measure('m3', '2026-10-20', 70), measure('m4', '2026-11-01', 999), measure('m5', '2026-10-25', 5, { product: 'Other' })],
      entitlements: [ent('e1', 'engine_measurement')],
    },
    expect: { e1: { consumed: 70 } },
  },
  {
    name: 'engine_measurement none in window',
    why: 'only a measurement before windowStart → 0',
    sheets: { settings: OCTOBER, measurements: [measure('m1', '2026-09-30', 10)], entitlements: [ent('e1', 'engine_measurement')] },
    expect: { e1: { consumed: 0 } },
  },
  {
    name: 'digital_access sums the window',
    why: 'Oct 1 (= windowStart, inside) 10 + Oct 20 50 + Oct 31 70 = 130; Sep 30 and Nov 1 outside',
    sheets: {
      settings: OCTOBER,
      measurements: [measure('m0', '2026-09-30', 1000), measure('m1', '2026-10-01', 10), measure('m2', '2026-10-20', 50), measure('m3', '2026-10-31', 70), measure('m4', '2026-11-01', 999)],
      entitlements: [ent('e1', 'digital_access', 100)],
    },
    expect: { e1: { consumed: 130, status: 'noncompliant', shortfall: 30 } },
  },
  {
    name: 'saas_consumption sums exactly; product *',
    why: 'e1 App: 1.5 + 2.25 = 3.75; e2 (*): only Tool 0.25, App measurements feed the named e1; default window (Aug 3 – Nov 1)',
    sheets: {
      measurements: [measure('m1', '2026-08-03', 1.5), measure('m2', '2026-10-31', 2.25), measure('m3', '2026-09-01', 0.25, { product: 'Tool' }), measure('m4', '2026-08-02', 50)],
      entitlements: [ent('e1', 'saas_consumption'), ent('e2', 'saas_consumption', 100, { product: '*' })],
    },
    expect: { e1: { consumed: 3.75 }, e2: { consumed: 0.25 } },
  },
];

const sensors: Case[] = [
  {
    name: 'sensor_hourly one device every hour',
    why: 'd1 checks in each of the 672 hours [Oct 4 00:00Z, Nov 1 00:00Z) → mean 1 → 1',
    sheets: { devices: [dev('d1')], sensors: Array.from({ length: 672 }, (_, k) => seen(`s${k}`, 'd1', hourAt(k))), entitlements: [ent('e1', 'sensor_hourly')] },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'sensor_hourly mean rounded up',
    why: 'd1 every hour (672) + d2 in the first 336 hours → (672 + 336) / 672 = 1.5 → 2',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      sensors: [...Array.from({ length: 672 }, (_, k) => seen(`a${k}`, 'd1', hourAt(k))), ...Array.from({ length: 336 }, (_, k) => seen(`b${k}`, 'd2', hourAt(k, 5)))],
      entitlements: [ent('e1', 'sensor_hourly', 1)],
    },
    expect: { e1: { consumed: 2, status: 'noncompliant' } },
  },
  {
    name: 'sensor_hourly a single check-in',
    why: 'd1 twice in one hour → that hour 1 device, others 0 → ⌈1/672⌉ = 1',
    sheets: { devices: [dev('d1')], sensors: [seen('s1', 'd1', '2026-10-10T05:10:00Z'), seen('s2', 'd1', '2026-10-10T05:50:00Z')], entitlements: [ent('e1', 'sensor_hourly')] },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'sensor_hourly span edges, retired devices',
    why: 'asOf\'s own day (Nov 1 03:00Z) and Oct 3 23:59Z are outside; d2 retired counts nowhere; other product ignored → 0',
    sheets: {
      devices: [dev('d1'), dev('d2', { status: 'retired' })],
      sensors: [seen('s1', 'd1', '2026-11-01T03:00:00Z'), seen('s2', 'd1', '2026-10-03T23:59:00Z'), seen('s3', 'd2', '2026-10-10T10:00:00Z'), seen('s4', 'd1', '2026-10-10T10:00:00Z', { product: 'Other' })],
      entitlements: [ent('e1', 'sensor_hourly')],
    },
    expect: { e1: { consumed: 0 } },
  },
  {
    name: 'sensor_hourly ignores the usage window',
    why: 'windowStart/windowEnd are for sessions and measurements: a check-in at Oct 4 00:00Z (first hour) counts although the window is September → 1',
    sheets: { settings: { windowStart: '2026-09-01', windowEnd: '2026-09-30' }, devices: [dev('d1')], sensors: [seen('s1', 'd1', '2026-10-04T00:00:00Z')], entitlements: [ent('e1', 'sensor_hourly')] },
    expect: { e1: { consumed: 1 } },
  },
  {
    name: 'sensor_subscription weekly mean',
    why: 'weeks [Oct 4, 11) [11, 18) [18, 25) [25, Nov 1): d1 in all four, d2 in week 1, d3 twice in week 4 → 2,1,1,2 → 1.5 → 2',
    sheets: {
      devices: [dev('d1'), dev('d2'), dev('d3')],
      sensors: [
        seen('a1', 'd1', '2026-10-04T00:00:00Z'), seen('a2', 'd1', '2026-10-11T00:00:00Z'), seen('a3', 'd1', '2026-10-24T23:59:00Z'), seen('a4', 'd1', '2026-10-31T23:00:00Z'),
        seen('b1', 'd2', '2026-10-10T12:00:00Z'), seen('c1', 'd3', '2026-10-26T12:00:00Z'), seen('c2', 'd3', '2026-10-27T12:00:00Z'),
      ],
      entitlements: [ent('e1', 'sensor_subscription')],
    },
    expect: { e1: { consumed: 2 } },
  },
  {
    name: 'sensor_subscription edges',
    why: 'd1 once in week 1 → ⌈1/4⌉ = 1; d2 on asOf\'s day and on Oct 3 → outside; e2 for Other has only those → 0',
    sheets: {
      devices: [dev('d1'), dev('d2')],
      sensors: [seen('a1', 'd1', '2026-10-05T08:00:00Z'), seen('b1', 'd2', '2026-11-01T00:00:00Z', { product: 'Other' }), seen('b2', 'd2', '2026-10-03T12:00:00Z', { product: 'Other' })],
      entitlements: [ent('e1', 'sensor_subscription'), ent('e2', 'sensor_subscription', 100, { product: 'Other' })],
    },
    expect: { e1: { consumed: 1 }, e2: { consumed: 0 } },
  },
];

table('concurrent metrics: peaks and windows', peaks);
table('usage metrics: measurements', usage);
table('sensor metrics', sensors);
