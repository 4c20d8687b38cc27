// Small pure helpers shared by the builders: ids and calendar arithmetic.

/** Digits for ids of a sheet: enough for `count` rows, never fewer than `min` (d000123, i0001234). */
export function idWidth(count: number, min: number): number {
  return Math.max(min, String(Math.max(0, count - 1)).length);
}

const ZEROS = Array.from({ length: 16 }, (_, i) => '0'.repeat(i));

export function makeId(prefix: string, n: number, width: number): string {
  const digits = String(n);
  return prefix + ZEROS[Math.max(0, width - digits.length)] + digits;
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
/** `MM:SSZ` for minute-of-hour × 60 + second. */
const MINUTE_SECOND = Array.from({ length: 3600 }, (_, i) => `${TWO[Math.floor(i / 60)]}:${TWO[i % 60]}Z`);

/**
 * ISO timestamps for minutes counted from a base day. Hour prefixes are built once, so a
 * timestamp costs one concatenation of two shared strings: the hot loops (sessions, sensor
 * check-ins) then keep one small string object per cell instead of a chain of pieces.
 */
export class Clock {
  private readonly days: string[] = [];
  private readonly hours: string[] = [];
  constructor(readonly baseDay: number, spanDays: number) {
    for (let d = 0; d <= spanDays; d++) {
      const day = isoDay(baseDay + d);
      this.days.push(day);
      for (let h = 0; h < 24; h++) this.hours.push(`${day}T${TWO[h]}:`);
    }
  }
  day(offset: number): string {
    return this.days[offset];
  }
  /** `2026-09-14T08:12:00Z` for minute m after the base day's midnight (UTC). */
  at(minute: number, second = 0): string {
    const h = Math.floor(minute / 60);
    return this.hours[h] + MINUTE_SECOND[(minute - h * 60) * 60 + second];
  }
}
