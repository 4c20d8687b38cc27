// The entitlements sheet's "counts today" column: blank while the right counts (start ≤ asOf ≤
// end), else why not ("ended on 2026-01-31", "starts on 2027-01-01"), read from its position's
// result (PositionResult.rights), so it follows asOf and every edit as the results do.

import type { ColDef } from 'ag-grid-community';
import type { PositionResult } from '../../engine/positions/position';
import { inactiveReason } from '../../io/report/renewals';
import type { Session } from '../state/session';

const idForm = (id: unknown) => String(id ?? '').trim().toLowerCase();

/** Why the entitlement with this id does not count today, '' when it does, null without a position. */
export function countsToday(p: PositionResult | undefined, id: unknown): string | null {
  if (!p) return null;
  const right = p.rights?.find((r) => idForm(r.id) === idForm(id));
  return right ? inactiveReason(right) ?? '' : null;
}

export function rightsColumn<Row extends { key: string }>(session: Session): ColDef<Row> {
  const reader = session.reader('entitlements');
  return {
    colId: 'counts',
    headerName: 'counts today',
    headerTooltip: 'Whether the right counts at asOf: blank when it does, else when it ended or starts',
    editable: false,
    cellDataType: false,
    valueGetter: (p) => {
      if (!p.data) return null;
      const id = reader.get(p.data.key, 'id');
      return countsToday(session.results.positionOfEntitlement(id), id);
    },
    cellClass: (p) => ['computed', ...(p.value ? ['right-inactive'] : [])],
    headerClass: 'computed-header',
    filter: 'agTextColumnFilter',
    width: 172,
  };
}
