// The printable report, in the page: the same self-contained HTML the command line writes
// (io/report/html.ts), shown in a frame; Print prints the frame, so the browser's "Save as PDF"
// gives the report alone with its print styles (A4 landscape, repeated headers, page breaks).

import { createMemo } from 'solid-js';
import { reportHtml } from '../../io/report/html';
import type { Session } from '../state/session';
import { asOfOf, trackedSummary } from './results';
import './io.css';

export function ReportPage(props: { session: Session; onClose?: () => void }) {
  let frame!: HTMLIFrameElement;
  const html = createMemo(() => reportHtml(trackedSummary(props.session.results, asOfOf({ get: (k) => props.session.setting(k) }))));
  return (
    <div class="io-report" data-testid="report-page">
      <div class="io-report-bar">
        <b>Report</b>
        <span class="grow" />
        <button type="button" class="primary" onClick={() => frame.contentWindow?.print()}>Print or save as PDF</button>
        {props.onClose && <button type="button" onClick={() => props.onClose?.()}>Close</button>}
      </div>
      <iframe ref={frame} class="io-report-frame" title="Printable report" srcdoc={html()} />
    </div>
  );
}
