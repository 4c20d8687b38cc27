// The dashboard: positions by status, shortfall cost per currency, hardware units, and three charts
// (shortfall cost by publisher, consumed against purchased per position, hardware units per
// category). It follows the results as patches arrive.

import { For, Show, createMemo } from 'solid-js';
import { consumedVsPurchasedChart, costByPublisherChart, unitsByCategoryChart } from '../../io/report/charts';
import { STATUSES, STATUS_LABELS, money, num } from '../../io/report/summary';
import type { Session } from '../state/session';
import { Chart } from './Chart';
import { asOfOf, trackedSummary } from './results';
import './io.css';

export function Dashboard(props: { session: Session }) {
  const summary = createMemo(() => trackedSummary(props.session.results, asOfOf({ get: (k) => props.session.setting(k) })));
  const ready = () => props.session.results.ready[0]();
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
          <div class="io-card" data-testid="hardware-units">
            <span>Hardware units</span>
            <b>{num(summary().hardwareUnits)}<Show when={summary().otUnits}> <small>+ {num(summary().otUnits)} OT</small></Show></b>
          </div>
        </div>
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
