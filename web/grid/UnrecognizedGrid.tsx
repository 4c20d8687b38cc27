// Unrecognized software (engine/normalize/unrecognized.ts): the raw publisher/product pairs that
// no rule and no entitlement names, largest first, live from the worker's patches. From a row,
// "Make a rule" opens a rule pre-filled from the pair (RuleDialog); once added, the pair leaves
// the list as the worker re-normalizes. A workspace with no rules at all can take the default
// catalogue from here.

import { Show, createSignal, onCleanup } from 'solid-js';
import type { ColDef, GridApi, ICellRendererParams } from 'ag-grid-community';
import { suggestRule } from '../../engine/normalize/suggest';
import type { UnrecognizedResult } from '../../engine/normalize/unrecognized';
import { addCatalogue } from '../../worker/doc/catalogue';
import type { Session } from '../state/session';
import { Grid, transact } from './Grid';
import { formatNumber } from '../ui/format';
import { RuleDialog } from '../ui/RuleDialog';

const num = (field: string, header = field): ColDef => ({
  field, headerName: header, cellClass: 'num', filter: 'agNumberColumnFilter', width: 132,
  valueFormatter: (p) => (typeof p.value === 'number' ? formatNumber(p.value) : ''),
});

export function UnrecognizedGrid(props: { session: Session; visible: boolean }) {
  let api: GridApi<UnrecognizedResult> | null = null;
  const results = props.session.results;
  const [making, setMaking] = createSignal<UnrecognizedResult | null>(null);

  const makeRule = (p: ICellRendererParams<UnrecognizedResult>): HTMLElement | string => {
    if (!p.data || props.session.readOnly) return '';
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'make-rule';
    b.textContent = 'Make a rule';
    b.dataset.testid = 'make-rule';
    const pair = p.data;
    b.addEventListener('click', () => setMaking(pair));
    return b;
  };

  const columns: ColDef<UnrecognizedResult>[] = [
    { field: 'publisher', headerName: 'publisher (raw)', width: 220, tooltipField: 'publisher' },
    { field: 'product', headerName: 'product (raw)', width: 340, tooltipField: 'product' },
    { field: 'canonicalPublisher', headerName: 'publisher alias', width: 150, headerTooltip: 'The publisher a publisher alias already gives it' },
    { ...num('installations'), sort: 'desc' },
    num('devices'),
    // Pinned: the action stays in view on a narrow screen.
    { colId: 'rule', headerName: '', width: 116, sortable: false, filter: false, cellRenderer: makeRule, cellClass: 'rule-action', pinned: 'right' },
  ];

  onCleanup(results.onPatch((e) => {
    if (api) transact(api, e.unrecognized, (k) => results.unrecognized.get(k));
  }));

  const totals = () => {
    results.unrecognizedTick();
    let installations = 0;
    for (const u of results.unrecognized.values()) installations += u.installations;
    return { pairs: results.unrecognized.size, installations };
  };
  const ruleCount = () => (props.session.names.tick(), props.session.names.ruleRows().length);

  return (
    <div class="sheet" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="unrecognized">
      <div class="toolbar">
        <span class="hint">Raw names no rule and no entitlement recognises, largest first. Make a rule to name one, or to ignore it.</span>
        <span class="sep" />
        <span class="total" data-testid="unrecognized-total"><b>{formatNumber(totals().pairs)}</b> products · <b>{formatNumber(totals().installations)}</b> installations</span>
        <Show when={ruleCount() === 0 && !props.session.readOnly}>
          <span class="sep" />
          <button type="button" data-testid="add-catalogue" title="The default rules for the publishers audits turn on, and the free runtimes to ignore"
            onClick={() => props.session.edit(() => { addCatalogue(props.session.doc); })}>Add the default catalogue</button>
        </Show>
        <span class="grow" />
        <input class="quick-filter" type="search" placeholder="Filter products…" aria-label="Filter unrecognized products" onInput={(e) => api?.setGridOption('quickFilterText', e.currentTarget.value)} />
      </div>
      <Grid<UnrecognizedResult>
        options={{
          columnDefs: columns,
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, editable: false },
          tooltipShowDelay: 300,
          animateRows: false,
        }}
        onReady={(a) => { api = a; a.setGridOption('rowData', [...results.unrecognized.values()]); }}
      />
      <Show when={making()} keyed>
        {(pair) => <RuleDialog session={props.session} pair={pair} suggestion={suggestRule(pair, pair.canonicalPublisher)} onClose={() => setMaking(null)} />}
      </Show>
    </div>
  );
}
