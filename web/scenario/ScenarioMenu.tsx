// The app bar's Scenarios menu, on every workspace: "New scenario…" (also Alt+Shift+N) asks for a
// name and opens the fork at once, on this device only; the workspace's scenarios known here are
// listed to open; on a scenario, its baseline too.

import { For, Show, createSignal, onCleanup } from 'solid-js';
import { scenariosOf, type WorkspaceEntry } from '../state/workspaces';
import { forkScenario, nextScenarioName } from './actions';

/** The keyboard shortcut of "New scenario…". */
export const isNewScenarioKey = (e: KeyboardEvent): boolean => e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyN';

export function ScenarioMenu(props: { baseline: WorkspaceEntry; current: WorkspaceEntry }) {
  const [open, setOpen] = createSignal(false);
  const [naming, setNaming] = createSignal(false);
  const keydown = (e: KeyboardEvent): void => {
    if (!isNewScenarioKey(e)) return;
    e.preventDefault();
    setOpen(false);
    setNaming(true);
  };
  window.addEventListener('keydown', keydown);
  onCleanup(() => window.removeEventListener('keydown', keydown));
  const onScenario = () => props.current.id !== props.baseline.id;
  return (
    <div class="io-menu scenario-menu">
      <button type="button" onClick={() => setOpen(!open())} aria-haspopup="menu" aria-expanded={open()} data-testid="scenario-menu"
        title="What-if scenarios of this workspace (Alt+Shift+N: new scenario)">Scenarios</button>
      <Show when={open()}>
        <div class="io-menu-list" role="menu">
          <button type="button" role="menuitem" data-testid="new-scenario" onClick={() => { setOpen(false); setNaming(true); }}>
            New scenario… <span class="muted small">Alt+Shift+N</span>
          </button>
          <Show when={onScenario()}>
            <a role="menuitem" class="menu-link" href={`#/w/${props.baseline.id}`} onClick={() => setOpen(false)}>Baseline: {props.baseline.name}</a>
          </Show>
          <For each={scenariosOf(props.baseline.id)}>
            {(s) => (
              <a role="menuitem" class="menu-link" classList={{ current: s.id === props.current.id }} href={`#/w/${s.id}`} onClick={() => setOpen(false)} data-scenario={s.id}>
                {s.name}
              </a>
            )}
          </For>
        </div>
      </Show>
      <Show when={naming()}><NewScenarioDialog baseline={props.baseline} onClose={() => setNaming(false)} /></Show>
    </div>
  );
}

export function NewScenarioDialog(props: { baseline: WorkspaceEntry; onClose: () => void }) {
  let input!: HTMLInputElement;
  const create = (e: Event): void => {
    e.preventDefault();
    const name = input.value.trim() || nextScenarioName(scenariosOf(props.baseline.id));
    const entry = forkScenario(props.baseline, name);
    props.onClose();
    location.hash = `#/w/${entry.id}`;
  };
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <form class="modal" role="dialog" aria-label="New scenario" onSubmit={create}>
        <header><h2>New scenario of “{props.baseline.name}”</h2><button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button></header>
        <p class="muted">A scenario is a what-if branch of this workspace: change anything, compare it live with the workspace, and apply it back when you want. It stays on this device until you share it.</p>
        <div class="form-row">
          <input ref={(el) => { input = el; queueMicrotask(() => el.focus()); }} class="grow" value={nextScenarioName(scenariosOf(props.baseline.id))}
            aria-label="Scenario name" data-testid="scenario-name" onFocus={(e) => e.currentTarget.select()}
            onKeyDown={(e) => { if (e.key === 'Escape') props.onClose(); }} />
          <button type="submit" class="primary" data-testid="create-scenario">Create</button>
        </div>
      </form>
    </div>
  );
}
