// Hash routes: `#/` (workspace list) and `#/w/<workspace>?token=<token>` (a workspace; the token
// comes from a share link and is remembered in the workspace list, then dropped from the address).
// A scenario's share link also carries `base=<token>`, a token of its baseline (a scenario is read
// over its baseline); `merge=<scenario>` on a workspace opens the merge of that scenario.

import { createSignal } from 'solid-js';
import { findWorkspace, upsertWorkspace, type Role } from './state/workspaces';

export type Route = { page: 'list' } | { page: 'workspace'; id: string; merge?: string };

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
  const params = new URLSearchParams(m[2] ?? '');
  const token = params.get('token');
  const merge = params.get('merge') ?? undefined;
  const base = params.get('base');
  const baseClaims = base ? claims(base) : null;
  if (base && baseClaims?.w && /^[A-Za-z0-9_-]{1,64}$/.test(baseClaims.w)) {
    // The scenario's baseline: its token is remembered like any link's (never downgrading an edit token).
    upsertWorkspace({ id: baseClaims.w, token: base, role: baseClaims.r === 'edit' ? 'edit' : 'view', openedAt: Date.now(), name: findWorkspace(baseClaims.w)?.name ?? baseClaims.w });
    upsertWorkspace({ id, kind: 'scenario', baseline: baseClaims.w });
  }
  if (token) {
    const c = claims(token);
    const role: Role = c?.r === 'edit' ? 'edit' : 'view';
    upsertWorkspace({ id, token, role, openedAt: Date.now(), name: findWorkspace(id)?.name ?? id });
    // Keep the token out of the address bar (and out of anything that copies it from there).
    history.replaceState(null, '', `${location.pathname}${location.search}#/w/${id}`);
  } else if (merge) {
    upsertWorkspace({ id, openedAt: Date.now() });
    history.replaceState(null, '', `${location.pathname}${location.search}#/w/${id}`);
  } else if (findWorkspace(id)) {
    upsertWorkspace({ id, openedAt: Date.now() });
  } else {
    upsertWorkspace({ id, role: 'local', openedAt: Date.now() });
  }
  return { page: 'workspace', id, merge };
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
