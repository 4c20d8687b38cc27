// One editable sheet in a grid: rows read live from the document, edits written as one-cell
// transactions, rows added/deleted, TSV paste, undo/redo of one's own edits, problems and peers'
// cursors drawn, computed entitlement columns refreshed on every results patch.
//
// AG Grid's infinite row model pages through the sheet: the grid holds only the blocks on screen,
// as `{ key }` rows, and asks for more by index. The order is a "view": the sheet's keys (sheet
// order) when nothing is sorted or filtered, else indices into them computed by worker/view.ts —
// in the reconciliation worker for a large sheet (never read row by row on the page), on the page
// for a small one (and for entitlements, whose computed columns live here). So a sort or filter
// of a million rows never blocks the page, and an import of a million rows costs the page only its
// keys (sheet-rows.ts) and the blocks on screen.
//
// Invariants: `rows.keys` mirrors the sheet's row keys in sheet order; every structural change in
// the doc (local, remote, undo) reaches the grid through that observer (the view is dropped and the
// blocks reloaded), never through the code that made the change.

import { createEffect, on, onCleanup } from 'solid-js';
import type { CellFocusedEvent, GridApi, IDatasource, IGetRowsParams, IRowNode } from 'ag-grid-community';
import { cellText } from '../../engine/cells';
import { COLUMNS, type SheetName } from '../../engine/schema';
import type { FilterModel, SortSpec, ViewRequest } from '../../worker/view';
import { lowerBound } from './sheet-rows';
import type { Session } from '../state/session';
import { Grid, nextTask } from './Grid';
import { KEY_COLUMNS } from './narrow';
import { COMPUTED, NORMALIZED, computedValue, sheetColumns, type Row } from './columns';
import { isNormalized } from '../../engine/normalize/normalization';
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
  /** The grid's api once it exists (tests and the bench reach it through window.reckonUi). */
  onApi?: (api: GridApi<Row>) => void;
}

/** Up to this many rows a view is computed on the page; above, in the worker. */
const PAGE_VIEW_ROWS = 50_000;
/** Rows drawn beyond the screen, above and below, once the first rows are on screen (AG Grid's default). */
const ROW_BUFFER = 10;
/** Tests set `window.reckonPageViewRows` to send small sheets to the worker too. */
const pageViewRows = (): number => (window as { reckonPageViewRows?: number }).reckonPageViewRows ?? PAGE_VIEW_ROWS;

/** Runs `fn` when the page is idle (Safari has no requestIdleCallback: a little later). */
const whenIdle = (fn: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 200);
};

export function newRowId(sheet: string): string {
  const r = crypto.getRandomValues(new Uint8Array(4));
  return `${sheet[0]}-${Array.from(r, (x) => (x % 36).toString(36)).join('')}`;
}

export function SheetGrid(props: SheetGridProps) {
  const { session, sheet } = props;
  const reader = session.reader(sheet);
  let api: GridApi<Row> | null = null;
  let host!: HTMLDivElement;
  const known = COLUMNS[sheet].map((c) => c.name);
  let extra = reader.extraColumns(known);

  // The display order: null = sheet order; else indices into rows.keys. Dropped on every
  // structural change (`version`), recomputed on the next block request.
  let version = 0;
  let quick = '';
  let sortModel: SortSpec[] = [];
  let filterModel: Record<string, FilterModel> = {};
  let view: { version: number; req: string; order: Int32Array | null } | null = null;
  let pendingView: { version: number; req: string; promise: Promise<Int32Array | null> } | null = null;

  const request = (): ViewRequest => ({ sort: sortModel, filter: filterModel, quick, columns: [...known, ...extra] });
  const ordered = (): boolean => sortModel.length > 0 || Object.keys(filterModel).length > 0 || quick.trim() !== '';

  const ensureView = (): Promise<Int32Array | null> => {
    const req = request(), id = JSON.stringify([req.sort, req.filter, req.quick]), v = version;
    if (view && view.version === v && view.req === id) return Promise.resolve(view.order);
    if (pendingView && pendingView.version === v && pendingView.req === id) return pendingView.promise;
    const compute = async (): Promise<Int32Array | null> => {
      if (!ordered()) return null;
      const n = rows.keys.length;
      if (n <= pageViewRows() || sheet === 'entitlements') {
        return session.pageView(sheet, req, sheet === 'entitlements' ? computedValue(session) : undefined).order;
      }
      const answer = await session.view(sheet, req);
      return answer ? answer.order : new Int32Array(0);
    };
    const promise = compute().then((order) => {
      if (version === v) view = { version: v, req: id, order };
      return order;
    });
    pendingView = { version: v, req: id, promise };
    return promise;
  };

  // The first rows come in three tasks, each after the frame that shows the one before: the top
  // half of the screen (the grid's host is held to half its height until then), the rest of the
  // screen, then the rows beyond it that keep scrolling smooth (AG Grid makes only the new rows
  // each time). Drawn at once they were the longest task of opening the 1M workspace.
  let buffered = false;
  const afterFrame = (fn: () => void): void => {
    requestAnimationFrame(() => setTimeout(() => { if (!gone) fn(); }));
  };

  const keyAt = (order: Int32Array | null, i: number): string | undefined => (order ? rows.keys[order[i]] : rows.keys[i]);
  const viewLength = (order: Int32Array | null): number => (order ? order.length : rows.keys.length);

  const datasource: IDatasource = {
    getRows(p: IGetRowsParams) {
      sortModel = p.sortModel.map((s) => ({ colId: s.colId, sort: s.sort as 'asc' | 'desc' }));
      filterModel = p.filterModel as Record<string, FilterModel>;
      const v = version;
      ensureView().then(async (order) => {
        if (v !== version) return p.failCallback();
        const out: Row[] = [];
        const end = Math.min(p.endRow, viewLength(order));
        for (let i = p.startRow; i < end; i++) {
          const key = keyAt(order, i);
          if (key !== undefined) out.push({ key });
        }
        if (!buffered && out.length > 0) {
          // The first rows' stored chunk is decoded in a task of its own, not inside AG Grid's
          // drawing of them: on the 1M workspace that drawing fell from ~160 to ~120 ms (median).
          reader.row(out[0].key);
          await nextTask();
          if (gone || v !== version) return p.failCallback();
        }
        p.successCallback(out, viewLength(order));
        if (!buffered) {
          buffered = true;
          afterFrame(() => {
            host.classList.remove('first-rows');
            afterFrame(() => {
              api?.setGridOption('rowBuffer', ROW_BUFFER);
              if (sheet === 'entitlements') whenIdle(() => { if (!gone) entitlementRows(); });
            });
          });
        }
      }, () => p.failCallback());
    },
  };

  // Structural changes reload the blocks on screen once per frame (an import adds a chunk per task).
  let refreshQueued = false;
  const refresh = (): void => {
    version++;
    view = null;
    if (refreshQueued) return;
    refreshQueued = true;
    requestAnimationFrame(() => {
      refreshQueued = false;
      api?.refreshInfiniteCache();
    });
  };

  const rows = session.sheetRows(sheet, (c) => {
    if (c.structural) {
      idIndex = null;
      props.onCount?.(rows.keys.length);
    }
    // Only an id edit moves a row between entitlements (a quantity edit must not re-read them all).
    if (sheet === 'entitlements' && c.columns.has('id')) idIndex = null;
    if (!api) return;
    const fresh = [...c.columns].filter((col) => !known.includes(col) && !extra.includes(col));
    if (fresh.length) {
      extra = reader.extraColumns(known);
      api.setGridOption('columnDefs', sheetColumns(session, sheet, extra));
    }
    if (c.structural) refresh();
    const nodes: IRowNode<Row>[] = [];
    for (const k of c.cells) {
      const n = api.getRowNode(k);
      if (n) nodes.push(n);
    }
    // Not forced: AG Grid compares each cell's value and redraws the ones that changed (an edit
    // changes one or two of a row's ~30). Marks that do not follow a value (problems, peers'
    // cursors, rules) are redrawn, forced, where they change.
    if (nodes.length) api.refreshCells({ rowNodes: nodes });
  });
  let gone = false;
  onCleanup(() => {
    gone = true;
    rows.destroy();
  });

  // Entitlement id (comparison form) → row keys, for refreshing computed columns after a patch.
  // Rebuilt only when rows come or go or cells change (not on every patch: reading every row's id
  // costs more than the rest of an edit's round trip).
  // Read as one column (rows.keys and the column are both in key order); row by row only if the
  // two ever disagree. On the 1M workspace's 3,000 entitlements, rows one by one took ~60 ms of
  // the first edit's patch; it is also built in idle time once the first rows are on screen.
  let idIndex: Map<string, string[]> | null = null;
  const entitlementRows = (): Map<string, string[]> => {
    if (!idIndex) {
      idIndex = new Map();
      const ids = session.pageColumn(sheet, 'id');
      const aligned = ids.length === rows.keys.length;
      rows.keys.forEach((k, i) => {
        const id = cellText(aligned ? ids[i] : reader.get(k, 'id')).trim().toLowerCase();
        const list = idIndex!.get(id);
        if (list) list.push(k);
        else idIndex!.set(id, [k]);
      });
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
      const list: IRowNode<Row>[] = [];
      const byId = entitlementRows();
      for (const id of e.entitlementIds) for (const k of byId.get(id) ?? []) {
        const n = api.getRowNode(k);
        if (n) list.push(n);
      }
      // Only the columns whose figures changed, and not forced: AG Grid compares each cell's value
      // and redraws those that differ. A position pools many rows (often every row on screen) and
      // a quantity edit changes its purchased and available figures only; forcing every computed
      // column redrew ~250 cells per edit on the 1M estate (~10 ms), where ~80 show something new.
      const columns = [...e.entitlementFields].map((f) => (f === 'rights' ? 'counts' : f));
      if (list.length && columns.length) api.refreshCells({ rowNodes: list, columns });
    }
  }));

  // Rules changed: the normalized names beside the raw ones are redrawn.
  if (isNormalized(sheet)) createEffect(on(session.names.tick, () => api?.refreshCells({ columns: [NORMALIZED], force: true }), { defer: true }));

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

  /** Where a key is shown now (-1: not in the view). */
  const indexOfKey = async (key: string): Promise<number> => {
    const order = await ensureView();
    const at = lowerBound(rows.keys, key);
    if (rows.keys[at] !== key) return -1;
    return order ? order.indexOf(at) : at;
  };

  let pendingReveal: RevealRequest | null = null;
  const reveal = async (r: RevealRequest): Promise<void> => {
    if (!api) {
      pendingReveal = r;
      return;
    }
    let key = r.key;
    if (!key && r.id !== undefined) {
      const want = r.id.trim().toLowerCase();
      key = rows.keys.find((k) => cellText(reader.get(k, 'id')).trim().toLowerCase() === want);
    }
    if (!key) return;
    const index = await indexOfKey(key);
    if (index < 0 || !api) return;
    const col = r.col ?? 'id';
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    // A row just added is in the view before the grid has reloaded its blocks: wait for the count.
    for (let i = 0; i < 120 && api.getDisplayedRowCount() <= index; i++) await frame();
    api.ensureIndexVisible(index, 'middle');
    if (api.getColumn(col)) api.ensureColumnVisible(col, 'auto');
    // Its block may still be loading: focus and flash it once it is there.
    for (let i = 0; i < 120; i++) {
      const node = api.getRowNode(key);
      if (node && node.rowIndex === index) {
        api.setFocusedCell(index, col);
        api.flashCells({ rowNodes: [node] });
        return;
      }
      await frame();
    }
  };
  createEffect(on(() => props.reveal, (r) => {
    if (r && r.sheet === sheet) queueMicrotask(() => void reveal(r));
  }));

  const editableColumns = (): string[] =>
    (api?.getAllDisplayedColumns() ?? []).filter((c) => !(COMPUTED as readonly string[]).includes(c.getColId()) && c.getColId() !== NORMALIZED).map((c) => c.getColId());

  /** Keys shown from `start` on, `count` of them at most (fewer at the end of the view). */
  const shownKeys = async (start: number, count: number): Promise<string[]> => {
    const order = await ensureView();
    const out: string[] = [];
    for (let i = start; i < Math.min(start + count, viewLength(order)); i++) out.push(keyAt(order, i)!);
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
    const block = parseTsv(text);
    void shownKeys(focused.rowIndex, block.length).then((rowKeys) =>
      pasteBlock(session, sheet, block, { rowKeys, columns: cols, startRow: 0, startCol }, () => newRowId(sheet)));
  };

  const deleteFocused = (): void => {
    if (!api || session.readOnly) return;
    const sel = api.getSelectedNodes().flatMap((n) => (n.data ? [n.data.key] : []));
    const f = api.getFocusedCell();
    const fk = f ? api.getDisplayedRowAtIndex(f.rowIndex)?.data?.key : undefined;
    const ks = sel.length ? sel : fk ? [fk] : [];
    if (ks.length) session.edit(() => ks.forEach((k) => session.deleteRow(sheet, k)));
  };

  const addNew = (): void => {
    if (session.readOnly) return;
    let key = '';
    session.edit(() => { key = session.addRow(sheet, { id: newRowId(sheet) }); });
    queueMicrotask(() => void reveal({ sheet, key, col: COLUMNS[sheet][1]?.name ?? 'id', seq: 0 }));
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
          onInput={(e) => { quick = e.currentTarget.value; refresh(); }}
        />
      </div>
      <Grid<Row>
        narrowKeys={KEY_COLUMNS[sheet]}
        ref={(el) => {
          host = el;
          el.classList.add('first-rows');
          el.addEventListener('paste', onPaste);
          el.addEventListener('keydown', onKey, true);
        }}
        options={{
          columnDefs: sheetColumns(session, sheet, extra),
          rowModelType: 'infinite',
          datasource,
          cacheBlockSize: 200,
          maxBlocksInCache: 40,
          // 1: every new cache (a sort, a filter, a reload with nothing held) starts from this
          // count. From 0 the infinite row model never asks for a block, so a sheet that was empty
          // when its grid was made would stay empty on screen; above 1, the grid draws a screenful
          // of placeholder rows and then draws them all again when the block comes, a few ms later
          // (on the 1M workspace each drawing is a task of 0.15-0.35 s).
          infiniteInitialRowCount: 1,
          getRowId: (p) => p.data.key,
          defaultColDef: { resizable: true, sortable: true, filter: true, suppressHeaderMenuButton: false, minWidth: 56 },
          rowSelection: { mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: false },
          tooltipShowDelay: 250,
          singleClickEdit: false,
          stopEditingWhenCellsLoseFocus: true,
          enterNavigatesVerticallyAfterEdit: true,
          animateRows: false,
          suppressColumnVirtualisation: false,
          rowBuffer: 0,
          // A sheet's vertical scrollbar is always there, as in a spreadsheet. AG Grid then does not
          // measure whether it is needed after each change of rows or columns: that measuring forced
          // a layout of the new rows inside each of the first grid's tasks (~20 ms each on the 1M
          // workspace). Not the horizontal one: where scrollbars overlay the page (phones, headless
          // Chromium) an always-shown one covers the last row and takes its clicks.
          alwaysShowVerticalScroll: true,
          readOnlyEdit: false,
          onCellFocused: (e: CellFocusedEvent<Row>) => {
            if (e.rowIndex === null || e.rowIndex === undefined || !e.column || typeof e.column === 'string') return;
            const key = e.api.getDisplayedRowAtIndex(e.rowIndex)?.data?.key;
            if (key) session.setCursor({ sheet, key, col: e.column.getColId() });
          },
        }}
        onReady={(a) => {
          api = a;
          props.onApi?.(a);
          props.onCount?.(rows.keys.length);
          void host;
          if (pendingReveal) {
            const r = pendingReveal;
            pendingReveal = null;
            requestAnimationFrame(() => void reveal(r));
          }
        }}
      />
    </div>
  );
}
