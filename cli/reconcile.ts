// `reckon reconcile FILE [--json]`: a readable report, or the result object of workbook.md.

import { fileArgs } from './args';
import type { Problem } from '../engine/cells';
import type { Result } from '../engine/changes';
import { isYjsFile, today } from './input';
import { reconcileFile, reconciledEngine, type Reconciled } from './load';
import { ChunkedWriter, omitted, writeValue } from './json-write';
import { money, num, table } from './table';
import { mark } from './timing';

const STATUS_ORDER = { noncompliant: 0, warning2: 1, warning1: 2, compliant: 3 } as const;

export async function reconcileCommand(argv: string[]): Promise<number> {
  const args = fileArgs(argv, 'reconcile', 1, 'one FILE', 'usage: reckon reconcile FILE [--json]');
  if (!args) return 2;
  const { files, json } = args;
  const problems: Problem[] = [];
  // Yjs loads only for a document file: a JSON reconcile is measured as a whole process.
  const reconciled = isYjsFile(files[0])
    ? reconciledEngine((await import('./yjs')).reconcileYjsFile(files[0], today()))
    : await reconcileFile(files[0], today(), problems);
  const result = reconciled.result();
  result.problems = [...problems, ...result.problems];
  mark('reconciled');
  if (json) {
    for (const p of result.problems) delete p.key;
    await writeWithLines(result, reconciled, (text) => process.stdout.write(text));
    reconciled.close();
  } else {
    reconciled.close();
    process.stdout.write(report(result));
  }
  mark('printed');
  if (process.env.RECKON_TIMING) process.stderr.write(`timing peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  return 0;
}

/** Positions whose lines are asked for at once: a few thousand positions' lines would not fit one string. */
const LINES_BATCH = 32;

/**
 * The result object of workbook.md, each position with its contribution lines after its other
 * fields, as JSON.stringify writes it, and a newline. Streamed (json-write.ts), and the lines are
 * fetched a batch of positions at a time and dropped once written: on a million installations
 * with many positions per product they outgrow the longest string and, all held, the memory goal.
 */
async function writeWithLines(result: Result, reconciled: Reconciled, sink: (text: string) => void): Promise<void> {
  const out = new ChunkedWriter(sink);
  out.add('{');
  let first = true;
  for (const [key, value] of Object.entries(result)) {
    if (omitted(value)) continue;
    out.add(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (key !== 'positions') {
      writeValue(out, value, 3);
      continue;
    }
    const positions = result.positions;
    out.add('[');
    for (let at = 0; at < positions.length; at += LINES_BATCH) {
      const batch = positions.slice(at, at + LINES_BATCH);
      const lines = await reconciled.lines(batch);
      for (let k = 0; k < batch.length; k++) {
        if (at + k > 0) out.add(',');
        writeValue(out, { ...batch[k], contributions: lines[k] }, 2);
      }
    }
    out.add(']');
  }
  out.add('}\n');
  out.flush();
}

export function report(r: Result): string {
  const out: string[] = [];
  const positions = [...r.positions].sort((a, b) =>
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.shortfallCost - a.shortfallCost || b.shortfall - a.shortfall);
  const counts = Object.fromEntries(Object.keys(STATUS_ORDER).map((s) => [s, r.positions.filter((p) => p.status === s).length]));
  const costs = new Map<string, number>();
  for (const p of r.positions) if (p.shortfallCost > 0) costs.set(p.currency, (costs.get(p.currency) ?? 0) + p.shortfallCost);
  out.push(`License positions: ${r.positions.length} (${counts.noncompliant} noncompliant, ${counts.warning2} warning 2, ${counts.warning1} warning 1, ${counts.compliant} compliant)`);
  if (costs.size) out.push(`Shortfall cost: ${[...costs].map(([c, v]) => money(v, c)).join(', ')}`);
  // Surplus: rights bought beyond consumption (engine/savings/surplus.ts); `reckon savings` says more.
  const surplus = new Map<string, number>();
  for (const p of r.positions) if (p.surplus > 0 && p.surplusCost) surplus.set(p.currency, Math.round(((surplus.get(p.currency) ?? 0) + p.surplusCost) * 100) / 100);
  if (surplus.size) out.push(`Surplus cost: ${[...surplus].map(([c, v]) => money(v, c)).join(', ')}`);
  out.push('');
  // Shortfall moved between overlapping positions gets a column when any moved: "+2 in", "-2 up".
  const moved = r.positions.some((p) => p.moves.length > 0);
  const moves = (p: Result['positions'][number]) => p.moves.map((m) => (m.amount > 0 ? `+${num(m.amount)} in` : `${num(m.amount)} up`)).join(' ');
  out.push(table(
    ['STATUS', 'PUBLISHER', 'PRODUCT', 'METRIC', 'PURCHASED', 'CONSUMED', 'AVAILABLE', 'SHORTFALL', 'SHORTFALL COST', 'FLAGS', ...(moved ? ['MOVED'] : [])],
    positions.map((p) => [p.status, p.publisher, [p.product, p.downgrade ? `${p.version}+` : p.version, p.edition].filter(Boolean).join(' '), p.metric,
      num(p.purchased), num(p.consumed), num(p.available), p.shortfall ? num(p.shortfall) : '', money(p.shortfallCost, p.currency), p.flags.join(','),
      ...(moved ? [moves(p)] : [])]),
    new Set([4, 5, 6, 7, 8]),
  ));
  if (r.unlicensed.length) {
    out.push('', `Unlicensed installations: ${r.unlicensed.length} products`, '');
    out.push(table(['PUBLISHER', 'PRODUCT', 'INSTALLATIONS', 'DEVICES'], r.unlicensed.map((u) => [u.publisher, u.product, num(u.installations), num(u.devices)]), new Set([2, 3])));
  }
  const ham = r.ham.categories.filter((c) => c.assets > 0);
  out.push('', `Hardware units: ${num(r.ham.totalUnits)}${r.ham.otTotalUnits ? ` (+ ${num(r.ham.otTotalUnits)} OT)` : ''}`);
  if (ham.length) {
    out.push('', table(['CATEGORY', 'SOLUTION', 'ASSETS', 'RATIO', 'UNITS'], ham.map((c) => [c.category, c.solution, num(c.assets), `${num(c.ratio)}:1`, num(c.units)]), new Set([2, 3, 4])));
  }
  if (r.problems.length) {
    out.push('', `Problems: ${r.problems.length}`, '');
    const shown = r.problems.slice(0, 200);
    out.push(table(['SHEET', 'ROW', 'COLUMN', 'PROBLEM'], shown.map((p) => [p.sheet, p.rowId, p.column, p.message])));
    if (r.problems.length > shown.length) out.push(`… and ${r.problems.length - shown.length} more (see --json)`);
  }
  return `${out.join('\n')}\n`;
}
