// One tooltip per sheet grid for the cells that explain themselves on hover: a problem's message,
// the rule that renamed a row. AG Grid's own tooltips build a tooltip manager (a bean with its
// listeners) for every cell they draw, whether or not it has anything to say: ~10% of drawing
// the first rows of a large sheet, and of every row scrolled into view. Here nothing is made per
// cell; the text is asked for only when the pointer has rested on a cell.

export type CellTipText = (key: string, col: string) => string | undefined;

/** Shows `textOf(row key, column)` beside the cell the pointer rests on; returns the undo. */
export function cellTips(host: HTMLElement, textOf: CellTipText, delayMs = 250): () => void {
  let over: Element | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tip: HTMLDivElement | null = null;

  const hide = (): void => {
    clearTimeout(timer);
    over = null;
    tip?.remove();
    tip = null;
  };
  const show = (cell: Element, text: string): void => {
    tip = document.createElement('div');
    tip.className = 'cell-tip';
    tip.setAttribute('role', 'tooltip');
    tip.textContent = text;
    document.body.append(tip);
    // Below the cell, kept inside the window (a phone's too).
    const r = cell.getBoundingClientRect(), t = tip.getBoundingClientRect();
    const left = Math.max(4, Math.min(r.left, window.innerWidth - t.width - 4));
    const top = r.bottom + 4 + t.height <= window.innerHeight ? r.bottom + 4 : Math.max(4, r.top - 4 - t.height);
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  };
  const onOver = (e: MouseEvent): void => {
    const cell = (e.target as Element | null)?.closest?.('.ag-cell') ?? null;
    if (cell === over) return;
    hide();
    const key = cell?.closest('.ag-row')?.getAttribute('row-id');
    const col = cell?.getAttribute('col-id');
    if (!cell || !key || !col) return;
    over = cell;
    timer = setTimeout(() => {
      const text = cell.isConnected ? textOf(key, col) : undefined;
      if (text) show(cell, text);
    }, delayMs);
  };
  host.addEventListener('mouseover', onOver);
  host.addEventListener('mouseleave', hide);
  host.addEventListener('wheel', hide, { passive: true });
  host.addEventListener('keydown', hide, true);
  return () => {
    host.removeEventListener('mouseover', onOver);
    host.removeEventListener('mouseleave', hide);
    host.removeEventListener('wheel', hide);
    host.removeEventListener('keydown', hide, true);
    hide();
  };
}
