// `reckon normalize FILE [--json]`: the unrecognized software of a workbook — raw publisher/product
// pairs of installations that no normalization rule and no entitlement names, largest first — with
// how many rules it has, how many of them have problems, and how many installations are ignored.
// FILE: .json, .yjs, .xlsx, .csv or a folder of .csv files. Bad input: one line, exit 2.

import { fileArgs } from './args';
import type { Problem, RawRow } from '../engine/cells';
import { Engine } from '../engine/engine';
import { IGNORED_PUBLISHER } from '../engine/normalize/normalizer';
import type { UnrecognizedResult } from '../engine/normalize/unrecognized';
import { SHEETS } from '../engine/schema';
import { readWorkbookFile } from './import';
import { isYjsFile, today } from './input';
import { num, table } from './table';
import { reconcileYjsFile } from './yjs';

export interface NormalizeSummary {
  rules: number;
  /** Rules with a problem (they do nothing). */
  ruleProblems: Problem[];
  installations: number;
  ignored: number;
  unrecognized: UnrecognizedResult[];
}

async function engineOf(file: string, problems: Problem[]): Promise<Engine> {
  if (isYjsFile(file)) return reconcileYjsFile(file, today());
  const wb = await readWorkbookFile(file, problems);
  const engine = new Engine({ today: today() });
  engine.load(wb.settings, Object.fromEntries(SHEETS.map((s) => [s, { rows: (wb.sheets[s] ?? []) as RawRow[] }])), { release: true });
  return engine;
}

export function summaryOf(engine: Engine): NormalizeSummary {
  let installations = 0, ignored = 0;
  for (const i of engine.store.rows('installations')) {
    installations++;
    if (i.publisher === IGNORED_PUBLISHER) ignored++;
  }
  return {
    rules: engine.store.count('normalization'),
    ruleProblems: engine.result().problems.filter((p) => p.sheet === 'normalization'),
    installations,
    ignored,
    unrecognized: engine.unrecognizedResults(),
  };
}

export async function normalizeCommand(argv: string[]): Promise<number> {
  const args = fileArgs(argv, 'normalize', 1, 'one FILE', 'usage: reckon normalize FILE [--json]');
  if (!args) return 2;
  const { files, json } = args;
  const problems: Problem[] = [];
  const s = summaryOf(await engineOf(files[0], problems));
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...s, ruleProblems: s.ruleProblems.map(({ key: _k, ...p }) => p) })}\n`);
    return 0;
  }
  const out: string[] = [];
  const unrecognizedInstalls = s.unrecognized.reduce((n, u) => n + u.installations, 0);
  out.push(`Normalization rules: ${num(s.rules)}${s.ruleProblems.length ? ` (${num(s.ruleProblems.length)} with problems: they do nothing)` : ''}`);
  out.push(`Installations: ${num(s.installations)}, of which ${num(s.ignored)} ignored by rules (they need no license)`);
  out.push(`Unrecognized: ${num(s.unrecognized.length)} products, ${num(unrecognizedInstalls)} installations (no rule and no entitlement names them)`);
  if (s.unrecognized.length) {
    out.push('', table(['PUBLISHER', 'PRODUCT', 'PUBLISHER ALIAS', 'INSTALLATIONS', 'DEVICES'],
      s.unrecognized.map((u) => [u.publisher, u.product, u.canonicalPublisher, num(u.installations), num(u.devices)]), new Set([3, 4])));
  }
  if (s.ruleProblems.length) {
    out.push('', table(['RULE', 'COLUMN', 'PROBLEM'], s.ruleProblems.map((p) => [p.rowId, p.column, p.message])));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
