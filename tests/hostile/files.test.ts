// Files that cannot crash an import: every malformed input the security tester found gets one line
// and exit 2 from the command line (ImportError in io/, which the browser's import worker shows as
// is: tests/browser/import-hostile.test.ts), with memory and work bounded by the file's size; and an
// import–export round trip keeps rows exactly, whatever their keys.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { bytesSource, ImportError, textSource, type ByteSource } from '../../io/bytes';
import { openCsv } from '../../io/csv/read';
import { autoMapping } from '../../io/mapping';
import { openTables } from '../../io/open';
import { stageTable } from '../../io/stage';
import { reckon } from '../cli/helpers';
import { deepJson } from '../helpers/hostile-values';
import { deflatedRepeat, sheetXml, xlsxWith, type ZipEntrySpec } from '../helpers/zip-files';

const dir = mkdtempSync(join(tmpdir(), 'reckon-hostile-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const MB = 1 << 20;

/** Opens and stages every table of a file; the ImportError's message, or the rows staged. */
async function importAll(src: ByteSource): Promise<{ error?: string; rows: number }> {
  let rows = 0;
  try {
    for (const t of await openTables([src])) {
      const r = await stageTable(t, autoMapping('devices', t.header), { onRows: (batch) => { rows += batch.length; } });
      rows = r.rows;
    }
    return { rows };
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    return { error: err.message, rows };
  }
}

/** Resident memory growth while `f` runs, sampled as it goes (the peak, in bytes). */
async function rssGrowth<T>(f: () => Promise<T>): Promise<{ value: T; growth: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  try {
    const value = await f();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

function cli(name: string, content: string | Uint8Array, command = 'reconcile'): { code: number; stderr: string } {
  const file = join(dir, name);
  writeFileSync(file, content);
  const r = command === 'import' ? reckon(['import', file, '--out', join(dir, `${name}.yjs`)]) : reckon([command, file]);
  return { code: r.code, stderr: r.stderr };
}

describe('JSON workbooks', () => {
  it('a cell 100,000 arrays deep: one line, exit 2 (reconcile and import)', () => {
    const text = `{"format":"reckon-workbook/1","settings":{},"entitlements":[{"id":"e1","unitCost":${deepJson(100_000)}}]}`;
    for (const command of ['reconcile', 'import']) {
      const r = cli('deep.json', text, command);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^reckon: .*deep\.json: a value is nested more than 64 levels deep \(at byte \d+\): not a workbook\n$/);
    }
    // Within the bound it is a cell like any other: a problem, exit 0.
    expect(cli('deep60.json', text.replace(deepJson(100_000), deepJson(60))).code).toBe(0);
  });

  it('1e309 and 1e308 in number cells: problems on those cells, exit 0', () => {
    const text = '{"format":"reckon-workbook/1","settings":{},"entitlements":[{"id":"e1","metric":"per_device","quantity":1e309,"unitCost":1e308}]}';
    const file = join(dir, 'huge.json');
    writeFileSync(file, text);
    const r = reckon(['reconcile', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).problems.map((p: { message: string }) => p.message)).toEqual([
      'quantity is too large to count exactly (at most 9007199254), got Infinity',
      'unitCost is too large to count exactly (at most 9007199254), got 1e+308',
    ]);
  });
});

describe('XLSX', () => {
  it('a header naming column ZZZZZZZ: one line, exit 2, in bounded memory', async () => {
    const file = xlsxWith([sheetXml('xl/worksheets/sheet1.xml', '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="ZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>')]);
    const { value, growth } = await rssGrowth(() => importAll(bytesSource('devices.xlsx', file)));
    expect(value.error).toBe('devices.xlsx: cell ZZZZZZZ1 is past column XFD, the last a worksheet has: is the file damaged?');
    expect(growth).toBeLessThan(64 * MB);
    const r = cli('devices.xlsx', file, 'import');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^reckon: .*devices\.xlsx: cell ZZZZZZZ1 is past column XFD, the last a worksheet has: is the file damaged\?\n$/);
  });

  it('a header at XFD1 and rows whose only cell is at XFD: memory and work follow the cells, not the columns', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}"><v>${i}</v></c></row>`).join('');
    const file = xlsxWith([sheetXml('xl/worksheets/sheet1.xml', `<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="XFD1" t="inlineStr"><is><t>last</t></is></c></row>${rows}`)]);
    const { value, growth } = await rssGrowth(() => importAll(bytesSource('devices.xlsx', file)));
    expect(value).toEqual({ rows: 4000 });
    // Padded to the header, these rows were 4000 × 16,384 cells (500 MB).
    expect(growth).toBeLessThan(160 * MB);
  });

  it('a zip bomb that declares its size (96 MB from 0.1 MB): refused before inflating', async () => {
    const bomb = deflatedRepeat('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>', '0', 96 * MB, '</v></c></row></sheetData></worksheet>');
    const file = xlsxWith([{ name: 'xl/worksheets/sheet1.xml', data: bomb.data, method: 8, size: bomb.size }]);
    expect(file.length).toBeLessThan(MB);
    const { value, growth } = await rssGrowth(() => importAll(bytesSource('bomb.xlsx', file)));
    expect(value.error).toBe('bomb.xlsx: the workbook would inflate to 96 MB from 1 MB: a zip bomb?');
    expect(growth).toBeLessThan(32 * MB);
    expect(cli('bomb.xlsx', file, 'import').code).toBe(2);
  });

  it('a zip bomb that lies about its size: stopped at the first piece past it, in bounded memory', async () => {
    const bomb = deflatedRepeat('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>', '0', 256 * MB, '</v></c></row></sheetData></worksheet>');
    const file = xlsxWith([{ name: 'xl/worksheets/sheet1.xml', data: bomb.data, method: 8, size: 4 * MB }]);
    const { value, growth } = await rssGrowth(() => importAll(bytesSource('liar.xlsx', file)));
    expect(value.error).toBe('liar.xlsx: the workbook is damaged (part xl/worksheets/sheet1.xml inflates past the 4194304 bytes its directory says)');
    expect(growth).toBeLessThan(96 * MB);
  });

  it('entries sharing their data, and parts that together inflate too much: refused', async () => {
    const part = deflatedRepeat('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>', '<row><c><v>1</v></c></row>', 8 * MB, '</sheetData></worksheet>');
    const first: ZipEntrySpec = { name: 'xl/worksheets/sheet1.xml', data: part.data, method: 8, size: part.size };
    const shared = xlsxWith([first, ...Array.from({ length: 40 }, (_, i) => ({ ...first, name: `xl/worksheets/sheet${i + 2}.xml`, sameAs: 0 }))]);
    expect((await importAll(bytesSource('overlap.xlsx', shared))).error).toBe('overlap.xlsx: the workbook is damaged (two zip entries share their data: a zip bomb?)');
    const copies = xlsxWith(Array.from({ length: 40 }, (_, i) => ({ ...first, name: `xl/worksheets/sheet${i + 1}.xml` })));
    expect((await importAll(bytesSource('many.xlsx', copies))).error).toMatch(/^many\.xlsx: the workbook would inflate to \d+ MB from \d+ MB: a zip bomb\?$/);
  });
});

describe('CSV', () => {
  /** Characters papaparse is given while `f` runs (it keeps no state: each call scans its input). */
  async function parsedChars<T>(f: () => Promise<T>): Promise<{ value: T; chars: number }> {
    let chars = 0;
    const Real = Papa.Parser;
    vi.spyOn(Papa, 'Parser').mockImplementation(function (this: unknown, config: Papa.ParseConfig) {
      const parser = new Real(config);
      const parse = parser.parse.bind(parser);
      parser.parse = (input: string, base: number, ignoreLastRow: boolean) => { chars += input.length; return parse(input, base, ignoreLastRow); };
      return parser;
    } as unknown as typeof Papa.Parser);
    const value = await f();
    return { value, chars };
  }

  it('one unclosed quote early in a 24 MB file: each character parsed about once, then one line', async () => {
    const rows = Array.from({ length: 24 * 1024 }, (_, i) => `d${i},${'x'.repeat(1000)}`).join('\n');
    const text = `id,name\nd,"never closed\n${rows}\n`;
    const { value, chars } = await parsedChars(() => importAll(textSource('devices.csv', text)));
    expect(value.error).toBe('devices.csv: row 2: a quoted field is never closed (an odd number of quotes)');
    // Quadratic before: every 1 MiB slice made papaparse rescan everything since the quote (~300 MB here).
    expect(chars).toBeLessThan(2.2 * text.length);
  });

  it('a record longer than the bound: one line, without holding the rest of the file', async () => {
    const text = `id,name\nd1,"${'y'.repeat(6 * MB)}`;
    const t = await openCsv(textSource('devices.csv', text), { maxRecordChars: 2 * MB });
    await expect(stageTable(t, autoMapping('devices', t.header), { onRows: () => {} }))
      .rejects.toThrow('devices.csv: row 2: a record runs on for more than 2 million characters: is a quoted field never closed?');
  });

  it('records split across slices anywhere (quotes, doubled quotes, CRLF) read as papaparse reads them whole', async () => {
    const fields = ['plain', '"quoted, with comma"', '"doubled "" quote"', '"line\r\nbreak"', '""', 'a"b'];
    const lines = Array.from({ length: 3000 }, (_, i) => `r${i},${fields[i % fields.length]},${'z'.repeat(i % 700)}`);
    const text = `id,name,pad\r\n${lines.join('\r\n')}\r\n`;
    const whole = Papa.parse<string[]>(text, { newline: '\r\n' }).data.slice(1).filter((r) => r.length === 3);
    const t = await openCsv(textSource('devices.csv', text));
    const got: (string | null)[][] = [];
    for await (const b of t.rows()) got.push(...b.rows.map((r) => r as (string | null)[]));
    expect(got).toEqual(whole.map((r) => r.map((f) => (f === '' ? null : f))));
  });
});

describe('round trips keep rows exactly', () => {
  const json = `{"format":"reckon-workbook/1","settings":{},"devices":[{"id":"d1","__proto__":"p"},{"id":"d2","constructor":"c","toString":"t"},{"id":"d3"}]}`;

  it('JSON → document → JSON: no "constructor": null added, "__proto__" kept', () => {
    const src = join(dir, 'keys.json'), doc = join(dir, 'keys.yjs'), back = join(dir, 'keys-back.json');
    writeFileSync(src, json);
    expect(reckon(['import', src, '--out', doc]).code).toBe(0);
    expect(reckon(['export', doc, '--out', back]).code).toBe(0);
    expect(JSON.parse(readFileSync(back, 'utf8')).devices).toEqual(JSON.parse(json).devices);
    expect(readFileSync(back, 'utf8')).toContain('{"id":"d1","__proto__":"p"}');
  });

  it('CSV and XLSX → document → JSON: columns named after Object.prototype stay columns', () => {
    const csv = join(dir, 'devices.csv');
    writeFileSync(csv, 'id,__proto__,constructor\nd1,a,b\nd2,,\n');
    const doc = join(dir, 'csv.yjs'), xlsx = join(dir, 'devices-back.xlsx'), back = join(dir, 'csv-back.json'), again = join(dir, 'xlsx.yjs'), back2 = join(dir, 'xlsx-back.json');
    expect(reckon(['import', csv, '--out', doc]).code).toBe(0);
    expect(reckon(['export', doc, '--out', back]).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toContain('{"id":"d1","__proto__":"a","constructor":"b"},\n{"id":"d2"}');
    expect(reckon(['export', doc, '--out', xlsx]).code).toBe(0);
    expect(reckon(['import', xlsx, '--out', again]).code).toBe(0);
    expect(reckon(['export', again, '--out', back2]).code).toBe(0);
    expect(readFileSync(back2, 'utf8')).toContain('{"id":"d1","__proto__":"a","constructor":"b"},\n{"id":"d2"}');
  });
});
