// Side panels: the list of problems (each linking to its cell); the explanation of one position is
// in ExplainPanel.tsx.

import { For, Show, createMemo } from 'solid-js';
import type { Session } from '../state/session';
import type { Problem } from '../../engine/cells';

export interface Link {
  sheet: string;
  key?: string;
  id?: string;
  col?: string;
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

export { ExplainPanel } from './ExplainPanel';
