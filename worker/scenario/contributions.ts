// A position's contributions on the baseline and on a scenario side by side, each marked added
// (only in the scenario), removed (only in the baseline), changed (amount or explanation differ) or
// the same. Contributions are matched by the row they come from (`ref`, and the n-th of that ref).

import type { Contribution } from '../../engine/metrics/rule';

export type ContributionMark = 'added' | 'removed' | 'changed' | 'same';

export interface ComparedContribution {
  ref: string;
  base: Contribution | null;
  scenario: Contribution | null;
  mark: ContributionMark;
}

/** Side by side: the marked ones first (by the size of their amount change), then the rest in the baseline's order. */
export function compareContributions(base: readonly Contribution[], scenario: readonly Contribution[]): ComparedContribution[] {
  const keyed = (list: readonly Contribution[]) => {
    const seen = new Map<string, number>();
    return list.map((c) => {
      const n = seen.get(c.ref) ?? 0;
      seen.set(c.ref, n + 1);
      return [`${c.ref}\u0000${n}`, c] as const;
    });
  };
  const b = keyed(base), s = new Map(keyed(scenario));
  const out: ComparedContribution[] = [];
  for (const [k, c] of b) {
    const other = s.get(k) ?? null;
    s.delete(k);
    const mark: ContributionMark = !other ? 'removed' : other.amount !== c.amount || other.why !== c.why ? 'changed' : 'same';
    out.push({ ref: c.ref, base: c, scenario: other, mark });
  }
  for (const c of s.values()) out.push({ ref: c.ref, base: null, scenario: c, mark: 'added' });
  const size = (x: ComparedContribution) => Math.abs((x.scenario?.amount ?? 0) - (x.base?.amount ?? 0));
  const order = new Map(out.map((x, i) => [x, i]));
  return out.sort((x, y) => Number(x.mark === 'same') - Number(y.mark === 'same') || (x.mark === 'same' ? 0 : size(y) - size(x)) || order.get(x)! - order.get(y)!);
}
