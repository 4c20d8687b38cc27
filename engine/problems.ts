// Problems (workbook.md): unreadable cells (found when a row is read), references to rows that do
// not exist, and duplicate ids. A problem never stops reconciliation; it is listed with its cell.
// Invariant (incremental): `byRow` holds the current problems of every row that has any.

import type { Problem } from './cells';
import { COLUMNS, SHEETS, type SheetName } from './schema';
import type { AnyRow } from './rows';
import type { Store } from './store/store';
import { isBuiltinModelCategory } from './ham/ham';

interface Reference {
  sheet: SheetName;
  column: string;
  target: SheetName | 'modelCategoryName';
}

const REFERENCES: Reference[] = SHEETS.flatMap((sheet) =>
  COLUMNS[sheet].filter((c) => c.kind === 'ref').map((c) => ({ sheet, column: c.name, target: c.ref! })));

const SINGULAR: Record<string, string> = {
  devices: 'device', users: 'user', clusters: 'cluster', entitlements: 'entitlement', modelCategoryName: 'model category',
};

const rowKey = (row: AnyRow) => `${row.sheet}\u0001${row.key}`;

export class Problems {
  private readonly byRow = new Map<string, { row: AnyRow; problems: Problem[] }>();
  private changed = new Map<string, { sheet: SheetName; key: string; problems: Problem[] }>();
  private modelNames: Set<string> | null = null;

  constructor(private readonly store: Store) {}

  private exists(target: Reference['target'], idN: string): boolean {
    if (target !== 'modelCategoryName') return this.store.first(target, idN) !== undefined;
    if (isBuiltinModelCategory(idN)) return true;
    this.modelNames ??= new Set([...this.store.tables.modelCategories.values()].map((r) => r.name));
    return this.modelNames.has(idN);
  }

  /** A row's problems now: its cells', its references' and its id's. */
  of(row: AnyRow): Problem[] {
    let list: Problem[] | null = null;
    const add = (column: string, message: string) => (list ??= [...row.problems]).push({ sheet: row.sheet, rowId: row.id, column, message, key: row.key });
    for (const ref of REFERENCES) {
      if (ref.sheet !== row.sheet) continue;
      const value = (row as unknown as Record<string, string>)[ref.column];
      if (value !== '' && !this.exists(ref.target, value)) add(ref.column, `${ref.column} names no ${SINGULAR[ref.target]} "${value}"`);
    }
    if (row.idN !== '') {
      const same = this.store.withId(row.sheet, row.idN);
      if (same.length > 1 && same[0] !== row) {
        add('id', `duplicate id "${row.id}": references use the first row with it; this row is reconciled on its own`);
      }
    }
    return list ?? row.problems;
  }

  /** Re-derives a row's problems (or drops them, for a removed row) and notes a change. */
  recheck(row: AnyRow, removed = false): void {
    const k = rowKey(row);
    const now = removed ? [] : this.of(row);
    const before = this.byRow.get(k)?.problems ?? [];
    if (now.length === 0 && before.length === 0) return;
    if (now.length === 0) this.byRow.delete(k);
    else this.byRow.set(k, { row, problems: now });
    if (JSON.stringify(before) !== JSON.stringify(now)) this.changed.set(k, { sheet: row.sheet, key: row.key, problems: now });
  }

  modelCategoriesChanged(): void {
    this.modelNames = null;
  }

  /** Rows whose problems may change when rows with these ids appear, vanish or change in a sheet. */
  affectedByIds(sheet: SheetName, ids: Iterable<string>): Set<AnyRow> {
    const s = this.store;
    const out = new Set<AnyRow>();
    const addAll = (rows: Iterable<AnyRow>) => { for (const r of rows) out.add(r); };
    for (const id of ids) {
      if (id === '') continue;
      addAll(s.withId(sheet, id));
      switch (sheet) {
        case 'devices':
          addAll(s.installsByDevice.get(id)); addAll(s.vmsByHost.get(id)); addAll(s.allocationsByDevice.get(id));
          addAll(s.sessionsByDevice.get(id)); addAll(s.accessByDevice.get(id)); addAll(s.accessByServer.get(id));
          addAll(s.sensorsByDevice.get(id));
          break;
        case 'users':
          addAll(s.installsByUser.get(id)); addAll(s.devicesByOwner.get(id)); addAll(s.allocationsByUser.get(id));
          addAll(s.subscriptionsByUser.get(id)); addAll(s.sessionsByUser.get(id)); addAll(s.accessByUser.get(id));
          break;
        case 'clusters': addAll(s.devicesByCluster.get(id)); break;
        case 'entitlements': addAll(s.allocationsByEntitlement.get(id)); break;
        default: break;
      }
    }
    if (sheet === 'modelCategories') addAll(s.tables.modelCategories.values());
    return out;
  }

  /** Every problem, in sheet order. */
  all(): Problem[] {
    const rows = [...this.byRow.values()].sort((a, b) =>
      SHEETS.indexOf(a.row.sheet) - SHEETS.indexOf(b.row.sheet) || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
    return rows.flatMap((r) => r.problems);
  }

  takeChanged(): { sheet: SheetName; key: string; problems: Problem[] }[] {
    const out = [...this.changed.values()];
    this.changed = new Map();
    return out;
  }
}
