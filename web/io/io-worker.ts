// The import/export Web Worker: files are opened, previewed, parsed and staged here, and workbook
// exports are written here, so a million-row file never blocks the page. Tables stay in the worker
// (they hold the File); the page talks to them by id.

import * as Comlink from 'comlink';
import type { Problem, RawRow } from '../../engine/cells';
import { blobSource, ImportError } from '../../io/bytes';
import type { CsvOptions } from '../../io/csv/read';
import { autoMapping, guessSheet, type Mapping, type Target } from '../../io/mapping';
import { openTables } from '../../io/open';
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
}

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
        const guessed = guessSheet(t.sheetHint, t.header);
        out.push({ id, label: t.label, info: t.info, header: t.header, textOnly: t.textOnly, guessed, mapping: autoMapping(guessed ?? 'devices', t.header) });
      }
      return out;
    });
  },

  /** The automatic mapping of a table onto another sheet. */
  remap(id: number, sheet: Target): Mapping {
    const t = tables.get(id);
    if (!t) throw new Error('the file is no longer open');
    return autoMapping(sheet, t.header);
  },

  /** The first rows as they would be imported, with their problems. */
  preview(id: number, mapping: Mapping, limit = 20): Promise<Preview> {
    return oneLine(async () => {
      const t = tables.get(id);
      if (!t) throw new ImportError('the file is no longer open');
      const r = await stageTable(t, mapping, { limit });
      return { rows: r.preview ?? [], rowNumbers: r.previewRows ?? [], columns: r.columns, problems: r.problems, problemCount: r.problemCount, settings: r.settings };
    });
  },

  /** Reads a whole table into chunks (sent to the page as they are made) with progress. */
  stage(id: number, mapping: Mapping, onChunk: (c: StagedChunk) => void, onProgress: (fraction: number, rows: number) => void, idPrefix: string): Promise<Staged> {
    return oneLine(async () => {
      const t = tables.get(id);
      if (!t) throw new ImportError('the file is no longer open');
      abort = new AbortController();
      const r = await stageTable(t, mapping, { onChunk, onProgress, signal: abort.signal, idPrefix });
      const { preview: _p, previewRows: _r, ...rest } = r;
      return rest;
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
