// The page's results (web/state/results.ts, kept patch by patch) as one reconciliation Result, for
// the report builders and the dashboard.

import type { Result } from '../../engine/changes';
import type { Problem } from '../../engine/cells';
import { summarize, type Summary } from '../../io/report/summary';
import { createSignal, onCleanup } from 'solid-js';
import type { Results } from '../state/results';
import type { Session } from '../state/session';

export function resultOf(r: Results): Result {
  const problems: Problem[] = [...r.settingsProblems];
  for (const ps of r.problems.values()) problems.push(...ps);
  return {
    positions: [...r.positions.values()],
    unlicensed: [...r.unlicensed.values()].map(({ publisher, product, installations, devices }) => ({ publisher, product, installations, devices })),
    ham: r.ham ?? { categories: [], totalUnits: 0, otTotalUnits: 0 },
    problems,
  };
}

/** The summary of the results now; reading the ticks makes a Solid computation follow changes. */
export function trackedSummary(r: Results, asOf: string): Summary {
  r.positionsTick();
  r.hamTick();
  r.problemsTick();
  return summarize(resultOf(r), asOf);
}

/** The workbook's asOf setting, or today. */
export function asOfOf(settings: { get(key: string): unknown }): string {
  const v = settings.get('asOf');
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 10) : new Date().toISOString().slice(0, 10);
}

/** The workbook's asOf (or today), following the settings as they change (a scenario's, layered over its baseline's). */
export function useAsOf(session: Session): () => string {
  const settings = { get: (key: string) => session.setting(key) };
  const [asOf, setAsOf] = createSignal(asOfOf(settings));
  onCleanup(session.observeSettings(() => { setAsOf(asOfOf(settings)); }));
  return asOf;
}
