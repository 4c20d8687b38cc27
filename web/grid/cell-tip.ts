// One hover note per grid, for the cells and headers that explain themselves: a problem's message,
// the rule that renamed a row, what a column means. Nothing is made per cell: the text is asked
// for only when the pointer has rested on a cell or header (notes.ts says which text).

/** Shows `textAt(cell or header)` beside the one the pointer rests on; returns the undo. */
export function hoverNotes(host: HTMLElement, textAt: (anchor: Element) => string | undefined, delayMs: number): () => void {
  let over: Element | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tip: HTMLDivElement | null = null;

  const hide = (): void => {
    clearTimeout(timer);
    over = null;
    tip?.remove();
    tip = null;
  };
  const show = (anchor: Element, text: string): void => {
    tip = document.createElement('div');
    tip.className = 'cell-tip';
    tip.setAttribute('role', 'tooltip');
    tip.textContent = text;
    document.body.append(tip);
    // Below the cell, kept inside the window (a phone's too).
    const r = anchor.getBoundingClientRect(), t = tip.getBoundingClientRect();
    const left = Math.max(4, Math.min(r.left, window.innerWidth - t.width - 4));
    const top = r.bottom + 4 + t.height <= window.innerHeight ? r.bottom + 4 : Math.max(4, r.top - 4 - t.height);
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  };
  const onOver = (e: MouseEvent): void => {
    const anchor = (e.target as Element | null)?.closest?.('.ag-cell, .ag-header-cell') ?? null;
    if (anchor === over) return;
    hide();
    if (!anchor) return;
    over = anchor;
    timer = setTimeout(() => {
      const text = anchor.isConnected ? textAt(anchor) : undefined;
      if (text) show(anchor, text);
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
