// A position's contributions on the baseline and on the scenario, side by side, each marked added,
// removed or changed (worker/scenario/contributions.ts); live as either side changes.

import { For, Show, createMemo, createResource } from 'solid-js';
import { BASE } from '../../worker/scenario/sides';
import { compareContributions, type ComparedContribution } from '../../worker/scenario/contributions';
import { formatNumber, statusLabel } from '../ui/format';
import type { Link } from '../ui/Panels';
import type { ScenarioSession } from './session';

const MARK_LABEL = { added: 'added', removed: 'removed', changed: 'changed', same: '' } as const;

export function CompareExplain(props: { session: ScenarioSession; positionKey: string; onClose: () => void; onLink: (l: Link) => void }) {
  const s = props.session;
  const base = createMemo(() => (s.baseline.results.positionsTick(), s.baseline.results.positions.get(props.positionKey)));
  const scen = createMemo(() => (s.results.positionsTick(), s.results.positions.get(props.positionKey)));
  const [list] = createResource(() => [props.positionKey, base(), scen()] as const, async ([k]) =>
    compareContributions(await s.explainSide(k, BASE), await s.explainSide(k, s.entry.id)));
  const head = () => base() ?? scen();
  const amount = (c: ComparedContribution) => {
    const b = c.base?.amount, x = c.scenario?.amount;
    if (b === undefined) return formatNumber(x ?? 0, Number.isInteger(x) ? 0 : 2);
    if (x === undefined || x === b) return formatNumber(b, Number.isInteger(b) ? 0 : 2);
    return `${formatNumber(b)} → ${formatNumber(x)}`;
  };
  return (
    <aside class="panel compare-explain" aria-label="Contributions on both sides" data-testid="compare-explain">
      <header>
        <h2>Baseline and scenario</h2>
        <button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button>
      </header>
      <Show when={head()} fallback={<p class="muted">This position no longer exists on either side.</p>}>
        <div class="explain-head">
          <div class="explain-title">{head()!.publisher} {head()!.product} <span class="muted">· {head()!.metric}</span></div>
          <div class="explain-sides">
            <For each={[['Baseline', base()], ['Scenario', scen()]] as const}>
              {([label, p]) => (
                <div>
                  <span class="muted">{label}</span>
                  <Show when={p} fallback={<span class="muted"> — no position</span>}>
                    {' '}<span class={`status status-${p!.status}`}>{statusLabel(p!.status)}</span>
                    <span> consumed <b>{formatNumber(p!.consumed)}</b> · available <b classList={{ negative: p!.available < 0 }}>{formatNumber(p!.available)}</b></span>
                  </Show>
                </div>
              )}
            </For>
          </div>
        </div>
      </Show>
      <div class="panel-list" role="list">
        <Show when={list()} fallback={<p class="muted">Loading…</p>}>
          <div class="muted count">{list()!.filter((c) => c.mark !== 'same').length} of {list()!.length} contributions differ</div>
          <For each={list()!.slice(0, 2000)}>
            {(c) => {
              const slash = c.ref.indexOf('/');
              const sheet = c.ref.slice(0, slash), id = c.ref.slice(slash + 1);
              return (
                <button type="button" role="listitem" class={`contrib mark-${c.mark}`} data-mark={c.mark} onClick={() => props.onLink({ sheet, id })}>
                  <span class="amount">{amount(c)}</span>
                  <span class="ref">{c.ref} <Show when={c.mark !== 'same'}><span class={`mark mark-${c.mark}`}>{MARK_LABEL[c.mark]}</span></Show></span>
                  <span class="why">{(c.scenario ?? c.base)!.why}<Show when={c.mark === 'changed' && c.base!.why !== c.scenario!.why}><br /><s class="muted">{c.base!.why}</s></Show></span>
                </button>
              );
            }}
          </For>
        </Show>
      </div>
    </aside>
  );
}
