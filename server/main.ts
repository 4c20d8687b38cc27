// Entry point: `tsx server/main.ts`. Configuration from the environment
// (PORT, HOST, DATA_DIR, ... see server/README.md). SIGINT/SIGTERM close
// every connection, write every room and exit 0.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type StartServerOptions } from './app';
import { configFromEnv } from './config';

export async function main(hooks: Pick<StartServerOptions, 'onStart' | 'publicWorkspaces'> = {}): Promise<void> {
  const env = configFromEnv(process.env);
  // The environment's list of published workspaces, when set, wins over the caller's default.
  const server = await startServer({ ...hooks, ...env, publicWorkspaces: env.publicWorkspaces ?? hooks.publicWorkspaces });
  console.log(`Reckon relay listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: writing rooms and shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  // `npm start`: seed the demo workspace, publish it to every visitor of the relay's root (unless
  // RECKON_PUBLIC_WORKSPACES says otherwise) and print its link (server/demo.ts).
  import('./demo').then(({ printDemo, DEMO_PUBLIC }) => main({ onStart: printDemo, publicWorkspaces: [DEMO_PUBLIC] })).catch((error: unknown) => {
    console.error('failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
