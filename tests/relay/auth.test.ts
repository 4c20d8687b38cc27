// Who may connect: refusals happen at the HTTP upgrade, before any document
// byte is sent; revocation closes live connections too.

import { describe, expect, it } from 'vitest';
import { share } from '../../cli/share';
import { RevocationList, loadOrCreateSecret } from '../../server/token-files';
import { mintToken, verifyToken } from '../../server/tokens';
import { captureOutput, connectProvider, RawClient, synced, waitFor, type TestServer, useRelays } from './helpers';

const { cleanups, relay } = useRelays();

/** Attempts a raw connection; returns the HTTP status it was refused with. */
async function refusedWith(t: TestServer, path: string): Promise<{ status: number | null; messages: number }> {
  const raw = new RawClient(`${t.wsUrl}${path}`);
  cleanups.push(() => raw.close());
  await waitFor(() => raw.httpStatus !== null || raw.opened, 'refusal or open');
  await waitFor(() => raw.closeCode !== null || raw.opened, 'socket closed');
  expect(raw.opened).toBe(false);
  return { status: raw.httpStatus, messages: raw.messages.length };
}

function swapMac(token: string, other: string): string {
  return `${token.split('.')[0]}.${other.split('.')[1]}`;
}

describe('relay access', () => {
  it('refuses missing, malformed, forged, expired, foreign and revoked tokens before any data', async () => {
    const t = await relay();
    // the room exists and has content, so a leak would be visible
    const editor = connectProvider(t.wsUrl, 'secret-ws', t.token('secret-ws', 'edit'));
    cleanups.push(() => editor.destroy());
    editor.doc.getMap('m').set('confidential', 'yes');
    await synced(editor);

    const revoked = mintToken(loadOrCreateSecret(t.dataDir), { workspace: 'secret-ws', role: 'edit', nowSeconds: Date.now() / 1000 });
    new RevocationList(t.dataDir).revoke(revoked.claims.id, Date.now() / 1000);
    const expired = t.token('secret-ws', 'edit', { nowSeconds: Date.now() / 1000 - 3600, expiresInSeconds: 60 });
    const forged = swapMac(t.token('secret-ws', 'edit'), t.token('other', 'edit'));
    const cases: Array<[string, string, number, string]> = [
      ['no token', '/secret-ws', 401, 'missing-token'],
      ['empty token', '/secret-ws?token=', 401, 'missing-token'],
      ['malformed', '/secret-ws?token=not-a-token', 401, 'malformed-token'],
      ['bad MAC', `/secret-ws?token=${forged}`, 401, 'bad-mac'],
      ['expired', `/secret-ws?token=${expired}`, 401, 'expired'],
      ['other workspace', `/secret-ws?token=${t.token('other', 'edit')}`, 403, 'wrong-workspace'],
      ['revoked', `/secret-ws?token=${revoked.token}`, 403, 'revoked'],
      ['bad workspace id', `/bad%20id?token=${t.token('x', 'edit')}`, 400, 'bad-workspace'],
    ];
    for (const [what, path, status, reason] of cases) {
      const result = await refusedWith(t, path);
      expect(result, what).toEqual({ status, messages: 0 });
      expect(t.server.metrics.get('reckon_refusals_total', { reason }), what).toBeGreaterThan(0);
    }
  });

  it('a stock client with a bad token never syncs', async () => {
    const t = await relay();
    const p = connectProvider(t.wsUrl, 'ws', t.token('other', 'edit'));
    cleanups.push(() => p.destroy());
    let errors = 0;
    p.on('connection-error', () => errors++);
    await waitFor(() => errors >= 2, 'two refused attempts');
    expect(p.synced).toBe(false);
    expect(p.wsconnected).toBe(false);
  });

  it('revoking a token through the API closes its live connections and refuses it afterwards', async () => {
    const t = await relay();
    const owner = await (await fetch(`${t.server.url}/api/workspaces`, { method: 'POST' })).json();
    const shared = await (
      await fetch(`${t.server.url}/api/share`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${owner.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ workspace: owner.workspace, role: 'view' }),
      })
    ).json();
    const guest = connectProvider(t.wsUrl, owner.workspace, shared.token);
    cleanups.push(() => guest.destroy());
    await synced(guest);
    let closedWith: number | null = null;
    guest.on('connection-close', (event) => {
      closedWith = (event as { code: number } | null)?.code ?? null;
    });
    const res = await fetch(`${t.server.url}/api/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ tokenId: shared.tokenId }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => closedWith !== null, 'guest closed');
    expect(closedWith).toBe(4403); // 44xx: the provider stops reconnecting
    expect((await refusedWith(t, `/${owner.workspace}?token=${shared.token}`)).status).toBe(403);
  });

  it('notices a revocation made by the CLI while running', async () => {
    const t = await relay({ revocationPollSeconds: 0.05 });
    const token = t.token('cli-ws', 'edit');
    const p = connectProvider(t.wsUrl, 'cli-ws', token);
    cleanups.push(() => p.destroy());
    await synced(p);
    const secret = loadOrCreateSecret(t.dataDir);
    const verified = verifyToken(secret, token, Date.now() / 1000);
    if (!verified.ok) throw new Error('test token invalid');
    const out = captureOutput();
    const code = await share(['--revoke', verified.claims.id, '--data-dir', t.dataDir]).finally(out.restore);
    expect(code).toBe(0);
    await waitFor(() => t.server.metrics.get('reckon_closes_total', { reason: 'revoked' }) === 1, 'connection closed');
  });
});
