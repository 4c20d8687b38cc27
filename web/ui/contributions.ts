// How the explanation panel lays out a position's contributions for a person: the lines that raised
// a flag (copies over the allowance, no core factor…) and the lines that are not rows (the total,
// shortfall moved between positions) come first, in a "Look here first" section; the rest is
// filtered by a text (name, id or reason), sorted (largest first, by name, by id) and optionally
// grouped (by reason, by amount, by kind of row), each group with its count and sum. Pure: no DOM.

import type { Contribution } from '../../engine/metrics/rule';

export type SortBy = 'amount' | 'name' | 'id';
export type GroupBy = 'none' | 'reason' | 'amount' | 'sheet';

export interface Line extends Contribution {
  sheet: string;
  id: string;
}

export interface Group {
  /** Stable key for the group (what it groups by). */
  key: string;
  label: string;
  lines: Line[];
  total: number;
}

export interface Arranged {
  /** Flagged lines and lines that are not rows (total, moved shortfall): shown first, never grouped. */
  first: Line[];
  groups: Group[];
  /** How many lines the filter kept (first + grouped). */
  shown: number;
}

const SHEET_LABEL: Record<string, string> = { devices: 'Devices', users: 'Users', clusters: 'Clusters', sessions: 'Sessions', measurements: 'Measurements', sensors: 'Sensors', installations: 'Installations', allocations: 'Allocations', subscriptions: 'Subscriptions', positions: 'Other positions' };

export function toLine(c: Contribution): Line {
  const slash = c.ref.indexOf('/');
  return { ...c, sheet: slash < 0 ? c.ref : c.ref.slice(0, slash), id: slash < 0 ? '' : c.ref.slice(slash + 1) };
}

/**
 * A line's reason without the row it is about: "srv-12: 16 cores × core factor 0.5" and
 * "srv-13: 16 cores × core factor 0.5" read as one reason, so they group together.
 */
export function reasonOf(l: Line): string {
  let why = l.why;
  for (const who of [l.name, l.id]) {
    if (!who) continue;
    if (why.startsWith(`${who}: `)) why = why.slice(who.length + 2);
    why = why.split(` ${who}`).join('').split(`${who} `).join('');
  }
  return why.trim();
}

const byText = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

function compare(sort: SortBy): (a: Line, b: Line) => number {
  if (sort === 'name') return (a, b) => byText(a.name || a.id, b.name || b.id) || byText(a.id, b.id);
  if (sort === 'id') return (a, b) => byText(a.id, b.id);
  return (a, b) => b.amount - a.amount || byText(a.name || a.id, b.name || b.id);
}

const isFirst = (l: Line): boolean => (l.flags?.length ?? 0) > 0 || l.sheet === 'total' || l.sheet === 'positions';

export function arrange(all: readonly Contribution[], opts: { filter: string; sort: SortBy; group: GroupBy }): Arranged {
  const words = opts.filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const keep = (l: Line): boolean => {
    if (!words.length) return true;
    const text = `${l.name ?? ''} ${l.ref} ${l.why} ${(l.flags ?? []).join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
  const lines = all.map(toLine).filter(keep);
  const cmp = compare(opts.sort);
  // Flagged lines first (largest first among them), then the total and moves in their given order.
  const first = lines.filter(isFirst);
  const flagged = first.filter((l) => l.flags?.length).sort(compare('amount'));
  const rest = lines.filter((l) => !isFirst(l)).sort(cmp);
  const groups = new Map<string, Group>();
  for (const l of rest) {
    const key = opts.group === 'reason' ? reasonOf(l) : opts.group === 'amount' ? String(l.amount) : opts.group === 'sheet' ? l.sheet : '';
    let g = groups.get(key);
    if (!g) {
      const label = opts.group === 'reason' ? key || '(no reason given)' : opts.group === 'amount' ? `counting ${key}` : opts.group === 'sheet' ? SHEET_LABEL[key] ?? key : '';
      groups.set(key, (g = { key, label, lines: [], total: 0 }));
    }
    g.lines.push(l);
    g.total += l.amount;
  }
  // Groups: the heaviest first (by amount, the larger amount first), so what weighs most is on top.
  const ordered = [...groups.values()].sort((a, b) => opts.group === 'amount' ? Number(b.key) - Number(a.key) : b.total - a.total || byText(a.label, b.label));
  return { first: [...flagged, ...first.filter((l) => !l.flags?.length)], groups: ordered, shown: lines.length };
}
