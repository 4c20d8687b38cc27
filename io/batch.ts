// An import of several tables at once (a folder of CSV files, an XLSX workbook, files picked
// together), checked and staged against what the workspace already holds. References resolve
// against the workspace's rows and the batch's own (devices.csv and installs.csv imported
// together), except rows of a sheet the batch replaces; duplicate ids are counted against the
// workspace's ids and the batch's earlier rows. So the problems counted before anything is written
// are those reconciliation then reports for the imported rows.

import type { RawRow } from '../engine/cells';
import type { SheetName } from '../engine/schema';
import type { Mapping } from './mapping';
import { REF_TARGETS, ReferenceIndex, type RefTarget } from './matching';
import { stageTable, type StageOptions, type StageResult } from './stage';
import type { Table } from './table';

export interface BatchTable {
  table: Table;
  mapping: Mapping;
  mode: 'add' | 'replace';
  /** Prefix of the ids made for rows when the table has no id column (stageTable's idPrefix). */
  idPrefix?: string;
}

/** What the workspace holds that an import is checked against (web: the reconciliation worker reads it). */
export interface Existing {
  /** Rows references can name, by target (only the cells matching reads: id, name, serial, email…). */
  rows: Partial<Record<RefTarget, RawRow[]>>;
  /** Ids (comparison form) of the sheets the batch adds rows to. */
  ids: Partial<Record<SheetName, string[]>>;
}

export const NO_EXISTING: Existing = { rows: {}, ids: {} };
export { REF_TARGETS };

/** The sheet a reference target's rows live in. */
const sheetOf = (target: RefTarget): SheetName => (target === 'modelCategoryName' ? 'modelCategories' : target);

const replaced = (batch: readonly BatchTable[], sheet: SheetName) => batch.some((b) => b.mode === 'replace' && b.mapping.sheet === sheet);

/** The rows references can name: the workspace's (of sheets not replaced) and the batch's own. */
export async function referenceIndex(batch: readonly BatchTable[], existing: Existing, signal?: AbortSignal): Promise<ReferenceIndex> {
  const index = new ReferenceIndex();
  for (const target of REF_TARGETS) {
    const sheet = sheetOf(target);
    if (!replaced(batch, sheet)) index.addAll(target, existing.rows[target] ?? []);
    for (const b of batch) {
      if (b.mapping.sheet !== sheet) continue;
      await stageTable(b.table, b.mapping, { onRows: (rows) => index.addAll(target, rows), signal, idPrefix: b.idPrefix });
    }
  }
  return index;
}

/** Per sheet the batch adds to: the ids already there (none when the batch replaces the sheet). */
export function idSets(batch: readonly BatchTable[], existing: Existing): Map<SheetName, Set<string>> {
  const out = new Map<SheetName, Set<string>>();
  for (const b of batch) {
    const sheet = b.mapping.sheet;
    if (sheet === 'settings' || out.has(sheet)) continue;
    out.set(sheet, new Set(replaced(batch, sheet) ? [] : existing.ids[sheet] ?? []));
  }
  return out;
}

/**
 * Stages (or, with countOnly, checks) every table of a batch in order, each against the same
 * reference index and its sheet's ids, so counts add up across the batch as reconciliation sees it.
 */
export async function stageBatch(batch: readonly BatchTable[], existing: Existing, options: (b: BatchTable, i: number) => StageOptions): Promise<StageResult[]> {
  const first = batch.length ? options(batch[0], 0) : {};
  const references = await referenceIndex(batch, existing, first.signal);
  const ids = idSets(batch, existing);
  const out: StageResult[] = [];
  for (const [i, b] of batch.entries()) {
    const sheet = b.mapping.sheet;
    out.push(await stageTable(b.table, b.mapping, { idPrefix: b.idPrefix, ...options(b, i), references, ids: sheet === 'settings' ? undefined : ids.get(sheet) }));
  }
  return out;
}
