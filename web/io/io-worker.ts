// The import/export Web Worker: files are opened, previewed, parsed and staged here, and workbook
// exports are written here, so a million-row file never blocks the page. Tables stay in the worker
// (they hold the File); the page talks to them by id.

import * as Comlink from 'comlink';
import type { Problem, RawRow } from '../../engine/cells';
import { blobSource, ImportError } from '../../io/bytes';
import type { CsvOptions } from '../../io/csv/read';
import { autoMapping, type Mapping, type Target } from '../../io/mapping';
import { openTables } from '../../io/open';
import { detectProfile, profileMapping, propose } from '../../io/profiles';
import { NO_EXISTING, referenceIndex, stageBatch, type BatchTable, type Existing } from '../../io/batch';
import type { ReferenceIndex } from '../../io/matching';
import { stageTable, type StageResult, type StagedChunk } from '../../io/stage';
import type { Table } from '../../io/table';
import { workbookFileParts, type ExportFormat } from './export-file';

export interface TableInfo {
  id: number;
  label: string;
  info: string;
  header: string[];
  textOnly: boolean;
  /** The sheet guessed from the name or header, if any. */
  guessed: Target | undefined;
  mapping: Mapping;
  /** The import profile recognised from the header (its label), if any. */
  profile?: string;
}

/** One table of an import as the page chose it. */
export interface BatchEntry {
  id: number;
  mapping: Mapping;
  mode: 'add' | 'replace';
  /** Prefix of ids made for rows (same in the check and the import, so both count alike). */
  idPrefix: string;
}

/** The whole-file check of one table: what the import will count (StageResult without rows). */
export type Checked = Omit<StageResult, 'preview' | 'previewRows' | 'settings'>;

export interface Preview {
  rows: RawRow[];
  /** File row number of each row (problems name rows by it). */
  rowNumbers: number[];
  columns: string[];
  problems: Problem[];
  problemCount: number;
  settings?: Record<string, unknown>;
}

export type Staged = Omit<StageResult, 'preview' | 'previewRows'>;

const tables = new Map<number, Table>();
let nextId = 1;
let abort: AbortController | null = null;
/** What the workspace holds (the page asks the reconciliation worker, then hands it here). */
let existing: Existing = NO_EXISTING;
/** The reference index of the last batch, by the tables and mappings it was built from. */
let indexed: { key: string; index: Promise<ReferenceIndex> } | null = null;

function batchOf(entries: readonly BatchEntry[]): BatchTable[] {
  return entries.map((e) => {
    const table = tables.get(e.id);
    if (!table) throw new ImportError('the file is no longer open');
    return { table, mapping: e.mapping, mode: e.mode, idPrefix: e.idPrefix };
  });
}

/** The batch's reference index, built once per set of tables and mappings (it reads the target tables whole). */
function indexOf(entries: readonly BatchEntry[]): Promise<ReferenceIndex> {
  const key = JSON.stringify(entries);
  if (indexed?.key !== key) indexed = { key, index: referenceIndex(batchOf(entries), existing) };
  indexed.index.catch(() => { /* reported where it is awaited */ });
  return indexed.index;
}

/** Errors cross to the page as one line. */
async function oneLine<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw new Error(err instanceof ImportError ? err.message : `unexpected error: ${(err as Error).message}`);
  }
}

const api = {
  /** Opens files (CSV: one table; XLSX: a table per worksheet) and proposes a sheet and mapping for each. */
  inspect(files: File[], csv: CsvOptions = {}): Promise<TableInfo[]> {
    return oneLine(async () => {
      tables.clear();
      const out: TableInfo[] = [];
      for (const t of await openTables(files.map((f) => blobSource(f, f.webkitRelativePath || f.name)), csv)) {
        const id = nextId++;
        tables.set(id, t);
        const p = propose(t.sheetHint, t.header);
        out.push({ id, label: t.label, info: t.info, header: t.header, textOnly: t.textOnly, guessed: p.sheet, mapping: p.mapping, profile: p.profile?.label });
      }
      return out;
    });
  },

  /** The mapping of a table onto another sheet: its profile's on the profile's sheet, else the automatic one. */
  remap(id: number, sheet: Target): Mapping {
    const t = tables.get(id);
    if (!t) throw new Error('the file is no longer open');
    const profile = detectProfile(t.header);
    return profile?.sheet === sheet ? profileMapping(profile, t.header) : autoMapping(sheet, t.header);
  },

  /** What the workspace holds, to check imports against (the page reads it from the reconciliation worker). */
  setExisting(e: Existing): void {
    existing = e;
    indexed = null;
  },

  /** The first rows of one table of a batch as they would be imported: references resolved, problems marked. */
  preview(entries: BatchEntry[], at: number, limit = 20): Promise<Preview> {
    return oneLine(async () => {
      const [t] = batchOf([entries[at]]);
      // A table that cannot be read whole still shows its first rows; the check and the import say why.
      const references = await indexOf(entries).catch(() => undefined);
      const r = await stageTable(t.table, t.mapping, { limit, references, idPrefix: t.idPrefix });
      return { rows: r.preview ?? [], rowNumbers: r.previewRows ?? [], columns: r.columns, problems: r.problems, problemCount: r.problemCount, settings: r.settings };
    });
  },

  /**
   * Every row of every table of a batch read and checked, nothing kept: the problems the import
   * will count (cells, references that resolve to nothing, duplicate ids), before anything is written.
   */
  check(entries: BatchEntry[], onProgress?: (label: string, fraction: number) => void): Promise<Checked[]> {
    return oneLine(async () => {
      abort = new AbortController();
      const results = await stageBatch(batchOf(entries), existing, (b) => ({ countOnly: true, signal: abort!.signal, onProgress: (f) => onProgress?.(b.table.label, f) }));
      return results.map(({ preview: _p, previewRows: _r, settings: _s, ...rest }) => rest);
    });
  },

  /** Reads every table of a batch into chunks (sent to the page as they are made, with the table's index) with progress. */
  stageAll(entries: BatchEntry[], onChunk: (at: number, c: StagedChunk) => void, onProgress: (at: number, fraction: number, rows: number) => void): Promise<Staged[]> {
    return oneLine(async () => {
      abort = new AbortController();
      const batch = batchOf(entries);
      const results = await stageBatch(batch, existing, (b, i) => ({
        onChunk: (c) => onChunk(i, c), onProgress: (f, rows) => onProgress(i, f, rows), signal: abort!.signal,
      }));
      return results.map(({ preview: _p, previewRows: _r, ...rest }) => rest);
    });
  },

  cancel(): void {
    abort?.abort();
  },

  /** A workbook document's state written as a JSON or XLSX file. */
  exportWorkbook(state: Uint8Array, format: ExportFormat): Blob {
    return new Blob(workbookFileParts(state, format) as BlobPart[], { type: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/json' });
  },
};

export type IoWorkerApi = typeof api;
Comlink.expose(api);
