// What the scale-out tests share: a real redis-server (Debian's) on a free loopback port with its
// data in a temp dir, and relay processes started as real children (`node --import tsx
// server/main.ts` with REDIS_URL), so `kill -9` is real. When redis-server cannot be started the
// tests are skipped, with the reason printed once.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../server/config';
import { tempDir, waitFor } from '../relay/helpers';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** kill -9, then start again on the same port and data (the append-only file). */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  // Acknowledged updates are on disk as Redis writes them (appendfsync always); snapshots off.
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--appendfsync', 'always', '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  child.on('error', (error) => (output += String(error)));
  await waitFor(async () => child.exitCode !== null || (await pings(port)), 'redis-server ready', 10_000);
  if (child.exitCode !== null || !(await pings(port))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start: ${output.trim().split('\n').slice(-3).join(' ')}`);
  }
  return child;
}

/** Whether something answers PING (inline command) on the port. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (c) => {
      data += c.toString();
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(data.startsWith('+PONG')));
  });
}

/** Starts redis-server, or returns the reason it cannot (the tests are then skipped). */
export async function startRedis(): Promise<RedisServer | string> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return 'redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)';
  const dir = tempDir('reckon-redis-');
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await spawnRedis(port, dir);
      const stopChild = async (signal: NodeJS.Signals) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      };
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        dir,
        async crashAndRestart() {
          await stopChild('SIGKILL');
          child = await spawnRedis(port, dir);
        },
        async stop() {
          await stopChild('SIGKILL');
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = String(error);
    }
  }
  return `redis-server could not be started: ${lastError}`;
}

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
