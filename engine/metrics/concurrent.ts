// Concurrent, usage and sensor metrics (metrics.md, "Concurrent, usage and sensor metrics"). Each
// is one unit, the whole position: a peak or a mean over time is not a sum over parts.

import type { Measurement, Sensor, Session } from '../rows';
import type { World } from '../store/world';
import type { Position } from '../positions/position';
import { DAY_MS, isoDate } from '../cells';
import { NONE, WHOLE, unit, type MetricRule, type Why } from './rule';
import { MICRO, ceilDiv, fmt, peak, toMicro, type Interval, type Peak } from './common';

const HOUR_MS = 3_600_000;

/**
 * Sessions count when on the entitlement's network (where it sets one) and in its scope: the
 * session's user when the user is known, else its device when known, else it counts.
 */
export function sessionFeed(w: World, p: Position, s: Session): typeof WHOLE | null {
  if (s.start === undefined) return null;
  if (p.network !== '' && s.network !== p.network) return null;
  if (p.company !== '' || p.site !== '') {
    const u = w.user(s.userId);
    const d = u ? undefined : w.device(s.deviceId);
    if (u && !w.inUserScope(p, u)) return null;
    if (d && !w.inDeviceScope(p, d)) return null;
  }
  return WHOLE;
}

/** A session's span in the window, remembering the session (by its index in sheet order). */
type SessionInterval = Interval<unknown> & { index: number };

/** Lists the sessions open at the peak instant. */
export function explainPeak(why: Why, sorted: readonly Session[], pk: Peak<unknown>, unitName: string, scale = 1): void {
  if (!why) return;
  if (Number.isNaN(pk.at)) {
    why.push({ ref: 'sessions', amount: 0, why: 'no session open in the window' });
    return;
  }
  const when = new Date(pk.at).toISOString();
  for (const iv of pk.open as SessionInterval[]) {
    why.push({ ref: `sessions/${sorted[iv.index].id}`, amount: iv.weight / scale, why: `open at the peak ${when} (${unitName})` });
  }
}

/**
 * Session intervals in the window. The peak does not depend on order; explanations list sessions
 * in sheet order, so only then are they sorted.
 */
export function intervals(w: World, sessions: readonly Session[], weight: (s: Session) => number, holder: ((s: Session) => unknown) | undefined, why: Why) {
  const sorted = why ? [...sessions].sort((a, b) => (a.key < b.key ? -1 : 1)) : sessions;
  const { windowStart, windowEnd } = w.settings;
  const list: SessionInterval[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const s = sorted[index];
    if (s.start === undefined) continue;
    const start = Math.max(s.start, windowStart);
    const end = Math.min(s.end ?? windowEnd, windowEnd); // open-ended sessions last to windowEnd
    if (end > start) list.push({ start, end, weight: weight(s), holder: holder?.(s), index });
  }
  return { sorted, list };
}

function peakRule(id: string, weightOf: ((s: Session) => number) | null, distinct: boolean, say: string, feed = sessionFeed): MetricRule {
  return {
    id,
    scope: 'none',
    scale: weightOf ? MICRO : 1,
    session: feed,
    evaluate(w, _p, _key, m, why) {
      const weight = weightOf ? (s: Session) => toMicro(weightOf(s)) : () => 1;
      // Distinct users: a session whose user does not count stands as its own user.
      const holder = distinct ? (s: Session) => w.countingUser(s.userId) ?? s : undefined;
      const { sorted, list } = intervals(w, m.sessions ?? NONE, weight, holder, why);
      const pk = peak(list, distinct);
      explainPeak(why, sorted, pk, say, weightOf ? MICRO : 1);
      return pk.value > 0 ? unit(pk.value) : null;
    },
  };
}

/** A measurement in the window [windowStart, windowEnd). */
function measurementFeed(w: World, _p: Position, x: Measurement): typeof WHOLE | null {
  const { windowStart, windowEnd } = w.settings;
  return x.date !== undefined && x.quantity !== undefined && windowStart <= x.date && x.date < windowEnd ? WHOLE : null;
}

function sumRule(id: string, what: string): MetricRule {
  return {
    id,
    scope: 'none',
    scale: MICRO,
    measurement: measurementFeed,
    evaluate(_w, _p, _key, m, why) {
      let micros = 0;
      for (const x of m.measurements ?? NONE) {
        micros += toMicro(x.quantity!);
        why?.push({ ref: `measurements/${x.id}`, amount: x.quantity!, why: `${fmt(x.quantity!)} ${what} on ${isoDate(x.date!)}` });
      }
      return micros !== 0 ? unit(micros) : null;
    },
  };
}

/** A check-in counts for a device that counts (or is unknown: the check-in happened) in scope. */
function sensorFeed(w: World, p: Position, s: Sensor): typeof WHOLE | null {
  if (s.seenAt === undefined || s.deviceId === '') return null;
  const d = w.device(s.deviceId);
  if (d && (!d.counts || !w.inDeviceScope(p, d))) return null;
  return WHOLE;
}

/** The end of the sensor period: 00:00 UTC of asOf's day (asOf's own day is excluded). */
const sensorEnd = (w: World) => Math.floor(w.settings.asOf / DAY_MS) * DAY_MS;

/**
 * Distinct devices checking in per bucket of `bucketMs` over `buckets` buckets ending at asOf's day;
 * ⌈mean⌉ over all buckets.
 */
function bucketRule(id: string, bucketMs: number, buckets: number, bucketName: string): MetricRule {
  return {
    id,
    scope: 'device',
    sensor: sensorFeed,
    evaluate(w, _p, _key, m, why) {
      const end = sensorEnd(w), start = end - bucketMs * buckets;
      const seen: Set<string>[] = Array.from({ length: buckets }, () => new Set());
      for (const s of m.sensors ?? NONE) {
        if (s.seenAt! < start || s.seenAt! >= end) continue;
        seen[Math.floor((s.seenAt! - start) / bucketMs)].add(s.deviceId);
      }
      let total = 0;
      for (const set of seen) total += set.size;
      const amount = ceilDiv(total, buckets);
      why?.push({ ref: 'sensors', amount, why: `${total} device-${bucketName}s with a check-in over ${buckets} ${bucketName}s from ${isoDate(start)} to ${isoDate(end)}: ⌈${total} ÷ ${buckets}⌉ = ${amount}` });
      return amount > 0 ? unit(amount) : null;
    },
  };
}

export const CONCURRENT_RULES: MetricRule[] = [
  /** floating: peak(sessions for the product, 1). */
  peakRule('floating', null, false, 'sessions open'),
  /** concurrent_user: peak number of distinct users with an open session (no user: its own user). */
  peakRule('concurrent_user', null, true, 'distinct users'),
  /** token: peak(sessions, tokens). */
  peakRule('token', (s) => s.tokens, false, 'tokens'),
  /** network: peak(sessions whose network = the entitlement's network, 1); blank network: every session. */
  peakRule('network', null, false, 'sessions on the network'),
  /** engine_measurement: the latest measurement in the window (of several on that date, the largest). */
  {
    id: 'engine_measurement',
    scope: 'none',
    scale: MICRO,
    measurement: measurementFeed,
    evaluate(_w, _p, _key, m, why) {
      let best: Measurement | undefined;
      const day = (x: Measurement) => Math.floor(x.date! / DAY_MS);
      for (const x of m.measurements ?? NONE) {
        if (!best || day(x) > day(best) || (day(x) === day(best) && x.quantity! > best.quantity!)) best = x;
      }
      if (!best) return null;
      why?.push({ ref: `measurements/${best.id}`, amount: best.quantity!, why: `latest measurement, ${isoDate(best.date!)}` });
      return unit(toMicro(best.quantity!));
    },
  },
  /** digital_access: Σ measurements in the window (documents). */
  sumRule('digital_access', 'documents'),
  /** saas_consumption: Σ measurements in the window (units). */
  sumRule('saas_consumption', 'units'),
  /** sensor_hourly: ⌈mean over the 672 clock-hours of the 28 days before asOf's day of devices checking in each hour⌉. */
  bucketRule('sensor_hourly', HOUR_MS, 672, 'hour'),
  /** sensor_subscription: ⌈mean over the four 7-day weeks before asOf's day of devices checking in each week⌉. */
  bucketRule('sensor_subscription', 7 * DAY_MS, 4, 'week'),
];

export { peakRule };
