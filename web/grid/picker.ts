// Popup cell editors that pick a value from a filtered list: the metric picker (grouped by
// publisher, each metric with its rule in words) and the reference picker (rows of another sheet).
// Plain DOM (AG Grid cell editor components), kept small. Whatever is typed and not picked is kept
// as typed: a bad value becomes a problem, never a lost edit.

import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import { METRICS } from '../../engine/metrics/catalog';

export interface PickItem {
  value: string;
  label: string;
  detail?: string;
  group?: string;
}

const MAX_SHOWN = 300;

abstract class PickerEditor implements ICellEditorComp {
  protected root = document.createElement('div');
  private input = document.createElement('input');
  private list = document.createElement('div');
  private shown: PickItem[] = [];
  private active = 0;
  private value = '';
  private params!: ICellEditorParams;

  protected abstract items(params: ICellEditorParams): PickItem[];

  init(params: ICellEditorParams): void {
    this.params = params;
    const start = params.eventKey && params.eventKey.length === 1 ? params.eventKey : params.value == null ? '' : String(params.value);
    this.value = start;
    this.root.className = 'picker';
    this.input.className = 'picker-input';
    this.input.value = start;
    this.input.setAttribute('aria-label', 'Filter');
    this.list.className = 'picker-list';
    this.list.setAttribute('role', 'listbox');
    this.root.append(this.input, this.list);
    const all = this.items(params);
    // Opened without typing: the whole list, the current value highlighted; typing filters.
    let filtering = !!(params.eventKey && params.eventKey.length === 1);
    const render = (): void => {
      const q = filtering ? this.input.value.trim().toLowerCase() : '';
      const hit = (i: PickItem): boolean => !q || i.value.toLowerCase().includes(q) || i.label.toLowerCase().includes(q) || (i.group ?? '').toLowerCase().includes(q);
      this.shown = [];
      for (const i of all) {
        if (hit(i)) this.shown.push(i);
        if (this.shown.length >= MAX_SHOWN) break;
      }
      // Keep the current value highlighted when it is on the list.
      const cur = this.shown.findIndex((i) => i.value === this.input.value);
      this.active = cur >= 0 ? cur : 0;
      this.list.replaceChildren();
      let group: string | undefined;
      this.shown.forEach((item, n) => {
        if (item.group !== undefined && item.group !== group) {
          group = item.group;
          const g = document.createElement('div');
          g.className = 'picker-group';
          g.textContent = group;
          this.list.append(g);
        }
        const el = document.createElement('div');
        el.className = 'picker-item';
        el.setAttribute('role', 'option');
        el.dataset.n = String(n);
        const main = document.createElement('div');
        main.className = 'picker-main';
        const label = document.createElement('span');
        label.textContent = item.label;
        const val = document.createElement('code');
        val.textContent = item.value;
        main.append(label, val);
        el.append(main);
        if (item.detail) {
          const d = document.createElement('div');
          d.className = 'picker-detail';
          d.textContent = item.detail;
          el.append(d);
        }
        el.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.pick(n);
        });
        this.list.append(el);
      });
      if (this.shown.length === 0) {
        const none = document.createElement('div');
        none.className = 'picker-empty';
        none.textContent = q ? `No match: Enter keeps “${this.input.value}” as typed` : 'Nothing to pick';
        this.list.append(none);
      }
      this.highlight();
    };
    let navigated = false;
    this.input.addEventListener('input', () => {
      filtering = true;
      navigated = false;
      this.value = this.input.value;
      render();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        e.stopPropagation();
        if (this.shown.length) this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.shown.length) % this.shown.length;
        navigated = true;
        this.highlight();
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        // Enter on a filtered list takes the highlighted item only when the text is a prefix of
        // nothing else exactly typed: an exact typed value always wins.
        const exact = this.shown.find((i) => i.value.toLowerCase() === this.input.value.trim().toLowerCase());
        if (navigated && this.shown.length) this.value = this.shown[this.active].value;
        else if (exact) this.value = exact.value;
        else if (this.shown.length && this.input.value.trim() !== '' && filtering) this.value = this.shown[this.active].value;
        else this.value = this.input.value;
      }
    });
    render();
  }

  private highlight(): void {
    for (const el of this.list.querySelectorAll<HTMLElement>('.picker-item')) {
      const on = Number(el.dataset.n) === this.active;
      el.classList.toggle('active', on);
      el.setAttribute('aria-selected', String(on));
      if (on) el.scrollIntoView({ block: 'nearest' });
    }
  }

  private pick(n: number): void {
    this.value = this.shown[n].value;
    this.input.value = this.value;
    this.params.stopEditing();
  }

  getGui(): HTMLElement {
    return this.root;
  }
  afterGuiAttached(): void {
    this.input.focus();
    if (!this.params.eventKey) this.input.select();
  }
  getValue(): string {
    return this.value;
  }
  isPopup(): boolean {
    return true;
  }
  getPopupPosition(): 'under' {
    return 'under';
  }
}

/** Metrics grouped by publisher (a metric used by several publishers appears under each). */
export class MetricPicker extends PickerEditor {
  protected items(): PickItem[] {
    const out: PickItem[] = [];
    const pubs = [...new Set(METRICS.flatMap((m) => m.publishers))].sort((a, b) => a.localeCompare(b));
    for (const p of pubs) for (const m of METRICS) if (m.publishers.includes(p)) out.push({ value: m.id, label: m.name, detail: m.rule, group: p });
    return out;
  }
}

/** Rows of another sheet: `cellEditorParams.options()` gives them (read when the editor opens). */
export class RefPicker extends PickerEditor {
  protected items(params: ICellEditorParams & { options?: () => PickItem[] }): PickItem[] {
    return params.options?.() ?? [];
  }
}
