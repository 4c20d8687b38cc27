// The printable report: one self-contained HTML page (inline CSS, charts as inline SVG, no script)
// that reads well on screen and prints cleanly to PDF from the browser: A4 landscape, table
// headers repeated on every page, rows never split across pages, each section on a new page, and
// status colours kept in print.

import { consumedVsPurchasedChart, costByPublisherChart, unitsByCategoryChart } from './charts';
import { chartSvg } from './svg';
import { POSITION_COLUMNS, RENEWAL_COLUMNS, REPORT_RENEWAL_DAYS, STATUS_FILL, STATUS_LABELS, STATUSES, money, num, positionCells, renewalCells, type Summary } from './summary';

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; }
body { margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
.meta { color: #52606d; margin-bottom: 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 12px; }
.card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 11px; }
th, td { border: 1px solid #d9e2ec; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { white-space: nowrap; font-weight: 600; }
${STATUSES.map((s) => `.s-${s} { background: ${STATUS_FILL[s]}; }`).join('\n')}
.charts svg { max-width: 100%; height: auto; }
.more { color: #52606d; font-style: italic; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, .card, .chart { break-inside: avoid; }
  section + section { break-before: page; }
  h2 { break-after: avoid; }
}`;

function table(head: readonly string[], rows: string[], numeric: ReadonlySet<number>): string {
  return `<table><thead><tr>${head.map((h, i) => `<th${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The report page. `maxRows` bounds each table (a million problems would not print). */
export function reportHtml(s: Summary, options: { title?: string; maxRows?: number } = {}): string {
  const title = options.title ?? 'License position report';
  const max = options.maxRows ?? 5000;
  const SHORTFALL_COST = POSITION_COLUMNS.indexOf('Shortfall cost'), SURPLUS_COST = POSITION_COLUMNS.indexOf('Surplus cost');
  const numeric = new Set([9, 10, 11, 12, 13, 14, 15]);
  const posRows = s.positions.slice(0, max).map((p) => {
    const cells = positionCells(p, s.labels);
    return `<tr>${cells.map((v, i) => {
      if (i === 0) return `<td class="status s-${p.status}">${escapeHtml(v)}</td>`;
      if (i === SHORTFALL_COST) return `<td class="n">${p.shortfallCost ? escapeHtml(money(p.shortfallCost, p.currency)) : ''}</td>`;
      if (i === SURPLUS_COST) return `<td class="n">${p.surplus > 0 ? escapeHtml(p.surplusCost === null ? 'no unit cost' : money(p.surplusCost, p.currency)) : ''}</td>`;
      if (typeof v === 'number') return `<td class="n">${escapeHtml(num(v))}</td>`;
      return `<td>${escapeHtml(v)}</td>`;
    }).join('')}</tr>`;
  });
  const more = (n: number) => (n > max ? `<p class="more">… and ${num(n - max)} more: export the report as CSV or XLSX for every row.</p>` : '');
  const cost = s.shortfallCost.length ? s.shortfallCost.map(([c, v]) => escapeHtml(money(v, c))).join(' + ') : escapeHtml(money(0, s.positions[0]?.currency ?? 'USD'));
  const cards = [
    ...STATUSES.map((st) => `<div class="card s-${st}">${STATUS_LABELS[st]}<b>${num(s.counts[st])}</b></div>`),
    `<div class="card">Shortfall cost<b>${cost}</b></div>`,
    `<div class="card">Surplus cost<b>${s.surplusCost.length ? s.surplusCost.map(([c, v]) => escapeHtml(money(v, c))).join(' + ') : '—'}</b></div>`,
    `<div class="card">Hardware units<b>${num(s.hardwareUnits)}${s.otUnits ? ` <small>+ ${num(s.otUnits)} OT</small>` : ''}</b></div>`,
  ].join('');
  const charts = [
    s.costByPublisher.length ? chartSvg(costByPublisherChart(s, 15), 1000, 360) : '',
    s.positions.length ? chartSvg(consumedVsPurchasedChart(s, Infinity, 25), 1000, 520) : '',
    s.categories.length ? chartSvg(unitsByCategoryChart(s), 1000, 320) : '',
  ].filter(Boolean).map((svg) => `<div class="chart">${svg}</div>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<section>
<h1>${escapeHtml(title)}</h1>
<div class="meta">As of ${escapeHtml(s.asOf)} · ${num(s.positions.length)} positions · ${num(s.unlicensed.length)} unlicensed products · ${num(s.problems.length)} problems</div>
<div class="cards">${cards}</div>
<div class="charts">${charts}</div>
</section>
<section>
<h2>License positions</h2>
${table(POSITION_COLUMNS, posRows, numeric)}${more(s.positions.length)}
</section>
${s.renewals.length ? `<section><h2>Renewals in the next ${REPORT_RENEWAL_DAYS} days</h2><p class="meta">Rights ending or due for notice; cost at stake is the right's quantity × its unit cost.</p>${table(RENEWAL_COLUMNS, s.renewals.slice(0, max).map((r) => `<tr>${renewalCells(r, s.labels).map((v, i) => {
  if (i === 4) return `<td class="status s-${r.status}">${escapeHtml(v)}</td>`;
  if (i === 6) return `<td class="n">${r.costAtStake === null ? '' : escapeHtml(money(r.costAtStake, r.currency))}</td>`;
  if (typeof v === 'number') return `<td class="n">${escapeHtml(num(v))}</td>`;
  return `<td>${escapeHtml(v)}</td>`;
}).join('')}</tr>`), new Set([5, 6]))}${more(s.renewals.length)}</section>` : ''}
${s.unlicensed.length ? `<section><h2>Unlicensed installations</h2>${table(['Publisher', 'Product', 'Installations', 'Devices'], s.unlicensed.slice(0, max).map((u) => `<tr><td>${escapeHtml(u.publisher)}</td><td>${escapeHtml(u.product)}</td><td class="n">${num(u.installations)}</td><td class="n">${num(u.devices)}</td></tr>`), new Set([2, 3]))}${more(s.unlicensed.length)}</section>` : ''}
${s.categories.length ? `<section><h2>Hardware units</h2>${table(['Category', 'Solution', 'Assets', 'Ratio', 'Units'], s.categories.map((c) => `<tr><td>${escapeHtml(c.category)}</td><td>${escapeHtml(c.solution)}</td><td class="n">${num(c.assets)}</td><td class="n">${num(c.ratio)}:1</td><td class="n">${num(c.units)}</td></tr>`), new Set([2, 3, 4]))}</section>` : ''}
${s.problems.length ? `<section><h2>Problems</h2>${table(['Sheet', 'Row', 'Column', 'Problem'], s.problems.slice(0, max).map((p) => `<tr><td>${escapeHtml(p.sheet)}</td><td>${escapeHtml(p.rowId)}</td><td>${escapeHtml(p.column)}</td><td>${escapeHtml(p.message)}</td></tr>`), new Set())}${more(s.problems.length)}</section>` : ''}
</body></html>
`;
}
