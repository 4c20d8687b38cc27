// While a workspace's document loads (a million rows take a few seconds), the license positions it
// last had: the results stored beside the document (worker/store/results-cache.ts), largest
// shortfall first, under the same "being brought up to date" mark as everywhere else. Plain HTML,
// not a grid: it shows within a frame of the stored results being read, and goes when the workspace
// opens. Nothing here is shown without the mark: before any stored results, only "Opening…".

import { For, Show, createMemo } from 'solid-js';
import type { Session } from '../state/session';
import { formatNumber, statusLabel } from './format';

/** How many positions the opening view lists. */
const SHOWN = 40;

export function OpeningPositions(props: { session: Session }) {
  const r = props.session.results;
  const rows = createMemo(() => {
    r.positionsTick();
    if (!r.cachedAt[0]()) return [];
    return [...r.positions.values()].sort((a, b) => b.shortfallCost - a.shortfallCost || a.key.localeCompare(b.key)).slice(0, SHOWN);
  });
  return (
    <div class="loading opening">
      <div>Opening workspace…</div>
      <Show when={rows().length > 0}>
        <p class="muted">License positions as the last session left them ({formatNumber(r.positions.size)} in all), being brought up to date:</p>
        <table class="opening-positions results-cached-table" data-testid="opening-positions">
          <thead><tr><th>publisher</th><th>product</th><th>metric</th><th class="num">purchased</th><th class="num">consumed</th><th>status</th><th class="num">shortfall cost</th></tr></thead>
          <tbody>
            <For each={rows()}>
              {(p) => (
                <tr>
                  <td>{p.publisher}</td><td>{p.product}{p.version ? ` ${p.version}` : ''}</td><td>{p.metric}</td>
                  <td class="num">{formatNumber(p.purchased)}</td><td class="num">{formatNumber(p.consumed)}</td>
                  <td><span class={`status status-${p.status}`}>{statusLabel(p.status)}</span></td>
                  <td class="num">{p.shortfallCost ? `${formatNumber(p.shortfallCost, 2)} ${p.currency}` : ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </div>
  );
}
