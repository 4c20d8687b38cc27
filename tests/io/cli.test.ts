// The command line: reckon import/export/report with CSV folders and XLSX, and one-line errors
// with exit 2 for bad input.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toCsvFiles } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-cli-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const reckon = (...args: string[]) => spawnSync(process.execPath, ['cli/run.mjs', ...args], { encoding: 'utf8' });

const wb = {
  format: 'reckon-workbook/1', settings: { asOf: '2026-11-01', currency: 'USD' },
  entitlements: [{ id: 'e1', publisher: 'Microsoft', product: 'Visio', metric: 'per_device', quantity: 1, unitCost: 250 }],
  devices: [{ id: 'd1' }, { id: 'd2' }],
  installations: [{ id: 'i1', deviceId: 'd1', publisher: 'Microsoft', product: 'Visio' }, { id: 'i2', deviceId: 'd2', publisher: 'Microsoft', product: 'Visio' }],
};

describe('reckon with CSV and XLSX', () => {
  it('imports a CSV folder, exports XLSX, and reports from either', () => {
    const csv = path.join(dir, 'csv');
    fs.mkdirSync(csv);
    for (const [name, text] of toCsvFiles(wb)) fs.writeFileSync(path.join(csv, name), text);
    const doc = path.join(dir, 'a.yjs'), xlsx = path.join(dir, 'a.xlsx');
    expect(reckon('import', csv, '--out', doc).status).toBe(0);
    expect(reckon('export', doc, '--out', xlsx).status).toBe(0);
    for (const input of [csv, xlsx, doc]) {
      const out = path.join(dir, 'report.csv');
      const r = reckon('report', input, '--format', 'csv', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[1]).toBe('Noncompliant,Microsoft,Visio,,,per_device,,,,1,2,-1,1,250,0,0,USD,,,,e1');
    }
    const html = path.join(dir, 'report.html');
    expect(reckon('report', xlsx, '--out', html).status).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('<thead>');
  });

  it('bad input: one line, exit 2', () => {
    const empty = path.join(dir, 'empty.xlsx');
    fs.writeFileSync(empty, '');
    const ragged = path.join(dir, 'devices.csv');
    fs.writeFileSync(ragged, 'id,name\nd1,a,b\n');
    for (const [args, message] of [
      [['report', empty, '--out', path.join(dir, 'x.csv')], `reckon: ${empty}: the file is empty (0 bytes)\n`],
      [['import', ragged, '--out', path.join(dir, 'x.yjs')], 'reckon: devices.csv: row 2 has 3 fields, the header has 2: check the delimiter and the quotes\n'],
      [['report', ragged, '--format', 'pdf', '--out', 'x.pdf'], /^reckon report: unknown format "pdf"\n/],
    ] as const) {
      const r = reckon(...args);
      expect(r.status).toBe(2);
      if (typeof message === 'string') expect(r.stderr).toBe(message);
      else expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(path.join(dir, 'x.yjs'))).toBe(false);
  });
});
