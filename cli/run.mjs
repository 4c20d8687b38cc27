#!/usr/bin/env node
// Starts the `reckon` command line from a bundle of its TypeScript sources, rebuilt with esbuild
// only when a source is newer than the bundle. Running through tsx would cost a third of a second
// on every start; a whole-process reconcile is measured against JSON.parse, so start-up matters.

import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, '.cache', 'cli', 'main.mjs');
const SOURCES = ['cli', 'engine', 'worker', 'server', 'io', 'catalogue'];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
  const { buildSync } = await import('esbuild');
  rmSync(dirname(bundle), { recursive: true, force: true }); // chunk names change with content
  mkdirSync(dirname(bundle), { recursive: true });
  buildSync({
    // The parallel reader's worker is bundled beside the command line (cli/parallel-read.ts).
    entryPoints: [join(root, 'cli', 'main.ts'), join(root, 'cli', 'parse-worker.ts')],
    outdir: dirname(bundle),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true, // each command is its own chunk, loaded when it runs (cli/main.ts)
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
}
await import(pathToFileURL(bundle).href);
