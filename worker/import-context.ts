// What an import is checked against, read from the document (io/batch.ts Existing): the rows
// reference cells can name, with only the cells matching reads (id, name, and extra columns such
// as a serial number, an FQDN, an email or a login), and the ids of the sheets an import adds rows
// with ids of their own to.

import type { RawRow } from '../engine/cells';
import { isSheetName } from '../engine/schema';
import type { Existing } from '../io/batch';
import { matchingColumn, REF_TARGETS } from '../io/matching';
import type { WorkbookRead } from './doc/reader';

export function importContext(reader: WorkbookRead, ids: readonly string[]): Existing {
  const out: Existing = { rows: {}, ids: {} };
  for (const target of REF_TARGETS) {
    const sheet = target === 'modelCategoryName' ? 'modelCategories' : target;
    const rows: RawRow[] = [];
    for (const row of reader.sheet(sheet).readAll().rows) {
      const kept: RawRow = {};
      for (const [column, value] of Object.entries(row)) if (column === 'id' || column === 'name' || matchingColumn(target, column)) kept[column] = value;
      rows.push(kept);
    }
    out.rows[target] = rows;
  }
  for (const sheet of ids) {
    if (!isSheetName(sheet)) continue;
    const list: string[] = [];
    for (const row of reader.sheet(sheet).readAll().rows) {
      const id = row.id;
      if (typeof id === 'string' || typeof id === 'number') list.push(String(id).trim().toLowerCase());
    }
    out.ids[sheet] = list;
  }
  return out;
}
