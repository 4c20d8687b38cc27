// Workbook settings (workbook.md, "Settings"), read with their defaults. The engine has no clock:
// the caller says what "today" is, for a workbook that leaves asOf blank.

import { DAY_MS, describe, isBlank, norm, toBool, toNumber, toTime, type Problem } from './cells';
import { HAM_ENTITLEMENT_IDS, HAM_SOLUTIONS } from './ham/categories';

export type HamSolution = (typeof HAM_SOLUTIONS)[number];

export interface Settings {
  asOf: number;
  currency: string;
  /** The usage window [windowStart, windowEnd). */
  windowStart: number;
  windowEnd: number;
  hamLicenseVersion: number;
  hamSolutions: ReadonlySet<HamSolution>;
  hamEntitlements: ReadonlySet<string>;
  customCategoryLicensing: boolean;
  /** Comparison forms of the connector names that need no license. */
  asmFreeConnectors: ReadonlySet<string>;
  /**
   * Reclaim candidates (engine/savings/): a device whose lastSeen is more than this many days
   * before asOf is "not seen by discovery". Changes no count.
   */
  notSeenDays: number;
}

export const DEFAULT_FREE_CONNECTORS = ['Microsoft Teams', 'AD/Entra', 'SSO', 'Intune', 'SCOM', 'SCCM'];
export const WINDOW_DAYS = 90;
export const NOT_SEEN_DAYS = 90;

/** A list setting: a JSON array, or text separated by commas. */
function list(v: unknown): string[] | undefined {
  if (isBlank(v)) return undefined;
  if (Array.isArray(v)) return v.map(norm).filter((s) => s !== '');
  if (typeof v === 'string') return v.split(',').map(norm).filter((s) => s !== '');
  return undefined;
}

export function readSettings(raw: Record<string, unknown>, today: string, problems: Problem[]): Settings {
  const bad = (column: string, message: string) => problems.push({ sheet: 'settings', rowId: column, column, message });
  const time = (key: string): number | undefined => {
    const v = raw[key];
    if (isBlank(v)) return undefined;
    const t = toTime(v);
    if (Number.isNaN(t)) bad(key, `${key} must be an ISO 8601 date, got ${describe(v)}`);
    return Number.isNaN(t) ? undefined : t;
  };

  const asOf = time('asOf') ?? toTime(today);
  const windowEnd = time('windowEnd') ?? asOf;
  // Left blank, the window is the 90 days ending at its end (asOf unless windowEnd is set).
  const windowStart = time('windowStart') ?? windowEnd - WINDOW_DAYS * DAY_MS;
  if (windowStart > windowEnd) bad('windowStart', 'windowStart is after windowEnd: the window is empty');

  let hamLicenseVersion = 5;
  if (!isBlank(raw.hamLicenseVersion)) {
    const n = toNumber(raw.hamLicenseVersion);
    if (n === 4 || n === 5) hamLicenseVersion = n;
    else bad('hamLicenseVersion', `hamLicenseVersion must be 4 or 5, got ${describe(raw.hamLicenseVersion)}`);
  }

  const solutions = new Set<HamSolution>(['ham']);
  const solutionList = list(raw.hamSolutions);
  if (!isBlank(raw.hamSolutions) && solutionList === undefined) bad('hamSolutions', 'hamSolutions must be a list');
  for (const s of solutionList ?? []) {
    if ((HAM_SOLUTIONS as readonly string[]).includes(s)) solutions.add(s as HamSolution);
    else bad('hamSolutions', `hamSolutions: unknown solution ${describe(s)} (ztm, tni, ham)`);
  }

  let hamEntitlements: Set<string> = new Set(HAM_ENTITLEMENT_IDS);
  const entitlementList = list(raw.hamEntitlements);
  if (Array.isArray(raw.hamEntitlements) || typeof raw.hamEntitlements === 'string') {
    hamEntitlements = new Set();
    for (const e of entitlementList ?? []) {
      if (HAM_ENTITLEMENT_IDS.includes(e)) hamEntitlements.add(e);
      else bad('hamEntitlements', `hamEntitlements: unknown entitlement ${describe(e)}`);
    }
  } else if (!isBlank(raw.hamEntitlements)) bad('hamEntitlements', 'hamEntitlements must be a list');

  let customCategoryLicensing = true;
  if (!isBlank(raw.customCategoryLicensing)) {
    const b = toBool(raw.customCategoryLicensing);
    if (b === undefined) bad('customCategoryLicensing', `customCategoryLicensing must be true or false, got ${describe(raw.customCategoryLicensing)}`);
    else customCategoryLicensing = b;
  }

  let notSeenDays = NOT_SEEN_DAYS;
  if (!isBlank(raw.notSeenDays)) {
    const n = toNumber(raw.notSeenDays);
    if (Number.isInteger(n) && n >= 0) notSeenDays = n;
    else bad('notSeenDays', `notSeenDays must be a whole number of days ≥ 0, got ${describe(raw.notSeenDays)}`);
  }

  const free = list(raw.asmFreeConnectors) ?? DEFAULT_FREE_CONNECTORS.map(norm);
  let currency = 'USD';
  if ((typeof raw.currency === 'string' || typeof raw.currency === 'number') && String(raw.currency).trim() !== '') currency = String(raw.currency).trim().toUpperCase();
  else if (!isBlank(raw.currency)) bad('currency', `currency must be a currency code such as USD, got ${describe(raw.currency)}`);

  return {
    asOf, currency, windowStart, windowEnd, hamLicenseVersion, hamSolutions: solutions, hamEntitlements,
    customCategoryLicensing, asmFreeConnectors: new Set(free), notSeenDays,
  };
}
