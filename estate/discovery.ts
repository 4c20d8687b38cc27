// When discovery last saw each device (devices' lastSeen): most in-use devices within the last two
// weeks, some within the usage window, a few (about 2%) long gone quiet, which reclaim candidates
// find (engine/savings/, "not-seen"); devices in stock, retired or disposed were last seen long ago.
// A separate random stream: the rest of the estate is the same with or without it.

import { Random } from './random';
import { AS_OF } from './reference';
import type { Row } from './types';
import { dayNumber, isoDay } from './util';

const ASOF_DAY = dayNumber(AS_OF);

export function stampLastSeen(devices: Row[], seed: number): void {
  const rng = new Random(seed, 'lastSeen');
  for (const d of devices) {
    const status = String(d.status ?? 'in use').toLowerCase();
    const x = rng.next();
    const ago = status === 'in use'
      ? (x < 0.95 ? rng.int(14) : x < 0.98 ? 14 + rng.int(76) : 91 + rng.int(275))
      : status === 'in stock' ? 30 + rng.int(200) : 200 + rng.int(500);
    d.lastSeen = isoDay(ASOF_DAY - ago);
  }
}
