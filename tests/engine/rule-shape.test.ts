// Rules are kept in one shape (metrics/index.ts sameShape) so passes over positions stay
// monomorphic; the copy must keep every field a family module gave its rule.

import { describe, expect, it } from 'vitest';
import { RULES } from '../../engine/metrics';
import { INSTALL_RULES } from '../../engine/metrics/install';
import { PROCESSOR_RULES } from '../../engine/metrics/processor';
import { USER_RULES } from '../../engine/metrics/user';
import { CONCURRENT_RULES } from '../../engine/metrics/concurrent';
import { SERVICEDESK_RULES } from '../../engine/metrics/servicedesk';

const FAMILIES = [...INSTALL_RULES, ...PROCESSOR_RULES, ...USER_RULES, ...CONCURRENT_RULES, ...SERVICEDESK_RULES];

describe('rule shape', () => {
  it('every rule has the same fields in the same order', () => {
    const shapes = new Set([...RULES.values()].map((r) => Object.keys(r).join()));
    expect(shapes.size).toBe(1);
  });

  it('every field a family gave its rule is kept', () => {
    for (const original of FAMILIES) {
      const kept = RULES.get(original.id) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(original)) expect([original.id, field, kept[field]]).toEqual([original.id, field, value]);
    }
  });
});
