// The page shown instead of a workspace when there is nothing to show: a link the relay refuses
// (revoked, expired, altered, unknown), a workspace it does not hold, a relay that cannot be reached
// or a full room on a first visit, or access that ended (the copy deleted, or changes kept). It says
// what happened and what to do, with the actions that do it (relay-notice.ts has the words).

import { download } from '../io/download';
import { Show, createSignal } from 'solid-js';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { applyJournal, clearStored } from '../state/doc-store';
import type { Session } from '../state/session';
import { dbName, removeWorkspace, upsertWorkspace, type WorkspaceEntry } from '../state/workspaces';
import { noticeText, type RelayNotice } from '../state/relay-notice';
import { ioWorker } from '../io/client';

/** Saves what this device kept of a workspace whose access ended: a workbook file (a scenario: its document). */
async function downloadKept(entry: WorkspaceEntry): Promise<void> {
  const doc = new Y.Doc();
  const p = new IndexeddbPersistence(dbName(entry.id), doc);
  await p.whenSynced;
  applyJournal(dbName(entry.id), doc);
  const state = Y.encodeStateAsUpdate(doc);
  await p.destroy();
  doc.destroy();
  // A scenario holds only its changes over a baseline this device may no longer read: its document.
  const scenario = entry.kind === 'scenario';
  const blob = scenario ? new Blob([state as BlobPart], { type: 'application/octet-stream' }) : await ioWorker().exportWorkbook(state, 'json');
  download(blob, `${entry.name.replace(/[^\w .-]+/g, '_') || entry.id}${scenario ? '.yjs' : '.json'}`);
}

export function LinkProblem(props: { entry: WorkspaceEntry; session?: Session }) {
  const [busy, setBusy] = createSignal(false);
  const ended = () => props.entry.ended;
  const notice = (): RelayNotice => props.session?.notice() ?? { kind: ended()?.kind ?? 'unknown', permanent: true };
  const text = () => noticeText(notice(), { relay: location.host, hasCopy: false, kept: ended()?.kept });
  const named = () => (props.entry.name && props.entry.name !== props.entry.id ? `Workspace “${props.entry.name}” · ${props.entry.id}` : `Workspace ${props.entry.id}`);

  const remove = async (): Promise<void> => {
    setBusy(true);
    props.session?.destroy();
    removeWorkspace(props.entry.id);
    await clearStored(dbName(props.entry.id));
    location.hash = '#/';
  };
  const discard = async (): Promise<void> => {
    if (!confirm('Discard the changes the relay never received? They are deleted from this device.')) return;
    setBusy(true);
    await clearStored(dbName(props.entry.id));
    upsertWorkspace({ id: props.entry.id, ended: { ...ended()!, kept: false } });
    setBusy(false);
  };

  return (
    <div class="home">
      <header class="appbar"><a class="brand" href="#/">Reckon</a></header>
      <main class="home-main">
        <section class="card link-problem" role="alert" data-testid="link-problem" data-kind={notice().kind} data-variant={notice().variant ?? ''}>
          <p class="muted small">{named()}</p>
          <h1>{text().title}</h1>
          <p>{text().message}</p>
          <p class="next">{text().next}</p>
          <div class="form-row wrap">
            <Show when={props.session && !notice().permanent}>
              <button type="button" class="primary" data-testid="retry" onClick={() => props.session!.retry()}>Try again now</button>
            </Show>
            <Show when={ended()?.kept}>
              <button type="button" class="primary" data-testid="download-kept" disabled={busy()} onClick={() => void downloadKept(props.entry)}>Download my copy</button>
              <button type="button" class="danger" data-testid="discard-kept" disabled={busy()} onClick={() => void discard()}>Discard my changes</button>
            </Show>
            <Show when={!ended()?.kept}>
              <button type="button" data-testid="remove-link" disabled={busy()} onClick={() => void remove()}>Remove from this device</button>
            </Show>
            <a href="#/">All workspaces</a>
          </div>
        </section>
      </main>
    </div>
  );
}
