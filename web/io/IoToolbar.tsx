// The import/export entry points in one piece for the workspace's app bar: Import (dialog), Export
// (menu), Dashboard and Report (full-size overlays). The shell mounts this; each part can also be
// mounted on its own (ImportDialog, ExportMenu, Dashboard, ReportPage).

import { Show, createSignal, lazy } from 'solid-js';
import type { Session } from '../state/session';
import { ExportMenu } from './ExportMenu';
import { ImportDialog } from './ImportDialog';
import './io.css';

// The charts (ECharts) load on first use, not with the workspace.
const Dashboard = lazy(() => import('./Dashboard').then((m) => ({ default: m.Dashboard })));
const ReportPage = lazy(() => import('./ReportPage').then((m) => ({ default: m.ReportPage })));

export function IoToolbar(props: { session: Session }) {
  const [importing, setImporting] = createSignal(false);
  const [view, setView] = createSignal<'dashboard' | 'report' | null>(null);
  return (
    <>
      <button type="button" onClick={() => setImporting(true)} disabled={props.session.readOnly} data-testid="import-open">Import</button>
      <ExportMenu session={props.session} onReport={() => setView('report')} />
      <button type="button" onClick={() => setView(view() === 'dashboard' ? null : 'dashboard')} data-testid="dashboard-open">Dashboard</button>
      <Show when={importing()}><ImportDialog session={props.session} onClose={() => setImporting(false)} /></Show>
      <Show when={view()}>
        <div class="io-overlay">
          <Show when={view() === 'dashboard'} fallback={<ReportPage session={props.session} onClose={() => setView(null)} />}>
            <div class="io-report-bar"><b>Dashboard</b><span class="grow" /><button type="button" onClick={() => setView('report')}>Printable report</button><button type="button" onClick={() => setView(null)}>Close</button></div>
            <Dashboard session={props.session} />
          </Show>
        </div>
      </Show>
    </>
  );
}
