// What the report and the dashboard show, computed once from a reconciliation Result: positions in
// report order, counts by status, shortfall cost per currency, hardware units, and the series of
// the charts. Pure data: the CSV, XLSX and HTML reports and the Solid dashboard all render this.

import type { Result } from '../../engine/changes';
import type { PositionResult, Status } from '../../engine/positions/position';
import { positionRightsNote, renewalsWithin, type RenewalItem } from './renewals';

export const STATUSES: readonly Status[] = ['noncompliant', 'warning2', 'warning1', 'compliant'];
export const STATUS_LABELS: Readonly<Record<Status, string>> = {
  noncompliant: 'Noncompliant', warning2: 'Warning 2', warning1: 'Warning 1', compliant: 'Compliant',
};
/** Status colours (fills), shared by the XLSX report, the HTML report and the charts. */
export const STATUS_FILL: Readonly<Record<Status, string>> = {
  compliant: '#C6EFCE', warning1: '#FFF2CC', warning2: '#FCE4D6', noncompliant: '#FFC7CE',
};
/** Stronger tones of the same colours, for chart marks and text. */
export const STATUS_INK: Readonly<Record<Status, string>> = {
  compliant: '#2E7D32', warning1: '#B7950B', warning2: '#D35400', noncompliant: '#C0392B',
};

const ORDER: Record<Status, number> = { noncompliant: 0, warning2: 1, warning1: 2, compliant: 3 };

/** Noncompliant first, then by shortfall cost and shortfall, then by name: the order people act in. */
export function reportOrder(positions: readonly PositionResult[]): PositionResult[] {
  return [...positions].sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.shortfallCost - a.shortfallCost
    || b.shortfall - a.shortfall || a.publisher.localeCompare(b.publisher) || a.product.localeCompare(b.product) || a.key.localeCompare(b.key));
}

export function positionLabel(p: PositionResult): string {
  const version = p.version && p.downgrade ? `${p.version} and lower` : p.version;
  return [p.publisher, p.product, version, p.edition].filter(Boolean).join(' ') + (p.company || p.site || p.network ? ` (${[p.company, p.site, p.network].filter(Boolean).join(', ')})` : '');
}

/**
 * Shortfall moved between overlapping positions, in words: "2 up to Microsoft Office; 1 from
 * Microsoft Office 2016". `labels` names positions by key (Summary.labels).
 */
export function movesText(p: PositionResult, labels: ReadonlyMap<string, string>): string {
  return (p.moves ?? []).map((m) => `${num(Math.abs(m.amount))} ${m.amount < 0 ? 'up to' : 'from'} ${labels.get(m.key) ?? m.key}`).join('; ');
}

export interface Summary {
  asOf: string;
  positions: PositionResult[];
  counts: Record<Status, number>;
  /** Currency → total shortfall cost, largest first. */
  shortfallCost: [string, number][];
  /**
   * Surplus (rights bought beyond consumption, engine/savings/surplus.ts): currency → total cost,
   * largest first; per publisher; and how many positions have surplus but no unit cost.
   */
  surplusCost: [string, number][];
  surplusByPublisher: { publisher: string; currency: string; rights: number; cost: number; positions: number }[];
  surplusUnpriced: number;
  hardwareUnits: number;
  otUnits: number;
  /** Publisher → shortfall cost per currency, largest total first. */
  costByPublisher: { publisher: string; costs: Record<string, number>; total: number }[];
  /** Hardware categories with assets. */
  categories: Result['ham']['categories'];
  unlicensed: Result['unlicensed'];
  problems: Result['problems'];
  /** Position key → label, to name the other side of a moved shortfall. */
  labels: Map<string, string>;
  /** Rights ending or due for notice within 180 days of asOf. */
  renewals: RenewalItem[];
}

/** The horizon of the reports' renewals section. */
export const REPORT_RENEWAL_DAYS = 180;

/**
 * Sums of costs are exact in the engine; here they are added for display only, in cents, so the
 * totals shown do not carry binary fractions (0.1 + 0.2).
 */
const addMoney = (a: number, b: number) => Math.round((a + b) * 100) / 100;

export function summarize(r: Result, asOf: string): Summary {
  const positions = reportOrder(r.positions);
  const counts = { noncompliant: 0, warning2: 0, warning1: 0, compliant: 0 } as Record<Status, number>;
  const cost = new Map<string, number>();
  const byPublisher = new Map<string, { publisher: string; costs: Record<string, number>; total: number }>();
  const surplus = new Map<string, number>();
  const surplusBy = new Map<string, Summary['surplusByPublisher'][number]>();
  let surplusUnpriced = 0;
  for (const p of positions) {
    if (!(p.surplus > 0)) continue;
    if (p.surplusCost === null) { surplusUnpriced++; continue; }
    surplus.set(p.currency, addMoney(surplus.get(p.currency) ?? 0, p.surplusCost));
    const key = `${p.publisher.trim().toLowerCase()}\u0000${p.currency}`;
    let e = surplusBy.get(key);
    if (!e) surplusBy.set(key, (e = { publisher: p.publisher, currency: p.currency, rights: 0, cost: 0, positions: 0 }));
    e.rights = Math.round((e.rights + p.surplus) * 1e6) / 1e6;
    e.cost = addMoney(e.cost, p.surplusCost);
    e.positions++;
  }
  for (const p of positions) {
    counts[p.status]++;
    if (p.shortfallCost <= 0) continue;
    cost.set(p.currency, addMoney(cost.get(p.currency) ?? 0, p.shortfallCost));
    const key = p.publisher.trim().toLowerCase();
    let e = byPublisher.get(key);
    if (!e) byPublisher.set(key, (e = { publisher: p.publisher, costs: {}, total: 0 }));
    e.costs[p.currency] = addMoney(e.costs[p.currency] ?? 0, p.shortfallCost);
    e.total = addMoney(e.total, p.shortfallCost);
  }
  return {
    asOf,
    positions,
    counts,
    shortfallCost: [...cost].sort((a, b) => b[1] - a[1]),
    surplusCost: [...surplus].sort((a, b) => b[1] - a[1]),
    surplusByPublisher: [...surplusBy.values()].sort((a, b) => b.cost - a.cost || a.publisher.localeCompare(b.publisher)),
    surplusUnpriced,
    hardwareUnits: r.ham.totalUnits,
    otUnits: r.ham.otTotalUnits,
    costByPublisher: [...byPublisher.values()].sort((a, b) => b.total - a.total || a.publisher.localeCompare(b.publisher)),
    categories: r.ham.categories.filter((c) => c.assets > 0 || c.units > 0),
    unlicensed: [...r.unlicensed].sort((a, b) => b.installations - a.installations),
    problems: r.problems,
    labels: new Map(positions.map((p) => [p.key, positionLabel(p)])),
    renewals: renewalsWithin(positions, asOf, REPORT_RENEWAL_DAYS),
  };
}

/** The position report's columns, shared by CSV, XLSX and HTML. */
export const POSITION_COLUMNS = [
  'Status', 'Publisher', 'Product', 'Version', 'Edition', 'Metric', 'Company', 'Site', 'Network',
  'Purchased', 'Consumed', 'Available', 'Shortfall', 'Shortfall cost', 'Surplus', 'Surplus cost', 'Currency', 'Flags', 'Shortfall moved', 'Rights today', 'Entitlements',
] as const;

export function positionCells(p: PositionResult, labels: ReadonlyMap<string, string>): (string | number | null)[] {
  const version = p.version && p.downgrade ? `${p.version} and lower` : p.version;
  return [
    STATUS_LABELS[p.status], p.publisher, p.product, version || null, p.edition || null, p.metric, p.company || null,
    p.site || null, p.network || null, p.purchased, p.consumed, p.available, p.shortfall, p.shortfallCost, p.surplus, p.surplusCost, p.currency,
    p.flags.join(', ') || null, movesText(p, labels) || null, positionRightsNote(p), p.entitlementIds.join(', '),
  ];
}

/** The renewals section's columns, shared by XLSX and HTML. */
export const RENEWAL_COLUMNS = ['Due', 'What', 'Entitlement', 'Position', 'Status', 'Quantity', 'Cost at stake', 'Currency', 'Ends', 'Renews', 'Notice by'] as const;

export function renewalCells(r: RenewalItem, labels: ReadonlyMap<string, string>): (string | number | null)[] {
  const what = r.overdue ? 'Notice overdue' : r.event === 'notice' ? 'Notice due' : r.event === 'renewal' ? 'Renews' : 'Ends';
  return [
    r.due, what, r.right.id, labels.get(r.positionKey) ?? r.positionKey, STATUS_LABELS[r.status], r.right.quantity, r.costAtStake, r.currency,
    r.right.end?.slice(0, 10) ?? null, r.right.renewal?.slice(0, 10) ?? null, r.right.noticeBy?.slice(0, 10) ?? null,
  ];
}

export function money(n: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(n);
  } catch {
    return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
  }
}

export function num(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}
