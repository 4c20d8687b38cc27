// Column definitions of an editable sheet, from the schema (engine/schema.ts): a typed editor per
// column kind, values read live from the document, writes as one-cell edits, problems marked on the
// cell, peers' cursors drawn on it, and the entitlements sheet's computed columns.

import type { CellClassParams, ColDef, ICellEditorParams, ITooltipParams, ValueFormatterParams, ValueGetterParams, ValueSetterParams } from 'ag-grid-community';
import { cellText, toNumber } from '../../engine/cells';
import { COLUMNS, type Column, type SheetName } from '../../engine/schema';
import type { Session } from '../state/session';
import type { CellValue } from '../doc-adapter';
import { MetricPicker, RefPicker, type PickItem } from './picker';
import { peerClasses } from './presence';
import { formatNumber, statusLabel } from '../ui/format';
import { countsToday, rightsColumn } from './rights-column';
import '../ui/renewals.css';
import { isNormalized } from '../../engine/normalize/normalization';

export interface Row {
  key: string;
}

/** Typed input → stored value. Anything that does not read as the column's type is kept as typed. */
export function parseInput(col: Column | undefined, raw: unknown): CellValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  const text = String(raw);
  const t = text.trim();
  if (t === '') return null;
  switch (col?.kind) {
    case 'number':
    case 'count':
      return Number.isFinite(toNumber(t)) ? Number(t) : text;
    case 'bool': {
      const l = t.toLowerCase();
      if (l === 'true' || l === 'yes' || l === '1') return true;
      if (l === 'false' || l === 'no' || l === '0') return false;
      return text;
    }
    default:
      return text;
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function refOptions(session: Session, target: SheetName | 'modelCategoryName'): PickItem[] {
  const sheet: SheetName = target === 'modelCategoryName' ? 'modelCategories' : target;
  const r = session.reader(sheet);
  const labelCol = sheet === 'entitlements' ? 'product' : 'name';
  const out: PickItem[] = [];
  for (const k of r.keys()) {
    const id = r.get(k, target === 'modelCategoryName' ? 'name' : 'id');
    if (id === null || id === '') continue;
    const label = r.get(k, labelCol);
    out.push({ value: String(id), label: label === null || label === '' ? String(id) : String(label) });
  }
  return out;
}

export function sheetColumns(session: Session, sheet: SheetName, extra: string[]): ColDef<Row>[] {
  const reader = session.reader(sheet);
  const results = session.results;
  const problemOf = (key: string, col: string) => results.cellProblems(sheet, key)?.filter((p) => p.column === col);

  const base = (name: string, col: Column | undefined): ColDef<Row> => {
    const kind = col?.kind ?? 'text';
    const numeric = kind === 'number' || kind === 'count';
    const def: ColDef<Row> = {
      colId: name,
      headerName: name,
      field: undefined,
      editable: !session.readOnly,
      cellDataType: false,
      valueGetter: (p: ValueGetterParams<Row>) => (p.data ? reader.get(p.data.key, name) : null),
      valueSetter: (p: ValueSetterParams<Row>) => {
        if (!p.data) return false;
        const v = parseInput(col, p.newValue);
        if (v === reader.get(p.data.key, name)) return false;
        const key = p.data.key;
        session.edit(() => session.setCell(sheet, key, name, v));
        return true;
      },
      valueFormatter: (p: ValueFormatterParams<Row>) => {
        const v = p.value as CellValue;
        if (v === null || v === undefined) return '';
        if (typeof v === 'boolean') return v ? 'yes' : 'no';
        return cellText(v);
      },
      filter: numeric ? 'agNumberColumnFilter' : 'agTextColumnFilter',
      filterValueGetter: numeric ? (p: ValueGetterParams<Row>) => {
        const v = p.data ? reader.get(p.data.key, name) : null;
        return typeof v === 'number' ? v : null;
      } : undefined,
      cellClass: (p: CellClassParams<Row>) => {
        const cls: string[] = [];
        if (numeric) cls.push('num');
        if (p.data) {
          if (problemOf(p.data.key, name)?.length) cls.push('cell-problem');
          cls.push(...peerClasses(session, sheet, p.data.key, name));
        }
        return cls;
      },
      tooltipValueGetter: (p: ITooltipParams<Row>) => {
        const key = (p.data as Row | undefined)?.key;
        const probs = key ? problemOf(key, name) : undefined;
        return probs?.length ? probs.map((x) => x.message).join('\n') : undefined;
      },
      width: name === 'id' ? 110 : numeric ? 96 : kind === 'bool' ? 80
        : sheet === 'normalization' && (name === 'product' || name === 'publisher' || name === 'notes') ? (name === 'product' ? 320 : 220)
          : name === 'product' || name === 'name' ? 180 : 130,
    };
    switch (kind) {
      case 'number':
      case 'count':
        def.cellEditor = 'agTextCellEditor';
        def.comparator = (a: unknown, b: unknown) => cmpMixed(a, b);
        break;
      case 'bool':
        def.cellEditorSelector = (p: ICellEditorParams<Row>) =>
          p.value === null || typeof p.value === 'boolean' ? { component: 'agCheckboxCellEditor' } : { component: 'agTextCellEditor' };
        break;
      case 'date':
        def.cellEditorSelector = (p: ICellEditorParams<Row>) =>
          p.value === null || (typeof p.value === 'string' && ISO_DAY.test(p.value)) && !p.eventKey
            ? { component: 'agDateStringCellEditor' }
            : { component: 'agTextCellEditor' };
        break;
      case 'enum':
        if (name === 'metric') {
          def.cellEditor = MetricPicker;
          def.width = 150;
        } else {
          def.cellEditor = 'agSelectCellEditor';
          def.cellEditorParams = { values: ['', ...(col?.values ?? [])] };
        }
        break;
      case 'ref':
        def.cellEditor = RefPicker;
        def.cellEditorParams = { options: () => refOptions(session, col!.ref!) };
        break;
    }
    return def;
  };

  const defs: ColDef<Row>[] = COLUMNS[sheet].map((c) => base(c.name, c));
  if (sheet === 'entitlements') defs.splice(defs.findIndex((d) => d.colId === 'quantity') + 1, 0, ...computedColumns(session));
  if (isNormalized(sheet)) {
    const after = sheet === 'installations' ? 'edition' : 'product';
    defs.splice(defs.findIndex((d) => d.colId === after) + 1, 0, normalizedColumn(session, sheet));
  }
  for (const x of extra) defs.push(base(x, undefined));
  defs[0] = { ...defs[0], pinned: 'left', lockPinned: true };
  return defs;
}

/** Numbers before text, blanks last: sorting a column with a bad value in it stays readable. */
export function cmpMixed(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null || v === undefined || v === '' ? 2 : typeof v === 'number' ? 0 : 1);
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 1) return cellText(a).localeCompare(cellText(b));
  return 0;
}

export const COMPUTED = ['purchased', 'consumed', 'available', 'status', 'shortfallCost', 'counts'] as const;
/** The column that shows a row's normalized names beside its raw cells (not a cell: never edited or pasted into). */
export const NORMALIZED = 'normalized';

/**
 * What the normalization rules make of a row's raw publisher, product, version and edition, read
 * on the page by the engine's own normalizer (state/names.ts): the names reconciliation uses.
 */
function normalizedColumn(session: Session, sheet: SheetName): ColDef<Row> {
  const reader = session.reader(sheet);
  const shownOf = (key: string) => {
    const cell = (c: string) => reader.get(key, c);
    return session.names.shown({ publisher: cell('publisher'), product: cell('product'), version: cell('version'), edition: cell('edition') });
  };
  return {
    colId: NORMALIZED,
    headerName: 'normalized as',
    headerTooltip: 'The names reconciliation uses, after the normalization rules (the Normalization tab)',
    editable: false,
    sortable: false,
    filter: false,
    cellDataType: false,
    width: 260,
    valueGetter: (p) => {
      if (!p.data) return null;
      const n = shownOf(p.data.key);
      if (n.ignored) return 'ignored: needs no license';
      const parts = [n.publisher, n.product, ...(sheet === 'installations' ? [n.version, n.edition] : [])].filter((x) => x !== '');
      return parts.join(' · ');
    },
    tooltipValueGetter: (p) => {
      const key = (p.data as Row | undefined)?.key;
      if (!key) return undefined;
      const rule = shownOf(key).rule;
      return rule ? `by rule ${rule}` : 'no rule changed these names';
    },
    cellClass: (p) => {
      const key = p.data?.key;
      if (!key) return ['computed'];
      const n = shownOf(key);
      return ['computed', n.ignored ? 'normalized-ignored' : n.rule ? 'normalized-renamed' : 'normalized-same'];
    },
    headerClass: 'computed-header',
  };
}

/**
 * Values of the computed columns for sorting and filtering (worker/view.ts ComputedValue):
 * undefined for other columns; statuses as their label, so a filter matches what is shown.
 */
export function computedValue(session: Session): (colId: string, cells: (col: string) => unknown) => unknown {
  return (colId, cells) => {
    if (!(COMPUTED as readonly string[]).includes(colId)) return undefined;
    const p = session.results.positionOfEntitlement(cells('id'));
    if (!p) return null;
    if (colId === 'counts') return countsToday(p, cells('id'));
    return colId === 'status' ? statusLabel(p.status) : (p[colId as 'purchased'] as number);
  };
}

function computedColumns(session: Session): ColDef<Row>[] {
  const reader = session.reader('entitlements');
  const pos = (p: { data?: Row }) => (p.data ? session.results.positionOfEntitlement(reader.get(p.data.key, 'id')) : undefined);
  const num = (name: (typeof COMPUTED)[number], header: string): ColDef<Row> => ({
    colId: name,
    headerName: header,
    editable: false,
    cellDataType: false,
    valueGetter: (p) => {
      const r = pos(p);
      return r ? (r[name as 'purchased'] as number) : null;
    },
    // No shortfall, no cost shown: a column of zeros would hide the few that matter.
    valueFormatter: (p) => (p.value === null || p.value === undefined || (name === 'shortfallCost' && p.value === 0) ? ''
      : name === 'shortfallCost' ? formatNumber(p.value as number, 2) : formatNumber(p.value as number)),
    cellClass: (p) => ['num', 'computed', ...(name === 'available' && typeof p.value === 'number' && p.value < 0 ? ['negative'] : [])],
    headerClass: 'computed-header',
    filter: 'agNumberColumnFilter',
    width: name === 'shortfallCost' ? 136 : name === 'available' ? 96 : 106,
  });
  return [
    rightsColumn<Row>(session),
    num('purchased', 'purchased'),
    num('consumed', 'consumed'),
    num('available', 'available'),
    {
      colId: 'status',
      headerName: 'status',
      editable: false,
      cellDataType: false,
      valueGetter: (p) => pos(p)?.status ?? null,
      cellRenderer: (p: { value: string | null }) => {
        if (!p.value) return '';
        const s = document.createElement('span');
        s.className = `status status-${p.value}`;
        s.textContent = statusLabel(p.value);
        return s;
      },
      cellClass: 'computed',
      headerClass: 'computed-header',
      filter: 'agTextColumnFilter',
      width: 128,
      // Status and shortfall cost stay in view however far the sheet scrolls: they are the answer.
      pinned: 'right',
    },
    { ...num('shortfallCost', 'shortfall cost'), pinned: 'right' },
  ];
}
