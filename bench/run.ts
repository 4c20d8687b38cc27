// `npm run bench`: every benchmark of the project, one after another; figures only, no pass/fail.
//   npm run bench [-- --json] [-- --only reconcile,normalize,rule-edits,doc,relay,relay-scale,relay-attack,browser,browser-rule-edit,browser-import,savings,scenario]
// Each part is its own script (runnable alone with --json); this collects their output.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : null;

const PARTS: { name: string; script: string; what: string }[] = [
  { name: 'reconcile', script: 'bench/reconcile.ts', what: 'reckon reconcile (table and --json) vs JSON.parse, on every estate shape of 1M installations' },
  { name: 'normalize', script: 'bench/normalize.ts', what: 'normalizing 1M raw installations with thousands of rules, and one rule edit' },
  { name: 'rule-edits', script: 'bench/rule-edits.ts', what: 'normalization rule edits alone on the 1M raw estate: per kind, and the widest patterns' },
  { name: 'doc', script: 'bench/doc.ts', what: 'document load, full reconcile, single-edit latency' },
  { name: 'relay', script: 'bench/relay-load.ts', what: 'relay fan-out latency and rooms' },
  { name: 'relay-scale', script: 'bench/relay-scale.ts', what: 'relay processes sharing rooms through Redis: fan-out over 3 processes against one, 1,000 rooms over 3' },
  { name: 'relay-attack', script: 'bench/relay-attack.ts', what: "the relay under attack: RSS and other rooms' p95 while one client floods" },
  { name: 'browser', script: 'bench/browser.ts', what: 'the 1M-installation workspace in Chromium' },
  { name: 'browser-rule-edit', script: 'bench/browser-rule-edit.ts', what: 'the widest normalization rule edits to screen on the 1M raw estate, in Chromium' },
  { name: 'browser-import', script: 'bench/browser-import.ts', what: 'a 1M-row CSV import through the dialog, then sort and filter it, in Chromium' },
  { name: 'savings', script: 'bench/savings.ts', what: 'surplus, reclaim candidates and plans to compliance on the 1M-installation estate: full, and brought up to date after an edit' },
  { name: 'scenario', script: 'bench/scenario.ts', what: 'a scenario of the 1M-installation workspace: fork + open, its memory and IndexedDB cost, edit → compare on screen' },
];

const results: Record<string, unknown> = {};
for (const part of PARTS) {
  if (only && !only.has(part.name)) continue;
  if (!existsSync(join(root, part.script))) {
    results[part.name] = { skipped: `${part.script} not found` };
    continue;
  }
  if (!json) process.stdout.write(`\n== ${part.name}: ${part.what}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(root, part.script), ...(json ? ['--json'] : [])], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', json ? 'pipe' : 'inherit'], maxBuffer: 1 << 26,
  });
  if (json) {
    try {
      // With --json each part prints its figures as one line, last.
      results[part.name] = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    } catch {
      results[part.name] = { error: `exit ${r.status}, no JSON figures`, stdout: r.stdout?.slice(-500), stderr: r.stderr?.slice(-2000) };
    }
  } else process.stdout.write(r.stdout);
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
