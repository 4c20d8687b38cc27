// Rights ending or due for notice within a horizon (issue 21, "Renewals"), from the positions of a
// result: each position lists its rights (PositionResult.rights) with their dates. Pure data: the
// Renewals view, the dashboard and the reports render it.
//
// Decisions, as a license manager would read the dates:
// - A right is listed when, within [asOf, asOf + horizon], it ends, it is up for renewal, or the
//   last day to give notice (renewal − noticeDays) falls; a notice day already past while the
//   renewal is still ahead is listed as overdue (the chance to cancel or renegotiate is gone).
// - A right that has already ended is listed only when its renewal lies in the horizon: renewing
//   it restores rights its position lacks today. Without a renewal ahead it is not listed (its row
//   and position already say it ended).
// - Cost at stake is the right's own quantity × its unitCost (what renewing that right costs, or
//   what losing it takes away), in the result's currency; blank when it has no unitCost.

import type { PositionResult, RightResult, Status } from '../../engine/positions/position';

export type RenewalEvent = 'notice' | 'renewal' | 'end';

export interface RenewalItem {
  /** The first thing to act on: its date (ISO day) and what it is. */
  due: string;
  event: RenewalEvent;
  /** The notice day has passed while the renewal is still ahead. */
  overdue: boolean;
  /** Days from asOf to `due` (negative when overdue). */
  days: number;
  right: RightResult;
  positionKey: string;
  status: Status;
  currency: string;
  /** quantity × unitCost of the right; null without a unit cost. */
  costAtStake: number | null;
}

export const HORIZONS = [30, 90, 180] as const;

const DAY_MS = 86_400_000;
const day = (iso: string | null): string | null => (iso === null ? null : iso.slice(0, 10));
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const isoOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Exact to the cent for display: quantities and costs are decimals. */
const times = (q: number, c: number) => Math.round(q * c * 1e6) / 1e6;

/** What one right asks for within [from, to] (day numbers), or null. */
function itemOf(r: RightResult, from: number, to: number): Pick<RenewalItem, 'due' | 'event' | 'overdue'> | null {
  const within = (iso: string | null) => iso !== null && dayNumber(iso) >= from && dayNumber(iso) <= to;
  const renewal = day(r.renewal), notice = day(r.noticeBy), end = day(r.end);
  const candidates: { at: string; event: RenewalEvent; overdue: boolean }[] = [];
  const renewalAhead = renewal !== null && dayNumber(renewal) >= from;
  if (notice !== null && renewalAhead && dayNumber(notice) <= to) {
    candidates.push({ at: notice, event: 'notice', overdue: dayNumber(notice) < from });
  }
  if (within(renewal)) candidates.push({ at: renewal!, event: 'renewal', overdue: false });
  // An ended right shows only through its renewal (above).
  if (r.state !== 'ended' && within(end)) candidates.push({ at: end!, event: 'end', overdue: false });
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const first = candidates[0];
  return { due: first.overdue ? isoOf(from) : first.at, event: first.event, overdue: first.overdue };
}

/** Every right of these positions ending or due for notice within `horizonDays` of asOf, soonest first. */
export function renewalsWithin(positions: Iterable<PositionResult>, asOf: string, horizonDays: number): RenewalItem[] {
  const from = dayNumber(asOf), to = from + horizonDays;
  const out: RenewalItem[] = [];
  for (const p of positions) {
    for (const r of p.rights ?? []) {
      const hit = itemOf(r, from, to);
      if (!hit) continue;
      out.push({
        ...hit, days: hit.overdue ? dayNumber(r.noticeBy!) - from : dayNumber(hit.due) - from, right: r, positionKey: p.key,
        status: p.status, currency: p.currency, costAtStake: r.unitCost === null ? null : times(r.quantity, r.unitCost),
      });
    }
  }
  return out.sort((a, b) => a.days - b.days || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0) || a.right.id.localeCompare(b.right.id));
}

export const EVENT_LABELS: Readonly<Record<RenewalEvent, string>> = { notice: 'Notice due', renewal: 'Renews', end: 'Ends' };

/** "in 12 days", "today", "notice overdue by 3 days". */
export function whenLabel(item: RenewalItem): string {
  if (item.overdue) return `overdue by ${-item.days} day${item.days === -1 ? '' : 's'}`;
  if (item.days === 0) return 'today';
  return `in ${item.days} day${item.days === 1 ? '' : 's'}`;
}

/** Why a right does not count today, or null when it does: "ended on 2026-01-31", "starts on 2027-01-01". */
export function inactiveReason(r: RightResult): string | null {
  if (r.state === 'ended') return `ended on ${day(r.end)}`;
  if (r.state === 'not started') return `starts on ${day(r.start)}`;
  return null;
}

/** A position none of whose rights counts today says so: "no right counts today: all ended (last on …)". */
export function positionRightsNote(p: PositionResult): string | null {
  const rights = p.rights ?? [];
  if (rights.length === 0 || rights.some((r) => r.state === 'active')) return null;
  const ended = rights.filter((r) => r.state === 'ended');
  if (ended.length === rights.length) {
    const last = ended.map((r) => day(r.end)!).sort().at(-1);
    return `no right counts today: ${rights.length === 1 ? 'it' : 'all'} ended (last on ${last})`;
  }
  const starts = rights.filter((r) => r.state === 'not started').map((r) => day(r.start)!).sort()[0];
  return `no right counts today: ${ended.length ? 'some ended, ' : ''}the next starts on ${starts}`;
}
