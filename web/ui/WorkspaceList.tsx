// The workspaces this browser knows: open, create, rename, duplicate, delete, open by link.

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

async function duplicate(src: WorkspaceEntry): Promise<void> {
  const copy = await createWorkspace(`${src.name} (copy)`, { catalogue: false });
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
                <For each={workspaces()}>
                  {(w) => (
                    <tr>
                      <td><a href={`#/w/${w.id}`}>{w.name}</a></td>
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
