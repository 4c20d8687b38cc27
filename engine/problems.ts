// Problems (workbook.md): unreadable cells (found when a row is read), references to rows that do
// not exist, and duplicate ids. A problem never stops reconciliation; it is listed with its cell.
// Invariant (incremental): `byRow` holds the current problems of every row that has any.

import type { Problem, RowKey } from './cells';
import { COLUMNS, SHEETS, sheetRank, type SheetName } from './schema';
import type { AnyRow } from './rows';
import type { Store } from './store/store';
import { isBuiltinModelCategory } from './ham/ham';

interface Reference {
  sheet: SheetName;
  column: string;
  target: SheetName | 'modelCategoryName';
}

/** Each sheet's reference columns. */
const REFERENCES = Object.fromEntries(SHEETS.map((sheet) => [sheet,
  COLUMNS[sheet].filter((c) => c.kind === 'ref').map((c): Reference => ({ sheet, column: c.name, target: c.ref! }))])) as Record<SheetName, Reference[]>;

const SINGULAR: Record<string, string> = {
  devices: 'device', users: 'user', clusters: 'cluster', entitlements: 'entitlement', modelCategoryName: 'model category',
};

/** The last id looked up in each target and whether a row has it (Problems.checkNewRows). */
type Memo = Partial<Record<Reference['target'], { idN: string; found: boolean }>>;

function problem(row: AnyRow, column: string, message: string): Problem {
  return { sheet: row.sheet, rowId: row.id, column, message, key: row.key };
}

export class Problems {
  /** Rows (they keep their identity across edits) that have problems, with them. */
  private readonly byRow = new Map<AnyRow, Problem[]>();
  private changed = new Map<AnyRow, { sheet: SheetName; key: RowKey; problems: Problem[] }>();
  private modelNames: Set<string> | null = null;

  constructor(private readonly store: Store) {}

  private exists(target: Reference['target'], idN: string, memo?: Memo): boolean {
    if (memo) {
      const last = memo[target];
      if (last?.idN === idN) return last.found;
      const found = this.exists(target, idN);
      // One entry per target, rewritten: a miss per row (sessions name users at random) allocates nothing.
      if (last) { last.idN = idN; last.found = found; } else memo[target] = { idN, found };
      return found;
    }
    if (target !== 'modelCategoryName') return this.store.hasId(target, idN);
    if (isBuiltinModelCategory(idN)) return true;
    this.modelNames ??= new Set([...this.store.rows('modelCategories')].map((r) => r.name));
    return this.modelNames.has(idN);
  }

  /** A row's problems now: its cells', its references' and its id's. */
  of(row: AnyRow, memo?: Memo): Problem[] {
    let list: Problem[] | null = null;
    for (const ref of REFERENCES[row.sheet]) {
      const value = (row as unknown as Record<string, string>)[ref.column];
      if (value === '') continue;
      // An installation already holds the device and user it names.
      const found = row.sheet !== 'installations' ? this.exists(ref.target, value, memo)
        : ref.column === 'deviceId' ? row.device !== undefined : ref.column === 'userId' ? row.user !== undefined : this.exists(ref.target, value, memo);
      if (!found) (list ??= [...row.problems]).push(problem(row, ref.column, `${ref.column} names no ${SINGULAR[ref.target]} "${value}"`));
    }
    if (this.store.mayRepeat(row.sheet) && this.store.isRepeat(row)) {
      (list ??= [...row.problems]).push(problem(row, 'id', `duplicate id "${row.id}": references use the first row with it; this row is reconciled on its own`));
    }
    return list ?? row.problems;
  }

  /**
   * Derives the problems of a row loaded just now (none are held for it yet): recheck without
   * looking up what the row had before, which at a million rows is a measurable share of a load.
   */
  checkNew(row: AnyRow, memo?: Memo): void {
    const now = this.of(row, memo);
    if (now.length === 0) return;
    this.byRow.set(row, now);
    this.changed.set(row, { sheet: row.sheet, key: row.key, problems: now });
  }

  /**
   * checkNew for rows loaded just now. The store does not change meanwhile, so a reference that
   * repeats the row before's (rows come grouped: a device's sensors, an entitlement's allocations)
   * is looked up once.
   */
  checkNewRows(rows: Iterable<AnyRow>): void {
    const memo: Memo = {};
    for (const row of rows) this.checkNew(row, memo);
  }

  /** Re-derives a row's problems (or drops them, for a removed row) and notes a change. */
  recheck(row: AnyRow, removed = false): void {
    const now = removed ? [] : this.of(row);
    const before = this.byRow.get(row) ?? [];
    if (now.length === 0 && before.length === 0) return;
    if (now.length === 0) this.byRow.delete(row);
    else this.byRow.set(row, now);
    if (JSON.stringify(before) !== JSON.stringify(now)) this.changed.set(row, { sheet: row.sheet, key: row.key, problems: now });
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
    if (sheet === 'modelCategories') addAll(s.rows('modelCategories'));
    return out;
  }

  /** Every problem, in sheet order. */
  all(): Problem[] {
    const rows = [...this.byRow.keys()].sort((a, b) =>
      sheetRank(a.sheet) - sheetRank(b.sheet) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return rows.flatMap((r) => this.byRow.get(r)!);
  }

  takeChanged(): { sheet: SheetName; key: RowKey; problems: Problem[] }[] {
    const out = [...this.changed.values()];
    this.changed = new Map();
    return out;
  }
}
