// `reckon share` through the real command line: a signed link for the relay that uses the data
// directory (the relay accepts it), revocation, and a refusal, in one line, against a directory no
// relay uses (it used to make a secret of its own and print a link no relay accepts).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { silentLogger } from '../../server/log';
import { MemoryRoomStore } from '../../server/store';
import { reckon } from './helpers';

describe('reckon share', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reckon-share-'));
  let relay: RunningServer;
  beforeAll(async () => {
    relay = await startServer({ port: 0, dataDir, log: silentLogger, store: new MemoryRoomStore() });
  });
  afterAll(() => relay?.close());

  const whoami = async (token: string) => (await fetch(`${relay.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } })).json();

  it('prints a view link for the relay that uses the data directory, and the relay accepts it', async () => {
    const r = reckon(['share', 'team-a', '--role', 'view', '--expires', '7d', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    const link = new RegExp(`^${relay.url.replace(/[.]/g, '\\.')}/#/w/team-a\\?token=(\\S+)$`, 'm').exec(r.stdout);
    expect(link, r.stdout).not.toBeNull();
    expect(r.stdout).toContain(`for the relay at ${relay.url} (data dir ${dataDir}`);
    expect(await whoami(decodeURIComponent(link![1]))).toMatchObject({ workspace: 'team-a', role: 'view' });
  });

  it('--base-url replaces the relay address in the link', () => {
    const r = reckon(['share', 'team-a', '--role', 'edit', '--data-dir', dataDir, '--base-url', 'https://reckon.example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^https:\/\/reckon\.example\/#\/w\/team-a\?token=\S+$/m);
  });

  it('refuses a bad role or workspace id with one line and exit 2', () => {
    for (const args of [['team-a', '--role', 'admin'], ['bad id!', '--role', 'edit']]) {
      const r = reckon(['share', ...args, '--data-dir', dataDir]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('revokes a token by its id: the relay refuses it', async () => {
    const made = reckon(['share', 'team-a', '--role', 'edit', '--data-dir', dataDir]);
    const token = decodeURIComponent(/token=(\S+)/.exec(made.stdout)![1]);
    const id = /token id (\S+)/.exec(made.stdout)![1];
    const r = reckon(['share', '--revoke', id, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`revoked token ${id} (edit on team-a)`);
    expect(await whoami(token)).toEqual({ error: 'revoked' });
  });

  it('refuses, in one line saying what to pass, a data directory no relay uses', () => {
    const empty = mkdtempSync(join(tmpdir(), 'reckon-share-none-'));
    for (const args of [['team-a', '--role', 'view'], ['--revoke', 'aaaaaaaaaaaaaaaaaaaaaa']]) {
      const r = reckon(['share', ...args, '--data-dir', empty]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`reckon share: no relay uses ${empty} (no relay.json and token secret there); pass --data-dir DIR, the DATA_DIR of the relay the link is for\n`);
    }
    // Nothing was made there: no secret of its own.
    expect(existsSync(join(empty, 'token-secret'))).toBe(false);
  });

  it('without --data-dir, reads ./data; where no relay ran, says so and what to pass', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'reckon-share-cwd-'));
    const env = { ...process.env };
    delete env.DATA_DIR;
    const r = spawnSync(process.execPath, [join(__dirname, '../../cli/run.mjs'), 'share', 'team-a', '--role', 'view'], { cwd, env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['reckon share: no relay uses the default data directory ./data (no relay.json and token secret there); pass --data-dir DIR, the DATA_DIR of the relay the link is for']);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    // Beside a relay's data directory it works with no flag at all.
    const ok = spawnSync(process.execPath, [join(__dirname, '../../cli/run.mjs'), 'share', 'team-a', '--role', 'view'], { cwd: join(dataDir, '..'), env: { ...env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`for the relay at ${relay.url}`);
  });
});
