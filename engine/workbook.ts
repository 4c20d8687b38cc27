// The `reckon-workbook/1` interchange format (workbook.md): checking a parsed file is a workbook,
// and reconciling one in a single pass.

import { isRow, notAnObject, type Problem, type RawRow } from './cells';
import { SHEETS, type SheetName } from './schema';
import { Engine, type SheetRows } from './engine';
import type { Result } from './changes';
import { parseRow, type AnyRow } from './rows';

export const WORKBOOK_FORMAT = 'reckon-workbook/1';

export interface Workbook {
  format: typeof WORKBOOK_FORMAT;
  settings: Record<string, unknown>;
  sheets: Record<SheetName, (RawRow | undefined)[]>;
}

/** A file that is not a workbook at all; its message is one line, fit to print after the file name. */
export class WorkbookError extends Error {}

/** Keys that sort like the rows' positions in the file. */
export function rowKeys(count: number, prefix = 'r'): string[] {
  const width = Math.max(8, String(count).length);
  const keys = new Array<string>(count);
  for (let i = 0; i < count; i++) keys[i] = prefix + String(i).padStart(width, '0');
  return keys;
}

/**
 * Checks the shape of a parsed workbook. Sheets that are not arrays are fatal; a row that is not an
 * object is a problem and is skipped, like a bad cell.
 */
export function readWorkbook(data: unknown, problems: Problem[]): Workbook {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new WorkbookError('not a workbook: expected a JSON object');
  const obj = data as Record<string, unknown>;
  if (obj.format !== WORKBOOK_FORMAT) {
    throw new WorkbookError(obj.format === undefined ? `not a workbook: no "format": "${WORKBOOK_FORMAT}"` : `unsupported format ${JSON.stringify(obj.format)} (expected "${WORKBOOK_FORMAT}")`);
  }
  const settings = obj.settings ?? {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new WorkbookError('"settings" is not an object');
  const sheets = {} as Record<SheetName, RawRow[]>;
  for (const sheet of SHEETS) {
    const rows = obj[sheet] ?? [];
    if (!Array.isArray(rows)) throw new WorkbookError(`sheet "${sheet}" is not an array`);
    let clean = rows as RawRow[];
    if (!rows.every(isRow)) {
      clean = [];
      rows.forEach((r, i) => {
        if (isRow(r)) clean.push(r);
        else problems.push(notAnObject(sheet, i));
      });
    }
    sheets[sheet] = clean;
  }
  return { format: WORKBOOK_FORMAT, settings: settings as Record<string, unknown>, sheets };
}

/**
 * The rows of a sheet's array read a piece at a time (each piece a run of its elements), typed,
 * piece by piece: as readWorkbook reads them, an element that is not an object is a problem and is
 * left out, and rows are keyed by their position among the rest.
 */
export function* typedPieces(sheet: SheetName, pieces: Iterable<unknown[]>, problems: Problem[]): Generator<AnyRow[]> {
  let index = 0, key = 0;
  for (const piece of pieces) {
    const typed: AnyRow[] = [];
    for (const raw of piece) {
      if (isRow(raw)) typed.push(parseRow(sheet, key++, raw));
      else problems.push(notAnObject(sheet, index));
      index++;
    }
    yield typed;
  }
}

/**
 * Reconciles a whole workbook once; rows are keyed by their position in the file. With `release`,
 * the workbook's rows are dropped as they are read (the caller no longer needs them).
 */
export function reconcile(wb: Workbook, options: { today: string; contributions?: boolean; release?: boolean }, problems: Problem[] = []): Result {
  const engine = new Engine({ today: options.today });
  const sheets: SheetRows = {};
  for (const sheet of SHEETS) sheets[sheet] = { rows: wb.sheets[sheet] };
  engine.load(wb.settings, sheets, { release: options.release });
  const result = engine.result({ contributions: options.contributions });
  result.problems = [...problems, ...result.problems];
  return result;
}
