// The compare tab of a scenario: the baseline against this scenario (and against other scenarios of
// the same baseline, one column group each), live. Totals first (shortfall cost and its change,
// noncompliant positions, hardware units), then one row per position with purchased, consumed,
// available, status and shortfall cost on every side and the differences, changed positions first
// by the size of their cost change ("Changed only" hides the rest), and HAM units per category.
// The worker compares its sides' results (worker/scenario/compare.ts); a patch on any side asks
// again (one request in flight at a time). A click on a position opens its contributions on both
// sides.

import { For, Show, batch, createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { ColDef, ColGroupDef, GridApi } from 'ag-grid-community';
import type { ComparedPosition, Comparison, SideFigures } from '../../worker/scenario/compare';
import { Grid } from '../grid/Grid';
import { formatNumber, statusLabel } from '../ui/format';
import { findWorkspace, scenariosOf, type WorkspaceEntry } from '../state/workspaces';
import { ExtraSide } from './extra-side';
import type { ScenarioSession } from './session';

const statusCell = (p: { value: string | null }): HTMLElement | string => {
  if (!p.value) return '—';
  const s = document.createElement('span');
  s.className = `status status-${p.value}`;
  s.textContent = statusLabel(p.value);
  return s;
};

const signed = (v: number, digits = 0): string => (v > 0 ? `+${formatNumber(v, digits)}` : v < 0 ? `−${formatNumber(-v, digits)}` : '0');

const figure = (name: string, field: keyof SideFigures, get: (p: ComparedPosition) => SideFigures | null, digits = 0): ColDef<ComparedPosition> => ({
  colId: name, headerName: String(field).replace('shortfallCost', 'shortfall cost'), width: field === 'shortfallCost' ? 112 : 84, cellClass: 'num',
  valueGetter: (p) => (p.data ? get(p.data)?.[field] ?? null : null),
  valueFormatter: (p) => (typeof p.value === 'number' ? formatNumber(p.value, digits) : '—'),
  filter: 'agNumberColumnFilter',
});

const delta = (name: string, field: 'consumed' | 'available' | 'shortfallCost', i: number, digits = 0): ColDef<ComparedPosition> => ({
  colId: name, headerName: `Δ ${field === 'shortfallCost' ? 'cost' : field}`, width: field === 'shortfallCost' ? 110 : 84,
  valueGetter: (p) => p.data?.delta[i]?.[field] ?? 0,
  valueFormatter: (p) => signed(p.value as number, digits),
  cellClass: (p) => ['num', 'delta', (p.value as number) === 0 ? 'zero' : ((p.value as number) < 0) === (field !== 'available') ? 'better' : 'worse'],
  filter: 'agNumberColumnFilter',
});

function columns(names: readonly string[]): (ColDef<ComparedPosition> | ColGroupDef<ComparedPosition>)[] {
  const side = (label: string, get: (p: ComparedPosition) => SideFigures | null, id: string, i: number | null): ColGroupDef<ComparedPosition> => ({
    headerName: label,
    headerClass: i === null ? 'cmp-base' : 'cmp-side',
    children: i === null ? [
      { colId: `${id}-status`, headerName: 'status', width: 112, valueGetter: (p) => (p.data ? get(p.data)?.status ?? null : null), cellRenderer: statusCell },
      figure(`${id}-purchased`, 'purchased', get),
      figure(`${id}-consumed`, 'consumed', get),
      figure(`${id}-available`, 'available', get),
      figure(`${id}-cost`, 'shortfallCost', get, 2),
    ] : [
      { colId: `${id}-status`, headerName: 'status', width: 112, valueGetter: (p) => (p.data ? get(p.data)?.status ?? null : null), cellRenderer: statusCell },
      figure(`${id}-cost`, 'shortfallCost', get, 2),
      delta(`${id}-dcost`, 'shortfallCost', i, 2),
      figure(`${id}-consumed`, 'consumed', get),
      delta(`${id}-dconsumed`, 'consumed', i),
      figure(`${id}-available`, 'available', get),
      delta(`${id}-davailable`, 'available', i),
      figure(`${id}-purchased`, 'purchased', get),
    ],
  });
  return [
    {
      headerName: 'Position',
      children: [
        { field: 'publisher', width: 100 },
        { field: 'product', width: 180, valueGetter: (p) => [p.data?.product, p.data?.version, p.data?.edition].filter(Boolean).join(' ') },
        { field: 'metric', width: 120 },
        { colId: 'scope', headerName: 'scope', width: 90, valueGetter: (p) => [p.data?.company, p.data?.site, p.data?.network].filter(Boolean).join(' · ') },
      ],
    },
    side('Baseline', (p) => p.base, 'base', null),
    ...names.map((n, i) => side(n, (p) => p.sides[i], `s${i}`, i)),
  ];
}

export function CompareView(props: { session: ScenarioSession; visible: boolean; onOpen: (key: string, others: string[]) => void }) {
  const s = props.session;
  const [data, setData] = createSignal<Comparison | null>(null);
  /** The names of the scenarios `data` compares, in its order (what the columns show). */
  const [shown, setShown] = createSignal<string[]>([]);
  const [changedOnly, setChangedOnly] = createSignal(true);
  const [others, setOthers] = createSignal<WorkspaceEntry[]>([]);
  const sides = new Map<string, ExtraSide>();
  let api: GridApi<ComparedPosition> | null = null;

  // One request in flight; patches that come meanwhile ask once more when it returns.
  let inflight = false, again = false;
  const refresh = async (): Promise<void> => {
    if (inflight) { again = true; return; }
    inflight = true;
    try {
      const ids = others().map((o) => o.id).filter((id) => sides.has(id));
      const c = await s.compare(ids);
      const names = [findWorkspace(s.entry.id)?.name ?? s.entry.name, ...ids.map((id) => findWorkspace(id)?.name ?? id)];
      const columnsChange = names.join('\u0000') !== shown().join('\u0000');
      batch(() => { setShown(names); setData(c); });
      if (columnsChange) api?.setGridOption('columnDefs', columns(names));
      show(c);
    } catch { /* the scenario closed meanwhile */ } finally {
      inflight = false;
      if (again) { again = false; void refresh(); }
    }
  };
  const show = (c: Comparison): void => {
    if (!api) return;
    api.setGridOption('rowData', changedOnly() ? c.positions.filter((p) => p.changed) : c.positions);
  };
  createEffect(on(changedOnly, () => { const c = data(); if (c) show(c); }, { defer: true }));

  for (const r of [s.results, s.baseline.results]) onCleanup(r.onPatch(() => void refresh()));
  void s.workerReady.then(() => refresh());
  createEffect(on(() => s.results.ready[0](), (ready) => { if (ready) void refresh(); }));

  const addSide = async (entry: WorkspaceEntry): Promise<void> => {
    const side = new ExtraSide(entry);
    sides.set(entry.id, side);
    setOthers([...others(), entry]);
    const ok = await side.attach(await s.baseline.workerReady, () => void refresh());
    if (!ok) {
      side.destroy();
      sides.delete(entry.id);
      setOthers(others().filter((o) => o.id !== entry.id));
    }
    void refresh();
  };
  const removeSide = (id: string): void => {
    sides.get(id)?.destroy();
    sides.delete(id);
    setOthers(others().filter((o) => o.id !== id));
    void refresh();
  };
  onCleanup(() => { for (const side of sides.values()) side.destroy(); });

  const candidates = () => scenariosOf(s.baseline.entry.id).filter((e) => e.id !== s.entry.id && !others().some((o) => o.id === e.id));
  const money = (v: number, currency: string) => `${formatNumber(v, 2)} ${currency}`.trim();

  return (
    <div class="sheet compare-view" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="compare">
      <div class="toolbar">
        <label class="check"><input type="checkbox" checked={changedOnly()} onChange={(e) => setChangedOnly(e.currentTarget.checked)} data-testid="changed-only" /> Changed only</label>
        <span class="sep" />
        <span class="hint">Baseline against {shown().length > 1 ? 'these scenarios' : 'this scenario'}, live. Click a position for its contributions on both sides.</span>
        <span class="grow" />
        <Show when={candidates().length > 0}>
          <select aria-label="Compare with another scenario" data-testid="compare-with" onChange={(e) => {
            const entry = candidates().find((c) => c.id === e.currentTarget.value);
            e.currentTarget.value = '';
            if (entry) void addSide(entry);
          }}>
            <option value="">Compare with…</option>
            <For each={candidates()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </Show>
        <For each={others()}>{(o) => <span class="chip">{o.name}<button type="button" class="chip-x" aria-label={`Stop comparing with ${o.name}`} onClick={() => removeSide(o.id)}>×</button></span>}</For>
      </div>
      <Show when={data()}>
        {(c) => (
          <div class="compare-totals" data-testid="compare-totals">
            <div class="compare-total">
              <span class="muted">Baseline</span>
              <b data-testid="total-base-cost">{money(c().totals.base.shortfallCost, c().totals.base.currency)}</b>
              <span class="muted small">{formatNumber(c().totals.base.noncompliant)} noncompliant · {formatNumber(c().totals.base.hamUnits)} hardware units</span>
            </div>
            <For each={c().totals.sides}>
              {(t, i) => (
                <div class="compare-total">
                  <span class="muted">{shown()[i()]}</span>
                  <b>{money(t.shortfallCost, t.currency)}</b>
                  <span class="cost-change" classList={{ better: c().totals.delta[i()].shortfallCost < 0, worse: c().totals.delta[i()].shortfallCost > 0 }} data-testid={`total-delta-${i()}`}>
                    {signed(c().totals.delta[i()].shortfallCost, 2)} shortfall cost
                  </span>
                  <span class="muted small">{formatNumber(t.noncompliant)} noncompliant ({signed(c().totals.delta[i()].noncompliant)}) · {formatNumber(t.hamUnits)} hardware units ({signed(c().totals.delta[i()].hamUnits)})</span>
                </div>
              )}
            </For>
            <span class="grow" />
            <span class="muted" data-testid="changed-count">{formatNumber(c().changed)} of {formatNumber(c().positions.length)} positions change</span>
          </div>
        )}
      </Show>
      <Grid<ComparedPosition>
        options={{
          columnDefs: columns(shown()),
          rowData: [],
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
          rowSelection: { mode: 'singleRow', checkboxes: false, enableClickSelection: true },
          rowClassRules: { 'cmp-changed': (p) => !!p.data?.changed },
          animateRows: false,
          // A few dozen columns at most and positions by the thousand: all columns rendered.
          suppressColumnVirtualisation: true,
          onRowClicked: (e) => e.data && props.onOpen(e.data.key, others().map((o) => o.id).filter((id) => sides.has(id))),
          onCellKeyDown: (e) => {
            const ke = e.event as KeyboardEvent | undefined;
            if (ke?.key === 'Enter' && e.data) props.onOpen(e.data.key, others().map((o) => o.id));
          },
        }}
        onReady={(a) => { api = a; a.setGridOption('columnDefs', columns(shown())); const c = data(); if (c) show(c); }}
      />
      <Show when={(data()?.ham ?? []).length > 0}>
        <div class="compare-ham" data-testid="compare-ham">
          <Show when={!changedOnly() || data()!.ham.some((h) => h.changed)} fallback={<span><b>Hardware units</b> <span class="muted">· no category changes</span></span>}>
            <b>Hardware units</b>
            <table>
              <thead><tr><th>category</th><th>baseline</th><For each={shown()}>{(n) => <th>{n}</th>}</For></tr></thead>
              <tbody>
                <For each={data()!.ham.filter((h) => h.changed || !changedOnly())}>
                  {(h) => (
                    <tr classList={{ 'cmp-changed': h.changed }}>
                      <td>{h.category}</td>
                      <td class="num">{formatNumber(h.base?.units ?? 0)}</td>
                      <For each={h.sides}>{(x) => <td class="num">{formatNumber(x?.units ?? 0)} <span class="muted">({signed((x?.units ?? 0) - (h.base?.units ?? 0))})</span></td>}</For>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </div>
      </Show>
    </div>
  );
}
