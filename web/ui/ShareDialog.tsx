// Share dialog: mints a link through the relay's /api/share (edit or view, optional expiry) with
// this workspace's edit token, and shows it to copy; lists the workspace's links and revokes them
// (ShareLinks.tsx). A workspace made while the relay was
// unreachable is local only: here it is first put on the relay under its own id (claimed for an
// edit token, then synced up), and can be shared from then on.

import { Show, createSignal } from 'solid-js';
import { claimWorkspace, upsertWorkspace, type WorkspaceEntry } from '../state/workspaces';
import type { Session } from '../state/session';
import { ShareLinks } from './ShareLinks';

const CLAIM_ERROR = {
  unreachable: 'The relay cannot be reached (offline?). The workspace stays on this device; try again later.',
  taken: 'The relay already has a workspace with this id. Duplicate this one from the workspace list and share the copy.',
  refused: 'The relay refused (too many new workspaces from here?). Try again in a minute.',
};

const EXPIRY: [string, number | null][] = [['Never', null], ['1 day', 86_400], ['7 days', 7 * 86_400], ['30 days', 30 * 86_400]];

export interface ShareDialogProps {
  entry: WorkspaceEntry;
  session: Session;
  onClose: () => void;
  /** More link parameters (a scenario's link carries a token of its baseline), or why there are none. */
  linkParams?: () => Promise<{ params: string } | { error: string }>;
  /** What to say about a workspace on this device only (default: it was made offline). */
  localNote?: string;
}

export function ShareDialog(props: ShareDialogProps) {
  const [role, setRole] = createSignal<'edit' | 'view'>('view');
  const [expiry, setExpiry] = createSignal<number | null>(null);
  const [link, setLink] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [entry, setEntry] = createSignal(props.entry);
  /** Bumped after a link is made: the list of links is read again. */
  const [made, setMade] = createSignal(0);
  const canShare = () => entry().role === 'edit' && !!entry().token;

  const attach = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await claimWorkspace(entry().id);
    setBusy(false);
    if ('error' in r) {
      setError(CLAIM_ERROR[r.error]);
      return;
    }
    setEntry(upsertWorkspace({ id: entry().id, token: r.token, role: 'edit' }));
    props.session.attach(r.token);
  };

  const create = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { workspace: entry().id, role: role() };
      if (expiry() !== null) body.expiresInSeconds = expiry();
      const r = await fetch('/api/share', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${entry().token}` },
        body: JSON.stringify(body),
      });
      const j = (await r.json()) as { url?: string; token?: string; error?: string };
      if (!r.ok || !j.token) throw new Error(j.error ?? `HTTP ${r.status}`);
      const extra = props.linkParams ? await props.linkParams() : { params: '' };
      if ('error' in extra) throw new Error(extra.error);
      // The link is built from where this app runs, so it works behind any base URL.
      setLink(`${location.origin}${location.pathname}#/w/${encodeURIComponent(entry().id)}?token=${encodeURIComponent(j.token)}${extra.params}`);
      setMade(made() + 1);
    } catch (e) {
      setError(e instanceof Error ? (e.message === 'Failed to fetch' ? 'The relay cannot be reached (offline?)' : e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="modal share-modal" role="dialog" aria-label="Share">
        <header><h2>Share “{entry().name}”</h2><button type="button" class="close" onClick={props.onClose} aria-label="Close">×</button></header>
        <Show when={entry().role === 'local'}>
          <p class="muted">{props.localNote ?? 'This workspace is on this device only: it was made while the relay could not be reached. Put it on the relay to share it; it keeps its rows, its history and its address.'}</p>
          <div class="form-row">
            <button type="button" class="primary" disabled={busy()} onClick={() => void attach()} data-testid="attach">Put it on the relay</button>
          </div>
          <Show when={error()}><p class="error">{error()}</p></Show>
        </Show>
        <Show when={props.session.upload()}>
          {(u) => (
            <p class="muted" data-testid="share-upload">
              Sending the workspace to the relay: {Math.round((100 * u().sent) / u().total)}% of {(u().total / 1_048_576).toFixed(0)} MB
            </p>
          )}
        </Show>
        <Show when={canShare()} fallback={<Show when={entry().role !== 'local'}><p class="muted">Only someone with edit rights on a relay workspace can share it.</p></Show>}>
          <div class="form-row">
            <label><input type="radio" name="role" checked={role() === 'view'} onChange={() => setRole('view')} /> Can view</label>
            <label><input type="radio" name="role" checked={role() === 'edit'} onChange={() => setRole('edit')} /> Can edit</label>
          </div>
          <div class="form-row">
            <label>Expires <select onChange={(e) => setExpiry(EXPIRY[Number(e.currentTarget.value)][1])}>
              {EXPIRY.map(([l], i) => <option value={i}>{l}</option>)}
            </select></label>
          </div>
          <div class="form-row">
            <button type="button" class="primary" disabled={busy()} onClick={() => void create()}>Create link</button>
          </div>
          <Show when={error()}><p class="error">{error()}</p></Show>
          <Show when={link()}>
            <div class="form-row share-link">
              <input readOnly value={link()!} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" onClick={() => void navigator.clipboard?.writeText(link()!)}>Copy</button>
            </div>
            <p class="muted small">Anyone with this link {role() === 'view' ? 'can read' : 'can edit'} the workspace{expiry() ? ' until it expires' : ''}.</p>
          </Show>
          <ShareLinks token={entry().token!} refresh={made()} />
        </Show>
      </div>
    </div>
  );
}
