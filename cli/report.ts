// `reckon report FILE --format csv|xlsx|html --out OUT`: the position report of a workbook.
// FILE is a JSON workbook, a .yjs document, a folder of CSV files or an XLSX workbook. The format
// defaults to the --out file's extension. Bad input: one line on stderr, exit 2.

import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isoDate, type Problem } from '../engine/cells';
import { Engine } from '../engine/engine';
import { SHEETS } from '../engine/schema';
import { ImportError } from '../io/bytes';
import { fileKind } from '../io/open';
import { isDirectory, readTableWorkbook } from '../io/node-files';
import { reportHtml } from '../io/report/html';
import { summarize } from '../io/report/summary';
import { reportCsv, reportXlsx } from '../io/report/write';
import { InputError, isYjsFile, today } from './input';
import { reconcileFile, reconciledEngine, type Reconciled } from './load';
import { reconcileYjsFile } from './yjs';

const FORMATS = ['csv', 'xlsx', 'html'] as const;
type Format = (typeof FORMATS)[number];
const USAGE = 'usage: reckon report FILE --format csv|xlsx|html --out OUT   (FILE: .json, .yjs, .xlsx or a folder of .csv files)';

function usage(message: string): number {
  process.stderr.write(`reckon report: ${message}\n${USAGE}\n`);
  return 2;
}

/** Any workbook input, reconciled (without contributions: the report does not list them). */
async function reconciledOf(file: string, day: string, problems: Problem[]): Promise<Reconciled> {
  if (isYjsFile(file)) return reconciledEngine(reconcileYjsFile(file, day));
  if (isDirectory(file) || fileKind(file) === 'csv' || fileKind(file) === 'xlsx') {
    const wb = await readTableWorkbook(file);
    const engine = new Engine({ today: day });
    engine.load(wb.settings, Object.fromEntries(SHEETS.map((s) => [s, { rows: wb[s] ?? [] }])), { release: true });
    return reconciledEngine(engine);
  }
  if (fileKind(file) === 'json') return reconcileFile(file, day, problems);
  throw new InputError(`${file}: cannot read this kind of file (known: .json, .yjs, .xlsx, .csv or a folder of .csv files)`);
}

export async function reportCommand(argv: string[]): Promise<number> {
  const files: string[] = [];
  let out: string | undefined, format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i];
    else if (a === '--format') format = argv[++i];
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a.startsWith('--')) return usage(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) return usage('expected one FILE');
  if (!out) return usage('expected --out OUT');
  const fmt = (format ?? extname(out).slice(1).toLowerCase()) as Format;
  if (!FORMATS.includes(fmt)) return usage(format ? `unknown format "${format}"` : `cannot tell the format from ${out}: give --format`);
  try {
    const problems: Problem[] = [];
    const day = today();
    const reconciled = await reconciledOf(files[0], day, problems);
    const result = reconciled.result();
    reconciled.close();
    result.problems = [...problems, ...result.problems];
    const summary = summarize(result, isoDate(reconciled.settings.asOf));
    const body = fmt === 'csv' ? reportCsv(summary) : fmt === 'xlsx' ? reportXlsx(summary) : reportHtml(summary);
    try {
      writeFileSync(out, body);
    } catch (err) {
      throw new InputError(`${out}: ${(err as Error).message.split('\n')[0]}`);
    }
    process.stdout.write(`${out}: ${summary.positions.length} positions (${summary.counts.noncompliant} noncompliant)\n`);
    return 0;
  } catch (err) {
    // Errors of the table readers (io/) are bad input too.
    if (err instanceof ImportError) throw new InputError(err.message.split('\n')[0]);
    throw err;
  }
}
