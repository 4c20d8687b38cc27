// Usage over time: licence checkouts and logins (sessions) in the 90-day window, security
// sensor check-ins over the 28 days before asOf, and measured quantities (SAP engines,
// documents, SaaS credits).

import { PI, PRODUCTS, type ProductKey } from './catalog';
import { Random } from './random';
import { Kind, Status, type Estate } from './model';
import { AS_OF, NETWORKS, SITES } from './reference';
import type { People } from './rights';
import type { Row } from './types';
import { Clock, dayNumber, weekday } from './util';

export const WINDOW_DAYS = 90;
const FLEXNET: ReadonlySet<ProductKey> = new Set<ProductKey>(['autocad', 'revit', 'matlab']);
const ASOF_DAY = dayNumber(AS_OF);
const WINDOW_START_DAY = ASOF_DAY - WINDOW_DAYS;

interface SessionPlan {
  key: ProductKey;
  /** Chance a participant works with it on a given working day. */
  daily: number;
  minMinutes: number;
  maxMinutes: number;
  tokens?: readonly number[];
  client?: string;
}

export function buildUsage(e: Estate, ppl: People, deviceIds: readonly string[], userIds: readonly string[], sensorDevices: number): void {
  buildSessions(e, ppl, deviceIds, userIds);
  buildSensors(e, deviceIds, sensorDevices);
  buildMeasurements(e, ppl);
}

function buildSessions(e: Estate, ppl: People, deviceIds: readonly string[], userIds: readonly string[]): void {
  const rng = new Random(e.seed, 'sessions');
  const clock = new Clock(WINDOW_START_DAY, WINDOW_DAYS);
  const { usr, dev } = e;
  const cap = Math.max(20, Math.round(usr.active.length * 0.03));

  const add = (key: ProductKey, u: number, d: number, start: number, end: number, tokens: number, client: string | null): void => {
    const def = PRODUCTS[PI[key]];
    // Only licence-server products check out on a network (the site's FlexNet server).
    const network = FLEXNET.has(key) ? SITES[u >= 0 ? usr.site[u] : dev.site[d]].network : null;
    const row: Row = { id: '', publisher: def.publisher, product: def.product };
    if (u >= 0) row.userId = userIds[u];
    if (d >= 0) row.deviceId = deviceIds[d];
    row.start = clock.at(start);
    if (end >= 0) row.end = clock.at(end);
    if (tokens !== 1) row.tokens = tokens;
    if (network) row.network = network;
    if (client) row.client = client;
    e.sessions.push(row);
    e.ses.product.push(PI[key]);
    e.ses.start.push(start);
    e.ses.end.push(end);
    e.ses.user.push(u);
    e.ses.tokens.push(tokens);
    e.ses.network.push(network ? NETWORKS.indexOf(network as (typeof NETWORKS)[number]) : -1);
  };
  const windowEnd = WINDOW_DAYS * 1440;
  /** A working-day session starting around 08:00–10:00 local time. */
  const day = (plan: SessionPlan, u: number, d: number, offset: number): boolean => {
    const site = u >= 0 ? usr.site[u] : dev.site[d];
    const start = offset * 1440 + (8 + SITES[site].utc) * 60 + rng.int(120);
    const end = Math.min(windowEnd - 1, start + rng.range(plan.minMinutes, plan.maxMinutes));
    if (start < 0 || end <= start) return false;
    add(plan.key, u, d, start, end, plan.tokens ? rng.pick(plan.tokens) : 1, plan.client ?? null);
    return true;
  };
  const run = (plan: SessionPlan, participants: readonly number[]): void => {
    for (let offset = 0; offset < WINDOW_DAYS; offset++) {
      const wd = weekday(WINDOW_START_DAY + offset);
      if (wd === 0 || wd === 6) continue;
      for (const u of participants) if (rng.next() < plan.daily) day(plan, u, u >= 0 ? ppl.device[u] : -1, offset);
    }
  };
  const installers = (key: ProductKey): number[] => {
    const p = PI[key];
    const seen = new Uint8Array(usr.active.length);
    const out: number[] = [];
    for (let j = e.byProduct.offsets[p]; j < e.byProduct.offsets[p + 1]; j++) {
      const d = e.ins.device[e.byProduct.items[j]];
      const o = dev.owner[d];
      if (o >= 0 && usr.active[o] && dev.status[d] === Status.InUse && !seen[o]) { seen[o] = 1; out.push(o); }
    }
    return rng.shuffle(out).slice(0, cap);
  };

  const cad = installers('autocad');
  run({ key: 'autocad', daily: 0.45, minMinutes: 60, maxMinutes: 480 }, cad);
  // Forgotten checkouts: still open at the end of the window.
  for (let n = 0; n < Math.min(2, cad.length); n++) add('autocad', cad[n], ppl.device[cad[n]], windowEnd - 3 * 1440 + n * 600, -1, 1, null);
  run({ key: 'revit', daily: 0.5, minMinutes: 120, maxMinutes: 540, tokens: [4, 7, 10] }, installers('revit'));
  run({ key: 'matlab', daily: 0.4, minMinutes: 30, maxMinutes: 360 }, installers('matlab'));
  const citrixUsers = rng.shuffle(ppl.employees.filter(() => rng.chance(0.05))).slice(0, cap);
  run({ key: 'cvaAdv', daily: 0.5, minMinutes: 60, maxMinutes: 540 }, citrixUsers);
  // Some Citrix users open a second session from another device at the same time.
  for (let i = 0, n = e.ses.product.length; i < n; i++) {
    if (e.ses.product[i] === PI.cvaAdv && rng.chance(0.1)) {
      add('cvaAdv', e.ses.user[i], -1, e.ses.start[i] + 30, e.ses.end[i], 1, null);
    }
  }
  run({ key: 'remedy', daily: 0.7, minMinutes: 240, maxMinutes: 540 }, ppl.analysts.filter(() => rng.chance(0.4)));

  // The service desk: analysts in Core or Nano (sometimes both at once), end users in the Portal.
  const desk: number[] = [];
  for (let u = 0; u < usr.active.length; u++) if (usr.active[u] && usr.role[u] > 0) desk.push(u);
  for (let offset = 0; offset < WINDOW_DAYS; offset++) {
    const wd = weekday(WINDOW_START_DAY + offset);
    if (wd === 0 || wd === 6) continue;
    for (const u of desk) {
      if (!rng.chance(usr.role[u] === 1 ? 0.85 : 0.3)) continue;
      const plan: SessionPlan = { key: 'asm', daily: 1, minMinutes: 180, maxMinutes: 540, client: rng.chance(0.7) ? 'Core' : 'Nano' };
      if (day(plan, u, ppl.device[u], offset) && rng.chance(0.15)) {
        const i = e.sessions.length - 1;
        add('asm', u, -1, e.ses.start[i] + 60, Math.min(e.ses.end[i], e.ses.start[i] + 180), 1, 'Nano');
      }
    }
    for (let n = Math.round(ppl.employees.length * 0.002); n > 0; n--) {
      const u = ppl.employees[rng.int(ppl.employees.length)];
      const start = offset * 1440 + (9 + SITES[usr.site[u]].utc) * 60 + rng.int(480);
      if (start >= 0 && start + 20 < windowEnd) add('asm', u, ppl.device[u], start, start + rng.range(5, 20), 1, 'Portal');
    }
  }
}

/**
 * CrowdStrike check-ins. Servers report nearly every hour, endpoints during working hours.
 * Hour h counts from asOf − 28 days (00:00 UTC); two days before and asOf's own morning are
 * generated too, outside the counted span, and Falcon Discover starts a week earlier. Each device reports at most once per hour.
 */
function buildSensors(e: Estate, deviceIds: readonly string[], wanted: number): void {
  const rng = new Random(e.seed, 'sensors');
  const { dev } = e;
  const base = ASOF_DAY - 28;
  const clock = new Clock(base - 7, 36);
  const falcon = PI.falcon;
  const servers: number[] = [];
  const endpoints: number[] = [];
  for (let j = e.byProduct.offsets[falcon]; j < e.byProduct.offsets[falcon + 1]; j++) {
    const d = e.ins.device[e.byProduct.items[j]];
    if (dev.status[d] !== Status.InUse) continue;
    const k = dev.kind[d];
    if (k === Kind.Desktop || k === Kind.Laptop) endpoints.push(d);
    else if (k === Kind.Vm || k === Kind.Linux || k === Kind.Windows || k === Kind.Cloud) servers.push(d);
  }
  const nServers = Math.min(servers.length, Math.round(wanted * 0.2));
  const chosen = [
    ...rng.shuffle(servers).slice(0, nServers),
    ...rng.shuffle(endpoints).slice(0, Math.max(0, wanted - nServers)),
  ].sort((a, b) => a - b);
  const hourly = new Int32Array(672);
  const weekly = new Int32Array(4);
  const product = PRODUCTS[falcon];
  const discover = PRODUCTS[PI.discover];
  for (const d of chosen) {
    const k = dev.kind[d];
    const server = !(k === Kind.Desktop || k === Kind.Laptop);
    const utc = SITES[dev.site[d]].utc;
    for (let h = -48; h < 672 + 10; h++) {
      const wd = weekday(base + Math.floor(h / 24));
      const local = (((h % 24) - utc) % 24 + 24) % 24;
      const working = wd !== 0 && wd !== 6 && local >= 8 && local < 18;
      if (rng.next() >= (server ? 0.97 : working ? 0.8 : 0.03)) continue;
      if (h >= 0 && h < 672) hourly[h]++;
      e.sensors.push({ id: '', deviceId: deviceIds[d], publisher: product.publisher, product: product.product, seenAt: clock.at((h + 168) * 60 + rng.int(60), rng.int(60)) });
    }
    // Falcon Discover reports a few times a week on most of the same machines.
    if (rng.chance(0.8)) {
      for (let w = -1; w < 4; w++) {
        const times = rng.range(1, 3);
        for (let t = 0; t < times; t++) {
          const minute = (w * 7 + rng.int(7)) * 1440 + rng.int(1440);
          if (w >= 0 && t === 0) weekly[w]++;
          e.sensors.push({ id: '', deviceId: deviceIds[d], publisher: discover.publisher, product: discover.product, seenAt: clock.at(minute + 7 * 1440) });
        }
      }
    }
  }
  e.sensorHourly.set(falcon, hourly);
  e.sensorWeekly.set(PI.discover, weekly);
}

function buildMeasurements(e: Estate, ppl: People): void {
  const rng = new Random(e.seed, 'measurements');
  const clock = new Clock(ASOF_DAY - 200, 200);
  const add = (key: ProductKey, dayOffset: number, quantity: number): void => {
    const def = PRODUCTS[PI[key]];
    e.measurements.push({ id: '', publisher: def.publisher, product: def.product, quantity, date: clock.day(dayOffset) });
    e.measProduct.push(PI[key]);
    e.measDay.push(ASOF_DAY - 200 + dayOffset);
    e.measQuantity.push(quantity);
  };
  const staff = ppl.employees.length;
  // Payroll engine: employees paid each month (the 25th); a correction run on the last one.
  for (let m = 0; m < 6; m++) {
    const day = dayNumber(`2026-${String(5 + m).padStart(2, '0')}-25`) - (ASOF_DAY - 200);
    add('sapPayroll', day, Math.round(staff * (0.95 + m * 0.008)));
    if (m === 5) add('sapPayroll', day, Math.round(staff * (0.96 + m * 0.008)));
  }
  // Digital Access documents per day, and Snowflake credits (quarter credits), some of it
  // before the window; a measurement dated asOf itself falls outside [start, end).
  for (let offset = 80; offset <= 200; offset++) {
    const wd = weekday(ASOF_DAY - 200 + offset);
    const weekend = wd === 0 || wd === 6;
    if (offset < 200) add('sapDigital', offset, Math.round(staff * (weekend ? 0.05 : 0.4) * (0.7 + rng.next() * 0.6)));
    add('snowflake', offset, Math.round(staff * (weekend ? 0.002 : 0.01) * (0.5 + rng.next()) * 4) / 4 + 0.25);
  }
}
