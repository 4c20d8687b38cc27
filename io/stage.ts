// Staging an import: every row of a table read, mapped, typed and checked, into chunks of the
// document's bulk storage (worker/doc/chunk.ts), before anything touches the document. Only when
// the whole file has been read without a fatal error are the chunks applied (web/io/apply.ts, or
// the command line), so a broken file imports nothing half-way.
//
// Cell problems come from the engine's own row parser (engine/rows.ts parseRow), so the preview
// shows exactly the problems reconciliation will report for the same cells.

import type { Problem, RawRow } from '../engine/cells';
import { parseRow } from '../engine/rows';
import { COLUMNS, type SheetName } from '../engine/schema';
import { encodeChunk } from '../worker/doc/chunk';
import { CHUNK_ROWS } from '../worker/doc/model';
import { ImportError } from './bytes';
import { NotUtf8 } from './encoding';
import { mappingProblem, type Mapping, type Target } from './mapping';
import { nameKey } from './names';
import type { Cell, Table } from './table';
import { settingValue, typerFor, type Typer } from './typing';
import { noteMatch, type ColumnMatches, type RefTarget, type ReferenceIndex } from './matching';
import { profileTyper } from './profiles';

/** A chunk without its id: the document gives it one when it is applied (its keys sort by time). */
export interface StagedChunk {
  n: number;
  columns: string[];
  data: string;
}

export interface StageOptions {
  chunkRows?: number;
  /** Each chunk as it is made (a worker posts it to the page). */
  onChunk?: (chunk: StagedChunk) => void;
  /** Or each chunk's rows as objects (the command line builds a workbook object). */
  onRows?: (rows: RawRow[]) => void;
  onProgress?: (fraction: number, rows: number) => void;
  signal?: AbortSignal;
  /** How many problems to keep (all are counted). */
  keepProblems?: number;
  /** Numbers in the file use a decimal comma ("12,5"). */
  decimalComma?: boolean;
  /** Ids made for rows when the file has no id column: prefix + row number. */
  idPrefix?: string;
  /** Stop after this many rows (the preview). */
  limit?: number;
  /**
   * Rows reference cells can name (matching.ts): each reference cell is resolved against them and
   * written as the id it matches; one that matches nothing is kept and counted as a problem.
   */
  references?: ReferenceIndex;
  /**
   * Ids (comparison form) the sheet holds before these rows (the workspace's, earlier files'); a
   * row repeating one, or an earlier row's, is a problem, as reconciliation reports it. Rows'
   * ids are added to it.
   */
  ids?: Set<string>;
  /** Read and check every row, keeping none (the whole-file check before an import). */
  countOnly?: boolean;
}

export interface StageResult {
  sheet: Target;
  rows: number;
  /** The columns the rows have, in file order. */
  columns: string[];
  problems: Problem[];
  problemCount: number;
  /** Problems per target column. */
  problemColumns: Record<string, number>;
  /** What matching did in each reference column (staged with `references`). */
  references: Record<string, ColumnMatches>;
  /** The settings table's values (sheet "settings" only). */
  settings?: Record<string, unknown>;
  /** The rows, when staging with neither onChunk nor onRows (the preview). */
  preview?: RawRow[];
  /** The file row number (1 = header) of each preview row: problems' `key`. */
  previewRows?: number[];
}

interface Plan {
  /** File columns that are mapped, in file order, and per file column its place in `sources` (or -1). */
  sources: number[];
  placeOf: Int32Array;
  names: string[];
  typers: Typer[];
  /** Source of the id when no column maps to it: a file column, or -1 to number rows. */
  idFrom: number | null;
}

function plan(table: Table, m: Mapping, comma: boolean): Plan {
  const sources: number[] = [], names: string[] = [], typers: Typer[] = [];
  m.targets.forEach((t, i) => {
    if (t === null) return;
    sources.push(i);
    names.push(t);
    typers.push(profileTyper(m.profile, t) ?? typerFor(m.sheet, t, table.textOnly, comma));
  });
  const idFrom = m.sheet === 'settings' || names.includes('id') ? null : m.idFrom;
  const placeOf = new Int32Array(m.targets.length).fill(-1);
  sources.forEach((source, place) => { placeOf[source] = place; });
  return { sources, placeOf, names, typers, idFrom };
}

const cancelled = () => new ImportError('the import was cancelled');

export async function stageTable(table: Table, mapping: Mapping, options: StageOptions = {}): Promise<StageResult> {
  const fail = (why: string) => new ImportError(`${table.label}: ${why}`);
  const bad = mappingProblem(mapping, table.header);
  if (bad) throw fail(bad);
  for (let attempt = 0; ; attempt++) {
    try {
      return await stageOnce(table, mapping, options);
    } catch (err) {
      // A file that looked like UTF-8 in its first MiB but is not: read it again as Windows-1252.
      const csv = table as Table & { fallBack?: () => void };
      if (err instanceof NotUtf8 && attempt === 0 && csv.fallBack) csv.fallBack();
      else if (err instanceof NotUtf8) throw fail('the file mixes encodings: save it as UTF-8');
      else if (err instanceof ImportError) throw fail(err.message);
      else throw err;
    }
  }
}

async function stageOnce(table: Table, mapping: Mapping, options: StageOptions): Promise<StageResult> {
  const p = plan(table, mapping, options.decimalComma ?? false);
  const sheet = mapping.sheet;
  const chunkRows = options.chunkRows ?? CHUNK_ROWS;
  const keep = options.keepProblems ?? 200;
  const prefix = options.idPrefix ?? `${nameKey(table.sheetHint) || sheet}-`;
  const columns = p.idFrom !== null ? ['id', ...p.names] : [...p.names];
  const result: StageResult = { sheet, rows: 0, columns, problems: [], problemCount: 0, problemColumns: {}, references: {} };
  const refs = sheet === 'settings' ? [] : COLUMNS[sheet].filter((c) => c.kind === 'ref' && p.names.includes(c.name));
  const note = (prob: Problem) => {
    result.problemCount++;
    result.problemColumns[prob.column] = (result.problemColumns[prob.column] ?? 0) + 1;
    if (result.problems.length < keep) result.problems.push(prob);
  };
  const settings = Object.create(null) as Record<string, unknown>;
  let pending: RawRow[] = [];
  const preview: RawRow[] | undefined = options.onChunk || options.onRows || options.countOnly ? undefined : [];
  const previewRows: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    if (options.onRows) options.onRows(pending);
    else {
      const { n, columns: cols, data } = encodeChunk('', pending);
      options.onChunk?.({ n, columns: cols, data });
    }
    pending = [];
  };
  for await (const batch of table.rows()) {
    if (options.signal?.aborted) throw cancelled();
    for (let r = 0; r < batch.rows.length; r++) {
      const cells = batch.rows[r];
      const fileRow = batch.firstRow + r;
      // Keys come from the file's header: a null prototype keeps "__proto__" a column like any other
      // and lets no row inherit "constructor" or "toString" as if it had them.
      const row: RawRow = Object.create(null) as RawRow;
      if (p.idFrom !== null) {
        const v = p.idFrom >= 0 ? (cells[p.idFrom] ?? null) : `${prefix}${fileRow - 1}`;
        if (v !== null) row.id = typeof v === 'string' ? v : String(v);
      }
      if (batch.sparse) {
        // A sparse row (an XLSX row whose cell lies far right): visit the cells it has, not every
        // column up to its last (a blank cell types to nothing either way).
        for (const k in cells) {
          const c = p.placeOf[Number(k)];
          if (c === undefined || c < 0) continue;
          const v: Cell = p.typers[c](cells[Number(k)] ?? null);
          if (v !== null) row[p.names[c]] = v;
        }
      } else {
        // Sources are in file order: a short row stops at its last cell.
        for (let c = 0; c < p.sources.length && p.sources[c] < cells.length; c++) {
          const v: Cell = p.typers[c](cells[p.sources[c]] ?? null);
          if (v !== null) row[p.names[c]] = v;
        }
      }
      result.rows++;
      if (sheet === 'settings') {
        const key = row.key;
        if (typeof key === 'string' && key.trim() !== '') settings[key.trim()] = settingValue(key.trim(), (row.value ?? null) as Cell);
        continue;
      }
      if (options.references) for (const c of refs) resolveCell(options.references, sheet as SheetName, row, c.name, c.ref!, fileRow, result, note);
      const parsed = parseRow(sheet as SheetName, fileRow, row);
      for (const prob of parsed.problems) note({ ...prob, rowId: prob.rowId || `row ${fileRow}` });
      if (options.ids && parsed.idN !== '') {
        if (options.ids.has(parsed.idN)) {
          note({ sheet: sheet as SheetName, rowId: parsed.id, column: 'id', message: `duplicate id "${parsed.id}": references use the first row with it; this row is reconciled on its own`, key: fileRow });
        } else options.ids.add(parsed.idN);
      }
      if (preview) {
        preview.push(row);
        previewRows.push(fileRow);
      } else if (!options.countOnly) {
        pending.push(row);
        if (pending.length >= chunkRows) flush();
      }
      if (options.limit !== undefined && result.rows >= options.limit) break;
    }
    options.onProgress?.(batch.progress, result.rows);
    if (options.limit !== undefined && result.rows >= options.limit) break;
  }
  flush();
  if (sheet === 'settings') result.settings = settings;
  if (preview) {
    result.preview = preview;
    result.previewRows = previewRows;
  }
  return result;
}

const SINGULAR: Record<string, string> = {
  devices: 'device', users: 'user', clusters: 'cluster', entitlements: 'entitlement', modelCategoryName: 'model category',
};

/**
 * Resolves one reference cell of a row in place (the id it matches), or notes it as a problem:
 * the one reconciliation reports for a reference that names no row (engine/problems.ts).
 */
function resolveCell(index: ReferenceIndex, sheet: SheetName, row: RawRow, column: string, target: RefTarget, fileRow: number, result: StageResult, note: (p: Problem) => void): void {
  const value = row[column];
  if (typeof value !== 'string' && typeof value !== 'number') return; // blank, or not text: the cell reader's business
  if (typeof value === 'string' && value.trim() === '') return;
  const r = index.resolve(target, value);
  noteMatch(result.references, column, value, r);
  if (r.id !== null) {
    // A cell that is the id already is left as written (case aside, it is the same id).
    if (r.via !== 'id') row[column] = r.id;
    return;
  }
  const shown = String(value).trim().toLowerCase();
  const why = r.why === 'ambiguous' ? ` (it could be more than one ${SINGULAR[target]})` : '';
  note({ sheet, rowId: typeof row.id === 'string' ? row.id : `row ${fileRow}`, column, message: `${column} names no ${SINGULAR[target]} "${shown}"${why}`, key: fileRow });
}
