// `reckon savings FILE [--json]`: what a workbook can save — surplus (rights bought beyond
// consumption, at unit cost), reclaim candidates (each with its reason, the rows it rests on and the
// rights and cost it frees) and plans to compliance (reclaim what can be, buy the rest at unit cost,
// with the saving against buying only). Computed by the engine's savings (engine/savings/).
// FILE: .json, .yjs, .xlsx, .csv or a folder of .csv files. Bad input: one line, exit 2.
// --json prints the SavingsResult (format reckon-savings/1, documented in the README).

import { fileArgs } from './args';
import type { Problem, RawRow } from '../engine/cells';
import { Engine } from '../engine/engine';
import { SHEETS } from '../engine/schema';
import { REASON_LABELS, type Plan } from '../engine/savings/types';
import { readWorkbookFile } from './import';
import { isYjsFile, today } from './input';
import { num, table } from './table';
import { reconcileYjsFile } from './yjs';

async function engineOf(file: string, problems: Problem[]): Promise<Engine> {
  if (isYjsFile(file)) return reconcileYjsFile(file, today());
  const wb = await readWorkbookFile(file, problems);
  const engine = new Engine({ today: today() });
  engine.load(wb.settings, Object.fromEntries(SHEETS.map((s) => [s, { rows: (wb.sheets[s] ?? []) as RawRow[] }])), { release: true });
  return engine;
}

const money = (x: number | null, currency: string): string => (x === null ? 'no unit cost' : `${currency} ${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const priced = (cost: number, unpriced: number, currency: string): string => `${money(cost, currency)}${unpriced ? ` (+${num(unpriced)} without unit cost)` : ''}`;

function planLine(p: Plan): string {
  const buy = p.buy.map((b) => `buy ${num(b.rights)}${b.entitlementId ? ` on ${b.entitlementId}` : ' (new entitlement)'}`).join(', ');
  const reclaim = p.reclaim.length ? `reclaim ${num(p.reclaim.length)} (${num(p.reclaimed)} rights)` : '';
  return [reclaim, buy].filter(Boolean).join(', ') || 'nothing to do';
}

export async function savingsCommand(argv: string[]): Promise<number> {
  const args = fileArgs(argv, 'savings', 1, 'one FILE', 'usage: reckon savings FILE [--json]');
  if (!args) return 2;
  const { files, json } = args;
  const engine = await engineOf(files[0], []);
  const r = engine.savings().result();
  if (json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const t = r.totals, cur = t.currency;
  const out: string[] = [];
  out.push(`Savings as of ${r.asOf} (devices not seen for more than ${r.notSeenDays} days count as not seen)`);
  out.push(`Surplus: ${num(t.surplus.rights)} rights in ${num(t.surplus.count)} positions, ${priced(t.surplus.cost, t.surplus.unpriced, cur)}`);
  out.push(`Reclaimable: ${num(t.reclaim.count)} candidates freeing ${num(t.reclaim.rights)} rights, ${priced(t.reclaim.cost, t.reclaim.unpriced, cur)}`);
  out.push(`Plan to compliance: ${num(t.plan.positions)} noncompliant positions; buying only ${money(t.plan.buyOnlyCost, cur)}, the plan ${money(t.plan.planCost, cur)}, saving ${money(t.plan.saving, cur)}`);
  if (t.surplus.byPublisher.length) {
    out.push('', table(['PUBLISHER', 'SURPLUS POSITIONS', 'SURPLUS RIGHTS', 'SURPLUS COST'],
      t.surplus.byPublisher.map((b) => [b.publisher, num(b.count), num(b.rights), priced(b.cost, b.unpriced, cur)]), new Set([1, 2, 3])));
  }
  if (r.candidates.length) {
    out.push('', table(['REASON', 'PUBLISHER', 'PRODUCT', 'DEVICE', 'USER', 'ROWS', 'RIGHTS FREED', 'COST'],
      r.candidates.map((c) => [REASON_LABELS[c.reason], c.publisher, c.product, c.deviceId ?? '', c.userId ?? '', c.rows.map((x) => x.id).join(' '),
        num(c.rights), c.freed.length ? money(c.cost, cur) : '']), new Set([6, 7])));
  }
  if (r.plans.length) {
    out.push('', table(['POSITION', 'SHORTFALL', 'PLAN', 'BUY ONLY', 'PLAN COST', 'SAVING', 'NOTE'],
      r.plans.map((p) => [p.key, num(p.shortfall), planLine(p), money(p.buyOnlyCost, cur), money(p.buyCost, cur), money(p.saving, cur), p.note]), new Set([1, 3, 4, 5])));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
