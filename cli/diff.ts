// `reckon diff BASE SCENARIO [--json]`: what a scenario changes against its baseline, or one
// workbook against another. Each side is a workbook file (.json) or a document (.yjs); SCENARIO
// may be a scenario document (the what-if branch of a workspace, worker/scenario/), read over BASE
// (which must then be the baseline's document). Prints the positions whose figures change (both
// sides and the differences), HAM units, totals, and the changed rows and cells; with --json the
// `reckon-diff/1` object documented in the README, and nothing else on stdout.

import { fileArgs } from './args';
import type * as Y from 'yjs';
import type { Result } from '../engine/changes';
import { Engine } from '../engine/engine';
import { SHEETS } from '../engine/schema';
import { reconcile } from '../engine/workbook';
import { loadDocument } from '../worker/bridge';
import type { WorkbookRead } from '../worker/doc/reader';
import { WorkbookReader } from '../worker/doc/reader';
import { scenarioChanges } from '../worker/scenario/changes';
import { compareResults } from '../worker/scenario/compare';
import { diffOf, diffOfScenario, diffRows, type Diff, type DiffSide } from '../worker/scenario/diff';
import { isScenarioDoc } from '../worker/scenario/layout';
import { LayeredReader } from '../worker/scenario/reader';
import { layerOf } from '../worker/scenario/touched';
import { InputError, isYjsFile, readJsonWorkbook, today } from './input';
import { money, num, table } from './table';

const USAGE = 'usage: reckon diff BASE SCENARIO [--json]';

/** A side read: a workbook (reconciled, with its rows for the row diff), or a scenario document (read over BASE). */
type Side = { result: Result; rows: DiffSide; reader?: WorkbookReader } | { scenario: Y.Doc };

const docRows = (reader: WorkbookRead): DiffSide => ({
  settings: reader.settings(),
  sheets: Object.fromEntries(SHEETS.map((s) => [s, reader.sheet(s).readAll()])),
});

async function readSide(file: string, day: string): Promise<Side> {
  if (isYjsFile(file)) {
    const { readYjsDoc } = await import('./yjs');
    const doc = readYjsDoc(file);
    if (isScenarioDoc(doc)) return { scenario: doc };
    const reader = new WorkbookReader(doc);
    return { result: loadDocument(new Engine({ today: day }), reader).result(), rows: docRows(reader), reader };
  }
  const read = await readJsonWorkbook(file, [], { parallel: false });
  const rows: DiffSide = { settings: read.wb.settings, sheets: Object.fromEntries(SHEETS.map((s) => [s, { keys: null, rows: read.wb.sheets[s].filter((r) => r !== undefined) }])) };
  return { result: reconcile(read.wb, { today: day }), rows };
}

export async function diffCommand(argv: string[]): Promise<number> {
  const args = fileArgs(argv, 'diff', 2, 'BASE and SCENARIO', USAGE);
  if (!args) return 2;
  const { files: [baseFile, scenarioFile], json } = args;
  const day = today();
  const base = await readSide(baseFile, day);
  if ('scenario' in base) throw new InputError(`${baseFile}: a scenario document; give its baseline as BASE and the scenario as SCENARIO`);
  const other = await readSide(scenarioFile, day);
  const names = { base: baseFile, scenario: scenarioFile };
  let diff: Diff;
  if ('scenario' in other) {
    if (!base.reader) throw new InputError(`${scenarioFile}: a scenario document is read over its baseline: BASE must be the baseline's document (.yjs)`);
    const layered = new LayeredReader(base.reader, other.scenario);
    warnIfNotItsBaseline(layered, baseFile, scenarioFile);
    const result = loadDocument(new Engine({ today: day }), layered).result();
    diff = diffOf(names, compareResults(base.result, [result]), diffOfScenario(scenarioChanges(layered)));
  } else {
    diff = diffOf(names, compareResults(base.result, [other.result]), diffRows(base.rows, other.rows));
  }
  process.stdout.write(json ? `${JSON.stringify(diff)}\n` : report(diff));
  return 0;
}

/** A scenario over another workbook than its baseline names rows that workbook never had. */
function warnIfNotItsBaseline(r: LayeredReader, baseFile: string, scenarioFile: string): void {
  let named = 0, missing = 0;
  for (const [sheet, keys] of layerOf(r).rows) {
    const L = r.sheet(sheet);
    for (const k of keys) {
      if (L.isOwn(k)) continue;
      named++;
      if (!L.base.exists(k) && !L.types.base.has(k)) missing++;
    }
  }
  if (named > 0 && missing === named) process.stderr.write(`reckon diff: warning: ${baseFile} has none of the rows ${scenarioFile} changes: is it the scenario's baseline?\n`);
}

const MAX_LINES = 200;
const arrow = (a: string, b: string, d?: string) => (a === b ? a : `${a} → ${b}${d ? ` (${d})` : ''}`);
const signed = (n: number, fmt: (x: number) => string) => (n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : '0');
const cash = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const show = (v: unknown) => (v === undefined || v === null ? '(blank)' : JSON.stringify(v));

export function report(d: Diff): string {
  const t = d.totals, out: string[] = [];
  const currency = t.scenario.currency || t.base.currency;
  out.push(`${d.scenario} against ${d.base}`);
  out.push(`Shortfall cost: ${arrow(`${cash(t.base.shortfallCost)} ${t.base.currency}`.trim(), `${cash(t.scenario.shortfallCost)} ${currency}`.trim(), signed(t.delta.shortfallCost, cash))}`);
  out.push(`Noncompliant positions: ${arrow(num(t.base.noncompliant), num(t.scenario.noncompliant), signed(t.delta.noncompliant, num))} · positions: ${arrow(num(t.base.positions), num(t.scenario.positions))}`
    + ` · hardware units: ${arrow(num(t.base.hamUnits), num(t.scenario.hamUnits), signed(t.delta.hamUnits, num))}`);
  const changed = d.positions.filter((p) => p.changed);
  out.push('', `Changed positions: ${changed.length} of ${d.positions.length}`);
  if (changed.length) {
    const fig = (p: (typeof changed)[number], f: 'consumed' | 'available' | 'purchased') =>
      arrow(p.base ? num(p.base[f]) : '—', p.scenario ? num(p.scenario[f]) : '—', signed(p.delta[f], num));
    out.push('', table(
      ['STATUS', 'PUBLISHER', 'PRODUCT', 'METRIC', 'PURCHASED', 'CONSUMED', 'AVAILABLE', 'SHORTFALL COST'],
      changed.slice(0, MAX_LINES).map((p) => [
        arrow(p.base?.status ?? '—', p.scenario?.status ?? '—'), p.publisher, [p.product, p.version, p.edition].filter(Boolean).join(' '), p.metric,
        fig(p, 'purchased'), fig(p, 'consumed'), fig(p, 'available'),
        arrow(money(p.base?.shortfallCost ?? 0, currency) || '0', money(p.scenario?.shortfallCost ?? 0, currency) || '0', signed(p.delta.shortfallCost, cash)),
      ]),
      new Set([4, 5, 6, 7]),
    ));
    if (changed.length > MAX_LINES) out.push(`… and ${changed.length - MAX_LINES} more (see --json)`);
  }
  const ham = d.ham.filter((h) => h.changed);
  if (ham.length) {
    out.push('', 'Hardware units', '', table(['CATEGORY', 'ASSETS', 'UNITS'], ham.map((h) => [
      h.category, arrow(num(h.base?.assets ?? 0), num(h.scenario?.assets ?? 0)), arrow(num(h.base?.units ?? 0), num(h.scenario?.units ?? 0)),
    ]), new Set([1, 2])));
  }
  const c = d.changes;
  const count = c.settings.length + c.sheets.reduce((n, s) => n + s.added.length + s.removed.length + s.changed.length, 0);
  out.push('', `Changes: ${count === 0 ? 'none' : c.sheets.map((s) => `${s.sheet} ${[
    s.added.length ? `${s.added.length} added` : '', s.removed.length ? `${s.removed.length} removed` : '', s.changed.length ? `${s.changed.length} cells changed` : '',
  ].filter(Boolean).join(', ')}`).concat(c.settings.length ? [`settings ${c.settings.length} changed`] : []).join('; ')}`);
  let lines = 0;
  const line = (s: string) => { if (lines++ < MAX_LINES) out.push(s); };
  for (const s of c.sheets) {
    line('');
    line(s.sheet);
    for (const r of s.added) line(`  added    ${r.id || r.key} ${JSON.stringify(r.cells)}`);
    for (const r of s.removed) line(`  removed  ${r.id || r.key}`);
    for (const x of s.changed) line(`  changed  ${x.id || x.key} ${x.column}: ${show(x.old)} → ${show(x.new)}`);
  }
  if (c.settings.length) {
    line('');
    line('settings');
    for (const x of c.settings) line(`  ${x.key}: ${show(x.old)} → ${show(x.new)}`);
  }
  if (lines > MAX_LINES) out.push(`… and ${lines - MAX_LINES} more lines (see --json)`);
  return `${out.join('\n')}\n`;
}
