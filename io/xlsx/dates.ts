// Excel stores dates as serial day numbers formatted as dates. Import turns them into ISO 8601 text
// (the workbook's date form); export writes ISO dates back as serials so Excel shows real dates.
//
// Excel dates have no time zone; they are read and written as UTC, as the engine reads an ISO
// date-time without a zone. Serial 60 is Excel's fictitious 1900-02-29, so only dates from
// 1900-03-01 on are converted both ways; earlier ones stay text.

const DAY_MS = 86_400_000;
/** Serial of 1970-01-01 in the 1900 date system (valid from 1900-03-01, serial 61). */
const EPOCH_1900 = 25_569;
/** The 1904 date system (old Mac workbooks) counts from 1904-01-01. */
const OFFSET_1904 = 1_462;

export type DateKind = 'date' | 'datetime';

/** Built-in number formats that are dates (ECMA-376 18.8.30, with the common locale ids). */
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const BUILTIN_TIME_ONLY = new Set([18, 19, 20, 21, 45, 46, 47]);
const BUILTIN_DATETIME = new Set([22]);

/**
 * Whether a number format shows a date, and whether with a time. Quoted text, escapes, colours and
 * conditions ([Red], [<=100]) are not date tokens; elapsed times ([h]:mm) are durations, not dates.
 */
export function formatKind(id: number, code: string | undefined): DateKind | 'time' | undefined {
  if (code === undefined) {
    if (!BUILTIN_DATE.has(id)) return undefined;
    return BUILTIN_TIME_ONLY.has(id) ? 'time' : BUILTIN_DATETIME.has(id) ? 'datetime' : 'date';
  }
  const bare = code.split(';')[0].replace(/"[^"]*"|\\.|_.|\*./g, '').replace(/\[(?!h\]|m\]|s\])[^\]]*\]/gi, '');
  if (/\[[hms]\]/i.test(bare)) return undefined;
  const hasDY = /[dy]/i.test(bare), time = /[hs]/i.test(bare);
  // A lone "m" is minutes next to h or s, months otherwise ("mmm" alone is a month).
  const date = hasDY || (/m/i.test(bare.replace(/am\/pm|a\/p/gi, '')) && !time);
  if (date) return time ? 'datetime' : 'date';
  return time ? 'time' : undefined;
}

export function serialToTime(serial: number, date1904: boolean): number {
  const days = date1904 ? serial + OFFSET_1904 - EPOCH_1900 : serial - EPOCH_1900;
  return Math.round(days * DAY_MS);
}

/** An ISO date ("2026-11-01") when the serial is a whole day shown as a date, else a UTC date-time. */
export function serialToIso(serial: number, kind: DateKind, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || (!date1904 && serial < 61)) return undefined;
  const t = serialToTime(serial, date1904);
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  if (kind === 'date' && t % DAY_MS === 0) return iso.slice(0, 10);
  return d.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/**
 * The serial to write for an ISO text, when writing it as a date loses nothing: the text must be
 * exactly what reading the date back gives ("2026-11-01", "2026-11-01T09:00:00Z",
 * "2026-11-01T09:00:00.250Z"). Anything else (offsets, no zone, invalid days) stays text.
 */
export function isoToSerial(text: string): { serial: number; kind: DateKind; ms: boolean } | undefined {
  const isDate = ISO_DATE.test(text);
  if (!isDate && !ISO_DATETIME.test(text)) return undefined;
  const t = Date.parse(isDate ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t) || t < Date.UTC(1900, 2, 1) || t >= Date.UTC(10000, 0, 1)) return undefined;
  const kind: DateKind = isDate ? 'date' : 'datetime';
  const ms = t % 1000 !== 0;
  const serial = t / DAY_MS + EPOCH_1900;
  // Only when the text is the canonical form that reading gives back.
  if (serialToIso(serial, kind, false) !== text) return undefined;
  return { serial, kind, ms };
}
