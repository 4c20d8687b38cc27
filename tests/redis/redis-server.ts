// A real redis-server (Debian's) on a free loopback port with its data in a temp dir: for the
// scale-out tests (tests/redis/) and the scale-out bench (bench/relay-scale.ts). No test framework
// here, so the bench can use it too.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Polls `condition` until true; fails with `what` after `timeoutMs`. */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** kill -9, then start again on the same port and data (the append-only file). */
  crashAndRestart(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis stops answering without closing its connections. */
  pause(): void;
  resume(): void;
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

async function spawnRedis(port: number, dir: string, appendfsync: AppendFsync): Promise<ChildProcess> {
  // The append-only file on (appendfsync always: an acknowledged update is on disk; everysec: the
  // production default of server/README.md); snapshots off.
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--appendfsync', appendfsync, '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test run or bench that dies leaves no redis-server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
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
export type AppendFsync = 'always' | 'everysec';

export async function startRedis(appendfsync: AppendFsync = 'always'): Promise<RedisServer | string> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return 'redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-redis-'));
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await spawnRedis(port, dir, appendfsync);
      const stopChild = async (signal: NodeJS.Signals) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGCONT');
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
          child = await spawnRedis(port, dir, appendfsync);
        },
        pause() {
          child.kill('SIGSTOP');
        },
        resume() {
          child.kill('SIGCONT');
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

