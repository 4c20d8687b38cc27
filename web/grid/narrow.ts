// Grids on a narrow screen (a phone, 390 px): columns pinned to the right (status, shortfall cost)
// would take most of the width and leave the quantities off-screen, so below NARROW_PX they are
// unpinned, and the sheet's key columns come first (right after the pinned id or status), where
// they can be read without scrolling sideways. Going wide again restores the columns as they were
// (order, pins, widths), whatever the person changed meanwhile is kept from before it went narrow.

import type { ColumnState, GridApi } from 'ag-grid-community';
import type { SheetName } from '../../engine/schema';

/** Below this width a grid is laid out for a narrow screen. */
export const NARROW_PX = 640;
/** The widest a key column is on a narrow screen. */
const NARROW_COLUMN_PX = 130;

/** The columns that say most about a row of each sheet, first on a narrow screen. */
export const KEY_COLUMNS: Partial<Record<SheetName | 'positions' | 'unlicensed' | 'hardware', readonly string[]>> = {
  positions: ['product', 'available', 'shortfallCost', 'consumed', 'purchased'],
  entitlements: ['product', 'quantity', 'available', 'status', 'shortfallCost'],
  devices: ['name', 'status', 'cores', 'cpus', 'hostId'],
  installations: ['deviceId', 'product', 'version'],
  users: ['name', 'active', 'employeeType'],
  clusters: ['name', 'mobility'],
  allocations: ['entitlementId', 'userId', 'rights'],
  subscriptions: ['userId', 'product', 'active'],
  sessions: ['userId', 'product', 'start', 'end'],
  access: ['userId', 'product', 'serverId'],
  sensors: ['deviceId', 'product', 'seenAt'],
  measurements: ['product', 'quantity', 'date'],
  unlicensed: ['product', 'installations', 'devices'],
};

/** Follows the grid host's width: lays the columns out for a narrow screen and back. Returns a stop. */
export function fitNarrow(api: GridApi, host: HTMLElement, keys: readonly string[] = []): () => void {
  let saved: ColumnState[] | null = null;
  // A grid without key columns (Unrecognized: its action column is pinned right) keeps its layout.
  if (keys.length === 0) return () => {};
  const apply = (width: number): void => {
    if (width === 0 || api.isDestroyed()) return; // a hidden tab: nothing to lay out
    if (width < NARROW_PX && saved === null) {
      saved = api.getColumnState();
      const pinnedLeft = saved.filter((c) => c.pinned === 'left').length;
      api.applyColumnState({ state: saved.filter((c) => c.pinned === 'right').map((c) => ({ colId: c.colId, pinned: null })) });
      const present = keys.filter((k) => api.getColumn(k) && api.getColumn(k)!.getPinned() !== 'left');
      if (present.length) api.moveColumns(present, pinnedLeft);
      // Text key columns (a product's name) are cut to a phone's share, so the figures beside them show.
      api.applyColumnState({ state: present.map((k) => ({ colId: k, width: Math.min(api.getColumn(k)!.getActualWidth(), NARROW_COLUMN_PX) })) });
    } else if (width >= NARROW_PX && saved !== null) {
      api.applyColumnState({ state: saved, applyOrder: true });
      saved = null;
    }
  };
  // The observer's first call gives the width as laid out, before the first paint. Reading it here
  // (clientWidth) forced the page's first layout inside the task that builds the workspace: the
  // longest task of opening the 1M workspace, by ~0.1-0.3 s.
  const ro = new ResizeObserver((entries) => apply(entries[entries.length - 1].contentRect.width));
  ro.observe(host);
  return () => ro.disconnect();
}
