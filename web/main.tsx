// Entry: the workspace list, or one workspace, by hash route.

import { render, Show } from 'solid-js/web';
import { route } from './route';
import { findWorkspace } from './state/workspaces';
import { WorkspaceList } from './ui/WorkspaceList';
import { WorkspaceView } from './ui/WorkspaceView';
import './styles.css';

function App() {
  return (
    <Show when={route().page === 'workspace' ? (route() as { id: string }).id : null} keyed fallback={<WorkspaceList />}>
      {(id) => <WorkspaceView entry={findWorkspace(id)!} />}
    </Show>
  );
}

render(() => <App />, document.getElementById('app')!);

// The app shell is cached by a service worker so a workspace opens offline (web/public/sw.js).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* no offline shell: everything else still works */ });
}
