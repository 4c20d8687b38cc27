// The command line on documents: `reckon import` a JSON workbook into a .yjs document,
// `reckon reconcile DOC.yjs` gives the JSON file's result, `reckon export` gives the workbook back,
// and bad documents fail with one line naming the file (exit 2).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, generateEstate } from '../../estate/generate';
import { catalogueRules } from '../../catalogue';
import { readWorkbook, reconcile } from '../../engine/workbook';
import type { Result } from '../../engine/changes';
import { importFile } from '../../cli/import';
import { reconcileYjsFile, writeYjsDoc } from '../../cli/yjs';
import { metaMap } from '../../worker/doc/layout';
import { testDoc } from './helpers';

const TODAY = '2026-11-01';
const root = join(__dirname, '../..');
let dir = '';
let jsonFile = '', docFile = '';
let estate: Record<string, unknown>;

const reckon = (...args: string[]) => spawnSync(process.execPath, [join(root, 'cli/run.mjs'), ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 30 });
const withoutKeys = (r: Result) => ({ ...r, problems: r.problems.map(({ key: _, ...p }) => p) });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reckon-doc-'));
  estate = JSON.parse(JSON.stringify(generateEstate(DEMO)));
  jsonFile = join(dir, 'demo.json');
  docFile = join(dir, 'demo.yjs');
  writeFileSync(jsonFile, JSON.stringify(estate));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('documents on the command line', () => {
  it('reconcile of an imported document equals reconcile of its JSON (demo estate, in-process)', async () => {
    // The default catalogue (added to a new document) leaves the demo's canonical names as they are.
    writeYjsDoc(docFile, (await importFile(jsonFile, [])).doc);
    const fromDoc = reconcileYjsFile(docFile, TODAY).result({ contributions: true });
    const fromJson = reconcile(readWorkbook(estate, []), { today: TODAY, contributions: true });
    expect(withoutKeys(fromDoc)).toEqual(withoutKeys(fromJson));
  });

  it('reckon import, reconcile --json, export: same result, same workbook', () => {
    const docOut = join(dir, 'cli.yjs'), back = join(dir, 'back.json');
    const imp = reckon('import', jsonFile, '--out', docOut);
    expect(imp.stderr).toBe('');
    expect(imp.status).toBe(0);
    const a = reckon('reconcile', docOut, '--json'), b = reckon('reconcile', jsonFile, '--json');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect(reckon('export', docOut, '--out', back).status).toBe(0);
    expect(JSON.parse(readFileSync(back, 'utf8'))).toEqual({ ...estate, normalization: catalogueRules() });
    expect(execFileSync(process.execPath, [join(root, 'cli/run.mjs'), 'reconcile', docOut], { encoding: 'utf8' })).toMatch(/^License positions: \d+/);
  });

  it('bad documents: one line naming the file, exit 2', () => {
    const good = readFileSync(docFile);
    const newer = testDoc();
    metaMap(newer).set('schema', 99);
    const cases: [string, Uint8Array | null][] = [
      ['missing.yjs', null],
      ['empty.yjs', new Uint8Array()],
      ['json.yjs', new TextEncoder().encode(JSON.stringify({ format: 'reckon-workbook/1' }))],
      ['noise.yjs', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)],
      ['newer.yjs', Y.encodeStateAsUpdate(newer)],
      ['nodoc.yjs', Y.encodeStateAsUpdate(new Y.Doc())],
      ...[0.1, 0.5, 0.9, 0.999].map((f): [string, Uint8Array] => [`truncated-${f}.yjs`, good.subarray(0, Math.floor(good.length * f))]),
    ];
    for (const [name, bytes] of cases) {
      const file = join(dir, name);
      if (bytes) writeFileSync(file, bytes);
      for (const cmd of [['reconcile', file], ['export', file, '--out', join(dir, 'x.json')]]) {
        const r = reckon(...cmd);
        expect(r.status, `${cmd[0]} ${name}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n'), `${cmd[0]} ${name}`).toHaveLength(1);
        expect(r.stderr, `${cmd[0]} ${name}`).toContain(`reckon: ${file}: `);
      }
    }
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"format":"reckon-workbook/1","devices":{}}');
    const r = reckon('import', badJson, '--out', join(dir, 'y.yjs'));
    expect([r.status, r.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(r.stderr).toContain(badJson);
  });
});
