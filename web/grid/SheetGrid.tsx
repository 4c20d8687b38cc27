// One editable sheet in a grid: rows read live from the document, edits written as one-cell
// transactions, rows added/deleted, TSV paste, undo/redo of one's own edits, problems and peers'
// cursors drawn, computed entitlement columns refreshed on every results patch.
//
// Invariant: the grid's row list mirrors the sheet's row keys in sheet order (`keys`); every
// structural change in the doc (local, remote, undo) reaches the grid through the doc observer,
// never through the code that made the change.

import { createEffect, on, onCleanup } from 'solid-js';
import type { CellFocusedEvent, GridApi, IRowNode } from 'ag-grid-community';
import { COLUMNS, type SheetName } from '../../engine/schema';
import { addRow, deleteRow, observeWorkbook } from '../doc-adapter';
import type { Session } from '../state/session';
import { Grid } from './Grid';
import { COMPUTED, sheetColumns, type Row } from './columns';
import { parseTsv, pasteBlock } from './paste';
import { updatePeerStyles } from './presence';

export interface RevealRequest {
  sheet: string;
  key?: string;
  id?: string;
  col?: string;
  seq: number;
}

export interface SheetGridProps {
  session: Session;
  sheet: SheetName;
  visible: boolean;
  reveal: RevealRequest | null;
  onCount?: (n: number) => void;
}

const lower = (a: string, b: string): boolean => a < b;

export function newRowId(sheet: string): string {
  const r = crypto.getRandomValues(new Uint8Array(4));
  return `${sheet[0]}-${Array.from(r, (x) => (x % 36).toString(36)).join('')}`;
}

export function SheetGrid(props: SheetGridProps) {
  const { session, sheet } = props;
  const reader = session.reader(sheet);
  let api: GridApi<Row> | null = null;
  let host!: HTMLDivElement;
  let keys = reader.keys();
  const known = COLUMNS[sheet].map((c) => c.name);
  let extra = reader.extraColumns(known);

  const resetRows = (): void => {
    keys = reader.keys();
    api?.setGridOption('rowData', keys.map((key) => ({ key })));
    props.onCount?.(keys.length);
  };

  const insertAt = (key: string): number => {
    let lo = 0, hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lower(keys[mid], key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Large batches (an import, a first sync) re-read the sheet; small ones patch the grid in place.
  const RESET_ABOVE = 500;
  const stopObserving = observeWorkbook(session.doc, session.wb, (changes) => {
    if (!api) return;
    let structural = 0;
    for (const c of changes) {
      if (c.kind === 'rowAdded' || c.kind === 'rowRemoved') structural++;
      if (c.kind !== 'cellChanged' || c.column === 'id') idIndex = null;
    }
    const newColumn = changes.some((c) => c.kind === 'cellChanged' && !known.includes(c.column) && !extra.includes(c.column))
      || (structural > 0 && changes.some((c) => c.kind === 'rowAdded' && Object.keys(c.cells).some((k) => !known.includes(k) && !extra.includes(k))));
    if (newColumn) {
      extra = reader.extraColumns(known);
      api.setGridOption('columnDefs', sheetColumns(session, sheet, extra));
    }
    if (structural > RESET_ABOVE) {
      resetRows();
      return;
    }
    const refresh = new Map<string, IRowNode<Row>>();
    for (const c of changes) {
      if (c.kind === 'rowRemoved') {
        const at = insertAt(c.key);
        if (keys[at] === c.key) {
          keys.splice(at, 1);
          api.applyTransaction({ remove: [{ key: c.key }] });
        }
      } else if (c.kind === 'rowAdded') {
        const at = insertAt(c.key);
        if (keys[at] === c.key) {
          const n = api.getRowNode(c.key);
          if (n) refresh.set(c.key, n);
          continue;
        }
        keys.splice(at, 0, c.key);
        api.applyTransaction({ add: [{ key: c.key }], addIndex: at });
      } else if (c.kind === 'cellChanged') {
        const n = api.getRowNode(c.key);
        if (n) refresh.set(c.key, n);
      }
    }
    if (structural) props.onCount?.(keys.length);
    if (refresh.size) api.refreshCells({ rowNodes: [...refresh.values()], force: true });
  }, [sheet]);
  onCleanup(stopObserving);

  // Entitlement id (comparison form) → row keys, for refreshing computed columns after a patch.
  // Rebuilt only when rows come or go or an id changes (not on every edit: reading every row's id
  // costs more than the rest of an edit's round trip).
  let idIndex: Map<string, string[]> | null = null;
  const entitlementRows = (): Map<string, string[]> => {
    if (!idIndex) {
      idIndex = new Map();
      for (const k of keys) {
        const id = String(reader.get(k, 'id') ?? '').trim().toLowerCase();
        const list = idIndex.get(id);
        if (list) list.push(k);
        else idIndex.set(id, [k]);
      }
    }
    return idIndex;
  };

  // Results: computed columns and problem marks.
  onCleanup(session.results.onPatch((e) => {
    if (!api) return;
    const nodes = new Map<string, IRowNode<Row>>();
    const probs = e.problemRows.get(sheet);
    if (probs) for (const k of probs) {
      const n = api.getRowNode(k);
      if (n) nodes.set(k, n);
    }
    if (nodes.size) api.refreshCells({ rowNodes: [...nodes.values()], force: true });
    if (sheet === 'entitlements' && e.entitlementIds.size) {
      const rows: IRowNode<Row>[] = [];
      const byId = entitlementRows();
      for (const id of e.entitlementIds) for (const k of byId.get(id) ?? []) {
        const n = api.getRowNode(k);
        if (n) rows.push(n);
      }
      if (rows.length) api.refreshCells({ rowNodes: rows, columns: [...COMPUTED], force: true });
    }
  }));

  // Peers' cursors: redraw the cells they left and the ones they are on.
  let peerCells: { key: string; col: string }[] = [];
  createEffect(on(session.peers, (peers) => {
    updatePeerStyles(session);
    if (!api) return;
    const now = peers.filter((p) => p.cursor?.sheet === sheet).map((p) => ({ key: p.cursor!.key, col: p.cursor!.col }));
    const touch = [...peerCells, ...now];
    peerCells = now;
    for (const t of touch) {
      const n = api.getRowNode(t.key);
      if (n) api.refreshCells({ rowNodes: [n], columns: [t.col], force: true });
    }
  }));

  let pendingReveal: RevealRequest | null = null;
  const reveal = (r: RevealRequest): void => {
    if (!api) {
      pendingReveal = r;
      return;
    }
    let key = r.key;
    if (!key && r.id !== undefined) {
      const want = r.id.trim().toLowerCase();
      key = keys.find((k) => String(reader.get(k, 'id') ?? '').trim().toLowerCase() === want);
    }
    if (!key) return;
    const node = api.getRowNode(key);
    if (!node) return;
    api.ensureNodeVisible(node, 'middle');
    const col = r.col ?? 'id';
    if (api.getColumn(col)) api.ensureColumnVisible(col, 'auto');
    if (node.rowIndex !== null) api.setFocusedCell(node.rowIndex, col);
    api.flashCells({ rowNodes: [node] });
  };
  createEffect(on(() => props.reveal, (r) => {
    if (r && r.sheet === sheet) queueMicrotask(() => reveal(r));
  }));

  const editableColumns = (): string[] =>
    (api?.getAllDisplayedColumns() ?? []).filter((c) => !(COMPUTED as readonly string[]).includes(c.getColId())).map((c) => c.getColId());

  const displayedKeys = (): string[] => {
    const out: string[] = [];
    api?.forEachNodeAfterFilterAndSort((n) => n.data && out.push(n.data.key));
    return out;
  };

  const onPaste = (e: ClipboardEvent): void => {
    if (!api || session.readOnly || api.getEditingCells().length > 0) return;
    const text = e.clipboardData?.getData('text/plain');
    const focused = api.getFocusedCell();
    if (!text || !focused) return;
    e.preventDefault();
    const cols = editableColumns();
    const startCol = cols.indexOf(focused.column.getColId());
    if (startCol < 0) return;
    pasteBlock(session, sheet, parseTsv(text), { rowKeys: displayedKeys(), columns: cols, startRow: focused.rowIndex, startCol }, () => newRowId(sheet));
  };

  const deleteFocused = (): void => {
    if (!api || session.readOnly) return;
    const sel = api.getSelectedNodes().map((n) => n.data!.key);
    const f = api.getFocusedCell();
    const fk = f ? api.getDisplayedRowAtIndex(f.rowIndex)?.data?.key : undefined;
    const ks = sel.length ? sel : fk ? [fk] : [];
    if (ks.length) session.edit(() => ks.forEach((k) => deleteRow(session.doc, sheet, k)));
  };

  const addNew = (): void => {
    if (session.readOnly) return;
    let key = '';
    session.edit(() => { key = addRow(session.doc, sheet, { id: newRowId(sheet) }); });
    queueMicrotask(() => reveal({ sheet, key, col: COLUMNS[sheet][1]?.name ?? 'id', seq: 0 }));
  };

  const onKey = (e: KeyboardEvent): void => {
    if (!api || api.getEditingCells().length > 0) return;
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (mod && k === 'z') {
      e.preventDefault();
      e.stopPropagation();
      if (e.shiftKey) session.undo.redo();
      else session.undo.undo();
    } else if (mod && k === 'y') {
      e.preventDefault();
      e.stopPropagation();
      session.undo.redo();
    } else if (mod && e.key === 'Delete') {
      e.preventDefault();
      deleteFocused();
    }
  };

  return (
    <div class="sheet" style={{ display: props.visible ? 'flex' : 'none' }} data-sheet={sheet}>
      <div class="toolbar">
        <button type="button" onClick={addNew} disabled={session.readOnly} title="Add a row at the end">+ Row</button>
        <button type="button" onClick={deleteFocused} disabled={session.readOnly} title="Delete the selected rows, or the row of the focused cell (Ctrl+Delete)">Delete row</button>
        <span class="sep" />
        <button type="button" onClick={() => session.undo.undo()} disabled={session.readOnly} title="Undo your last edit (Ctrl+Z)">Undo</button>
        <button type="button" onClick={() => session.undo.redo()} disabled={session.readOnly} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <span class="sep" />
        <input
          class="quick-filter"
          type="search"
          placeholder="Filter rows…"
          aria-label="Filter rows"
          onInput={(e) => api?.setGridOption('quickFilterText', e.currentTarget.value)}
        />
      </div>
      <Grid<Row>
        ref={(el) => {
          host = el;
          el.addEventListener('paste', onPaste);
          el.addEventListener('keydown', onKey, true);
        }}
        options={{
          columnDefs: sheetColumns(session, sheet, extra),
          rowData: keys.map((key) => ({ key })),
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, suppressHeaderMenuButton: false, minWidth: 56 },
          rowSelection: { mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: false },
          tooltipShowDelay: 250,
          tooltipInteraction: false,
          singleClickEdit: false,
          stopEditingWhenCellsLoseFocus: true,
          enterNavigatesVerticallyAfterEdit: true,
          animateRows: false,
          suppressColumnVirtualisation: false,
          rowBuffer: 10,
          readOnlyEdit: false,
          onCellFocused: (e: CellFocusedEvent<Row>) => {
            if (e.rowIndex === null || e.rowIndex === undefined || !e.column || typeof e.column === 'string') return;
            const key = e.api.getDisplayedRowAtIndex(e.rowIndex)?.data?.key;
            if (key) session.setCursor({ sheet, key, col: e.column.getColId() });
          },
        }}
        onReady={(a) => {
          api = a;
          props.onCount?.(keys.length);
          void host;
          if (pendingReveal) {
            const r = pendingReveal;
            pendingReveal = null;
            requestAnimationFrame(() => reveal(r));
          }
        }}
      />
    </div>
  );
}
