// Deliberate defects for tests of problem reporting: dangling references, unparsable
// cells, a duplicate id, an unknown metric. Off by default (brokenRefs: 0).

import { Random } from './random';
import type { Row, SheetName, Workbook } from './types';

type Breaker = readonly [sheet: SheetName, column: string, value: (k: number, rows: Row[], i: number) => string, needs?: string];

const BREAKERS: readonly Breaker[] = [
  ['installations', 'deviceId', (k) => `d-missing-${k}`],
  ['devices', 'hostId', (k) => `d-missing-host-${k}`, 'hostId'],
  ['devices', 'cluster', (k) => `c-missing-${k}`, 'cluster'],
  ['installations', 'userId', (k) => `u-missing-${k}`],
  ['devices', 'ownerId', (k) => `u-missing-owner-${k}`, 'ownerId'],
  ['allocations', 'entitlementId', (k) => `e-missing-${k}`],
  ['access', 'serverId', (k) => `d-missing-server-${k}`],
  ['devices', 'cores', () => 'abc', 'cores'],
  ['installations', 'id', (_k, rows, i) => rows[i > 0 ? i - 1 : 1]?.id ?? rows[i].id],
  ['entitlements', 'metric', () => 'per_banana'],
  ['sessions', 'start', () => 'not a date'],
  ['modelCategories', 'parent', (k) => `Missing Category ${k}`],
];

/** Breaks n cells, cycling through the kinds of defect; each lands on a random row. */
export function injectBroken(wb: Workbook, n: number, seed: number): void {
  const rng = new Random(seed, 'broken');
  for (let k = 0; k < n; k++) {
    const [sheet, column, value, needs] = BREAKERS[k % BREAKERS.length];
    const rows = wb[sheet];
    if (rows.length === 0) continue;
    let i = rng.int(rows.length);
    // Prefer a row that has the cell (a VM for hostId, an owned device for ownerId …).
    if (needs) for (let tries = 0; tries < rows.length && rows[i][needs] == null; tries++) i = (i + 1) % rows.length;
    rows[i][column] = value(k, rows, i);
  }
}
