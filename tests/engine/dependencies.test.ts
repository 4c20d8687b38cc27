// Field-aware dependencies: an edit of a column only some rules read reaches only those rules,
// whatever the engine has noted on the row meanwhile (resolved references, scratch marks).

import { describe, expect, it } from 'vitest';
import { rulesTouched } from '../../engine/dependencies';
import { RULES } from '../../engine/metrics';
import { parseRow } from '../../engine/rows';
import type { SheetName } from '../../engine/schema';

const rule = (id: string) => RULES.get(id)!;

function touched(sheet: SheetName, before: Record<string, unknown>, after: Record<string, unknown>, mark?: (row: any) => void) {
  const old = parseRow(sheet, 'k1', before);
  mark?.(old);
  return rulesTouched(sheet, old, parseRow(sheet, 'k1', after));
}

describe('rulesTouched', () => {
  it('a device capacity edit reaches processor rules only, even on a device marked by a count', () => {
    const f = touched('devices', { id: 'd1', cores: 8 }, { id: 'd1', cores: 16 }, (d) => { d.seen = {}; });
    expect(f).not.toBeNull();
    for (const id of ['per_core', 'oracle_processor', 'pvu', 'per_processor', 'oracle_nup']) expect(f!(rule(id)), id).toBe(true);
    for (const id of ['floating', 'sensor_hourly', 'per_user_device', 'per_device', 'employee']) expect(f!(rule(id)), id).toBe(false);
  });

  it("an installation's resolved device and user do not count as edits", () => {
    const f = touched('users', { id: 'u1', employeeType: 'employee' }, { id: 'u1', employeeType: 'external' });
    expect(f!(rule('euvu'))).toBe(true);
    expect(f!(rule('concurrent_user'))).toBe(false);
  });

  it('a cluster mobility edit reaches Oracle rules only', () => {
    const f = touched('clusters', { id: 'c1', mobility: false }, { id: 'c1', mobility: true });
    expect(f!(rule('oracle_processor'))).toBe(true);
    expect(f!(rule('per_core_cal'))).toBe(false);
  });

  it('an id or status edit can touch every rule', () => {
    expect(touched('devices', { id: 'd1' }, { id: 'd2' })).toBeNull();
    expect(touched('devices', { id: 'd1' }, { id: 'd1', status: 'retired' })).toBeNull();
  });
});
