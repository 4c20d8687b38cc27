// Tooltips as pages write them for AG Grid (`headerTooltip`, `tooltipField`, `tooltipValueGetter`
// on a column), shown by one hover note per grid (cell-tip.ts) instead of AG Grid's TooltipModule.
// With that module, AG Grid 36 builds a tooltip feature and its manager for every cell it draws,
// whether or not the column has a tooltip: a part of drawing each row of every grid. The grid
// wrapper (AgGrid.tsx) takes the tooltip fields out of the column definitions it is given,
// whoever gives them, and this keeps them per column.

import type { ColDef, ColGroupDef, GridApi, ITooltipParams, IRowNode } from 'ag-grid-community';

type AnyDef<T> = ColDef<T> | ColGroupDef<T>;

interface ColumnNotes<T> {
  header?: string;
  cell?: (node: IRowNode<T>, def: ColDef<T>) => unknown;
}

export class GridNotes<T> {
  private byCol = new Map<string, ColumnNotes<T>>();
  private defs = new Map<string, ColDef<T>>();

  /** The column definitions without their tooltip fields, which are kept here (replacing those kept before). */
  take(defs: AnyDef<T>[] | null | undefined): AnyDef<T>[] | null | undefined {
    this.byCol = new Map();
    this.defs = new Map();
    return defs?.map((d) => this.strip(d));
  }

  private strip(d: AnyDef<T>): AnyDef<T> {
    if ('children' in d) {
      // A group's own header tooltip is dropped (no group here has one); its columns keep theirs.
      const { headerTooltip, ...group } = d;
      void headerTooltip;
      return { ...group, children: d.children.map((c) => this.strip(c)) };
    }
    const { headerTooltip, tooltipField, tooltipValueGetter, ...def } = d;
    const col = def.colId ?? (typeof def.field === 'string' ? def.field : undefined);
    if (col === undefined) return def;
    const notes: ColumnNotes<T> = {};
    if (typeof headerTooltip === 'string' && headerTooltip !== '') notes.header = headerTooltip;
    if (tooltipValueGetter) {
      // Our getters read the row's data; the rest of AG Grid's parameters are given as far as known.
      notes.cell = (node, colDef) => tooltipValueGetter({
        data: node.data, node, colDef, location: 'cell', rowIndex: node.rowIndex ?? undefined,
      } as unknown as ITooltipParams<T>);
    } else if (tooltipField) {
      notes.cell = (node) => (node.data as Record<string, unknown> | undefined)?.[tooltipField as string];
    }
    if (notes.header || notes.cell) {
      this.byCol.set(col, notes);
      this.defs.set(col, def);
    }
    return def;
  }

  /** The text of the cell or header `anchor` is in this grid, if its column has one. */
  textAt(api: GridApi<T>, anchor: Element): string | undefined {
    const col = anchor.getAttribute('col-id');
    const notes = col === null ? undefined : this.byCol.get(col);
    if (!notes || col === null) return undefined;
    if (anchor.classList.contains('ag-header-cell')) return notes.header;
    const row = anchor.closest('.ag-row');
    if (!notes.cell || !row) return undefined;
    const id = row.getAttribute('row-id'), index = row.getAttribute('row-index');
    const node = id !== null ? api.getRowNode(id) : index !== null ? api.getDisplayedRowAtIndex(Number(index)) : undefined;
    if (!node?.data) return undefined;
    const text = notes.cell(node, this.defs.get(col)!);
    return text === null || text === undefined || text === '' ? undefined : String(text);
  }
}
