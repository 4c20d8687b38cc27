// The public conformance cases and our own (tests/conformance-cases, written from the spec
// before the code), run in-process against the engine: the same checks as
// ../shared/conformance/check.mjs runs through the command line, which runs ours too
// (`node ../shared/conformance/check.mjs tests/conformance-cases`).

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkbook, reconcile } from '../engine/workbook';

/** The shared cases sit beside the project: from a worktree of it, one level further up. */
const shared = ['../../shared/conformance/cases', '../../../shared/conformance/cases'].map((d) => join(__dirname, d)).find(existsSync);
const own = join(__dirname, 'conformance-cases');
const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();

// Skipped without them (a clone on its own): vitest still runs a skipped describe's body to collect it.
describe.skipIf(shared === undefined)('public conformance cases', () => {
  if (shared) runCases(shared);
  else it('needs ../shared/conformance/cases beside the project', () => {});
});
describe('our conformance cases', () => runCases(own));

function runCases(dir: string): void {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const name of cases) {
    const c = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    it(`${c.name}: ${c.why}`, () => {
      const problems: never[] = [];
      const r = reconcile(readWorkbook(c.workbook, problems), { today: '2026-11-01' }, problems);
      for (const [entId, want] of Object.entries<Record<string, unknown>>(c.expect.positions ?? {})) {
        const p = r.positions.find((x) => x.entitlementIds.map(norm).includes(norm(entId)));
        expect(p, `position of ${entId}`).toBeDefined();
        for (const [k, v] of Object.entries(want)) {
          if (k === 'allocation') expect(p!.allocation).toMatchObject(v as object);
          else expect((p as unknown as Record<string, unknown>)[k], `${entId}.${k}`).toEqual(v);
        }
      }
      for (const [key, want] of Object.entries<Record<string, number>>(c.expect.unlicensed ?? {})) {
        const u = r.unlicensed.find((x) => `${norm(x.publisher)}|${norm(x.product)}` === key);
        expect(u, key).toMatchObject(want);
      }
      for (const [cat, want] of Object.entries<Record<string, unknown> | null>(c.expect.ham ?? {})) {
        const got = r.ham.categories.find((x) => norm(x.category) === norm(cat));
        if (want === null) expect(got?.assets ?? 0).toBe(0);
        else for (const [k, v] of Object.entries(want)) expect(typeof v === 'string' ? norm(got?.[k as keyof typeof got]) : got?.[k as keyof typeof got], `${cat}.${k}`).toEqual(typeof v === 'string' ? norm(v) : v);
      }
      if ('hamTotalUnits' in c.expect) expect(r.ham.totalUnits).toBe(c.expect.hamTotalUnits);
      if ('hamOtTotalUnits' in c.expect) expect(r.ham.otTotalUnits).toBe(c.expect.hamOtTotalUnits);
      for (const cell of c.expect.problems ?? []) {
        const [sheet, rowId, column] = cell.split('/');
        expect(r.problems.some((p) => norm(p.sheet) === norm(sheet) && norm(p.rowId) === norm(rowId) && norm(p.column) === norm(column)), cell).toBe(true);
      }
    });
  }
}
