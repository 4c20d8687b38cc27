// Our own thin Solid wrapper over AG Grid Community's createGrid (ag-grid-solid stopped at v31).
// Modules are registered once for the app; the theme comes from the theming API. The component
// owns only the grid's lifetime: options go in once, and callers drive the grid through its api.
// Pages reach it through Grid.tsx, which loads this module (and AG Grid with it) on first use.
//
// A grid is built in three tasks, not one, none of them the task that rendered the page around it:
// the grid itself, then its columns (headers), then its rows (the datasource, or the rows
// `onReady` gives it). Built at once, the workspace's first grid
// was the longest task of opening a large workspace (0.4-0.56 s on the 2-core bench machine);
// between the steps the page paints and handles input. `onReady` comes once all three are done.

import { onCleanup, onMount } from 'solid-js';
import {
  CellApiModule, CellStyleModule, CheckboxEditorModule, ClientSideRowModelApiModule, ClientSideRowModelModule,
  ColumnApiModule, ColumnAutoSizeModule, CustomEditorModule, CustomFilterModule, DateEditorModule, DateFilterModule,
  DragAndDropModule, EventApiModule, HighlightChangesModule, InfiniteRowModelModule, ModuleRegistry, NumberEditorModule,
  NumberFilterModule, QuickFilterModule, RenderApiModule, RowApiModule, RowSelectionModule, RowStyleModule,
  ScrollApiModule, SelectEditorModule, TextEditorModule, TextFilterModule, createGrid, themeQuartz, type GridApi,
} from 'ag-grid-community';
import { fitNarrow } from './narrow';
import { GridNotes } from './notes';
import { hoverNotes } from './cell-tip';
import { nextTask, type GridProps } from './Grid';

// The modules Reckon's grids use, not AllCommunityModule. Left out on purpose: PinnedRowModule,
// whose row model (AG Grid 36.2) announces "pinned height changed" on every redraw even with no
// pinned rows, so each scroll step and each refreshed cell cost a second, forced layout in the
// next frame (a third of the page's busy time while editing the 1M workspace); TooltipModule,
// which builds a tooltip feature for every cell drawn (tooltips are this wrapper's: notes.ts); and
// the features no grid here uses (CSV export, pagination, row dragging, undo, grid state, spans,
// auto height, locale texts), which only made creating each grid slower. A grid option that needs
// a missing module logs an AG Grid error, and the browser tests fail on any console error.
ModuleRegistry.registerModules([
  ClientSideRowModelModule, ClientSideRowModelApiModule, InfiniteRowModelModule,
  TextEditorModule, NumberEditorModule, DateEditorModule, CheckboxEditorModule, SelectEditorModule, CustomEditorModule,
  TextFilterModule, NumberFilterModule, DateFilterModule, CustomFilterModule, QuickFilterModule,
  ColumnApiModule, RowApiModule, ScrollApiModule, RenderApiModule, CellApiModule, EventApiModule,
  ColumnAutoSizeModule, RowSelectionModule, CellStyleModule, RowStyleModule, HighlightChangesModule, DragAndDropModule,
]);

/** Dense and calm: a spreadsheet for people who spend the day in it. */
const reckonTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 12.5,
  headerFontSize: 12,
  headerFontWeight: 600,
  rowHeight: 24,
  headerHeight: 28,
  spacing: 4,
  cellHorizontalPadding: 8,
  borderRadius: 0,
  wrapperBorderRadius: 0,
  wrapperBorder: false,
  columnBorder: { color: '#e7e9ee' },
  rowBorder: { color: '#eceef2' },
  headerBackgroundColor: '#f5f6f8',
  headerTextColor: '#3b4250',
  foregroundColor: '#1f2430',
  backgroundColor: '#ffffff',
  oddRowBackgroundColor: '#ffffff',
  accentColor: '#2f6fb3',
  rangeSelectionBorderColor: '#2f6fb3',
  selectedRowBackgroundColor: '#e8f0fa',
  rowHoverColor: '#f3f6fa',
  iconSize: 12,
  inputBorder: { color: '#c9ced8' },
  // A revealed row flashes a soft blue, not the default teal.
  valueChangeValueHighlightBackgroundColor: '#cfe0f5',
});

export default function AgGrid<T>(props: GridProps<T>) {
  let el!: HTMLDivElement;
  onMount(() => {
    const { columnDefs, datasource, rowData, tooltipShowDelay, tooltipInteraction, ...rest } = props.options;
    void tooltipInteraction;
    let api: GridApi<T> | null = null;
    let stopNarrow = (): void => {};
    let stopNotes = (): void => {};
    let alive = true;
    onCleanup(() => {
      alive = false;
      stopNarrow();
      stopNotes();
      api?.destroy();
    });
    void (async () => {
      // Not in the task that renders the page around the grid (the workspace view's first render).
      await nextTask();
      if (!alive) return;
      const grid = createGrid<T>(el, { theme: reckonTheme, ...rest });
      api = grid;
      // Column definitions reach AG Grid through here, whoever sets them: their tooltips are kept
      // by this grid's notes, not passed on (AG Grid would need TooltipModule for them).
      const notes = new GridNotes<T>();
      const setOption = grid.setGridOption.bind(grid);
      grid.setGridOption = ((key: string, value: unknown) =>
        setOption(key as never, (key === 'columnDefs' ? notes.take(value as never) : value) as never)) as typeof grid.setGridOption;
      stopNotes = hoverNotes(el, (anchor) => notes.textAt(grid, anchor), tooltipShowDelay ?? 400);
      await nextTask();
      if (!alive) return;
      if (columnDefs) api.setGridOption('columnDefs', columnDefs);
      stopNarrow = fitNarrow(api as GridApi, el, props.narrowKeys);
      await nextTask();
      if (!alive) return;
      if (datasource) api.setGridOption('datasource', datasource);
      if (rowData) api.setGridOption('rowData', rowData);
      props.onReady?.(api);
    })();
  });
  return (
    <div
      class={`grid-host ${props.class ?? ''}`}
      ref={(e) => {
        el = e;
        props.ref?.(e);
      }}
    />
  );
}
