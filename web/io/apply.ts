// Applying a staged import to the document, on the page: only after every file was read without a
// fatal error (web/io/io-worker.ts staged it), so a broken file changes nothing. One transaction per
// chunk of 10,000 rows (small updates for replicas and IndexedDB), yielding to the page between
// chunks so it stays responsive. "Replace" empties the sheet in the same transaction as the first
// chunk, so no replica ever sees the sheet empty.

import type * as Y from 'yjs';
import type { SheetName } from '../../engine/schema';
import { clockOf } from '../../worker/doc/keys';
import { settingsMap, sheetTypes } from '../../worker/doc/layout';
import type { Chunk } from '../../worker/doc/model';
import type { StagedChunk } from '../../io/stage';

export type ImportMode = 'add' | 'replace';

export interface StagedSheet {
  sheet: SheetName;
  mode: ImportMode;
  chunks: StagedChunk[];
}

export interface ApplyOptions {
  /** Runs one transaction (with the session's import origin). */
  transact: (fn: () => void) => void;
  onProgress?: (done: number, total: number) => void;
  /** Empties a sheet ("replace"); default: clears the sheet's types (a scenario deletes its baseline's rows instead). */
  clearSheet?: (sheet: SheetName) => void;
  /** Writes imported settings; default: into the settings map (a scenario overrides its baseline's). */
  writeSettings?: (settings: Record<string, unknown>) => void;
}

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function clearSheet(doc: Y.Doc, sheet: SheetName): void {
  const t = sheetTypes(doc, sheet);
  if (t.chunks.length > 0) t.chunks.delete(0, t.chunks.length);
  t.cells.clear();
  t.deleted.clear();
  t.rows.clear();
}

export async function applyImport(doc: Y.Doc, sheets: readonly StagedSheet[], settings: Record<string, unknown> | null, options: ApplyOptions): Promise<void> {
  const total = sheets.reduce((n, s) => n + Math.max(1, s.chunks.length), 0);
  let done = 0;
  if (settings && Object.keys(settings).length > 0) {
    options.transact(() => {
      if (options.writeSettings) return options.writeSettings(settings);
      const map = settingsMap(doc);
      for (const [k, v] of Object.entries(settings)) if (v !== undefined) map.set(k, v);
    });
  }
  const clock = clockOf(doc);
  const clear = options.clearSheet ?? ((sheet: SheetName) => clearSheet(doc, sheet));
  // A sheet replaced by several files is emptied once, before the first of them.
  const replaced = new Set<SheetName>();
  for (const s of sheets) {
    const clearFirst = s.mode === 'replace' && !replaced.has(s.sheet);
    if (clearFirst) replaced.add(s.sheet);
    if (s.chunks.length === 0) {
      if (clearFirst) options.transact(() => clear(s.sheet));
      options.onProgress?.(++done, total);
      continue;
    }
    for (let i = 0; i < s.chunks.length; i++) {
      const c = s.chunks[i];
      const chunk: Chunk = { id: clock.chunkId(), n: c.n, columns: c.columns, data: c.data };
      options.transact(() => {
        if (clearFirst && i === 0) clear(s.sheet);
        sheetTypes(doc, s.sheet).chunks.push([chunk]);
      });
      options.onProgress?.(++done, total);
      await nextFrame();
    }
  }
}
