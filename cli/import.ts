// `reckon import FILE --out DOC.yjs`: a workbook file into a new workbook document.
// Input formats are chosen by file extension in READERS, the one place to add CSV or XLSX.

import { extname } from 'node:path';
import * as Y from 'yjs';
import type { Problem } from '../engine/cells';
import { importWorkbook, type WorkbookRows } from '../worker/doc/import';
import { createWorkbookDoc } from '../worker/doc/open';
import { InputError, isYjsFile, readJsonWorkbook } from './input';
import { writeYjsDoc } from './yjs';
import { ImportError } from '../io/bytes';
import { isDirectory, readTableWorkbook } from '../io/node-files';
import { SHEETS as SHEET_NAMES } from '../engine/schema';

type Reader = (file: string, problems: Problem[]) => Promise<WorkbookRows>;

async function readJson(file: string, problems: Problem[]): Promise<WorkbookRows> {
  const { wb } = await readJsonWorkbook(file, problems, { parallel: false });
  return { settings: wb.settings, sheets: wb.sheets as WorkbookRows['sheets'] };
}

/** CSV files (a folder of them, or one named after its sheet) and XLSX workbooks (io/). */
async function readTables(file: string): Promise<WorkbookRows> {
  try {
    const wb = await readTableWorkbook(file);
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

/** Reads any supported workbook file; `problems` gets rows left out. */
export function readWorkbookFile(file: string, problems: Problem[]): Promise<WorkbookRows> {
  const reader = READERS[isDirectory(file) ? '/' : extname(file).toLowerCase()];
  if (!reader) throw new InputError(`${file}: cannot import this kind of file (known: ${Object.keys(READERS).filter((k) => k !== '/').join(', ')}, or a folder of .csv files)`);
  return reader(file, problems);
}

/** A new document holding a workbook file's rows and settings. */
export async function importFile(file: string, problems: Problem[]): Promise<Y.Doc> {
  const rows = await readWorkbookFile(file, problems);
  const doc = createWorkbookDoc();
  importWorkbook(doc, rows);
  return doc;
}

const USAGE = 'usage: reckon import FILE --out DOC.yjs   (FILE: .json, .xlsx, .csv, or a folder of .csv files)';

export async function importCommand(argv: string[]): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i].startsWith('--')) return usage(`unknown option ${argv[i]}`);
    else files.push(argv[i]);
  }
  if (files.length !== 1 || !out) return usage(files.length !== 1 ? 'expected one FILE' : 'expected --out DOC.yjs');
  if (!isYjsFile(out)) return usage(`--out ${out}: the document file must end in .yjs`);
  const problems: Problem[] = [];
  const doc = await importFile(files[0], problems);
  const bytes = writeYjsDoc(out, doc);
  for (const p of problems) process.stderr.write(`reckon import: ${files[0]}: ${p.sheet}: ${p.message}\n`);
  process.stdout.write(`${out}: ${(bytes / 1e6).toFixed(1)} MB\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`reckon import: ${message}\n${USAGE}\n`);
  return 2;
}
