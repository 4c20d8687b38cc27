// The explanation of one position, for a person: its figures, then what to look at first (the lines
// that raised a flag, the total, shortfall moved between positions), then every contribution,
// filtered, sorted and grouped as they choose (contributions.ts), each line naming its row by name
// and id and linking to it. Thousands of "1 copy" lines fold into one group.

import { For, Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import type { Session } from '../state/session';
import type { Link } from './Panels';
import { formatNumber, statusLabel } from './format';
import { inactiveReason, positionRightsNote } from '../../io/report/renewals';
import { positionLabel } from '../../io/report/summary';
import { arrange, type GroupBy, type Line, type SortBy } from './contributions';
import './renewals.css';

/** Lines drawn per group (the rest is counted; the filter narrows it). */
const MAX_DRAWN = 500;
/** With this many lines or fewer, groups start open: nothing to fold away. */
const OPEN_UP_TO = 60;

const FLAG_SAYS: Record<string, string> = {
  'copies-exceeded': 'more copies on a device than the entitlement allows',
  'no-factor': 'no core or PVU factor for the processor: the default was used',
  'missing-capacity': 'cores or processors missing on the device',
};

export function ExplainPanel(props: { session: Session; positionKey: string; onClose: () => void; onLink: (l: Link) => void }) {
  const position = createMemo(() => {
    props.session.results.positionsTick();
    return props.session.results.positions.get(props.positionKey);
  });
  // Re-asked whenever the position's results change.
  const [contribs] = createResource(() => [props.positionKey, position()] as const, ([k]) => props.session.explain(k));
  const [filter, setFilter] = createSignal('');
  const [sort, setSort] = createSignal<SortBy>('amount');
  const [group, setGroup] = createSignal<GroupBy>('reason');
  const laid = createMemo(() => arrange(contribs() ?? [], { filter: filter(), sort: sort(), group: group() }));
  const flagged = () => laid().first.filter((l) => l.flags?.length);

  const line = (c: Line) => {
    // A moved shortfall names the other position: shown by its name, it opens that one's explanation.
    const other = c.sheet === 'positions' ? props.session.results.positions.get(c.id) : undefined;
    return (
      <button type="button" role="listitem" class="contrib" classList={{ move: c.sheet === 'positions', flagged: !!c.flags?.length }}
        onClick={() => props.onLink({ sheet: c.sheet, id: c.id })} data-testid={c.sheet === 'positions' ? 'contrib-move' : 'contrib'} data-ref={c.ref}>
        <span class="amount">{formatNumber(c.amount, Number.isInteger(c.amount) ? 0 : 2)}</span>
        <span class="ref">
          {other ? `position ${positionLabel(other)} (${other.metric})` : c.name
            ? <><b class="contrib-name">{c.name}</b> <span class="contrib-id">{c.ref}</span></>
            : c.ref}
          <For each={c.flags ?? []}>{(f) => <span class="flag" title={FLAG_SAYS[f] ?? f}>{f}</span>}</For>
        </span>
        <span class="why">{c.why}</span>
      </button>
    );
  };

  return (
    <aside class="panel explain-panel" aria-label="Explanation">
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
            <Show when={p().available < 0}>
              <div class="explain-verdict" data-testid="explain-verdict">
                Noncompliant: {formatNumber(p().consumed)} consumed against {formatNumber(p().purchased)} purchased, {formatNumber(-p().available)} short.
                {' '}Largest consumers first below.
              </div>
            </Show>
            <Show when={p().flags.length}>
              <div class="explain-verdict warn" data-testid="explain-flags">
                Flagged: {p().flags.map((f) => FLAG_SAYS[f] ?? f).join('; ')}.
              </div>
            </Show>
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
      <div class="explain-controls">
        <input type="search" placeholder="Filter: name, id, reason…" aria-label="Filter contributions" data-testid="explain-filter"
          onInput={(e) => setFilter(e.currentTarget.value)} />
        <label>Sort <select aria-label="Sort contributions" data-testid="explain-sort" onChange={(e) => setSort(e.currentTarget.value as SortBy)}>
          <option value="amount">largest first</option><option value="name">by name</option><option value="id">by id</option>
        </select></label>
        <label>Group <select aria-label="Group contributions" data-testid="explain-group" onChange={(e) => setGroup(e.currentTarget.value as GroupBy)}>
          <option value="reason">by reason</option><option value="amount">by amount</option><option value="sheet">by kind of row</option><option value="none">none</option>
        </select></label>
      </div>
      <div class="panel-list" role="list">
        <Show when={!contribs.loading || contribs()} fallback={<p class="muted">Loading…</p>}>
          <Show when={(contribs() ?? []).length} fallback={<p class="muted">No contributions: nothing consumes this position.</p>}>
            <div class="muted count" data-testid="explain-count">
              {laid().shown === (contribs() ?? []).length ? `${laid().shown} contributions` : `${laid().shown} of ${(contribs() ?? []).length} contributions`}
            </div>
            <Show when={laid().first.length}>
              <section class="explain-first" data-testid="explain-first">
                <h3>Look here first{flagged().length ? ` · ${flagged().length} raise${flagged().length === 1 ? 's' : ''} a flag` : ''}</h3>
                <For each={laid().first}>{line}</For>
              </section>
            </Show>
            <For each={laid().groups}>
              {(g) => group() === 'none' ? (
                <>
                  <For each={g.lines.slice(0, MAX_DRAWN * 4)}>{line}</For>
                  <Show when={g.lines.length > MAX_DRAWN * 4}><p class="muted count">…and {g.lines.length - MAX_DRAWN * 4} more: filter to narrow.</p></Show>
                </>
              ) : (
                <GroupView label={g.label} count={g.lines.length} total={g.total} open={laid().groups.length === 1 || laid().shown <= OPEN_UP_TO}>
                  {() => (
                    <>
                      <For each={g.lines.slice(0, MAX_DRAWN)}>{line}</For>
                      <Show when={g.lines.length > MAX_DRAWN}><p class="muted count">…and {g.lines.length - MAX_DRAWN} more: filter to narrow.</p></Show>
                    </>
                  )}
                </GroupView>
              )}
            </For>
          </Show>
        </Show>
      </div>
    </aside>
  );
}

/** A folded group: its lines are drawn only while it is open (a group can hold thousands). */
function GroupView(props: { label: string; count: number; total: number; open: boolean; children: () => JSX.Element }) {
  const [open, setOpen] = createSignal(props.open);
  return (
    <details class="contrib-group" data-testid="contrib-group" open={open()} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span class="group-label">{props.label}</span>
        <span class="muted"> · {props.count} {props.count === 1 ? 'row' : 'rows'} · {formatNumber(props.total, Number.isInteger(props.total) ? 0 : 2)}</span>
      </summary>
      <Show when={open()}>{props.children()}</Show>
    </details>
  );
}
