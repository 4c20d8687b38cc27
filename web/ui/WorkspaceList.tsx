// The workspaces this browser knows: open, create, rename, duplicate, delete, open by link. A
// workspace's scenarios are listed under it.

import { For, Show, createSignal } from 'solid-js';
import * as Y from 'yjs';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
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
  const state = Y.encodeStateAsUpdate(from);
  await p.destroy();
  from.destroy();
  await withStoredDoc(copy.id, (d) => {
    Y.applyUpdate(d, state);
    d.getMap('meta').set('name', copy.name);
  });
  return copy;
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
  const run = async (f: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try { await f(); } finally { setBusy(false); }
  };
  return (
    <div class="home">
      <header class="appbar"><span class="brand">Reckon</span><span class="muted">License compliance workbook</span></header>
      <main class="home-main">
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
                      <td class="muted">{w.role === 'local' ? 'this device only' : w.role === 'edit' ? 'can edit' : 'can view'}</td>
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
                            await clearDocument(dbName(w.id));
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
