// Acting on savings: the row changes a set of candidates and purchases makes, for a what-if
// scenario (the page applies them with worker/scenario/edit.ts, so the person sees the compare
// before anything touches the baseline). Installations and allocations are removed; subscriptions
// are deactivated; a purchase raises the quantity of the position's active entitlement with the
// highest unit cost, or, where no entitlement counts today, adds one.
//
// Decision: a new entitlement names the position (publisher, product, version, downgrade, edition,
// metric, company, site, network), the quantity bought and the position's unit cost, and nothing
// else: with no active entitlement the position's settings outside its key are the defaults, and a
// row that set them would change what the position counts.

import type { Store } from '../store/store';
import type { Position } from '../positions/position';
import { MICRO } from '../metrics/common';
import type { SourceRow } from './effect';
import { raisedEntitlement } from './plan';
import type { SavingsEdit } from './types';

export function editsFor(store: Store, rows: Iterable<SourceRow>, purchases: ReadonlyMap<Position, number>): SavingsEdit[] {
  const out: SavingsEdit[] = [];
  const done = new Set<SourceRow>();
  for (const r of rows) {
    if (done.has(r) || typeof r.key !== 'string') continue;
    done.add(r);
    if (r.sheet === 'subscriptions') out.push({ op: 'set', sheet: 'subscriptions', key: r.key, column: 'active', value: false });
    else out.push({ op: 'delete', sheet: r.sheet, key: r.key });
  }
  const taken = new Set<string>();
  for (const [p, micros] of [...purchases].sort(([a], [b]) => (a.key < b.key ? -1 : 1))) {
    if (!(micros > 0)) continue;
    const e = raisedEntitlement(p);
    if (e && typeof e.key === 'string') {
      out.push({ op: 'set', sheet: 'entitlements', key: e.key, column: 'quantity', value: (Math.round(e.quantity * MICRO) + micros) / MICRO });
      continue;
    }
    const first = p.entitlements[0];
    const cells: Record<string, string | number | boolean> = {
      id: freeId(store, `${first.id || 'plan'}-bought`, taken), publisher: first.publisherName, product: first.productName, metric: p.metric,
      quantity: micros / MICRO, notes: 'Rights bought by the plan to compliance',
    };
    if (first.versionName) cells.version = first.versionName;
    if (p.downgrade) cells.downgrade = true;
    if (first.editionName) cells.edition = first.editionName;
    for (const [k, v] of [['company', p.company], ['site', p.site], ['network', p.network]] as const) if (v) cells[k] = v;
    const unitCost = p.result?.unitCost ?? null;
    if (unitCost !== null) cells.unitCost = unitCost;
    out.push({ op: 'add', sheet: 'entitlements', cells });
  }
  return out;
}

/** An entitlement id no row has yet. */
function freeId(store: Store, base: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!store.hasId('entitlements', id.toLowerCase()) && !taken.has(id.toLowerCase())) {
      taken.add(id.toLowerCase());
      return id;
    }
  }
}
