// Giving cells read from a file the types of their target column, so the document holds numbers as
// numbers and booleans as booleans whatever the file's format. A cell that does not read as its
// column's type is kept as it was (text): the engine's cell readers then report it as a problem,
// with the same message reconciliation gives, and nothing is lost.

import { toBool, toNumber } from '../engine/cells';
import { columnOf, type ColumnKind, type SheetName } from '../engine/schema';
import type { Cell } from './table';
import { serialToIso } from './xlsx/dates';
import { STATUS_ALIASES, nameKey } from './names';

export type Typer = (v: Cell) => Cell;

/** "1.234,5" / "12,5" in files whose decimal separator is a comma. */
function decimalComma(s: string): number {
  const t = s.trim();
  if (!/^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(t)) return NaN;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

function numeric(comma: boolean): Typer {
  return (v) => {
    if (typeof v !== 'string') return v;
    let n = toNumber(v);
    if (Number.isNaN(n) && comma) n = decimalComma(v);
    return Number.isNaN(n) ? v : n;
  };
}

const boolean: Typer = (v) => {
  if (typeof v === 'boolean' || v === null) return v;
  const b = toBool(v);
  return b === undefined ? v : b;
};

/** A number in a date column is an Excel serial that was not formatted as a date. */
const date: Typer = (v) => (typeof v === 'number' ? serialToIso(v, Number.isInteger(v) ? 'date' : 'datetime', false) ?? v : v);

const text: Typer = (v) => v;

/**
 * Text in a column we do not know: a number written the way JavaScript writes it ("12", "0.1",
 * "1e+21") or true/false becomes that value; anything else ("007", "1.50") stays text. This is
 * what makes a workbook exported to CSV come back with the same types.
 */
const unknownText: Typer = (v) => {
  if (typeof v !== 'string') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) && String(n) === v ? n : v;
};

const KIND_TYPERS: Record<ColumnKind, (comma: boolean) => Typer> = {
  id: () => text, text: () => text, ref: () => text, enum: () => text,
  number: numeric, count: numeric, bool: () => boolean, date: () => date,
};

const deviceStatus: Typer = (v) => (typeof v === 'string' ? STATUS_ALIASES[nameKey(v)] ?? v : v);

/** The typer of a target column; `textOnly` files (CSV) also type unknown columns from their text. */
export function typerFor(sheet: SheetName | 'settings', column: string, textOnly: boolean, comma = false): Typer {
  if (sheet === 'settings') return column === 'value' && textOnly ? unknownText : text;
  if (sheet === 'devices' && column === 'status') return deviceStatus;
  const col = columnOf(sheet, column);
  if (!col) return textOnly ? unknownText : text;
  return KIND_TYPERS[col.kind](comma);
}

/** Setting values as the settings map holds them: lists as arrays, numbers and booleans typed. */
export function settingValue(key: string, v: Cell): unknown {
  if (v === null) return undefined;
  if (key === 'hamSolutions' || key === 'hamEntitlements' || key === 'asmFreeConnectors') {
    if (typeof v === 'string' && v.trim().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(v);
        if (Array.isArray(parsed)) return parsed;
      } catch { /* kept as text: the engine reads it as a comma list or reports it */ }
    }
    return v;
  }
  if (key === 'hamLicenseVersion' || key === 'notSeenDays') return numeric(false)(v);
  if (key === 'customCategoryLicensing') return boolean(v);
  return v;
}

/** A setting value as one cell of a file: lists as JSON text. */
export function settingCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
