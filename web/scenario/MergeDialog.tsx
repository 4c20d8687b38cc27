// "Apply to baseline": on the baseline's page (where its undo manager lives), the scenario's changes
// and the conflicts with what the baseline changed since the fork, each shown with both values for
// the person to choose; then one transaction (LOCAL_ORIGIN) writes it all, so one undo takes the
// merge back. Live: edits on either side meanwhile update the plan.

import { For, Show, createSignal, onCleanup } from 'solid-js';
import { applyMerge, planMerge, type Choice, type Conflict, type MergePlan, type MergeSummary } from '../../worker/scenario/merge';
import { LayeredReader } from '../../worker/scenario/reader';
import { LOCAL_ORIGIN } from '../doc-adapter';
import type { Session } from '../state/session';
import { findWorkspace } from '../state/workspaces';
import { ExtraSide } from './extra-side';

const show = (v: unknown): string => (v === undefined ? '(removed)' : v === null || v === '' ? '(blank)' : typeof v === 'string' ? v : JSON.stringify(v));
const rowText = (v: unknown): string => (v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== '').slice(0, 5).map(([c, x]) => `${c} ${show(x)}`).join(' · ') : show(v));

const KIND_LABEL: Record<Conflict['kind'], string> = {
  cell: 'both changed this cell',
  setting: 'both changed this setting',
  'removed-changed': 'the scenario removes this row; the baseline changed it since',
  'changed-removed': 'the scenario changes this row; the baseline removed it since',
  'own-changed': 'a row the scenario added, changed in the baseline since it was applied',
};

export function MergeDialog(props: { session: Session; scenarioId: string; onClose: () => void }) {
  const s = props.session;
  const entry = findWorkspace(props.scenarioId);
  const [plan, setPlan] = createSignal<MergePlan | null>(null);
  const [choices, setChoices] = createSignal<Record<string, Choice>>({});
  const [done, setDone] = createSignal<MergeSummary | null>(null);
  const [error, setError] = createSignal<string | null>(entry ? null : 'This scenario is not on this device.');
  let reader: LayeredReader | null = null;
  const side = entry ? new ExtraSide(entry) : null;
  const replan = () => { if (reader && !done()) setPlan(planMerge(reader)); };
  onCleanup(() => {
    s.doc.off('afterTransaction', replan);
    reader?.destroy();
    side?.destroy();
  });
  if (side) {
    void Promise.all([side.ready(), s.whenLoaded]).then(([ok]) => {
      if (!ok) return setError('This scenario could not be read (discarded, or not shared with you).');
      reader = new LayeredReader(s.wb, side.doc);
      replan();
      s.doc.on('afterTransaction', replan);
      side.doc.on('afterTransaction', replan);
    });
  }
  const choose = (id: string, c: Choice) => setChoices({ ...choices(), [id]: c });
  const chooseAll = (c: Choice) => setChoices(Object.fromEntries((plan()?.conflicts ?? []).map((x) => [x.id, c])));
  const missing = () => (plan()?.conflicts ?? []).filter((c) => !choices()[c.id]).length;
  const apply = (): void => {
    if (!reader || s.readOnly) return;
    try {
      setDone(applyMerge(reader, choices(), LOCAL_ORIGIN));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const counts = () => {
    const c = plan()?.changes;
    if (!c) return '';
    const n = (k: 'added' | 'removed' | 'cells') => c.sheets.reduce((t, x) => t + x[k].length, 0);
    const of = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
    return [of(n('cells'), 'cell changed', 'cells changed'), of(n('added'), 'row added', 'rows added'), of(n('removed'), 'row removed', 'rows removed'), of(c.settings.length, 'setting', 'settings')].join(' · ');
  };
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="modal merge-dialog" role="dialog" aria-label="Apply scenario" data-testid="merge-dialog">
        <header><h2>Apply “{entry?.name ?? props.scenarioId}” to “{findWorkspace(s.entry.id)?.name ?? s.entry.name}”</h2><button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button></header>
        <Show when={!error()} fallback={<p class="error">{error()}</p>}>
          <Show when={done()} fallback={
            <Show when={plan()} fallback={<p class="muted">Reading the scenario…</p>}>
              <Show when={!s.readOnly} fallback={<p class="error">You can only view this workspace: someone with edit rights on it can apply the scenario.</p>}>
                <p>The scenario's changes: <b data-testid="merge-counts">{counts()}</b>. What the baseline changed since the fork is kept.</p>
                <Show when={plan()!.conflicts.length > 0}>
                  <p class="warning" data-testid="merge-conflicts">
                    {plan()!.conflicts.length} {plan()!.conflicts.length === 1 ? 'change was' : 'changes were'} made on both sides. Choose which to keep:
                    <button type="button" class="link" onClick={() => chooseAll('scenario')}>all from the scenario</button> ·
                    <button type="button" class="link" onClick={() => chooseAll('baseline')}>all from the baseline</button>
                  </p>
                  <ul class="conflicts">
                    <For each={plan()!.conflicts}>
                      {(c) => (
                        <li class="conflict" data-conflict={c.id}>
                          <div><b>{c.sheet ?? 'settings'}</b> {c.rowId || c.key} {c.column ? <>· <b>{c.column}</b></> : null} <span class="muted">— {KIND_LABEL[c.kind]}{c.old !== undefined ? `; it was ${show(c.old)}` : ''}</span></div>
                          <label><input type="radio" name={c.id} checked={choices()[c.id] === 'baseline'} onChange={() => choose(c.id, 'baseline')} data-choice="baseline" /> baseline: <b>{c.column ? show(c.baseline) : rowText(c.baseline)}</b></label>
                          <label><input type="radio" name={c.id} checked={choices()[c.id] === 'scenario'} onChange={() => choose(c.id, 'scenario')} data-choice="scenario" /> scenario: <b>{c.column ? show(c.scenario) : rowText(c.scenario)}</b></label>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <div class="form-row">
                  <span class="grow" />
                  <button type="button" onClick={props.onClose}>Cancel</button>
                  <button type="button" class="primary" disabled={missing() > 0 || plan()!.changes.count === 0} onClick={apply} data-testid="confirm-merge"
                    title={missing() ? `${missing()} conflicts still need a choice` : 'One step: undo takes it back'}>Apply</button>
                </div>
              </Show>
            </Show>
          }>
            <p data-testid="merge-done">Applied: {done()!.cells} cells, {done()!.added} rows added, {done()!.removed} removed{done()!.restored ? `, ${done()!.restored} restored` : ''}{done()!.settings ? `, ${done()!.settings} settings` : ''}{done()!.kept ? `; ${done()!.kept} kept as the baseline had them` : ''}. Undo (Ctrl+Z) takes it all back.</p>
            <div class="form-row">
              <span class="grow" />
              <button type="button" onClick={() => { s.undo.undo(); props.onClose(); }} data-testid="undo-merge">Undo</button>
              <button type="button" class="primary" onClick={props.onClose}>Done</button>
            </div>
          </Show>
        </Show>
      </div>
    </div>
  );
}
