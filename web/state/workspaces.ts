// The workspaces this browser knows: a small list in localStorage (name, role, share token).
// The documents themselves live in IndexedDB, one database per workspace (`reckon:<id>`).
// Tokens are kept here because a link is how one gets them; nothing else stores them.

import { createSignal } from 'solid-js';

export type Role = 'edit' | 'view' | 'local';

export interface WorkspaceEntry {
  id: string;
  name: string;
  role: Role;
  /** Share token for the relay; absent for a local-only workspace (made without the relay). */
  token?: string;
  openedAt: number;
  /** A scenario (a what-if branch of another workspace: worker/scenario/), listed under its baseline. */
  kind?: 'scenario';
  /** A scenario's baseline workspace id. */
  baseline?: string;
  /** When the scenario was forked (ISO time). */
  forkedAt?: string;
  /**
   * Access through the relay ended (the link was revoked or expired): the workspace no longer opens
   * here (its page says why). `kept`: changes the relay never received are kept on this device,
   * hidden, until the person opens a new link, downloads or discards them; otherwise the copy was
   * deleted (session.ts `endAccess`). A new link to the workspace clears it.
   */
  ended?: { kind: 'revoked' | 'expired'; at: number; kept: boolean };
}

const KEY = 'reckon.workspaces';

function load(): WorkspaceEntry[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as WorkspaceEntry[]) : [];
  } catch {
    return [];
  }
}

const [list, setList] = createSignal<WorkspaceEntry[]>(load());
export const workspaces = list;

function save(next: WorkspaceEntry[]): void {
  setList(next);
  localStorage.setItem(KEY, JSON.stringify(next));
}

// Another tab changed the list: follow it.
if (typeof window !== 'undefined') window.addEventListener('storage', (e) => { if (e.key === KEY) setList(load()); });

export function findWorkspace(id: string): WorkspaceEntry | undefined {
  return list().find((w) => w.id === id);
}

export function upsertWorkspace(entry: Partial<WorkspaceEntry> & { id: string }): WorkspaceEntry {
  const old = findWorkspace(entry.id);
  const merged: WorkspaceEntry = { name: entry.id, role: 'local', openedAt: Date.now(), ...old, ...entry };
  // An edit token is never replaced by a view token of the same workspace (a view link opened
  // after an edit link keeps edit rights), but a view entry is upgraded by an edit link. A link
  // opened after access ended replaces the dead one, whatever its role.
  if (old?.role === 'edit' && entry.role === 'view' && old.token && !old.ended) {
    merged.role = 'edit';
    merged.token = old.token;
  }
  if (entry.token) delete merged.ended;
  save([merged, ...list().filter((w) => w.id !== entry.id)]);
  return merged;
}

export function renameWorkspace(id: string, name: string): void {
  save(list().map((w) => (w.id === id ? { ...w, name } : w)));
}

/** The scenarios of a workspace known here, newest first. */
export function scenariosOf(id: string): WorkspaceEntry[] {
  return list().filter((w) => w.kind === 'scenario' && w.baseline === id).sort((a, b) => (b.forkedAt ?? '').localeCompare(a.forkedAt ?? ''));
}

export function removeWorkspace(id: string): void {
  save(list().filter((w) => w.id !== id));
}

export const dbName = (id: string): string => `reckon:${id}`;

/** Mints a workspace on the relay; null when the relay cannot be reached (offline). */
export async function mintWorkspace(): Promise<{ workspace: string; token: string } | null> {
  try {
    const r = await fetch('/api/workspaces', { method: 'POST' });
    if (!r.ok) return null;
    return (await r.json()) as { workspace: string; token: string };
  } catch {
    return null;
  }
}

/**
 * Claims a workspace made offline on the relay (POST /api/workspaces {workspace}): its edit token,
 * or why not. The relay refuses an id it already knows, so only the first claim of an id succeeds.
 */
export async function claimWorkspace(id: string): Promise<{ token: string } | { error: 'unreachable' | 'taken' | 'refused' }> {
  try {
    const r = await fetch('/api/workspaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: id }) });
    if (r.status === 409) return { error: 'taken' };
    if (!r.ok) return { error: 'refused' };
    return { token: ((await r.json()) as { token: string }).token };
  } catch {
    return { error: 'unreachable' };
  }
}

/**
 * A workspace id for a local-only workspace (same alphabet as the relay's). 128 random bits, like
 * the relay's own ids: the id becomes the relay's room id if the workspace is shared later.
 */
export function localWorkspaceId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return 'local-' + btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
