// Small pure helpers shared by the builders: ids and calendar arithmetic.

/** Digits for ids of a sheet: enough for `count` rows, never fewer than `min` (d000123, i0001234). */
export function idWidth(count: number, min: number): number {
  return Math.max(min, String(Math.max(0, count - 1)).length);
}

export function makeId(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (`2026-11-01`). */
export function dayNumber(iso: string): number {
  return Math.floor(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS);
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (day + 4) % 7;
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * ISO timestamps for minutes counted from a base day. The day strings are built once, so
 * the hot loops (sessions, sensor check-ins) only concatenate.
 */
export class Clock {
  private readonly days: string[] = [];
  constructor(readonly baseDay: number, spanDays: number) {
    for (let d = 0; d <= spanDays; d++) this.days.push(isoDay(baseDay + d));
  }
  day(offset: number): string {
    return this.days[offset];
  }
  /** `2026-09-14T08:12:00Z` for minute m after the base day's midnight (UTC). */
  at(minute: number, second = 0): string {
    const d = Math.floor(minute / 1440);
    const m = minute - d * 1440;
    return this.days[d] + 'T' + TWO[Math.floor(m / 60)] + ':' + TWO[m % 60] + ':' + TWO[second] + 'Z';
  }
}
