// The Savings view's exports (CSV and XLSX): reclaim candidates (reason, rows, rights freed and
// cost) and plans to compliance (reclaim, buy, costs and the saving against buying only). Shared by
// the page's Savings view and tests; the figures are the engine's (engine/savings/types.ts).

import { csvText } from '../csv/write';
import { collectXlsx, type StyleName, type XCell } from '../xlsx/write';
import { REASON_LABELS, type Candidate, type Plan, type SavingsTotals } from '../../engine/savings/types';

export const CANDIDATE_COLUMNS = [
  'Reason', 'Publisher', 'Product', 'Device', 'User', 'Action', 'Rows', 'Positions', 'Rights freed', 'Cost', 'Currency', 'Why', 'Note',
] as const;

export function candidateCells(c: Candidate): (string | number | null)[] {
  return [
    REASON_LABELS[c.reason], c.publisher, c.product, c.deviceId, c.userId, c.action === 'remove' ? 'remove rows' : 'deactivate',
    c.rows.map((r) => `${r.sheet}/${r.id}`).join(' '), c.positions.join(' '), c.rights, c.freed.length ? c.cost : null, c.currency, c.why, c.note || null,
  ];
}

export const PLAN_COLUMNS = [
  'Position', 'Shortfall', 'Reclaim (candidates)', 'Rights reclaimed', 'Buy (rights)', 'Plan cost', 'Buy-only cost', 'Saving', 'Currency', 'Note',
] as const;

export function planCells(p: Plan, label: (key: string) => string = (k) => k): (string | number | null)[] {
  return [
    p.key ? label(p.key) : 'Whole workbook', p.shortfall, p.reclaim.length, p.reclaimed,
    p.buy.reduce((n, b) => Math.round((n + b.rights) * 1e6) / 1e6, 0), p.buyCost, p.buyOnlyCost, p.saving, p.currency, p.note || null,
  ];
}

export function candidatesCsv(cs: readonly Candidate[]): string {
  return csvText([...CANDIDATE_COLUMNS], cs.map(candidateCells), { escapeFormulae: true });
}

export function plansCsv(ps: readonly Plan[], label?: (key: string) => string): string {
  return csvText([...PLAN_COLUMNS], ps.map((p) => planCells(p, label)), { escapeFormulae: true });
}

const header = (cols: readonly string[]): XCell[] => cols.map((v) => ({ v, s: 'header' as StyleName }));
const MONEY_C = new Set([CANDIDATE_COLUMNS.indexOf('Cost')]);
const MONEY_P = new Set([5, 6, 7]);

/** Summary, candidates and plans, one sheet each. */
export function savingsXlsx(totals: SavingsTotals | null, cs: readonly Candidate[], ps: readonly Plan[], label?: (key: string) => string): Uint8Array {
  return collectXlsx((w) => {
    const sum = w.addSheet('Summary', { widths: [40, 18, 12] });
    sum.row([{ v: 'Savings', s: 'title' }]);
    if (totals) {
      sum.row([{ v: 'Currency' }, { v: totals.currency }]);
      sum.row([{ v: 'Surplus cost', s: 'header' }, { v: totals.surplus.cost, s: 'money' }, { v: `${totals.surplus.count} positions` }]);
      sum.row([{ v: 'Reclaimable cost', s: 'header' }, { v: totals.reclaim.cost, s: 'money' }, { v: `${totals.reclaim.count} candidates` }]);
      sum.row([{ v: 'Whole plan: buying only', s: 'header' }, { v: totals.plan.buyOnlyCost, s: 'money' }]);
      sum.row([{ v: 'Whole plan: cost', s: 'header' }, { v: totals.plan.planCost, s: 'money' }]);
      sum.row([{ v: 'Whole plan: saving', s: 'header' }, { v: totals.plan.saving, s: 'money' }]);
    }
    sum.end();
    const c = w.addSheet('Candidates', { frozenRows: 1, widths: [26, 16, 24, 14, 14, 12, 30, 30, 12, 12, 9, 60, 40] });
    c.row(header(CANDIDATE_COLUMNS));
    for (const x of cs) c.row(candidateCells(x).map((v, i): XCell => ({ v, s: MONEY_C.has(i) ? 'money' : undefined })));
    c.end();
    const p = w.addSheet('Plans', { frozenRows: 1, widths: [40, 11, 12, 12, 12, 14, 14, 14, 9, 50] });
    p.row(header(PLAN_COLUMNS));
    for (const x of ps) p.row(planCells(x, label).map((v, i): XCell => ({ v, s: MONEY_P.has(i) ? 'money' : undefined })));
    p.end();
  });
}
