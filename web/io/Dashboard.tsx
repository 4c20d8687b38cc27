// The dashboard: positions by status, shortfall cost per currency, hardware units, the next
// renewals (rights ending or due for notice within 90 days), and three charts (shortfall cost by
// publisher, consumed against purchased per position, hardware units per category). It follows
// the results as patches arrive.

import { For, Show, createMemo, onMount } from 'solid-js';
import { consumedVsPurchasedChart, costByPublisherChart, unitsByCategoryChart } from '../../io/report/charts';
import { STATUSES, STATUS_LABELS, money, num } from '../../io/report/summary';
import { renewalsWithin, whenLabel } from '../../io/report/renewals';
import type { Session } from '../state/session';
import { Chart } from './Chart';
import { trackedSummary, useAsOf } from './results';
import './io.css';

/** The dashboard's horizon for next renewals, and how many it lists. */
const NEXT_DAYS = 90;
const NEXT_SHOWN = 8;

export function Dashboard(props: { session: Session }) {
  const asOf = useAsOf(props.session);
  const summary = createMemo(() => trackedSummary(props.session.results, asOf()));
  const ready = () => props.session.results.ready[0]();
  const next = createMemo(() => renewalsWithin(summary().positions, summary().asOf, NEXT_DAYS));
  const label = (key: string) => summary().labels.get(key) ?? key;
  // Savings totals (engine/savings/): the worker computes them once the page watches them.
  onMount(() => void props.session.watchSavings());
  const savings = () => (props.session.results.savings.tick(), props.session.results.savings.totals);
  return (
    <div class="io-dashboard" data-testid="dashboard">
      <Show when={ready()} fallback={<div class="muted">Reconciling…</div>}>
        <div class="io-cards">
          <For each={STATUSES}>
            {(s) => <div class={`io-card st-${s}`} data-testid={`count-${s}`}><span>{STATUS_LABELS[s]}</span><b>{num(summary().counts[s])}</b></div>}
          </For>
          <div class="io-card" data-testid="shortfall-cost">
            <span>Shortfall cost</span>
            <b>{summary().shortfallCost.length ? summary().shortfallCost.map(([c, v]) => money(v, c)).join(' + ') : '—'}</b>
          </div>
          <Show when={savings()}>
            {(t) => (
              <>
                <div class="io-card" data-testid="surplus-cost" title="Rights bought beyond consumption, at unit cost">
                  <span>Surplus ({num(t().surplus.count)} positions)</span>
                  <b>{money(t().surplus.cost ?? 0, t().currency)}<Show when={t().surplus.unpriced}> <small>+ {num(t().surplus.unpriced)} unpriced</small></Show></b>
                </div>
                <div class="io-card" data-testid="reclaimable-cost" title="Rights every reclaim candidate frees together, at unit cost">
                  <span>Reclaimable ({num(t().reclaim.count)} candidates)</span>
                  <b>{money(t().reclaim.cost, t().currency)}</b>
                </div>
                <div class="io-card" data-testid="plan-saving" title="The plan to compliance (reclaim, then buy) against buying the whole shortfall">
                  <span>Plan saving</span>
                  <b>{(() => { const v = t().plan.saving; return v === null ? '—' : money(v, t().currency); })()}</b>
                </div>
              </>
            )}
          </Show>
          <div class="io-card" data-testid="hardware-units">
            <span>Hardware units</span>
            <b>{num(summary().hardwareUnits)}<Show when={summary().otUnits}> <small>+ {num(summary().otUnits)} OT</small></Show></b>
          </div>
        </div>
        <Show when={savings()?.surplus.byPublisher.length}>
          <section class="io-renewals" data-testid="surplus-by-publisher">
            <h3>Surplus by publisher <span class="muted">· rights bought beyond consumption, at unit cost; the Savings tab has reclaim candidates and plans</span></h3>
            <table>
              <thead><tr><th>Publisher</th><th class="n">Positions</th><th class="n">Rights</th><th class="n">Surplus cost</th></tr></thead>
              <tbody>
                <For each={savings()!.surplus.byPublisher.slice(0, NEXT_SHOWN)}>
                  {(b) => (
                    <tr>
                      <td>{b.publisher}</td><td class="n">{num(b.count)}</td><td class="n">{num(b.rights)}</td>
                      <td class="n">{money(b.cost, savings()!.currency)}{b.unpriced ? ` + ${num(b.unpriced)} unpriced` : ''}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <Show when={savings()!.surplus.byPublisher.length > NEXT_SHOWN}><div class="muted">…and {savings()!.surplus.byPublisher.length - NEXT_SHOWN} more publishers.</div></Show>
          </section>
        </Show>
        <section class="io-renewals" data-testid="next-renewals">
          <h3>Next renewals <span class="muted">· rights ending or due for notice within {NEXT_DAYS} days of {summary().asOf}</span></h3>
          <Show when={next().length} fallback={<div class="io-empty">No right ends or is due for notice in the next {NEXT_DAYS} days.</div>}>
            <table>
              <thead><tr><th>Due</th><th>What</th><th>Right</th><th>Position</th><th>Status now</th><th class="n">Cost at stake</th></tr></thead>
              <tbody>
                <For each={next().slice(0, NEXT_SHOWN)}>
                  {(i) => (
                    <tr data-testid="next-renewal">
                      <td><b>{i.due}</b> <span class="muted">{whenLabel(i)}</span></td>
                      <td>{i.overdue ? 'Notice overdue' : i.event === 'notice' ? 'Notice due' : i.event === 'renewal' ? 'Renews' : 'Ends'}</td>
                      <td>{i.right.id}</td>
                      <td>{label(i.positionKey)}</td>
                      <td><span class={`io-status st-${i.status}`}>{STATUS_LABELS[i.status]}</span></td>
                      <td class="n">{i.costAtStake === null ? '—' : money(i.costAtStake, i.currency)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <Show when={next().length > NEXT_SHOWN}><div class="muted">…and {next().length - NEXT_SHOWN} more in the Renewals tab.</div></Show>
          </Show>
        </section>
        <div class="io-charts">
          <Show when={summary().costByPublisher.length} fallback={<div class="io-empty">No shortfall cost.</div>}>
            <Chart option={costByPublisherChart(summary())} height={Math.min(520, 80 + 22 * Math.min(25, summary().costByPublisher.length))} testId="chart-cost" />
          </Show>
          <Show when={summary().positions.length} fallback={<div class="io-empty">No positions.</div>}>
            <Chart option={consumedVsPurchasedChart(summary())} height={560} testId="chart-positions" />
          </Show>
          <Show when={summary().categories.length} fallback={<div class="io-empty">No hardware.</div>}>
            <Chart option={unitsByCategoryChart(summary())} height={340} testId="chart-hardware" />
          </Show>
        </div>
      </Show>
    </div>
  );
}
