// Hash routes: `#/` (workspace list) and `#/w/<workspace>?token=<token>` (a workspace; the token
// comes from a share link and is remembered in the workspace list, then dropped from the address).

import { createSignal } from 'solid-js';
import { findWorkspace, upsertWorkspace, type Role } from './state/workspaces';

export type Route = { page: 'list' } | { page: 'workspace'; id: string };

/** The role a token claims (its payload is readable; the relay checks the signature). */
function claims(token: string): { w?: string; r?: string } | null {
  try {
    const b64 = token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as { w?: string; r?: string };
  } catch {
    return null;
  }
}

function parse(hash: string): Route {
  const m = /^#\/w\/([A-Za-z0-9_-]{1,64})(?:\?(.*))?$/.exec(hash);
  if (!m) return { page: 'list' };
  const id = m[1];
  const token = new URLSearchParams(m[2] ?? '').get('token');
  if (token) {
    const c = claims(token);
    const role: Role = c?.r === 'edit' ? 'edit' : 'view';
    upsertWorkspace({ id, token, role, openedAt: Date.now(), name: findWorkspace(id)?.name ?? id });
    // Keep the token out of the address bar (and out of anything that copies it from there).
    history.replaceState(null, '', `${location.pathname}${location.search}#/w/${id}`);
  } else if (findWorkspace(id)) {
    upsertWorkspace({ id, openedAt: Date.now() });
  } else {
    upsertWorkspace({ id, role: 'local', openedAt: Date.now() });
  }
  return { page: 'workspace', id };
}

const [route, setRoute] = createSignal<Route>(parse(location.hash));
export { route };
window.addEventListener('hashchange', () => setRoute(parse(location.hash)));

/** Opens a pasted link (or a bare hash); false when it is not a workspace link. */
export function openLink(text: string): boolean {
  const i = text.indexOf('#/w/');
  if (i < 0) return false;
  location.hash = text.slice(i);
  return true;
}
