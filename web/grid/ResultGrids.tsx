// Read-only result sheets: Positions (one row per license position, live from patches), Hardware
// units (HAM categories) and Unlicensed installations (by product). A click on a position opens
// its explanation.

import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { ColDef, GridApi } from 'ag-grid-community';
import type { PositionResult } from '../../engine/positions/position';
import type { HamCategoryResult } from '../../engine/ham/ham';
import type { Patch } from '../../engine/changes';
import type { Session } from '../state/session';
import { Grid, transact } from './Grid';
import { KEY_COLUMNS } from './narrow';
import { formatNumber, statusLabel } from '../ui/format';
import { positionRightsNote } from '../../io/report/renewals';

/** Shortfall moved between overlapping positions, in short: "+3 in · −2 up" (the explanation names them). */
const movedText = (p: PositionResult | undefined): string => {
  if (!p?.moves?.length) return '';
  const inn = p.moves.filter((m) => m.amount > 0).reduce((s, m) => s + m.amount, 0);
  const out = p.moves.filter((m) => m.amount < 0).reduce((s, m) => s - m.amount, 0);
  return [inn ? `+${formatNumber(inn, Number.isInteger(inn) ? 0 : 2)} in` : '', out ? `−${formatNumber(out, Number.isInteger(out) ? 0 : 2)} up` : ''].filter(Boolean).join(' · ');
};

/** Rights that do not count today: the position's note when none does, else how many do. */
const rightsText = (p: PositionResult | undefined): string => {
  if (!p) return '';
  const note = positionRightsNote(p);
  if (note) return note;
  const active = (p.rights ?? []).filter((r) => r.state === 'active').length;
  return active === (p.rights ?? []).length ? '' : `${active} of ${p.rights.length} count today`;
};

const statusCell = (p: { value: string | null }): HTMLElement | string => {
  if (!p.value) return '';
  const s = document.createElement('span');
  s.className = `status status-${p.value}`;
  s.textContent = statusLabel(p.value);
  return s;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const num = <T = any,>(field: string, header = field, digits = 0): ColDef<T> => ({
  field: field as ColDef<T>['field'], headerName: header, cellClass: 'num', filter: 'agNumberColumnFilter', width: 100,
  valueFormatter: (p) => (typeof p.value === 'number' ? formatNumber(p.value, digits) : ''),
});

const STATUS_ORDER: Record<string, number> = { noncompliant: 0, warning2: 1, warning1: 2, compliant: 3 };

const POSITION_COLUMNS: ColDef<PositionResult>[] = [
  { field: 'status', headerName: 'status', cellRenderer: statusCell, width: 128, pinned: 'left', comparator: (a, b) => (STATUS_ORDER[a] ?? 9) - (STATUS_ORDER[b] ?? 9), sort: 'asc' },
  { field: 'publisher', headerName: 'publisher', width: 120 },
  { field: 'product', headerName: 'product', width: 170 },
  { field: 'metric', headerName: 'metric', width: 150 },
  { field: 'version', headerName: 'version', width: 100, valueGetter: (p) => (p.data?.downgrade ? `${p.data.version} and lower` : p.data?.version ?? '') },
  { field: 'edition', headerName: 'edition', width: 90 },
  num('purchased'),
  num('consumed'),
  num('available'),
  num('shortfall'),
  { ...num<PositionResult>('shortfallCost', 'shortfall cost', 2), width: 120 },
  { ...num<PositionResult>('surplus'), headerTooltip: 'Rights bought beyond consumption (available above 0 on a counting position)' },
  { ...num<PositionResult>('surplusCost', 'surplus cost', 2), width: 120, headerTooltip: 'Surplus at the position\'s unit cost', valueFormatter: (p) => (p.data && p.data.surplus > 0 && p.value === null ? 'no unit cost' : typeof p.value === 'number' ? formatNumber(p.value, 2) : '') },
  { colId: 'moved', headerName: 'shortfall moved', headerTooltip: 'Shortfall received from the positions it covers (in) and handed to its nearest cover (up)', valueGetter: (p) => movedText(p.data), width: 130 },
  { colId: 'rights', headerName: 'rights today', valueGetter: (p) => rightsText(p.data), cellClass: (p) => (p.value ? 'right-inactive' : ''), width: 200 },
  { field: 'currency', headerName: 'currency', width: 80 },
  { field: 'company', headerName: 'company', width: 110 },
  { field: 'site', headerName: 'site', width: 100 },
  { field: 'network', headerName: 'network', width: 100 },
  { field: 'flags', headerName: 'flags', valueGetter: (p) => p.data?.flags.join(', ') ?? '', width: 150 },
  { field: 'entitlementIds', headerName: 'entitlements', valueGetter: (p) => p.data?.entitlementIds.join(', ') ?? '', width: 160 },
];

export function PositionsGrid(props: { session: Session; visible: boolean; onOpen: (key: string) => void; selected: string | null }) {
  let api: GridApi<PositionResult> | null = null;
  const results = props.session.results;
  onCleanup(results.onPatch((e) => {
    if (api) transact(api, e.positions, (k) => results.positions.get(k));
  }));
  // Surplus of the positions the grid shows (its filter: a publisher's, or all), at unit cost.
  const [surplus, setSurplus] = createSignal({ cost: 0, unpriced: 0, currency: '' });
  const sumShown = () => {
    let cost = 0, unpriced = 0, currency = '';
    api?.forEachNodeAfterFilter((n) => {
      const p = n.data;
      if (!p || !(p.surplus > 0)) return;
      currency ||= p.currency;
      if (p.surplusCost === null) unpriced++;
      else cost = Math.round((cost + p.surplusCost) * 100) / 100;
    });
    setSurplus({ cost, unpriced, currency });
  };
  createEffect(on(() => props.selected, (k) => {
    if (!api || !k) return;
    const n = api.getRowNode(k);
    if (n) n.setSelected(true, true);
  }));
  return (
    <div class="sheet" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="positions">
      <div class="toolbar">
        <span class="hint">License positions, computed from the workbook. Click a row to see every contribution.</span>
        <span class="sep" />
        <span class="total" data-testid="positions-surplus" title="Rights bought beyond consumption in the positions shown (filter by publisher for its total), at unit cost">
          Surplus <b>{formatNumber(surplus().cost, 2)} {surplus().currency}</b>{surplus().unpriced ? ` + ${surplus().unpriced} without unit cost` : ''}
        </span>
        <span class="sep" />
        <input class="quick-filter" type="search" placeholder="Filter positions…" aria-label="Filter positions" onInput={(e) => api?.setGridOption('quickFilterText', e.currentTarget.value)} />
      </div>
      <Grid<PositionResult>
        narrowKeys={KEY_COLUMNS.positions}
        options={{
          columnDefs: POSITION_COLUMNS,
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
          rowSelection: { mode: 'singleRow', checkboxes: false, enableClickSelection: true },
          animateRows: false,
          onRowClicked: (e) => e.data && props.onOpen(e.data.key),
          onModelUpdated: sumShown,
          onCellKeyDown: (e) => {
            const ke = e.event as KeyboardEvent | undefined;
            if (ke?.key === 'Enter' && e.data) props.onOpen(e.data.key);
          },
        }}
        onReady={(a) => {
          api = a;
          // Its rows are given once it is built (AgGrid.tsx), from the results as they are then.
          a.setGridOption('rowData', [...results.positions.values()]);
        }}
      />
    </div>
  );
}

const HAM_COLUMNS: ColDef<HamCategoryResult>[] = [
  { field: 'category', headerName: 'category', width: 240 },
  { field: 'solution', headerName: 'solution', width: 100 },
  num('assets'),
  num('ratio'),
  num('units'),
  { field: 'optedIn', headerName: 'opted in', width: 90, valueFormatter: (p) => (p.value ? 'yes' : 'no') },
];

export function HardwareGrid(props: { session: Session; visible: boolean }) {
  let api: GridApi<HamCategoryResult> | null = null;
  const results = props.session.results;
  // Keyed by category, so a new result updates rows in place (cells flash where units changed).
  createEffect(on(results.hamTick, () => api?.setGridOption('rowData', results.ham?.categories ?? [])));
  return (
    <div class="sheet" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="hardware">
      <div class="toolbar">
        <span class="hint">Hardware asset management subscription units by resource category.</span>
        <span class="sep" />
        <span class="total">
          Total units <b data-testid="ham-total">{(results.hamTick(), formatNumber(results.ham?.totalUnits ?? 0))}</b>
          {' · '}OT units <b data-testid="ham-ot-total">{(results.hamTick(), formatNumber(results.ham?.otTotalUnits ?? 0))}</b>
        </span>
      </div>
      <Grid<HamCategoryResult>
        options={{
          columnDefs: HAM_COLUMNS,
          getRowId: (p) => p.data.category,
          defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
          animateRows: false,
        }}
        onReady={(a) => { api = a; a.setGridOption('rowData', results.ham?.categories ?? []); }}
      />
    </div>
  );
}

type UnlicensedRow = Patch['unlicensed'][number];

const UNLICENSED_COLUMNS: ColDef[] = [
  { field: 'publisher', headerName: 'publisher', width: 200 },
  { field: 'product', headerName: 'product', width: 260 },
  { ...num('installations'), width: 120, sort: 'desc' },
  { ...num('devices'), width: 110 },
];

/** Unlicensed installations by product (metrics.md): live from patches, like Positions. */
export function UnlicensedGrid(props: { session: Session; visible: boolean }) {
  let api: GridApi<UnlicensedRow> | null = null;
  const results = props.session.results;
  onCleanup(results.onPatch((e) => {
    if (api) transact(api, e.unlicensed, (k) => results.unlicensed.get(k));
  }));
  const totals = () => {
    results.unlicensedTick();
    let installations = 0;
    for (const u of results.unlicensed.values()) installations += u.installations;
    return { products: results.unlicensed.size, installations };
  };
  return (
    <div class="sheet" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="unlicensed">
      <div class="toolbar">
        <span class="hint">Installations on counting devices that no entitlement of their product covers.</span>
        <span class="sep" />
        <span class="total" data-testid="unlicensed-total"><b>{formatNumber(totals().products)}</b> products · <b>{formatNumber(totals().installations)}</b> installations</span>
        <span class="grow" />
        <input class="quick-filter" type="search" placeholder="Filter products…" aria-label="Filter unlicensed products" onInput={(e) => api?.setGridOption('quickFilterText', e.currentTarget.value)} />
      </div>
      <Grid<UnlicensedRow>
        narrowKeys={KEY_COLUMNS.unlicensed}
        options={{
          columnDefs: UNLICENSED_COLUMNS,
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
          animateRows: false,
        }}
        onReady={(a) => { api = a; a.setGridOption('rowData', [...results.unlicensed.values()]); }}
      />
    </div>
  );
}
