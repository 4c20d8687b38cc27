// `reckon import` of tools' exports (profiles, matching, the catalogue, what could not be resolved)
// and `reckon normalize` (the unrecognized list), through the real command line.

import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reckon, tempFile } from './helpers';

const SAMPLES = join(__dirname, '../io/samples');

function folderOf(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'reckon-import-'));
  for (const n of names) copyFileSync(join(SAMPLES, n), join(dir, n === 'flexera-snow.csv' ? 'installs.csv' : n));
  return dir;
}

describe('reckon import of exports', () => {
  it('names each table\'s profile, says what it matched and what it could not resolve, and adds the catalogue', () => {
    const dir = folderOf('devices.csv', 'users.csv', 'flexera-snow.csv', 'configmgr-arp.csv');
    const out = join(dir, 'estate.yjs');
    const r = reckon(['import', dir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('installs.csv → installations (Flexera / Snow-style installations export): 4 rows, 2 problems');
    expect(r.stdout).toContain('  deviceId: matched 2 by name, 1 by serial number; could not resolve 1 not found (e.g. "MTY-DT-000999")');
    expect(r.stdout).toContain('configmgr-arp.csv → installations (Microsoft Configuration Manager — Add/Remove Programs inventory): 5 rows, 1 problem');
    expect(r.stdout).toMatch(/normalization: the default catalogue \(\d+ rules\) added/);
    expect(r.stdout).toContain('unrecognized: 2 products (3 installations) no rule and no entitlement names; list them: reckon normalize');

    // The document reconciles with the rules: Visio Standard 2021 from "Microsoft Corporation" is Microsoft's.
    const json = JSON.parse(reckon(['reconcile', out, '--json']).stdout);
    expect(json.unlicensed.map((u: { publisher: string; product: string }) => `${u.publisher}/${u.product}`)).toEqual(expect.arrayContaining([
      'Microsoft/Visio', 'Microsoft/Office Professional Plus', 'Oracle/Java SE', 'Adobe/Acrobat Pro',
    ]));
    // The Visual C++ runtime is ignored: counted nowhere.
    expect(JSON.stringify(json.unlicensed)).not.toMatch(/Visual C\+\+/);
    expect(json.problems.map((p: { sheet: string; column: string }) => `${p.sheet}/${p.column}`).sort()).toEqual([
      'installations/deviceId', 'installations/deviceId', 'installations/userId',
    ]);
  });

  it('--no-catalogue leaves the document without rules; a file with rules of its own gets no catalogue either', () => {
    const dir = folderOf('devices.csv', 'flexera-snow.csv');
    const bare = reckon(['import', dir, '--out', join(dir, 'bare.yjs'), '--no-catalogue']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).not.toContain('catalogue');
    expect(JSON.parse(reckon(['normalize', join(dir, 'bare.yjs'), '--json']).stdout).rules).toBe(0);
    const own = tempFile('own.json', JSON.stringify({ format: 'reckon-workbook/1', normalization: [{ id: 'n1', kind: 'ignore', publisher: 'Acme' }] }));
    const r = reckon(['import', own, '--out', join(dir, 'own.yjs')]);
    expect(r.stdout).not.toContain('catalogue');
    expect(JSON.parse(reckon(['normalize', join(dir, 'own.yjs'), '--json']).stdout).rules).toBe(1);
  });
});

describe('reckon normalize', () => {
  it('lists the unrecognized software largest first, the rules, their problems and the ignored installations', () => {
    const wb = {
      format: 'reckon-workbook/1',
      devices: [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }],
      entitlements: [{ id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 5 }],
      installations: [
        { id: 'i1', deviceId: 'd1', publisher: 'Microsoft Corporation', product: 'Visio' },
        { id: 'i2', deviceId: 'd1', publisher: 'Contoso Ltd.', product: 'Contoso Designer 7' },
        { id: 'i3', deviceId: 'd2', publisher: 'Contoso Ltd.', product: 'Contoso Designer 7' },
        { id: 'i4', deviceId: 'd3', publisher: 'Fabrikam', product: 'Fabrikam Notes' },
        { id: 'i5', deviceId: 'd3', publisher: 'Microsoft Corporation', product: 'Microsoft .NET Runtime - 8.0.1 (x64)' },
      ],
      normalization: [
        { id: 'n1', kind: 'alias', publisher: 'Microsoft Corporation', toPublisher: 'Microsoft' },
        { id: 'n2', kind: 'ignore', publisher: 'Microsoft', product: '^Microsoft \\.NET Runtime' },
        { id: 'n3', kind: 'pattern', product: '(x' },
      ],
    };
    const file = tempFile('wb.json', JSON.stringify(wb));
    const text = reckon(['normalize', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Normalization rules: 3 (1 with problems: they do nothing)');
    expect(text.stdout).toContain('Installations: 5, of which 1 ignored by rules');
    expect(text.stdout).toContain('Unrecognized: 2 products, 3 installations');
    const lines = text.stdout.split('\n');
    expect(lines.findIndex((l) => l.startsWith('Contoso Ltd.'))).toBeLessThan(lines.findIndex((l) => l.startsWith('Fabrikam')));
    const json = JSON.parse(reckon(['normalize', file, '--json']).stdout);
    expect(json.unrecognized.map((u: { product: string; installations: number; devices: number }) => [u.product, u.installations, u.devices]))
      .toEqual([['Contoso Designer 7', 2, 2], ['Fabrikam Notes', 1, 1]]);
    expect(json.ruleProblems.map((p: { rowId: string; column: string }) => `${p.rowId}/${p.column}`)).toEqual(['n3/product']);
    expect(json.ignored).toBe(1);
  });

  it('bad input: one line, exit 2', () => {
    const r = reckon(['normalize', join(tmpdir(), 'no-such-file.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(reckon(['normalize']).code).toBe(2);
    expect(reckon(['normalize', tempFile('x.json', '{"format":"nope"}')]).code).toBe(2);
  });
});
