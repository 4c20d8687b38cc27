// The changes tab of a scenario: every change against the baseline, grouped by sheet (rows added,
// rows removed, cells changed old → new) and settings, each revertible on its own (one undoable
// edit). A change the baseline has moved on from since (a conflict at merge) says what the baseline
// holds now. A click on a row or cell shows it in its sheet.

import { For, Show, type Accessor } from 'solid-js';
import type { ScenarioChanges } from '../../worker/scenario/changes';
import { revertAdded, revertCell, revertRemoval, revertSetting } from '../../worker/scenario/changes';
import { LOCAL_ORIGIN } from '../doc-adapter';
import type { Link } from '../ui/Panels';
import type { ScenarioSession } from './session';

const MAX_LISTED = 500;
const show = (v: unknown): string => (v === undefined || v === null || v === '' ? '(blank)' : typeof v === 'string' ? v : JSON.stringify(v));
const summary = (cells: Record<string, unknown>): string => Object.entries(cells).filter(([c, v]) => c !== 'id' && v !== null && v !== '').slice(0, 4).map(([c, v]) => `${c} ${show(v)}`).join(' · ');

export function ChangesView(props: { session: ScenarioSession; changes: Accessor<ScenarioChanges>; visible: boolean; onLink: (l: Link) => void }) {
  const s = props.session;
  const r = s.layered;
  const act = (fn: () => void) => { if (!s.readOnly) fn(); };
  return (
    <div class="sheet changes-view" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet="changes">
      <div class="toolbar">
        <span class="hint">What this scenario changes against its baseline. Revert any change on its own; undo (Ctrl+Z) brings it back.</span>
        <span class="sep" />
        <button type="button" onClick={() => s.undo.undo()} disabled={s.readOnly}>Undo</button>
        <button type="button" onClick={() => s.undo.redo()} disabled={s.readOnly}>Redo</button>
      </div>
      <div class="changes-body">
        <Show when={props.changes().sheets.length + props.changes().settings.length > 0} fallback={<p class="muted">No changes yet: edit any sheet or setting of this scenario, and the changes show here.</p>}>
          <For each={props.changes().sheets}>
            {(sh) => (
              <section class="changes-sheet" data-changes-sheet={sh.sheet}>
                <h3>{sh.sheet} <span class="muted small">{[sh.added.length && `${sh.added.length} added`, sh.removed.length && `${sh.removed.length} removed`, sh.cells.length && `${sh.cells.length} ${sh.cells.length === 1 ? 'cell' : 'cells'} changed`].filter(Boolean).join(' · ')}</span></h3>
                <ul>
                  <For each={sh.added.slice(0, MAX_LISTED)}>
                    {(a) => (
                      <li class="change added" data-change="added" data-key={a.key}>
                        <span class="kind">added</span>
                        <button type="button" class="link" onClick={() => props.onLink({ sheet: sh.sheet, key: a.key })}>{a.id || a.key}</button>
                        <span class="muted">{summary(a.cells)}</span>
                        <Show when={a.inBaseline}><span class="badge">in the baseline</span></Show>
                        <span class="grow" />
                        <button type="button" class="revert" disabled={s.readOnly} onClick={() => act(() => revertAdded(r, sh.sheet, a.key, LOCAL_ORIGIN))}>Revert</button>
                      </li>
                    )}
                  </For>
                  <For each={sh.removed.slice(0, MAX_LISTED)}>
                    {(x) => (
                      <li class="change removed" data-change="removed" data-key={x.key}>
                        <span class="kind">removed</span>
                        <span>{x.id || x.key}</span>
                        <span class="muted">{summary(x.cells)}</span>
                        <Show when={x.changedSince}><span class="badge conflict" title="The baseline changed this row after the scenario removed it">changed in the baseline since</span></Show>
                        <span class="grow" />
                        <button type="button" class="revert" disabled={s.readOnly} onClick={() => act(() => revertRemoval(r, sh.sheet, x.key, LOCAL_ORIGIN))}>Revert</button>
                      </li>
                    )}
                  </For>
                  <For each={sh.cells.slice(0, MAX_LISTED)}>
                    {(c) => (
                      <li class="change cell" data-change="cell" data-key={c.key} data-column={c.column}>
                        <span class="kind">changed</span>
                        <button type="button" class="link" onClick={() => props.onLink({ sheet: sh.sheet, key: c.key, col: c.column })}>{c.id || c.key}</button>
                        <span><b>{c.column}</b>: <s class="old">{show(c.old)}</s> → <span class="new">{show(c.value)}</span></span>
                        <Show when={c.inBaseline}><span class="badge">in the baseline</span></Show>
                        <Show when={c.conflict}>
                          <span class="badge conflict" title="The baseline changed this cell since: merging asks which value to keep">
                            {c.rowRemovedInBaseline ? 'row removed in the baseline since' : `baseline now: ${show(c.now)}`}
                          </span>
                        </Show>
                        <span class="grow" />
                        <button type="button" class="revert" disabled={s.readOnly} onClick={() => act(() => revertCell(r, sh.sheet, c.key, c.column, LOCAL_ORIGIN))}>Revert</button>
                      </li>
                    )}
                  </For>
                  <Show when={Math.max(sh.added.length, sh.removed.length, sh.cells.length) > MAX_LISTED}>
                    <li class="muted">…the first {MAX_LISTED} of each kind are listed.</li>
                  </Show>
                </ul>
              </section>
            )}
          </For>
          <Show when={props.changes().settings.length}>
            <section class="changes-sheet" data-changes-sheet="settings">
              <h3>settings</h3>
              <ul>
                <For each={props.changes().settings}>
                  {(x) => (
                    <li class="change cell" data-change="setting" data-key={x.key}>
                      <span class="kind">changed</span>
                      <button type="button" class="link" onClick={() => props.onLink({ sheet: 'settings' })}>{x.key}</button>
                      <span><s class="old">{show(x.old)}</s> → <span class="new">{x.value === undefined ? '(default)' : show(x.value)}</span></span>
                      <Show when={x.inBaseline}><span class="badge">in the baseline</span></Show>
                      <Show when={x.conflict}><span class="badge conflict">baseline now: {show(x.now)}</span></Show>
                      <span class="grow" />
                      <button type="button" class="revert" disabled={s.readOnly} onClick={() => act(() => revertSetting(r, x.key, LOCAL_ORIGIN))}>Revert</button>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </Show>
      </div>
    </div>
  );
}
