// `reckon import FILE --out DOC.yjs [--no-catalogue]`: a workbook file into a new workbook document.
// Input formats are chosen by file extension in READERS, the one place to add a format. Tables
// (CSV, XLSX) go through the import profiles and reference matching of io/ (as the import dialog
// does); a new document gets the default normalization catalogue unless the file brings rules of
// its own or --no-catalogue is given. It prints what it made of each table: the profile it
// recognised, how references were matched and what could not be resolved, and how many products
// no rule and no entitlement recognises.

import { extname } from 'node:path';
import * as Y from 'yjs';
import type { Problem, RawRow } from '../engine/cells';
import { Engine } from '../engine/engine';
import { SHEETS, SHEETS as SHEET_NAMES } from '../engine/schema';
import { catalogueRules } from '../catalogue';
import { addCatalogue } from '../worker/doc/catalogue';
import { importWorkbook, type WorkbookRows } from '../worker/doc/import';
import { createWorkbookDoc } from '../worker/doc/open';
import { InputError, isYjsFile, readJsonWorkbook, today } from './input';
import { writeYjsDoc } from './yjs';
import { ImportError } from '../io/bytes';
import { isDirectory, readTableWorkbook } from '../io/node-files';
import type { TableReport } from '../io/workbook';
import { num } from './table';

type Reader = (file: string, problems: Problem[], report: TableReport[]) => Promise<WorkbookRows>;

async function readJson(file: string, problems: Problem[]): Promise<WorkbookRows> {
  const { wb } = await readJsonWorkbook(file, problems, { parallel: false });
  return { settings: wb.settings, sheets: wb.sheets as WorkbookRows['sheets'] };
}

/** CSV files (a folder of them, or one named after its sheet) and XLSX workbooks (io/). */
async function readTables(file: string, _problems: Problem[], report: TableReport[]): Promise<WorkbookRows> {
  try {
    const wb = await readTableWorkbook(file, report);
    return { settings: wb.settings, sheets: Object.fromEntries(SHEET_NAMES.map((s) => [s, wb[s] ?? []])) };
  } catch (err) {
    if (err instanceof ImportError) throw new InputError(err.message);
    throw err;
  }
}

/** Workbook readers by file extension (lower case, with the dot); '/' is a folder of CSV files. */
export const READERS: Record<string, Reader> = {
  '.json': readJson,
  '.xlsx': readTables,
  '.xlsm': readTables,
  '.csv': readTables,
  '/': readTables,
};

/** Reads any supported workbook file; `problems` gets rows left out, `report` what each table became. */
export function readWorkbookFile(file: string, problems: Problem[], report: TableReport[] = []): Promise<WorkbookRows> {
  const reader = READERS[isDirectory(file) ? '/' : extname(file).toLowerCase()];
  if (!reader) throw new InputError(`${file}: cannot import this kind of file (known: ${Object.keys(READERS).filter((k) => k !== '/').join(', ')}, or a folder of .csv files)`);
  return reader(file, problems, report);
}

export interface ImportOptions {
  /** Add the default normalization catalogue when the file has no rules (default true). */
  catalogue?: boolean;
  report?: TableReport[];
}

/** A new document holding a workbook file's rows and settings; `catalogue` in the answer: rules added. */
export async function importFile(file: string, problems: Problem[], options: ImportOptions = {}): Promise<{ doc: Y.Doc; rows: WorkbookRows; catalogue: number }> {
  const rows = await readWorkbookFile(file, problems, options.report);
  const doc = createWorkbookDoc();
  importWorkbook(doc, rows);
  const own = (rows.sheets.normalization ?? []).filter(Boolean).length;
  const catalogue = options.catalogue !== false && own === 0 ? addCatalogue(doc) : 0;
  return { doc, rows, catalogue };
}

/** The unrecognized products of imported rows, under the rules the document now holds. */
function unrecognizedOf(rows: WorkbookRows, withCatalogue: boolean): { products: number; installations: number } {
  const engine = new Engine({ today: today() });
  const sheets = Object.fromEntries(SHEETS.map((s) => [s, { rows: [...((rows.sheets[s] ?? []) as RawRow[])] }]));
  if (withCatalogue) sheets.normalization = { rows: catalogueRules() as unknown as RawRow[] };
  engine.load(rows.settings, sheets);
  const list = engine.unrecognizedResults();
  return { products: list.length, installations: list.reduce((n, u) => n + u.installations, 0) };
}

/** What an import made of each table, for the terminal. */
export function describeTables(report: readonly TableReport[]): string {
  const out: string[] = [];
  for (const t of report) {
    out.push(`${t.label} → ${t.sheet}${t.profile ? ` (${t.profile})` : ''}: ${num(t.rows)} rows${t.problemCount ? `, ${num(t.problemCount)} problem${t.problemCount === 1 ? '' : 's'}` : ''}`);
    for (const [column, m] of Object.entries(t.references)) {
      const matched = Object.entries(m.matched).map(([via, n]) => `${num(n)} by ${via}`);
      const missing = [m.unresolved ? `${num(m.unresolved)} not found` : '', m.ambiguous ? `${num(m.ambiguous)} ambiguous` : ''].filter(Boolean);
      if (!matched.length && !missing.length) continue;
      out.push(`  ${column}: ${[matched.length ? `matched ${matched.join(', ')}` : '', missing.length ? `could not resolve ${missing.join(', ')} (e.g. ${m.examples.map((e) => JSON.stringify(e)).join(', ')})` : ''].filter(Boolean).join('; ')}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const USAGE = 'usage: reckon import FILE --out DOC.yjs [--no-catalogue]   (FILE: .json, .xlsx, .csv, or a folder of .csv files)';

export async function importCommand(argv: string[]): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  let catalogue = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--no-catalogue') catalogue = false;
    else if (argv[i].startsWith('--')) return usage(`unknown option ${argv[i]}`);
    else files.push(argv[i]);
  }
  if (files.length !== 1 || !out) return usage(files.length !== 1 ? 'expected one FILE' : 'expected --out DOC.yjs');
  if (!isYjsFile(out)) return usage(`--out ${out}: the document file must end in .yjs`);
  const problems: Problem[] = [];
  const report: TableReport[] = [];
  const imported = await importFile(files[0], problems, { catalogue, report });
  const bytes = writeYjsDoc(out, imported.doc);
  for (const p of problems) process.stderr.write(`reckon import: ${files[0]}: ${p.sheet}: ${p.message}\n`);
  process.stdout.write(describeTables(report));
  if (imported.catalogue) process.stdout.write(`normalization: the default catalogue (${num(imported.catalogue)} rules) added\n`);
  if ((imported.rows.sheets.installations ?? []).length > 0) {
    const u = unrecognizedOf(imported.rows, imported.catalogue > 0);
    if (u.products) process.stdout.write(`unrecognized: ${num(u.products)} product${u.products === 1 ? '' : 's'} (${num(u.installations)} installations) no rule and no entitlement names; list them: reckon normalize ${out}\n`);
  }
  process.stdout.write(`${out}: ${(bytes / 1e6).toFixed(1)} MB\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`reckon import: ${message}\n${USAGE}\n`);
  return 2;
}
