// What the scale-out tests share: a real redis-server (Debian's) on a free loopback port with its
// data in a temp dir, and relay processes started as real children (`node --import tsx
// server/main.ts` with REDIS_URL), so `kill -9` is real. When redis-server cannot be started the
// tests are skipped, with the reason printed once.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../server/config';
import { tempDir, waitFor } from '../relay/helpers';
import type { RedisServer } from './redis-server';

export { startRedis, type RedisServer } from './redis-server';

export interface RelayProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * A relay child process sharing `redis` (keys under `prefix`). `env` adds RECKON_* settings; every
 * relay of a test must be given the same ones it relies on (limits are per process settings).
 */
export async function startRelayProcess(redis: RedisServer, prefix: string, env: Record<string, string> = {}): Promise<RelayProcess> {
  const dataDir = tempDir('reckon-relay-proc-');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: path.join(dataDir, 'dist'),
      REDIS_URL: redis.url,
      RECKON_REDIS_PREFIX: prefix,
      RECKON_TRUST_PROXY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /listening on (http:\/\/\S+)/.test(output) || child.exitCode !== null, 'relay process listening', 60_000);
  const match = /listening on (http:\/\/\S+)/.exec(output);
  if (!match) throw new Error(`relay process failed to start:\n${output}`);
  const url = match[1] as string;
  return {
    child,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port: Number(new URL(url).port),
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

let prefixes = 0;
/** A key prefix of its own for each test (one redis-server serves a whole file). */
export function freshPrefix(): string {
  return `t${process.pid}-${Date.now().toString(36)}-${prefixes++}:`;
}
