// The workspace's links, in the share dialog (someone with edit rights): every token the relay
// issued for it (GET /api/tokens), as a tree of which link was made from which, each with its role,
// when it was made, when it expires, when it was last used and whether it is in use now; and a
// revoke button. Revoking a link revokes every link made from it (the relay's cascade), and the
// confirmation says how many those are; revoking this device's own link says that too.

import { For, Show, createResource, createSignal } from 'solid-js';
import { ago, linkTree, tokenIdOf, when, type IssuedLink, type Row } from './links';

export function ShareLinks(props: { token: string; refresh: number }) {
  const mine = tokenIdOf(props.token);
  const [showRevoked, setShowRevoked] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [links, { refetch }] = createResource(() => props.refresh, async () => {
    const r = await fetch('/api/tokens', { headers: { authorization: `Bearer ${props.token}` } });
    const j = (await r.json()) as { tokens?: IssuedLink[]; error?: string };
    if (!r.ok || !j.tokens) throw new Error(j.error ?? `HTTP ${r.status}`);
    return j.tokens;
  });
  const rows = () => linkTree(links() ?? []);
  const revokedCount = () => (links() ?? []).filter((l) => l.revoked).length;
  const shown = () => rows().filter((r) => showRevoked() || !r.link.revoked);

  const revoke = async (row: Row): Promise<void> => {
    const live = rows().filter((r) => !r.link.revoked);
    const start = live.findIndex((r) => r.link.id === row.link.id);
    // The links made from it: the rows after it, deeper than it, until the tree comes back up.
    let madeFrom = 0;
    for (let i = start + 1; i < live.length && live[i].depth > row.depth; i++) madeFrom++;
    const lines = [`Revoke this ${row.link.public ? 'public link (every visitor\'s link to this workspace)' : `${row.link.role} link`}? Whoever uses it loses access at once.`];
    if (madeFrom > 0) lines.push(`${madeFrom} other link${madeFrom === 1 ? ' was' : 's were'} made from it: ${madeFrom === 1 ? 'it stops' : 'they stop'} working too.`);
    const cut = row.link.id === mine || live.slice(start + 1, start + 1 + madeFrom).some((r) => r.link.id === mine);
    if (cut) lines.push('This device opened the workspace with it (or a link made from it): you lose access here too.');
    if (!confirm(lines.join('\n\n'))) return;
    setError(null);
    const r = await fetch('/api/revoke', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${props.token}` }, body: JSON.stringify({ tokenId: row.link.id }) }).catch(() => null);
    if (!r?.ok) setError(r ? `The relay refused (${((await r.json().catch(() => ({}))) as { error?: string }).error ?? r.status}).` : 'The relay cannot be reached (offline?).');
    if (!cut) void refetch();
  };

  return (
    <section class="share-links" data-testid="share-links">
      <div class="share-links-head">
        <h3>Links to this workspace</h3>
        <Show when={revokedCount() > 0}>
          <label class="small muted"><input type="checkbox" checked={showRevoked()} onChange={(e) => setShowRevoked(e.currentTarget.checked)} /> show {revokedCount()} revoked</label>
        </Show>
      </div>
      <Show when={!links.error} fallback={<p class="error">The list of links cannot be read now ({String((links.error as Error)?.message ?? links.error)}).</p>}>
        <Show when={links()} fallback={<p class="muted small">Loading…</p>}>
          <div class="link-rows" role="list">
            <For each={shown()}>
              {(row) => {
                const l = row.link;
                return (
                  <div class="link-row" role="listitem" classList={{ revoked: l.revoked, mine: l.id === mine }} style={{ '--depth': row.depth }}
                    data-token-id={l.id} data-testid="link-row">
                    <div class="link-main">
                      <span class={`role role-${l.role}`}>{l.public ? 'public · view' : l.role === 'edit' ? 'can edit' : 'can view'}</span>
                      <code title={`token id ${l.id}`}>{l.id.slice(0, 8)}</code>
                      <Show when={l.id === mine}><span class="badge">this device</span></Show>
                      <Show when={row.depth > 0}><span class="muted small">made from {l.parent!.slice(0, 8)}</span></Show>
                      <Show when={row.descendants > 0}><span class="muted small" data-testid="link-children">{row.descendants} made from it</span></Show>
                    </div>
                    <div class="link-facts small">
                      <span>made {when(l.issuedAt)}</span>
                      <span>{l.expiresAt === null ? 'never expires' : l.expiresAt * 1000 < Date.now() ? `expired ${when(l.expiresAt)}` : `expires ${when(l.expiresAt)}`}</span>
                      <span data-testid="link-last-used">{l.connections > 0 ? `in use now (${l.connections})` : l.lastUsedAt === null ? 'never used' : `last used ${ago(l.lastUsedAt)}`}</span>
                    </div>
                    <div class="link-actions">
                      <Show when={!l.revoked} fallback={<span class="muted small">revoked</span>}>
                        <button type="button" class="danger" data-testid="revoke-link" onClick={() => void revoke(row)}>Revoke</button>
                      </Show>
                    </div>
                  </div>
                );
              }}
            </For>
          </div>
          <Show when={hasPublic(links() ?? [])}><p class="muted small">A public link is this relay's own: every visitor of the relay's address gets a view link made from it. Revoking it ends all of them.</p></Show>
        </Show>
      </Show>
      <Show when={error()}><p class="error">{error()}</p></Show>
    </section>
  );
}

const hasPublic = (links: readonly IssuedLink[]): boolean => links.some((l) => l.public && !l.revoked);
