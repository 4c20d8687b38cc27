// `reckon share` through the real command line: a signed link for the relay, and revocation.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../server/tokens';
import { loadOrCreateSecret } from '../../server/token-files';
import { reckon } from './helpers';

describe('reckon share', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reckon-share-'));

  it('prints a view link whose token the relay accepts, for that workspace and role', () => {
    const r = reckon(['share', 'team-a', '--role', 'view', '--expires', '7d', '--data-dir', dataDir, '--base-url', 'http://reckon.local']);
    expect(r.code).toBe(0);
    const link = /^(http:\/\/reckon\.local\/#\/w\/team-a\?token=(\S+))$/m.exec(r.stdout);
    expect(link).not.toBeNull();
    const verified = verifyToken(loadOrCreateSecret(dataDir), decodeURIComponent(link![2]), Math.floor(Date.now() / 1000));
    expect(verified).toMatchObject({ ok: true, claims: { w: 'team-a', r: 'view' } });
  });

  it('refuses a bad role or workspace id with one line and exit 2', () => {
    for (const args of [['team-a', '--role', 'admin'], ['bad id!', '--role', 'edit']]) {
      const r = reckon(['share', ...args, '--data-dir', dataDir]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('revokes a token by its id', () => {
    const made = reckon(['share', 'team-a', '--role', 'edit', '--data-dir', dataDir]);
    const id = /token id (\S+)/.exec(made.stdout)![1];
    const r = reckon(['share', '--revoke', id, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
  });
});
