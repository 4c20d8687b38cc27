// The banner across a scenario: its name, its baseline (a link back), where it lives (this device,
// or shared), how many changes it makes, and its actions: apply it to the baseline (the merge opens
// on the baseline, where undo takes it back), discard it.

import { For, Show, createResource, createSignal, type Accessor } from 'solid-js';
import type { ScenarioChanges } from '../../worker/scenario/changes';
import { findWorkspace } from '../state/workspaces';
import { discardScenario, issuedLinks, seenPeople } from './actions';
import type { ScenarioSession } from './session';

export function ScenarioBanner(props: { session: ScenarioSession; changes: Accessor<ScenarioChanges>; onChanges: () => void }) {
  const s = props.session;
  const [discarding, setDiscarding] = createSignal(false);
  const baseline = () => findWorkspace(s.baseline.entry.id) ?? s.baseline.entry;
  const entry = () => findWorkspace(s.entry.id) ?? s.entry;
  const canApply = () => baseline().role !== 'view';
  return (
    <div class="scenario-banner" role="region" aria-label="Scenario" data-testid="scenario-banner">
      <span class="scenario-tag">Scenario</span>
      <span>what-if of <a href={`#/w/${baseline().id}`} data-testid="scenario-baseline">{baseline().name}</a></span>
      <span class="muted">·</span>
      <span class="muted" data-testid="scenario-where">{entry().token ? `shared (${entry().role === 'edit' ? 'can edit' : 'can view'})` : 'on this device only'}</span>
      <span class="muted">·</span>
      <button type="button" class="link" onClick={props.onChanges} data-testid="scenario-change-count">
        {props.changes().count} {props.changes().count === 1 ? 'change' : 'changes'}
      </button>
      <span class="grow" />
      <a class="button primary" classList={{ disabled: !canApply() || props.changes().count === 0 }} data-testid="apply-scenario"
        href={canApply() ? `#/w/${baseline().id}?merge=${encodeURIComponent(s.entry.id)}` : undefined}
        title={canApply() ? 'Write these changes into the baseline (one step, undoable there)' : 'You can only view the baseline: someone with edit rights on it can apply this scenario'}>
        Apply to baseline…
      </a>
      <button type="button" class="danger" onClick={() => setDiscarding(true)} data-testid="discard-scenario">Discard…</button>
      <Show when={discarding()}><DiscardDialog session={s} onClose={() => setDiscarding(false)} /></Show>
    </div>
  );
}

function DiscardDialog(props: { session: ScenarioSession; onClose: () => void }) {
  const s = props.session;
  const entry = findWorkspace(s.entry.id) ?? s.entry;
  const shared = !!entry.token;
  const [links] = createResource(() => (shared ? issuedLinks(entry) : Promise.resolve(null)));
  const people = [...new Set([...seenPeople(entry.id), ...s.peers().map((p) => p.user.name)])];
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const go = async (relay: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    const baseline = s.baseline.entry.id;
    try {
      await discardScenario(s, { relay });
      location.hash = `#/w/${baseline}`;
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  const day = (t: number) => new Date(t * 1000).toLocaleDateString();
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="modal" role="dialog" aria-label="Discard scenario" data-testid="discard-dialog">
        <header><h2>Discard “{entry.name}”?</h2><button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button></header>
        <Show when={shared} fallback={<p>It is on this device only: it is removed from here, with its changes. The baseline is not touched.</p>}>
          <Show when={entry.role === 'edit'} fallback={<p>It is shared and you can only view it: it is removed from this device; others keep it.</p>}>
            <p class="warning" data-testid="discard-warning">
              It is shared: it is also removed from the relay, and every link to it stops working.
            </p>
            <Show when={links()} fallback={<p class="muted">{links.loading ? 'Listing its links…' : 'Its links cannot be listed (offline?).'}</p>}>
              <p>Links made: <For each={links()!}>{(l, i) => <>{i() ? ', ' : ''}<b>{l.role === 'edit' ? 'edit' : 'view'}</b> link of {day(l.issuedAt)}{l.expiresAt ? ` (expires ${day(l.expiresAt)})` : ''}</>}</For>.</p>
            </Show>
            <p data-testid="discard-people">{people.length ? <>People who had it open: <b>{people.join(', ')}</b>.</> : 'Nobody else has been seen in it from this device.'}</p>
          </Show>
        </Show>
        <Show when={error()}><p class="error">{error()}</p></Show>
        <div class="form-row">
          <span class="grow" />
          <button type="button" onClick={props.onClose}>Cancel</button>
          <Show when={shared && entry.role === 'edit'}>
            <button type="button" disabled={busy()} onClick={() => void go(false)} title="Others keep it on the relay">Remove from this device only</button>
          </Show>
          <button type="button" class="primary danger-fill" disabled={busy()} onClick={() => void go(true)} data-testid="confirm-discard">
            {shared && entry.role === 'edit' ? 'Discard everywhere' : 'Discard'}
          </button>
        </div>
      </div>
    </div>
  );
}
