// Token functions (pure) and `reckon share`.

import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { share } from '../../cli/share';
import { loadOrCreateSecret, RevocationList, TokenLedger, writeRelayMarker } from '../../server/token-files';
import { mintToken, parseDuration, verifyToken } from '../../server/tokens';
import { captureOutput, tempDir } from './helpers';

const secret = new Uint8Array(32).fill(7);
const now = 1_700_000_000;

describe('tokens', () => {
  it('round-trips claims and checks MAC, format and expiry against the given time', () => {
    const { token, claims } = mintToken(secret, { workspace: 'w1', role: 'view', expiresInSeconds: 60, nowSeconds: now });
    expect(claims).toMatchObject({ v: 1, w: 'w1', r: 'view', iat: now, exp: now + 60 });
    expect(verifyToken(secret, token, now + 59)).toEqual({ ok: true, claims });
    expect(verifyToken(secret, token, now + 60)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(new Uint8Array(32).fill(8), token, now)).toEqual({ ok: false, reason: 'bad-mac' });
    const [payload, mac] = token.split('.') as [string, string];
    const tampered = Buffer.from(JSON.stringify({ ...claims, r: 'edit' })).toString('base64url');
    expect(verifyToken(secret, `${tampered}.${mac}`, now)).toEqual({ ok: false, reason: 'bad-mac' });
    for (const bad of ['', 'abc', `${payload}.${mac}.x`, `${payload}.`, `${payload}.${mac}=`, 'a'.repeat(5000), 42, null]) {
      expect(verifyToken(secret, bad, now)).toEqual({ ok: false, reason: 'malformed' });
    }
    // a correctly signed payload that is not valid claims
    const odd = signLoose({ v: 1, w: 'bad id!', r: 'view', id: 'x'.repeat(22), iat: now });
    expect(verifyToken(secret, odd, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never expires without exp, and refuses invalid lifetimes', () => {
    const { token } = mintToken(secret, { workspace: 'w', role: 'edit', nowSeconds: now });
    expect(verifyToken(secret, token, now + 10 * 365 * 86_400).ok).toBe(true);
    expect(() => mintToken(secret, { workspace: 'w', role: 'edit', nowSeconds: now, expiresInSeconds: 0 })).toThrow();
    expect(() => mintToken(secret, { workspace: 'w/..', role: 'edit', nowSeconds: now })).toThrow();
  });

  it('parses durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('2w')).toBe(1_209_600);
    for (const bad of ['', '0', '-1d', '1y', '1.5h', '7 d', '99999w']) expect(parseDuration(bad)).toBeNull();
  });

  it('creates the secret once, private to its owner', () => {
    const dir = tempDir();
    const first = loadOrCreateSecret(dir);
    expect(loadOrCreateSecret(dir).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, 'token-secret')).mode & 0o777).toBe(0o600);
  });
});

describe('reckon share', () => {
  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = captureOutput();
    try {
      const code = await share(argv);
      return { code, stdout: out.stdout.join(''), stderr: out.stderr.join('') };
    } finally {
      out.restore();
    }
  }

  it('prints a link with a verifiable token, and records it', async () => {
    const dir = tempDir();
    // A data directory a relay uses (it writes its secret and relay.json when it starts).
    loadOrCreateSecret(dir);
    writeRelayMarker(dir, { url: 'http://127.0.0.1:8080', pid: 1, startedAt: new Date().toISOString() });
    const { code, stdout } = await run(['ws-1', '--role', 'view', '--expires', '7d', '--data-dir', dir, '--base-url', 'https://reckon.example/']);
    expect(code).toBe(0);
    const link = stdout.split('\n')[0] as string;
    expect(link).toMatch(/^https:\/\/reckon\.example\/#\/w\/ws-1\?token=[\w-]+\.[\w-]+$/);
    const token = link.split('token=')[1] as string;
    const verified = verifyToken(loadOrCreateSecret(dir), token, Date.now() / 1000);
    if (!verified.ok) throw new Error(verified.reason);
    expect(verified.claims).toMatchObject({ w: 'ws-1', r: 'view' });
    expect(verified.claims.exp! - verified.claims.iat).toBe(7 * 86_400);
    expect(new TokenLedger(dir).find(verified.claims.id)).toMatchObject({ workspace: 'ws-1', role: 'view' });
    expect(stdout).toContain(`reckon share --revoke ${verified.claims.id}`);

    expect((await run(['--revoke', verified.claims.id, '--data-dir', dir])).code).toBe(0);
    expect(new RevocationList(dir).isRevoked(verified.claims.id)).toBe(true);
  });

  it('answers a bad argument with one line on stderr and exit code 2', async () => {
    const dir = tempDir();
    const bad = [
      [],
      ['ws'],
      ['ws', '--role', 'owner'],
      ['bad/id', '--role', 'view'],
      ['ws', '--role', 'view', '--expires', 'soon'],
      ['ws', '--role', 'view', '--base-url', 'ftp://x'],
      ['ws', '--role'],
      ['ws', 'extra', '--role', 'view'],
      ['ws', '--role', 'view', '--colour', 'red'],
      ['--revoke', 'not an id'],
      ['ws', '--revoke', 'A'.repeat(22)],
    ];
    for (const argv of bad) {
      const result = await run([...argv, '--data-dir', dir]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});

/** A token with a valid MAC over arbitrary claims (the format: DOMAIN + payload). */
function signLoose(claims: object): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', secret).update('reckon-share-token-v1.').update(payload).digest('base64url');
  return `${payload}.${mac}`;
}
