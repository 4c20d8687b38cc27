// Whole workbooks in the file formats: one CSV file or one XLSX worksheet per sheet (header row =
// column names, workbook.md), plus a "settings" sheet of key/value rows. Used by the command line,
// the export menu and the round-trip tests.

import type { RawRow } from '../engine/cells';
import { COLUMNS, SHEETS, type SheetName } from '../engine/schema';
import { WORKBOOK_FORMAT } from '../engine/workbook';
import { ImportError } from './bytes';
import { csvChunks } from './csv/write';
import type { Target } from './mapping';
import type { Table } from './table';
import { NO_EXISTING, stageBatch, type BatchTable } from './batch';
import type { ColumnMatches } from './matching';
import { propose } from './profiles';
import { settingCell } from './typing';
import type { XlsxWriter } from './xlsx/write';

/** A workbook as plain data: `reckon-workbook/1` (the JSON file's shape). */
export type WorkbookData = { format: string; settings: Record<string, unknown> } & Partial<Record<SheetName, (RawRow | undefined)[]>>;

/** The sheet's columns: every column of the schema in order, then unknown ones as first seen. */
export function sheetColumns(sheet: SheetName, rows: readonly (RawRow | undefined)[]): string[] {
  const known = COLUMNS[sheet].map((c) => c.name);
  const seen = new Set(known);
  const extra: string[] = [];
  for (const row of rows) {
    if (!row) continue;
    for (const k in row) if (!seen.has(k)) { seen.add(k); extra.push(k); }
  }
  return [...known, ...extra];
}

function* cellsOf(rows: readonly (RawRow | undefined)[], columns: readonly string[]): Generator<unknown[]> {
  for (const row of rows) if (row) yield columns.map((c) => own(row, c));
}

/** A row's own cell: a row without a "constructor" column has no constructor cell (Object.prototype's is not one). */
const own = (row: RawRow, column: string): unknown => (Object.hasOwn(row, column) ? row[column] : undefined);

const SETTINGS_HEADER = ['key', 'value'];
const settingRows = (settings: Record<string, unknown>) =>
  Object.entries(settings).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, settingCell(v)]);

/** One CSV text per sheet, by file name ("devices.csv"), as streams of strings. */
export function* workbookCsvFiles(wb: WorkbookData): Generator<{ name: string; chunks: Iterable<string> }> {
  yield { name: 'settings.csv', chunks: csvChunks(SETTINGS_HEADER, settingRows(wb.settings)) };
  for (const sheet of SHEETS) {
    const rows = wb[sheet] ?? [];
    const columns = sheetColumns(sheet, rows);
    yield { name: `${sheet}.csv`, chunks: csvChunks(columns, cellsOf(rows, columns)) };
  }
}

/** Writes every sheet, then the settings, into an XLSX writer (dates as Excel dates). */
export function writeWorkbookXlsx(wb: WorkbookData, w: XlsxWriter): void {
  for (const sheet of SHEETS) {
    const rows = wb[sheet] ?? [];
    const columns = sheetColumns(sheet, rows);
    const dates = columns.map((c) => COLUMNS[sheet].find((k) => k.name === c)?.kind === 'date');
    const s = w.addSheet(sheet, { frozenRows: 1, widths: columns.map((c) => Math.max(10, c.length + 2)) });
    s.row(columns.map((c) => ({ v: c, s: 'header' as const })));
    for (const row of rows) {
      if (!row) continue;
      s.row(columns.map((c, i) => {
        const v = own(row, c);
        const cell = v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
        return { v: cell, date: dates[i] };
      }));
    }
    s.end();
  }
  const s = w.addSheet('settings', { frozenRows: 1, widths: [24, 40] });
  s.row(SETTINGS_HEADER.map((v) => ({ v, s: 'header' as const })));
  for (const [k, v] of settingRows(wb.settings)) s.row([{ v: k }, { v }]);
  s.end();
}

export interface ReadTablesOptions {
  onProgress?: (done: number, label: string) => void;
  signal?: AbortSignal;
  /** Receives what was read from each table: its sheet, profile, rows and what could not be resolved. */
  report?: TableReport[];
}

/** What an import made of one table. */
export interface TableReport {
  label: string;
  sheet: Target;
  /** The import profile recognised from the header (its label), if any. */
  profile?: string;
  rows: number;
  problemCount: number;
  references: Record<string, ColumnMatches>;
}

/**
 * A workbook from tables (CSV files of a folder, or an XLSX file's worksheets), each mapped by its
 * profile or automatically, references resolved across them (io/batch.ts). A table whose sheet
 * cannot be told is an error: nothing is guessed silently.
 */
export async function workbookFromTables(tables: readonly Table[], options: ReadTablesOptions = {}): Promise<WorkbookData> {
  const wb: WorkbookData = { format: WORKBOOK_FORMAT, settings: Object.create(null) as Record<string, unknown> };
  const batch: (BatchTable & { profile?: string })[] = tables.map((t) => {
    const p = propose(t.sheetHint, t.header);
    if (!p.sheet) throw new ImportError(`${t.label}: cannot tell which sheet this is; name it after one (e.g. devices.csv)`);
    return { table: t, mapping: p.mapping, mode: 'add', profile: p.profile?.label };
  });
  const staged = await stageBatch(batch, NO_EXISTING, (b) => {
    const sheet = b.mapping.sheet;
    const rows: RawRow[] = sheet === 'settings' ? [] : ((wb[sheet] ??= []) as RawRow[]);
    return { onRows: (batchRows) => { for (const r of batchRows) rows.push(r); }, onProgress: (f) => options.onProgress?.(f, b.table.label), signal: options.signal };
  });
  staged.forEach((r, i) => {
    if (r.sheet === 'settings') for (const [k, v] of Object.entries(r.settings ?? {})) wb.settings[k] = v;
    options.report?.push({ label: batch[i].table.label, sheet: r.sheet, profile: batch[i].profile, rows: r.rows, problemCount: r.problemCount, references: r.references });
  });
  return wb;
}
