// Side panels: the explanation of one position (every contribution, each linking to its row) and
// the list of problems (each linking to its cell).

import { For, Show, createMemo, createResource } from 'solid-js';
import type { Session } from '../state/session';
import type { Problem } from '../../engine/cells';
import { formatNumber, statusLabel } from './format';
import { inactiveReason, positionRightsNote } from '../../io/report/renewals';
import { positionLabel } from '../../io/report/summary';
import './renewals.css';

export interface Link {
  sheet: string;
  key?: string;
  id?: string;
  col?: string;
}

export function ExplainPanel(props: { session: Session; positionKey: string; onClose: () => void; onLink: (l: Link) => void }) {
  const position = createMemo(() => {
    props.session.results.positionsTick();
    return props.session.results.positions.get(props.positionKey);
  });
  // Re-asked whenever the position's results change.
  const [contribs] = createResource(() => [props.positionKey, position()] as const, ([k]) => props.session.explain(k));
  return (
    <aside class="panel" aria-label="Explanation">
      <header>
        <h2>Why this position</h2>
        <button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button>
      </header>
      <Show when={position()} fallback={<p class="muted">This position no longer exists.</p>}>
        {(p) => (
          <div class="explain-head">
            <div class="explain-title">{positionLabel(p())} <span class="muted">· {p().metric}</span></div>
            <div class="explain-figures">
              <span class={`status status-${p().status}`}>{statusLabel(p().status)}</span>
              <span>purchased <b>{formatNumber(p().purchased)}</b></span>
              <span>consumed <b>{formatNumber(p().consumed)}</b></span>
              <span>available <b classList={{ negative: p().available < 0 }}>{formatNumber(p().available)}</b></span>
            </div>
            <Show when={p().flags.length}><div class="muted">flags: {p().flags.join(', ')}</div></Show>
            <Show when={positionRightsNote(p())} fallback={
              <For each={(p().rights ?? []).filter((r) => r.state !== 'active')}>
                {(r) => <div class="right-inactive small" data-testid="right-inactive">{r.id} does not count today: {inactiveReason(r)}</div>}
              </For>
            }>
              {(note) => <div class="rights-note" data-testid="rights-note">{note()}</div>}
            </Show>
          </div>
        )}
      </Show>
      <div class="panel-list" role="list">
        <Show when={!contribs.loading || contribs()} fallback={<p class="muted">Loading…</p>}>
          <Show when={(contribs() ?? []).length} fallback={<p class="muted">No contributions: nothing consumes this position.</p>}>
            <div class="muted count">{(contribs() ?? []).length} contributions</div>
            <For each={(contribs() ?? []).slice(0, 2000)}>
              {(c) => {
                const slash = c.ref.indexOf('/');
                const sheet = c.ref.slice(0, slash), id = c.ref.slice(slash + 1);
                // A moved shortfall names the other position: shown by its name, it opens that one's explanation.
                const other = sheet === 'positions' ? props.session.results.positions.get(id) : undefined;
                return (
                  <button type="button" role="listitem" class="contrib" classList={{ move: sheet === 'positions' }} onClick={() => props.onLink({ sheet, id })}
                    data-testid={sheet === 'positions' ? 'contrib-move' : undefined}>
                    <span class="amount">{formatNumber(c.amount, Number.isInteger(c.amount) ? 0 : 2)}</span>
                    <span class="ref">{other ? `position ${positionLabel(other)} (${other.metric})` : c.ref}</span>
                    <span class="why">{c.why}</span>
                  </button>
                );
              }}
            </For>
          </Show>
        </Show>
      </div>
    </aside>
  );
}

const MAX_LISTED = 1000;

export function ProblemsPanel(props: { session: Session; onClose: () => void; onLink: (l: Link) => void }) {
  const all = createMemo(() => {
    props.session.results.problemsTick();
    const out: Problem[] = [...props.session.results.settingsProblems];
    for (const list of props.session.results.problems.values()) out.push(...list);
    return out;
  });
  return (
    <aside class="panel" aria-label="Problems">
      <header>
        <h2>Problems <span class="muted">({all().length})</span></h2>
        <button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button>
      </header>
      <p class="muted small">Cells that do not read as their column's type, duplicate ids and broken references. The value stays as typed; the row is reconciled without it.</p>
      <div class="panel-list" role="list">
        <For each={all().slice(0, MAX_LISTED)}>
          {(p) => (
            <button type="button" role="listitem" class="problem" onClick={() => props.onLink({ sheet: p.sheet, key: p.key === undefined ? undefined : String(p.key), id: p.rowId, col: p.column })}>
              <span class="where">{p.sheet} · {p.rowId || '—'} · {p.column}</span>
              <span class="msg">{p.message}</span>
            </button>
          )}
        </For>
        <Show when={all().length > MAX_LISTED}><p class="muted">…and {all().length - MAX_LISTED} more.</p></Show>
      </div>
    </aside>
  );
}
