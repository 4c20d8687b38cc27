// Malformed files give one clear line and import nothing: a broken XLSX, a ragged CSV, the wrong
// encoding, a 0-byte file. Staging is all-or-nothing: no chunk is handed out for a file that fails.

import { describe, expect, it } from 'vitest';
import { bytesSource, ImportError, textSource, type ByteSource } from '../../io/bytes';
import { openCsv } from '../../io/csv/read';
import { autoMapping } from '../../io/mapping';
import { openTables } from '../../io/open';
import { stageTable, type StagedChunk } from '../../io/stage';
import { toXlsx } from './helpers';

/** Opens and stages every table of a file, collecting chunks; the error's message, or the chunks. */
async function importAll(src: ByteSource, encoding?: 'utf-8'): Promise<{ error?: string; chunks: StagedChunk[] }> {
  const chunks: StagedChunk[] = [];
  const staged: StagedChunk[] = [];
  try {
    for (const t of await openTables([src], { encoding })) {
      await stageTable(t, autoMapping('devices', t.header), { onChunk: (c) => staged.push(c), chunkRows: 2 });
    }
    chunks.push(...staged);
    return { chunks };
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return { error: (err as Error).message, chunks };
  }
}

const xlsx = toXlsx({ format: 'reckon-workbook/1', settings: {}, devices: Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, cores: i })) });

describe('malformed files', () => {
  it('a 0-byte CSV or XLSX', async () => {
    expect((await importAll(bytesSource('devices.csv', new Uint8Array()))).error).toBe('devices.csv: the file is empty (0 bytes)');
    expect((await importAll(bytesSource('book.xlsx', new Uint8Array()))).error).toBe('book.xlsx: the file is empty (0 bytes)');
  });

  it('a ragged CSV, after good rows', async () => {
    const r = await importAll(textSource('devices.csv', 'id,cores\nd1,1\nd2,2\nd3,3\nd4,4,5\n'));
    expect(r.error).toBe('devices.csv: row 5 has 3 fields, the header has 2: check the delimiter and the quotes');
    expect(r.chunks).toEqual([]);
  });

  it('an unclosed quote', async () => {
    expect((await importAll(textSource('devices.csv', 'id,name\nd1,"oops\n'))).error).toMatch(/^devices.csv: row 2: a quoted field is never closed/);
  });

  it('the wrong encoding: Windows-1252 bytes read as UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('id,name\nd1,Z'), 0xfc, ...new TextEncoder().encode('rich\n')]);
    expect((await importAll(bytesSource('devices.csv', bytes), 'utf-8')).error).toMatch(/^devices.csv: not valid UTF-8 \(near byte \d+\)/);
    // Detected, the same bytes read as Windows-1252.
    const t = await openCsv(bytesSource('devices.csv', bytes));
    expect(t.encoding).toBe('windows-1252');
    const rows = [];
    for await (const b of t.rows()) rows.push(...b.rows);
    expect(rows).toEqual([['d1', 'Zürich']]);
  });

  it('a binary file named .csv', async () => {
    expect((await importAll(bytesSource('devices.csv', new Uint8Array([1, 0, 2, 0, 0, 0, 3, 4, 5, 0, 0, 9])))).error).toMatch(/NUL bytes/);
  });

  it('a truncated XLSX', async () => {
    const r = await importAll(bytesSource('book.xlsx', xlsx.subarray(0, xlsx.length - 100)));
    expect(r.error).toMatch(/^book.xlsx: not an XLSX workbook|^book.xlsx: the workbook is/);
    expect(r.chunks).toEqual([]);
  });

  it('an XLSX with a damaged worksheet', async () => {
    const broken = xlsx.slice();
    // Flip bytes inside the first part's compressed data (after the styles part's local header).
    for (let i = 200; i < 260; i++) broken[i] ^= 0x5a;
    const r = await importAll(bytesSource('book.xlsx', broken));
    expect(r.error).toMatch(/^book.xlsx: the workbook is damaged/);
    expect(r.chunks).toEqual([]);
  });

  it('a text file named .xlsx, and an old .xls', async () => {
    expect((await importAll(textSource('book.xlsx', 'id,name\n'))).error).toMatch(/^book.xlsx: not an XLSX workbook/);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect((await importAll(bytesSource('book.xlsx', ole))).error).toMatch(/password-protected workbook or an old .xls file/);
  });
});
