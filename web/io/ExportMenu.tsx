// The export menu: the workbook (JSON, XLSX; written in the io worker from the document's state)
// and the position report (CSV, XLSX; built on the page from the results, which are small), plus
// the printable report.

import { download } from './download';
import { For, Show, createSignal } from 'solid-js';
import { transfer } from 'comlink';
import { reportCsv, reportXlsx } from '../../io/report/write';
import type { Session } from '../state/session';
import { ioWorker } from './client';
import { asOfOf, trackedSummary } from './results';
import './io.css';

export function ExportMenu(props: { session: Session; onReport?: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const base = () => (props.session.doc.getMap('meta').get('name') as string | undefined)?.replace(/[^\w.-]+/g, '-') || 'workbook';
  const summary = () => trackedSummary(props.session.results, asOfOf({ get: (k) => props.session.setting(k) }));

  /** The document's state, handed to the worker without a copy. */
  const state = () => {
    const s = props.session.exportState();
    return transfer(s, [s.buffer]);
  };

  const run = async (label: string, f: () => Promise<void> | void) => {
    setOpen(false);
    setBusy(label);
    setError(null);
    try {
      await f();
    } catch (err) {
      setError(`${label}: ${(err as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const items: { label: string; act: () => Promise<void> | void }[] = [
    { label: 'Workbook (JSON)', act: async () => download(await ioWorker().exportWorkbook(state(), 'json'), `${base()}.json`) },
    { label: 'Workbook (XLSX)', act: async () => download(await ioWorker().exportWorkbook(state(), 'xlsx'), `${base()}.xlsx`) },
    { label: 'Position report (CSV)', act: () => download(new Blob([reportCsv(summary())], { type: 'text/csv' }), `${base()}-positions.csv`) },
    { label: 'Position report (XLSX)', act: () => download(new Blob([reportXlsx(summary()) as BlobPart]), `${base()}-positions.xlsx`) },
  ];

  return (
    <div class="io-menu">
      <button type="button" onClick={() => setOpen(!open())} disabled={busy() !== null} data-testid="export-menu" aria-haspopup="menu" aria-expanded={open()}>
        {busy() ? `Exporting ${busy()}…` : 'Export'}
      </button>
      <Show when={open()}>
        <div class="io-menu-list" role="menu">
          <For each={items}>{(i) => <button type="button" role="menuitem" onClick={() => run(i.label, i.act)}>{i.label}</button>}</For>
          <Show when={props.onReport}>
            <button type="button" role="menuitem" onClick={() => { setOpen(false); props.onReport?.(); }}>Printable report…</button>
          </Show>
        </div>
      </Show>
      <Show when={error()}><span class="io-error" role="alert">{error()}</span></Show>
    </div>
  );
}
