// The Renewals tab: rights ending or due for notice within 30, 90 or 180 days of the workbook's
// asOf, soonest first, each with its position's current status and the cost at stake (the right's
// quantity × its unit cost). Live from the results (io/report/renewals.ts reads the positions'
// rights); a right links to its entitlement row, a position to its explanation.

import { For, Show, createMemo, createSignal } from 'solid-js';
import { HORIZONS, renewalsWithin, whenLabel, type RenewalItem } from '../../io/report/renewals';
import { money, positionLabel } from '../../io/report/summary';
import { useAsOf } from '../io/results';
import type { Session } from '../state/session';
import type { Link } from './Panels';
import { formatNumber, statusLabel } from './format';
import './renewals.css';

/** The renewals within a horizon, following the results. */
export function useRenewals(session: Session, asOf: () => string, horizon: () => number): () => RenewalItem[] {
  return createMemo(() => {
    session.results.positionsTick();
    return renewalsWithin(session.results.positions.values(), asOf(), horizon());
  });
}

const WHAT: Record<RenewalItem['event'], string> = { notice: 'Notice due', renewal: 'Renews', end: 'Ends' };

export function RenewalsView(props: { session: Session; visible: boolean; onLink: (l: Link) => void; onOpenPosition: (key: string) => void }) {
  const results = props.session.results;
  const [horizon, setHorizon] = createSignal<number>(90);
  const asOf = useAsOf(props.session);
  const items = useRenewals(props.session, asOf, horizon);
  const label = (key: string) => { const p = results.positions.get(key); return p ? positionLabel(p) : key; };
  /** Cost at stake per currency, largest first. */
  const totals = createMemo(() => {
    const by = new Map<string, number>();
    for (const i of items()) if (i.costAtStake !== null) by.set(i.currency, Math.round(((by.get(i.currency) ?? 0) + i.costAtStake) * 100) / 100);
    return [...by].sort((a, b) => b[1] - a[1]);
  });
  return (
    <div class="sheet renewals" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="renewals" data-testid="renewals">
      <div class="toolbar renewals-bar">
        <span class="hint">Rights ending or due for notice within</span>
        <div class="horizons" role="group" aria-label="Horizon">
          <For each={HORIZONS}>
            {(h) => (
              <button type="button" classList={{ active: horizon() === h }} aria-pressed={horizon() === h} onClick={() => setHorizon(h)} data-testid={`horizon-${h}`}>{h} days</button>
            )}
          </For>
        </div>
        <span class="hint">of {asOf()}</span>
        <span class="sep" />
        <span class="total" data-testid="renewals-count"><b>{items().length}</b> right{items().length === 1 ? '' : 's'}</span>
        <Show when={totals().length}>
          <span class="total">· at stake <b data-testid="renewals-at-stake">{totals().map(([c, v]) => money(v, c)).join(' + ')}</b></span>
        </Show>
      </div>
      <div class="renewals-body">
        <Show when={items().length} fallback={<p class="muted renewals-empty">No right ends or is due for notice in the next {horizon()} days. Rights get these dates from the entitlements' end, renewal and noticeDays columns.</p>}>
          <table class="renewals-table">
            <thead>
              <tr><th>Due</th><th>What</th><th>Entitlement</th><th>Position</th><th>Status now</th><th class="num">Quantity</th><th class="num" title="The right's quantity × its unit cost">Cost at stake</th></tr>
            </thead>
            <tbody>
              <For each={items()}>
                {(i) => (
                  <tr classList={{ overdue: i.overdue }} data-testid="renewal-row">
                    <td data-label="Due"><b>{i.due}</b> <span class="muted">{whenLabel(i)}</span></td>
                    <td data-label="What">{i.overdue ? 'Notice overdue' : WHAT[i.event]}<Show when={i.right.state !== 'active'}> <span class="muted">({i.right.state})</span></Show>
                      <Show when={i.event === 'notice' && i.right.renewal}><div class="muted small">renews {i.right.renewal!.slice(0, 10)}</div></Show>
                    </td>
                    <td data-label="Entitlement"><button type="button" class="linkish" onClick={() => props.onLink({ sheet: 'entitlements', id: i.right.id })}>{i.right.id}</button></td>
                    <td data-label="Position"><button type="button" class="linkish" onClick={() => props.onOpenPosition(i.positionKey)}>{label(i.positionKey)}</button></td>
                    <td data-label="Status now"><span class={`status status-${i.status}`}>{statusLabel(i.status)}</span></td>
                    <td data-label="Quantity" class="num">{formatNumber(i.right.quantity)}</td>
                    <td data-label="Cost at stake" class="num">{i.costAtStake === null ? '—' : money(i.costAtStake, i.currency)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </div>
    </div>
  );
}
