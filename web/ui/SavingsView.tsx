// The Savings tab: reclaim candidates (reason, rows, rights freed, cost) and plans to compliance
// (reclaim vs buy, the saving against buying only), live from the worker's patches
// (web/state/savings.ts), sortable and filterable, exported as CSV or XLSX. Acting on them: chosen
// candidates, a position's plan or the whole plan open as a new what-if scenario with the rows
// changed (on the baseline), or are written into this scenario (on a scenario); the Compare tab
// then shows what they change before anything touches the baseline.

import { download } from '../io/download';
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import type { ColDef, GridApi } from 'ag-grid-community';
import { REASONS, REASON_LABELS, type Candidate, type Plan, type SavingsAction } from '../../engine/savings/types';
import { candidatesCsv, plansCsv, savingsXlsx } from '../../io/report/savings';
import { money, positionLabel } from '../../io/report/summary';
import type { Session } from '../state/session';
import type { ScenarioSession } from '../scenario/session';
import { findWorkspace } from '../state/workspaces';
import { forkWithSavings } from '../scenario/actions';
import { Grid, transact } from '../grid/Grid';
import { formatNumber } from './format';

const moneyCell = (digits = 2) => (p: { value: unknown; data?: { currency?: string } }) => (typeof p.value === 'number' ? formatNumber(p.value, digits) : '');
const num = <T,>(field: string, header: string, digits = 0): ColDef<T> => ({
  field: field as ColDef<T>['field'], headerName: header, cellClass: 'num', filter: 'agNumberColumnFilter', width: 110,
  valueFormatter: (p) => (typeof p.value === 'number' ? formatNumber(p.value, digits) : ''),
});

export function SavingsView(props: { session: Session; scenario?: ScenarioSession; visible: boolean; onCompare: () => void; onOpenPosition: (key: string) => void }) {
  const results = props.session.results;
  const store = results.savings;
  const [mode, setMode] = createSignal<'candidates' | 'plans'>('candidates');
  const [selected, setSelected] = createSignal<string[]>([]);
  const [plan, setPlan] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<string | null>(null);
  let candApi: GridApi<Candidate> | null = null;
  let planApi: GridApi<Plan> | null = null;
  onMount(() => void props.session.watchSavings());

  const label = (key: string): string => {
    const p = results.positions.get(key);
    return p ? `${positionLabel(p)} · ${p.metric}` : key;
  };
  const cur = () => (store.tick(), store.totals?.currency ?? 'USD');
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'no unit cost' : money(v, cur()));

  const CANDIDATE_COLUMNS: ColDef<Candidate>[] = [
    { field: 'reason', headerName: 'reason', width: 190, valueGetter: (p) => (p.data ? REASON_LABELS[p.data.reason] : '') },
    { field: 'publisher', headerName: 'publisher', width: 120 },
    { field: 'product', headerName: 'product', width: 160 },
    { field: 'deviceId', headerName: 'device', width: 110 },
    { field: 'userId', headerName: 'user', width: 110 },
    { colId: 'rows', headerName: 'rows', width: 150, valueGetter: (p) => p.data?.rows.map((r) => r.id).join(', ') ?? '', tooltipValueGetter: (p) => p.data?.rows.map((r) => `${r.sheet}/${r.id}`).join('\n') ?? '' },
    { ...num<Candidate>('rights', 'rights freed'), sort: 'desc' },
    { field: 'cost', headerName: 'cost', cellClass: 'num', filter: 'agNumberColumnFilter', width: 110, valueGetter: (p) => (p.data?.freed.length ? p.data.cost : null),
      valueFormatter: (p) => (p.data?.freed.length && p.value === null ? 'no unit cost' : moneyCell()(p)) },
    { colId: 'positions', headerName: 'frees rights in', width: 240, valueGetter: (p) => (p.data?.freed.length ? p.data.freed : []).map((f) => label(f.key)).join('; ') || (p.data?.note ?? '') },
    { field: 'why', headerName: 'why', width: 420, tooltipField: 'why' },
  ];
  const PLAN_COLUMNS: ColDef<Plan>[] = [
    { colId: 'position', headerName: 'position', width: 280, valueGetter: (p) => (p.data ? label(p.data.key) : '') },
    num<Plan>('shortfall', 'shortfall'),
    { colId: 'reclaim', headerName: 'reclaim', width: 90, cellClass: 'num', valueGetter: (p) => p.data?.reclaim.length ?? 0 },
    num<Plan>('reclaimed', 'rights reclaimed'),
    { colId: 'buy', headerName: 'buy', width: 90, cellClass: 'num', valueGetter: (p) => p.data?.buy.reduce((n, b) => n + b.rights, 0) ?? 0 },
    { ...num<Plan>('buyCost', 'plan cost', 2), width: 120, valueFormatter: (p) => (p.value === null ? 'no unit cost' : moneyCell()(p)) },
    { ...num<Plan>('buyOnlyCost', 'buying only', 2), width: 120, valueFormatter: (p) => (p.value === null ? 'no unit cost' : moneyCell()(p)) },
    { ...num<Plan>('saving', 'saving', 2), width: 120, sort: 'desc', valueFormatter: (p) => (p.value === null ? '—' : moneyCell()(p)) },
    { field: 'note', headerName: 'note', width: 360, tooltipField: 'note' },
  ];

  onCleanup(store.onChange((e) => {
    if (candApi) {
      if (e.reset) candApi.setGridOption('rowData', [...store.candidates.values()]);
      else transact(candApi, e.candidates, (id) => store.candidates.get(id));
    }
    if (planApi) {
      if (e.reset) planApi.setGridOption('rowData', [...store.plans.values()]);
      else transact(planApi, e.plans, (k) => store.plans.get(k));
    }
  }));

  /** Acts on candidates or a plan: a new scenario with the rows changed (or this scenario). */
  const act = async (action: SavingsAction, name: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const edits = await props.session.savingsEdits(action);
      if (edits.length === 0) {
        setMessage('Nothing to change: these rows are gone, or the plan needs nothing.');
        return;
      }
      if (props.scenario) {
        props.scenario.applySavings(edits);
        props.onCompare();
        return;
      }
      const baseline = findWorkspace(props.session.entry.id) ?? props.session.entry;
      const entry = forkWithSavings(baseline, name, edits);
      location.hash = `#/w/${entry.id}`;
    } catch (err) {
      setMessage(`Could not act: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const actLabel = props.scenario ? 'Apply in this scenario' : 'Open in a new scenario';
  // A scenario opened with a view link cannot be changed (forking from a viewed workspace can).
  const cannotAct = () => busy() || (props.scenario !== undefined && props.session.readOnly);

  const reasonFilter = (reason: string) => {
    void candApi?.setColumnFilterModel('reason', reason ? { filterType: 'text', type: 'equals', filter: REASON_LABELS[reason as keyof typeof REASON_LABELS] } : null)
      .then(() => candApi?.onFilterChanged());
  };
  const shown = <T,>(api: GridApi<T> | null): T[] => {
    const out: T[] = [];
    api?.forEachNodeAfterFilterAndSort((n) => { if (n.data) out.push(n.data); });
    return out;
  };
  const base = () => (props.session.doc.getMap('meta').get('name') as string | undefined)?.replace(/[^\w.-]+/g, '-') || 'workbook';
  const exportCsv = () => (mode() === 'candidates'
    ? download(new Blob([candidatesCsv(shown(candApi))], { type: 'text/csv' }), `${base()}-reclaim-candidates.csv`)
    : download(new Blob([plansCsv(shown(planApi), label)], { type: 'text/csv' }), `${base()}-plans.csv`));
  const exportXlsx = () => download(new Blob([savingsXlsx(store.totals, shown(candApi), [...(store.whole ? [store.whole] : []), ...shown(planApi)], label) as BlobPart]), `${base()}-savings.xlsx`);

  return (
    <div class="sheet savings" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="savings">
      <div class="toolbar savings-totals" data-testid="savings-totals">
        <Show when={(store.tick(), store.totals)} fallback={<span class="hint">Computing savings…</span>}>
          {(t) => (
            <>
              <span class="total" title="Rights bought beyond consumption, at unit cost">Surplus <b data-testid="savings-surplus">{money(t().surplus.cost, t().currency)}</b>
                <Show when={t().surplus.unpriced}><small class="muted"> +{t().surplus.unpriced} unpriced</small></Show></span>
              <span class="sep" />
              <span class="total" title="Rights every candidate frees together, at unit cost">Reclaimable <b data-testid="savings-reclaim">{money(t().reclaim.cost, t().currency)}</b>
                <small class="muted"> · {formatNumber(t().reclaim.count)} candidates</small></span>
              <span class="sep" />
              <span class="total" title="The whole workbook's plan to compliance against buying the whole shortfall">Plan saving <b data-testid="savings-plan">{fmt(t().plan.saving)}</b>
                <small class="muted"> · {t().plan.positions} noncompliant</small></span>
            </>
          )}
        </Show>
      </div>
      <div class="toolbar">
        <div class="segmented" role="tablist">
          <button type="button" classList={{ active: mode() === 'candidates' }} data-testid="savings-candidates" onClick={() => setMode('candidates')}>
            Reclaim candidates <span class="tab-count">{(store.tick(), store.candidates.size)}</span>
          </button>
          <button type="button" classList={{ active: mode() === 'plans' }} data-testid="savings-plans" onClick={() => setMode('plans')}>
            Plans <span class="tab-count">{(store.tick(), store.plans.size)}</span>
          </button>
        </div>
        <Show when={mode() === 'candidates'}>
          <select aria-label="Reason" data-testid="savings-reason" onChange={(e) => reasonFilter(e.currentTarget.value)}>
            <option value="">Every reason</option>
            <For each={REASONS}>{(r) => <option value={r}>{REASON_LABELS[r]}</option>}</For>
          </select>
          <button type="button" class="primary" disabled={cannotAct() || selected().length === 0} data-testid="savings-act-candidates"
            onClick={() => act({ candidates: selected() }, `Reclaim ${selected().length} candidate${selected().length === 1 ? '' : 's'}`)}>
            {actLabel} ({selected().length})
          </button>
        </Show>
        <Show when={mode() === 'plans'}>
          <button type="button" class="primary" disabled={cannotAct() || plan() === null} data-testid="savings-act-plan"
            onClick={() => act({ plan: plan()! }, `Plan: ${label(plan()!)}`)}>{actLabel}: plan</button>
          <button type="button" disabled={cannotAct() || !(store.tick(), store.whole?.positions.length)} data-testid="savings-act-whole"
            onClick={() => act({ whole: true }, 'Plan to compliance')}>{actLabel}: whole plan</button>
        </Show>
        <span class="grow" />
        <input class="quick-filter" type="search" placeholder="Filter…" aria-label="Filter savings"
          onInput={(e) => { candApi?.setGridOption('quickFilterText', e.currentTarget.value); planApi?.setGridOption('quickFilterText', e.currentTarget.value); }} />
        <button type="button" onClick={exportCsv} data-testid="savings-csv">CSV</button>
        <button type="button" onClick={exportXlsx} data-testid="savings-xlsx">XLSX</button>
      </div>
      <Show when={message()}><div class="relay-notice" role="status" data-testid="savings-message">{message()}</div></Show>
      <Show when={mode() === 'plans' && (store.tick(), store.whole)}>
        {(w) => (
          <div class="hint savings-whole" data-testid="savings-whole">
            Whole workbook: shortfall {formatNumber(w().shortfall)} in {w().positions.length} positions; reclaim {w().reclaim.length} candidates
            ({formatNumber(w().reclaimed)} rights), buy {formatNumber(w().buy.reduce((n, b) => n + b.rights, 0))} for {fmt(w().buyCost)};
            buying only {fmt(w().buyOnlyCost)}; saving {w().saving === null ? '—' : fmt(w().saving)}.{w().note ? ` ${w().note}` : ''}
          </div>
        )}
      </Show>
      <div class="savings-grid" style={{ display: mode() === 'candidates' ? 'flex' : 'none' }} data-testid="savings-candidates-grid">
        <Grid<Candidate>
          options={{
            columnDefs: CANDIDATE_COLUMNS,
            getRowId: (p) => p.data.id,
            defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
            rowSelection: { mode: 'multiRow', checkboxes: true, headerCheckbox: true, selectAll: 'filtered', enableClickSelection: false },
            animateRows: false,
            tooltipShowDelay: 400,
            onSelectionChanged: (e) => setSelected(e.api.getSelectedRows().map((c) => c.id)),
            onRowDoubleClicked: (e) => { const k = e.data?.freed[0]?.key ?? e.data?.positions[0]; if (k) props.onOpenPosition(k); },
          }}
          onReady={(a) => { candApi = a; a.setGridOption('rowData', [...store.candidates.values()]); }}
        />
      </div>
      <div class="savings-grid" style={{ display: mode() === 'plans' ? 'flex' : 'none' }} data-testid="savings-plans-grid">
        <Grid<Plan>
          options={{
            columnDefs: PLAN_COLUMNS,
            getRowId: (p) => p.data.key,
            defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
            rowSelection: { mode: 'singleRow', checkboxes: false, enableClickSelection: true },
            animateRows: false,
            tooltipShowDelay: 400,
            onSelectionChanged: (e) => setPlan(e.api.getSelectedRows()[0]?.key ?? null),
            onRowDoubleClicked: (e) => e.data && props.onOpenPosition(e.data.key),
          }}
          onReady={(a) => { planApi = a; a.setGridOption('rowData', [...store.plans.values()]); }}
        />
      </div>
    </div>
  );
}

