// The parallel reader finds the installations array by a byte search; files where that search
// could be fooled must come out exactly as a plain parse would read them.

import { describe, expect, it } from 'vitest';
import { locateArrays } from '../../cli/json-split';
import { reckon, tempFile } from './helpers';

const rows = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ id: `i${i}`, deviceId: `d${i % 3}`, publisher: 'Acme', product: `P${i % 2}`, ...extra(i) }));

const base = {
  format: 'reckon-workbook/1',
  settings: { asOf: '2026-11-01' },
  devices: [{ id: 'd0' }, { id: 'd1' }, { id: 'd2', status: 'retired' }],
  entitlements: [{ id: 'e1', publisher: 'Acme', product: 'P0', metric: 'per_instance', quantity: 1 }],
};

/**
 * One thread and two give the same result. On two the file is read in one chunk, and also in
 * chunks of a few bytes, so that the worker is given installations before the file is all in
 * (arriving.test.ts has a worker wait for its bytes).
 */
function sameBothWays(wb: unknown, expectSplit: boolean) {
  const file = tempFile('w.json', typeof wb === 'string' ? wb : JSON.stringify(wb, null, 1));
  const one = reckon(['reconcile', file, '--json']);
  for (const chunk of ['', '7']) {
    const two = reckon(['reconcile', file, '--json'], { RECKON_PARALLEL_MIN_BYTES: '0', RECKON_TIMING: '1', ...(chunk && { RECKON_READ_CHUNK_BYTES: chunk }) });
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect(two.stderr.includes('worker answered') && !two.stderr.includes('plain')).toBe(expectSplit);
  }
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
    // The worker starts on the first one while the file is still being read: this thread reads
    // the file the plain way once it finds the one that counts is another.
    const text = `{"format":"reckon-workbook/1","installations":${JSON.stringify(rows(3))},"devices":[{"id":"d0"}],"installations":${JSON.stringify(rows(7))}}`;
    sameBothWays(text, false);
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

  it('the installation side: its positions, explanations, unlicensed products and problems, as on one thread', () => {
    const installations = rows(60, (i) => ({
      id: i === 7 ? 'i3' : `i${i}`, deviceId: i % 11 === 0 ? 'gone' : `d${i % 3}`, userId: i % 4 === 0 ? `u${i % 3}` : i % 13 === 0 ? 'nobody' : '',
      product: `P${i % 3}`, version: i === 9 ? { major: 1 } : '1',
    }));
    sameBothWays({
      ...base,
      entitlements: [
        ...base.entitlements,
        { id: 'e2', publisher: 'Acme', product: 'P1', metric: 'named_user', quantity: 1 },
        { id: 'e3', publisher: 'Acme', product: 'P1', metric: 'per_core', quantity: 4 },
      ],
      devices: [{ id: 'd0', cores: 8 }, { id: 'd1', cores: 'many' }, { id: 'd2', status: 'retired' }],
      users: [{ id: 'u0' }, { id: 'u1', active: false }, { id: 'u2' }, { id: 'u9' }],
      allocations: [{ id: 'a1', entitlementId: 'e2', userId: 'u9' }, { id: 'a2', entitlementId: 'e2', userId: 'ghost' }],
      installations,
    }, true);
  });

  it('normalization rules apply on both threads: the worker types installations before it has the rules', () => {
    const installations = rows(80, (i) => ({
      publisher: i % 2 ? 'Acme Corporation' : 'ACME CORP.', product: i % 5 === 0 ? 'Acme P1 Viewer' : `Acme Product ${i % 3} (x64)`, version: `1.${i % 4}.0`,
    }));
    sameBothWays({
      ...base,
      entitlements: [
        { id: 'e1', publisher: 'Acme', product: 'P0', version: '1', metric: 'per_instance', quantity: 1 },
        { id: 'e2', publisher: 'Acme', product: 'P1', metric: 'per_device', quantity: 1 },
      ],
      access: [{ id: 'x1', publisher: 'Acme Corporation', product: 'Acme Product 1 (x64)', userId: 'u1', serverId: 'd0' }],
      users: [{ id: 'u1' }],
      // Rules after installations in the file: the worker has long typed them when the rules arrive.
      installations,
      normalization: [
        { id: 'n1', kind: 'alias', publisher: 'Acme Corporation', toPublisher: 'Acme' },
        { id: 'n2', kind: 'alias', publisher: 'ACME CORP.', toPublisher: 'Acme' },
        { id: 'n3', kind: 'ignore', publisher: 'Acme', product: 'viewer$' },
        { id: 'n4', kind: 'pattern', publisher: 'Acme', product: '^acme product (\\d)', toProduct: 'P$1', toVersion: '1' },
        { id: 'n5', kind: 'pattern', product: '(' },
      ],
    }, true);
  });
});
