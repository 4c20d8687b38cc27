// Entry: the workspace list, or one workspace (or one scenario of a workspace), by hash route.

import { Show, onCleanup, onMount } from 'solid-js';
import { render } from 'solid-js/web';
import { route } from './route';
import { findWorkspace, type WorkspaceEntry } from './state/workspaces';
import { baselineSession, closeSessions } from './state/open-sessions';
import { ScenarioSession } from './scenario/session';
import { WorkspaceList } from './ui/WorkspaceList';
import { WorkspaceView } from './ui/WorkspaceView';
import { LinkProblem } from './ui/LinkProblem';
import { formatNumber } from './ui/format';
import { nextTask } from './state/doc-store';
import './styles.css';
import './scenario/scenario.css';

/**
 * The workspace a route names, keyed by what decides how it opens: its id, whether it is a scenario
 * (and of what), and whether access to it (or to its baseline) ended.
 */
const opened = (): string | null => {
  const r = route();
  if (r.page !== 'workspace') return null;
  const e = findWorkspace(r.id);
  if (!e) return null;
  const baseline = e.kind === 'scenario' ? e.baseline ?? '' : '';
  const ended = e.ended ? 'ended' : baseline && findWorkspace(baseline)?.ended ? 'baseline-ended' : '';
  return `${e.id}\t${baseline}\t${ended}`;
};

function List() {
  onMount(closeSessions);
  return <WorkspaceList />;
}

function Workspace(props: { entry: WorkspaceEntry }) {
  const e = props.entry;
  // Access through the relay ended: the page says so (and what was kept), never the old data.
  if (e.ended) return <LinkProblem entry={e} />;
  if (e.kind !== 'scenario') {
    const r = route();
    return <WorkspaceView session={baselineSession(e)} merge={r.page === 'workspace' ? r.merge : undefined} />;
  }
  const baseline = e.baseline ? findWorkspace(e.baseline) : undefined;
  if (!baseline) return <MissingBaseline entry={e} />;
  if (baseline.ended) return <LinkProblem entry={baseline} />;
  // The baseline's session stays open beside the scenario (its document and worker serve it).
  const scenario = new ScenarioSession(e, baselineSession(baseline));
  onCleanup(() => scenario.destroy());
  return <WorkspaceView session={scenario} scenario={scenario} />;
}

function MissingBaseline(props: { entry: WorkspaceEntry }) {
  return (
    <div class="home">
      <header class="appbar"><a class="brand" href="#/">Reckon</a></header>
      <main class="home-main">
        <section class="card" data-testid="missing-baseline">
          <h1>“{props.entry.name}” is a scenario of a workspace this device does not have</h1>
          <p>A scenario is read over its baseline workspace ({props.entry.baseline ?? 'unknown'}). Open the baseline's link first, or ask for a new link to the scenario: it carries the baseline with it.</p>
          <p><a href="#/">All workspaces</a></p>
        </section>
      </main>
    </div>
  );
}

function App() {
  return (
    <Show when={opened()} keyed fallback={<List />}>
      {(key) => <Workspace entry={findWorkspace(key.split('\t')[0])!} />}
    </Show>
  );
}

// The first render in a task of its own, after the one that evaluates the bundle, and after
// number formatting has loaded its locale data (~30 ms, once): on the 1M workspace the three
// together made the open's longest task (~230 ms).
void nextTask()
  .then(() => { formatNumber(0); return nextTask(); })
  .then(() => render(() => <App />, document.getElementById('app')!));

// The app shell is cached by a service worker so a workspace opens offline (web/public/sw.js).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* no offline shell: everything else still works */ });
}
