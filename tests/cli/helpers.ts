// Running the real `reckon` command line (the bundled one, as `npm run reckon` does).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export interface Run { code: number; stdout: string; stderr: string }

export function reckon(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [join(root, 'cli/run.mjs'), ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-cli-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}
