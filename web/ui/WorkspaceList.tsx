// The workspaces this browser knows: open, create, rename, duplicate, delete, open by link. A
// workspace's scenarios are listed under it. Workspaces the relay's operator publishes (GET
// /api/public: `npm start`'s demo) are offered too, so a first visit has something to open; opening
// one asks the relay for this visitor's own view link.

import { For, Show, createResource, createSignal } from 'solid-js';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { applyJournal, clearStored } from '../state/doc-store';
import {
  dbName, localWorkspaceId, mintWorkspace, removeWorkspace, renameWorkspace, upsertWorkspace, workspaces, type WorkspaceEntry,
} from '../state/workspaces';
import { openLink } from '../route';
import { SCHEMA_VERSION } from '../../worker/doc/model';
import { addCatalogue } from '../../worker/doc/catalogue';

/** Writes a name into a workspace's stored document (meta.name), without opening it in a view. */
async function withStoredDoc(id: string, fn: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc();
  const p = new IndexeddbPersistence(dbName(id), doc);
  await p.whenSynced;
  fn(doc);
  // y-indexeddb writes each update as it happens; wait for the write to be committed.
  await new Promise((r) => setTimeout(r, 50));
  await p.destroy();
  doc.destroy();
}

async function createWorkspace(name: string, options: { catalogue: boolean }): Promise<WorkspaceEntry> {
  const minted = await mintWorkspace();
  const entry = minted
    ? upsertWorkspace({ id: minted.workspace, token: minted.token, role: 'edit', name })
    : upsertWorkspace({ id: localWorkspaceId(), role: 'local', name });
  await withStoredDoc(entry.id, (d) => {
    d.getMap('meta').set('schema', SCHEMA_VERSION);
    d.getMap('meta').set('name', name);
    // A new workspace starts with the default normalization catalogue, which people then edit.
    if (options.catalogue) addCatalogue(d);
  });
  return entry;
}

/**
 * A copy of a workspace on this device only: a copy is never uploaded, whether or not its original
 * was shared (only an explicit share puts a workspace on the relay). A scenario's copy is another
 * scenario of the same baseline.
 */
export async function duplicate(src: WorkspaceEntry): Promise<WorkspaceEntry> {
  const copy = upsertWorkspace({
    id: localWorkspaceId(), role: 'local', name: `${src.name} (copy)`, openedAt: Date.now(),
    ...(src.kind === 'scenario' ? { kind: 'scenario' as const, baseline: src.baseline, forkedAt: new Date().toISOString() } : {}),
  });
  const from = new Y.Doc();
  const p = new IndexeddbPersistence(dbName(src.id), from);
  await p.whenSynced;
  applyJournal(dbName(src.id), from);
  const state = Y.encodeStateAsUpdate(from);
  await p.destroy();
  from.destroy();
  await withStoredDoc(copy.id, (d) => {
    Y.applyUpdate(d, state);
    d.getMap('meta').set('name', copy.name);
  });
  return copy;
}

interface Published { workspace: string; name: string }

/** The workspaces the relay publishes to every visitor ([] when it publishes none or cannot be reached). */
async function published(): Promise<Published[]> {
  try {
    const r = await fetch('/api/public');
    return r.ok ? ((await r.json()) as { workspaces: Published[] }).workspaces : [];
  } catch {
    return [];
  }
}

/** Opens a published workspace with a view link of this visitor's own; an error in words otherwise. */
async function openPublished(p: Published): Promise<string | null> {
  try {
    const r = await fetch('/api/public', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: p.workspace }) });
    const j = (await r.json()) as { url?: string; error?: string };
    if (!r.ok || !j.url) return j.error === 'rate-limited' ? 'The relay is busy: try again in a minute.' : 'The relay no longer publishes this workspace.';
    upsertWorkspace({ id: p.workspace, name: p.name });
    openLink(j.url);
    return null;
  } catch {
    return 'The relay cannot be reached (offline?).';
  }
}

/** How a workspace is held here, in words. */
function accessLabel(w: WorkspaceEntry): string {
  if (w.ended) return `${w.ended.kind === 'revoked' ? 'access revoked' : 'link expired'}${w.ended.kept ? ' (your unsent changes kept)' : ''}`;
  return w.role === 'local' ? 'this device only' : w.role === 'edit' ? 'can edit' : 'can view';
}

/** The list in display order: each workspace followed by its scenarios; scenarios whose baseline is not here last. */
function grouped(list: readonly WorkspaceEntry[]): { entry: WorkspaceEntry; level: 0 | 1 }[] {
  const ids = new Set(list.map((w) => w.id));
  const out: { entry: WorkspaceEntry; level: 0 | 1 }[] = [];
  for (const w of list) {
    if (w.kind === 'scenario') continue;
    out.push({ entry: w, level: 0 });
    for (const sc of list) if (sc.kind === 'scenario' && sc.baseline === w.id) out.push({ entry: sc, level: 1 });
  }
  for (const sc of list) if (sc.kind === 'scenario' && !ids.has(sc.baseline ?? '')) out.push({ entry: sc, level: 0 });
  return out;
}

export function WorkspaceList() {
  const [busy, setBusy] = createSignal(false);
  const [link, setLink] = createSignal('');
  const [pub] = createResource(published);
  const [pubError, setPubError] = createSignal<string | null>(null);
  /** Published workspaces this browser does not hold yet. */
  const offered = () => (pub() ?? []).filter((p) => !workspaces().some((w) => w.id === p.workspace && !w.ended && w.token));
  const firstVisit = () => workspaces().length === 0;
  const publishedCard = () => (
    <Show when={offered().length}>
      <section class="card published" classList={{ first: firstVisit() }} data-testid="published">
        <h2>{firstVisit() ? 'Start here' : 'Also on this relay'}</h2>
        <Show when={firstVisit()}><p class="muted">Open a workspace this relay shares with everyone to see how Reckon reconciles an estate: read-only, nothing to set up.</p></Show>
        <For each={offered()}>
          {(p) => (
            <div class="published-item" data-workspace={p.workspace}>
              <span class="published-name">{p.name}</span>
              <span class="muted">can view</span>
              <button type="button" class={firstVisit() ? 'primary' : ''} disabled={busy()} data-testid="open-published"
                onClick={() => void run(async () => setPubError(await openPublished(p)))}>Open</button>
            </div>
          )}
        </For>
        <Show when={pubError()}><p class="error">{pubError()}</p></Show>
      </section>
    </Show>
  );
  const run = async (f: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try { await f(); } finally { setBusy(false); }
  };
  return (
    <div class="home">
      <header class="appbar"><span class="brand">Reckon</span><span class="muted">License compliance workbook</span></header>
      <main class="home-main">
        <Show when={firstVisit()}>{publishedCard()}</Show>
        <section class="card">
          <div class="card-head">
            <h1>Workspaces</h1>
            <button type="button" class="primary" disabled={busy()} onClick={() => void run(async () => {
              const e = await createWorkspace('Untitled workspace', { catalogue: true });
              location.hash = `#/w/${e.id}`;
            })}>New workspace</button>
          </div>
          <Show when={workspaces().length} fallback={<p class="muted">No workspace yet on this device. Create one, or open a link someone shared.</p>}>
            <table class="ws-table">
              <thead><tr><th>Name</th><th>Access</th><th>Last opened</th><th /></tr></thead>
              <tbody>
                <For each={grouped(workspaces())}>
                  {({ entry: w, level }) => (
                    <tr classList={{ 'ws-scenario': w.kind === 'scenario' }} data-workspace={w.id} data-level={level}>
                      <td>
                        <Show when={w.kind === 'scenario'}><span class="scenario-tag" title={level ? 'A scenario of the workspace above' : 'A scenario whose baseline is not on this device'}>Scenario</span> </Show>
                        <a href={`#/w/${w.id}`}>{w.name}</a>
                      </td>
                      <td class="muted">{accessLabel(w)}</td>
                      <td class="muted">{new Date(w.openedAt).toLocaleString()}</td>
                      <td class="actions">
                        <button type="button" disabled={busy() || w.role === 'view'} onClick={() => {
                          const n = prompt('Workspace name', w.name);
                          if (n && n.trim()) void run(async () => {
                            renameWorkspace(w.id, n.trim());
                            await withStoredDoc(w.id, (d) => d.getMap('meta').set('name', n.trim()));
                          });
                        }}>Rename</button>
                        <button type="button" disabled={busy()} onClick={() => void run(() => duplicate(w))}>Duplicate</button>
                        <button type="button" class="danger" disabled={busy()} onClick={() => {
                          if (confirm(`Delete “${w.name}” from this device? Others keep their copies.`)) void run(async () => {
                            removeWorkspace(w.id);
                            await clearStored(dbName(w.id));
                          });
                        }}>Delete</button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </section>
        <Show when={!firstVisit()}>{publishedCard()}</Show>
        <section class="card">
          <h2>Open a link</h2>
          <form class="form-row" onSubmit={(e) => { e.preventDefault(); if (!openLink(link())) alert('That is not a Reckon workspace link.'); }}>
            <input class="grow" placeholder="https://…/#/w/<workspace>?token=…" value={link()} onInput={(e) => setLink(e.currentTarget.value)} aria-label="Workspace link" />
            <button type="submit">Open</button>
          </form>
        </section>
      </main>
    </div>
  );
}
