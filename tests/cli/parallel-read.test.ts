// The parallel reader finds the installations array by a byte search; files where that search
// could be fooled must come out exactly as a plain parse would read them.

import { describe, expect, it } from 'vitest';
import { locateArrays } from '../../cli/json-split';
import { workerSheets } from '../../cli/parallel-read';
import { reckon, tempFile } from './helpers';

const rows = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ id: `i${i}`, deviceId: `d${i % 3}`, publisher: 'Acme', product: `P${i % 2}`, ...extra(i) }));

const base = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01' },
  devices: [{ id: 'd0' }, { id: 'd1' }, { id: 'd2', status: 'retired' }],
  entitlements: [{ id: 'e1', publisher: 'Acme', product: 'P0', metric: 'per_instance', quantity: 1 }],
};

function sameBothWays(wb: unknown, expectSplit: boolean) {
  const file = tempFile('w.json', typeof wb === 'string' ? wb : JSON.stringify(wb, null, 1));
  const one = reckon(['reconcile', file, '--json']);
  const two = reckon(['reconcile', file, '--json'], { RECKON_PARALLEL_MIN_BYTES: '0', RECKON_TIMING: '1' });
  expect(two.code).toBe(0);
  expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  expect(two.stderr.includes('worker answered') && !two.stderr.includes('plain')).toBe(expectSplit);
}

describe('parallel read', () => {
  it('finds the array of an ordinary file', () => {
    const text = JSON.stringify({ ...base, installations: rows(5) });
    const at = locateArrays(Buffer.from(text), new Set(['installations']))!.get('installations')!;
    expect(JSON.parse(text.slice(at.start, at.end))).toHaveLength(5);
  });

  it('splits when installations come last', () => sameBothWays({ ...base, installations: rows(50) }, true));

  it('splits when other sheets follow', () => sameBothWays({ installations: rows(50), ...base, users: [{ id: 'u1' }] }, true));

  it('a "]" inside a product name', () => sameBothWays({ ...base, installations: rows(50, (i) => ({ product: i === 3 ? 'Tool [x64], "beta"' : 'P0' })), users: [] }, true));

  it('a row with a column named "installations" holding an array', () =>
    sameBothWays({ ...base, devices: [{ id: 'd0', installations: [1, 2] }, { id: 'd1' }], installations: rows(20), users: [] }, false));

  it('installations whose rows hold arrays', () => sameBothWays({ ...base, installations: rows(20, () => ({ tags: ['a', 'b'] })), users: [] }, false));

  it('a duplicated top-level installations key (the last one wins, as JSON.parse reads it)', () => {
    const text = `{"format":"reckon-workbook/1","installations":${JSON.stringify(rows(3))},"devices":[{"id":"d0"}],"installations":${JSON.stringify(rows(7))}}`;
    sameBothWays(text, true);
  });

  it('a sheet key spelled with an escape is the same key to JSON.parse', () => {
    const text = `{"format":"reckon-workbook/1","installations":${JSON.stringify(rows(3))},"devices":[{"id":"d0"}],"install\\u0061tions":${JSON.stringify(rows(7))}}`;
    sameBothWays(text, false);
  });

  it('names that look like a piece boundary make this thread read the file the plain way', () => {
    // More than one piece (json-split.ts PIECE_BYTES) of devices, each named like a boundary.
    const devices = Array.from({ length: 9000 }, (_, i) => ({ id: `d${i}`, name: `host},{"id":"x${i}"` }));
    sameBothWays({ ...base, devices, installations: rows(30), users: [] }, false);
  });

  it('rows that are not objects are problems, as on one thread', () =>
    sameBothWays({ ...base, installations: [...rows(5), 'x', null, ...rows(3)], users: [] }, true));

  it('sheets the worker reads besides installations: bad cells, rows that are not objects, duplicates, as on one thread', () => {
    const sessions = Array.from({ length: 400 }, (_, i) => ({
      id: i === 7 ? 's3' : `s${i}`, publisher: 'Acme', product: 'P0', userId: i % 50 === 0 ? 'nobody' : 'u1', deviceId: `d${i % 3}`,
      start: i === 11 ? 'not a date' : '2026-10-01T08:00:00Z', end: i === 12 ? '2026-09-01T00:00:00Z' : '2026-10-01T09:00:00Z', tokens: i === 13 ? -2 : 1,
    }));
    // Many users, so that the worker's share of the file takes sessions but not users (workerSheets).
    const users = Array.from({ length: 10_000 }, (_, i) => ({ id: `u${i}`, name: `User ${i}` }));
    const wb = { ...base, users, sessions: [...sessions.slice(0, 20), 42, null, ...sessions.slice(20)], installations: rows(300) };
    const file = tempFile('w.json', JSON.stringify(wb));
    const two = reckon(['reconcile', file, '--json'], { RECKON_PARALLEL_MIN_BYTES: '0', RECKON_TIMING: '1' });
    expect(two.stderr).toContain('worker answered sessions');
    sameBothWays(wb, true);
  });

  it('a sheet the worker cannot split makes this thread read the file the plain way', () => {
    const sessions = Array.from({ length: 9000 }, (_, i) => ({ id: `s${i}`, publisher: 'Acme', product: 'P0', network: `net},{"id":"x${i}"` }));
    const users = Array.from({ length: 60_000 }, (_, i) => ({ id: `u${i}`, name: `User ${i}` }));
    const wb = { ...base, users, sessions, installations: rows(30) };
    const file = tempFile('w.json', JSON.stringify(wb));
    const two = reckon(['reconcile', file, '--json'], { RECKON_PARALLEL_MIN_BYTES: '0', RECKON_TIMING: '1' });
    expect(two.stderr).toContain('plain read instead');
    sameBothWays(wb, false);
  });
});

describe('the sheets the worker reads', () => {
  const at = (sizes: Record<string, number>) => {
    let start = 0;
    return Object.entries(sizes).map(([sheet, n]) => [sheet, { start, end: (start += n) }]) as Parameters<typeof workerSheets>[0];
  };

  it('installations always, last; then the largest others that keep its share of the bytes under two thirds', () => {
    // 210 bytes: up to 134 for the worker. Sensors (148) and devices (145) would pass it, sessions (133) do not, users then would (137).
    expect(workerSheets(at({ devices: 35, installations: 110, sessions: 23, sensors: 38, users: 4 }))).toEqual(['sessions', 'installations']);
    expect(workerSheets(at({ installations: 90, devices: 10 }))).toEqual(['installations']);
    // 100 bytes: up to 64; the largest first (devices, 60), then nothing else fits.
    expect(workerSheets(at({ installations: 10, sessions: 20, sensors: 20, devices: 50 }))).toEqual(['devices', 'installations']);
    // 155 bytes: up to 99; users (70), not devices (120), sessions (90), not sensors (105).
    expect(workerSheets(at({ installations: 10, sessions: 20, sensors: 15, devices: 50, users: 60 }))).toEqual(['users', 'sessions', 'installations']);
  });

  it('none without installations', () => {
    expect(workerSheets(at({ devices: 10, sessions: 20 }))).toEqual([]);
  });
});
