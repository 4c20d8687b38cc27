// What a person does with scenarios outside the document: fork one (a list entry and a route: the
// scenario's document gets its meta when its session first opens, so forking reads and copies
// nothing), find the baseline token a shared scenario's link carries, list who had its links, and
// discard it (from this device, and from the relay if it was shared).

import { clearStored } from '../state/doc-store';
import { SHEETS } from '../../engine/schema';
import { SETTINGS_BASE } from '../../worker/scenario/layout';
import { dbName, findWorkspace, localWorkspaceId, removeWorkspace, upsertWorkspace, type WorkspaceEntry } from '../state/workspaces';
import type { ScenarioSession } from './session';
import type { SavingsEdit } from '../../engine/savings/types';

/** Scenarios forked in this page and not opened yet: their IndexedDB database is still empty. */
const fresh = new Set<string>();

/** A new scenario of `baseline`, on this device only; returns its entry (open `#/w/<id>`). */
export function forkScenario(baseline: WorkspaceEntry, name: string): WorkspaceEntry {
  const entry = upsertWorkspace({
    id: localWorkspaceId(), name, role: 'local', kind: 'scenario', baseline: baseline.id,
    forkedAt: new Date().toISOString(), openedAt: Date.now(),
  });
  fresh.add(entry.id);
  return entry;
}

/** Savings acted on (engine/savings/edits.ts) waiting for their new scenario's first open. */
const savingsToApply = new Map<string, SavingsEdit[]>();

/**
 * A new scenario of `baseline` holding the row changes of chosen savings (reclaim candidates, a
 * plan): forked like any scenario; the changes are written when it first opens, and it opens on
 * its Compare tab.
 */
export function forkWithSavings(baseline: WorkspaceEntry, name: string, edits: readonly SavingsEdit[]): WorkspaceEntry {
  const entry = forkScenario(baseline, name);
  savingsToApply.set(entry.id, [...edits]);
  opensOnCompare.add(entry.id);
  return entry;
}

/** The savings edits waiting for this scenario (taken: they are written once). */
export function takeSavingsEdits(id: string): SavingsEdit[] | undefined {
  const e = savingsToApply.get(id);
  savingsToApply.delete(id);
  return e;
}

const opensOnCompare = new Set<string>();

/** Whether this scenario was just forked from savings (true once: its view opens on Compare). */
export function forkedFromSavings(id: string): boolean {
  return opensOnCompare.delete(id);
}

/** Whether a scenario was just forked here (true once: its first open need not wait for IndexedDB). */
export function takeFresh(id: string): boolean {
  return fresh.delete(id);
}

/** A name for the next scenario of a workspace. */
export function nextScenarioName(existing: readonly WorkspaceEntry[]): string {
  const names = new Set(existing.map((e) => e.name));
  for (let n = existing.length + 1; ; n++) if (!names.has(`Scenario ${n}`)) return `Scenario ${n}`;
}

/**
 * The baseline token a scenario's share link carries (the recipient reads the scenario over its
 * baseline): a view token minted with the baseline's edit token, or the view token held here.
 */
export async function baselineTokenForLink(baselineId: string): Promise<{ token: string } | { error: string }> {
  const b = findWorkspace(baselineId);
  if (!b?.token) return { error: 'Its baseline is on this device only: share the baseline first (the scenario is read over it).' };
  if (b.role !== 'edit') return { token: b.token };
  try {
    const r = await fetch('/api/share', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` },
      body: JSON.stringify({ workspace: baselineId, role: 'view' }),
    });
    const j = (await r.json()) as { token?: string; error?: string };
    return j.token ? { token: j.token } : { error: j.error ?? `HTTP ${r.status}` };
  } catch {
    return { error: 'The relay cannot be reached (offline?).' };
  }
}

export interface IssuedLink {
  id: string;
  role: 'edit' | 'view';
  issuedAt: number;
  expiresAt: number | null;
}

/** The links issued for a shared scenario (needs its edit token); null when they cannot be listed. */
export async function issuedLinks(entry: WorkspaceEntry): Promise<IssuedLink[] | null> {
  if (entry.role !== 'edit' || !entry.token) return null;
  try {
    const r = await fetch('/api/tokens', { headers: { authorization: `Bearer ${entry.token}` } });
    if (!r.ok) return null;
    return ((await r.json()) as { tokens: IssuedLink[] }).tokens;
  } catch {
    return null;
  }
}

const SEEN_KEY = (id: string) => `reckon.seen.${id}`;

/** Names of the people seen in a shared scenario from this device (kept for the discard warning). */
export function seenPeople(id: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(SEEN_KEY(id)) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function noteSeen(id: string, names: readonly string[]): void {
  const all = new Set([...seenPeople(id), ...names]);
  localStorage.setItem(SEEN_KEY(id), JSON.stringify([...all].slice(0, 100)));
}

/**
 * Discards a scenario. Shared, with its edit token: its document is emptied on the relay (every
 * layer cleared and synced: the relay keeps no row of it) and every link to it is revoked, this
 * device's last. Then it leaves this device (list entry and IndexedDB). A relay that cannot be
 * reached refuses the discard of a shared scenario (`relay: false` removes it from this device only).
 */
export async function discardScenario(session: ScenarioSession, options: { relay: boolean }): Promise<void> {
  const entry = findWorkspace(session.entry.id) ?? session.entry;
  if (options.relay && entry.token && entry.role === 'edit') {
    const doc = session.doc;
    doc.transact(() => {
      for (const name of ['meta', 'settings', SETTINGS_BASE]) doc.getMap(name).clear();
      for (const s of SHEETS) {
        for (const part of ['cells', 'deleted', 'rows', 'base']) doc.getMap(`${s}/${part}`).clear();
        const chunks = doc.getArray(`${s}/chunks`);
        if (chunks.length) chunks.delete(0, chunks.length);
      }
    });
    await untilSaved(session);
    const links = await issuedLinks(entry);
    if (!links) throw new Error('The relay cannot be reached (offline?): the scenario stays. Discard it again when online, or remove it from this device only.');
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${entry.token}` };
    const who = await (await fetch('/api/whoami', { headers: auth })).json() as { tokenId?: string };
    for (const l of [...links.filter((x) => x.id !== who.tokenId), ...links.filter((x) => x.id === who.tokenId)]) {
      await fetch('/api/revoke', { method: 'POST', headers: auth, body: JSON.stringify({ tokenId: l.id }) });
    }
  }
  removeWorkspace(entry.id);
  localStorage.removeItem(SEEN_KEY(entry.id));
  session.destroy();
  await clearStored(dbName(entry.id));
}

/** Resolves once the relay has every local update (the sync status says "saved"), or fails after a while. */
function untilSaved(session: ScenarioSession): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const check = () => {
      if (session.status() === 'saved') return resolve();
      if (Date.now() - t0 > 15_000) return reject(new Error('The relay did not confirm the discard (offline?): the scenario stays.'));
      setTimeout(check, 100);
    };
    setTimeout(check, 50);
  });
}
