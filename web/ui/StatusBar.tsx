// The bottom bar: sync status, who is here (and where), problem count, row count.

import { For, Show, createSignal } from 'solid-js';
import type { Session, SyncStatus } from '../state/session';
import { PEER_COLORS, me, setMe } from '../state/identity';
import { formatNumber } from './format';

const LABEL: Record<SyncStatus, string> = {
  offline: 'Offline — edits saved on this device',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  saved: 'Saved',
  local: 'Local only — saved on this device',
};

/** When stored results were computed, in words ("5 min ago", or the date). */
function sinceLabel(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'an earlier session';
  const min = Math.round((Date.now() - t) / 60_000);
  if (min < 1) return 'moments ago';
  if (min < 60) return `${min} min ago`;
  if (min < 24 * 60) return `${Math.round(min / 60)} h ago`;
  return new Date(t).toISOString().slice(0, 10);
}

const formatMb = (bytes: number): string => (bytes / 1_048_576).toFixed(bytes < 10 * 1_048_576 ? 1 : 0);

export function StatusBar(props: { session: Session; rows: number | null; onProblems: () => void }) {
  const s = props.session;
  const [editing, setEditing] = createSignal(false);
  return (
    <footer class="statusbar">
      <span class={`sync sync-${s.status()}`} data-testid="sync-status" data-status={s.status()}>
        <span class="dot" />{LABEL[s.status()]}
      </span>
      <Show when={s.readOnly}><span class="badge">Read-only</span></Show>
      <Show when={s.upload()}>
        {(u) => (
          <span class="upload" data-testid="upload-progress" title="A large workspace goes to the relay in pieces">
            Sending to the relay: {formatMb(u().sent)} of {formatMb(u().total)} MB
            <progress value={u().sent} max={u().total} />
          </span>
        )}
      </Show>
      <button type="button" class="link problems-count" data-testid="problem-count" onClick={props.onProblems}>
        {formatNumber(s.results.problemCount())} {s.results.problemCount() === 1 ? 'problem' : 'problems'}
      </button>
      <Show when={props.rows !== null}><span class="muted">{formatNumber(props.rows ?? 0)} rows</span></Show>
      <Show when={!s.results.ready[0]()}>
        <Show when={s.results.cachedAt[0]()} fallback={<span class="muted">Reconciling…</span>}>
          {(at) => (
            <span class="results-updating" data-testid="results-updating" title={`These figures were computed ${sinceLabel(at())} for the workspace as it was then; they are being checked against it as opened and brought up to date.`}>
              <span class="spinner" /><span class="long">Figures from {sinceLabel(at())}: being brought up to date…</span><span class="short">Updating…</span>
            </span>
          )}
        </Show>
      </Show>
      <span class="grow" />
      <span class="presence" data-testid="presence">
        <For each={s.peers()}>
          {(p) => (
            <span class="peer" style={{ '--c': p.user.color }} data-peer={p.user.name}
              title={p.cursor ? `${p.user.name}: ${p.cursor.sheet}, column ${p.cursor.col}` : p.user.name}>
              <span class="swatch" />{p.user.name}
            </span>
          )}
        </For>
        <Show when={!editing()} fallback={<IdentityEditor session={s} done={() => setEditing(false)} />}>
          <button type="button" class="peer me" style={{ '--c': me().color }} onClick={() => setEditing(true)} title="Your name and colour, as others see them">
            <span class="swatch" />{me().name} (you)
          </button>
        </Show>
      </span>
    </footer>
  );
}

function IdentityEditor(props: { session: Session; done: () => void }) {
  let input!: HTMLInputElement;
  const save = (color = me().color): void => {
    const name = input.value.trim().slice(0, 40) || me().name;
    setMe({ name, color });
    props.session.setUser(me());
  };
  return (
    <span class="identity-editor">
      <input ref={input} value={me().name} aria-label="Your name" maxLength={40}
        onKeyDown={(e) => { if (e.key === 'Enter') { save(); props.done(); } if (e.key === 'Escape') props.done(); }} />
      <For each={PEER_COLORS}>
        {(c) => <button type="button" class="color" classList={{ on: me().color === c }} style={{ background: c }} aria-label={`Colour ${c}`} onClick={() => save(c)} />}
      </For>
      <button type="button" onClick={() => { save(); props.done(); }}>Done</button>
    </span>
  );
}
