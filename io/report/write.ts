// The position report in three formats: CSV (for other tools), XLSX (status colours, a summary
// sheet, unlicensed software, hardware units and problems on their own sheets) and a printable
// HTML page (io/report/html.ts).

import { csvText } from '../csv/write';
import { collectXlsx, type StyleName, type XCell } from '../xlsx/write';
import { POSITION_COLUMNS, RENEWAL_COLUMNS, REPORT_RENEWAL_DAYS, STATUS_LABELS, STATUSES, positionCells, renewalCells, type Summary } from './summary';

/** CSV of the positions. Formula-like text is escaped: this file is opened by people in spreadsheets. */
export function reportCsv(s: Summary): string {
  return csvText([...POSITION_COLUMNS], s.positions.map((p) => positionCells(p, s.labels)), { escapeFormulae: true });
}

const MONEY_COLUMNS: ReadonlySet<number> = new Set([POSITION_COLUMNS.indexOf('Shortfall cost'), POSITION_COLUMNS.indexOf('Surplus cost')]);
const WIDTHS = [14, 18, 28, 10, 10, 18, 12, 12, 10, 11, 11, 11, 11, 14, 11, 14, 9, 18, 36, 30, 24];
const RENEWAL_MONEY = RENEWAL_COLUMNS.indexOf('Cost at stake');

export function reportXlsx(s: Summary): Uint8Array {
  return collectXlsx((w) => {
    const sum = w.addSheet('Summary', { widths: [30, 18] });
    sum.row([{ v: 'License position report', s: 'title' }]);
    sum.row([{ v: 'As of' }, { v: s.asOf }]);
    sum.row([]);
    sum.row([{ v: 'Status', s: 'header' }, { v: 'Positions', s: 'header' }]);
    for (const st of STATUSES) sum.row([{ v: STATUS_LABELS[st], s: st }, { v: s.counts[st] }]);
    sum.row([{ v: 'Total' }, { v: s.positions.length }]);
    sum.row([]);
    sum.row([{ v: 'Shortfall cost', s: 'header' }, { v: 'Amount', s: 'header' }]);
    for (const [currency, amount] of s.shortfallCost) sum.row([{ v: currency }, { v: amount, s: 'money' }]);
    if (s.shortfallCost.length === 0) sum.row([{ v: 'none' }]);
    sum.row([]);
    sum.row([{ v: 'Surplus cost (rights beyond consumption)', s: 'header' }, { v: 'Amount', s: 'header' }]);
    for (const [currency, amount] of s.surplusCost) sum.row([{ v: currency }, { v: amount, s: 'money' }]);
    if (s.surplusCost.length === 0) sum.row([{ v: 'none' }]);
    if (s.surplusUnpriced) sum.row([{ v: 'Positions with surplus and no unit cost' }, { v: s.surplusUnpriced }]);
    sum.row([]);
    if (s.surplusByPublisher.length) {
      sum.row([{ v: 'Surplus by publisher', s: 'header' }, { v: 'Cost', s: 'header' }, { v: 'Currency', s: 'header' }, { v: 'Rights', s: 'header' }, { v: 'Positions', s: 'header' }]);
      for (const b of s.surplusByPublisher) sum.row([{ v: b.publisher }, { v: b.cost, s: 'money' }, { v: b.currency }, { v: b.rights }, { v: b.positions }]);
      sum.row([]);
    }
    sum.row([{ v: 'Hardware units', s: 'header' }, { v: s.hardwareUnits }]);
    if (s.otUnits) sum.row([{ v: 'OT hardware units', s: 'header' }, { v: s.otUnits }]);
    sum.end();

    const pos = w.addSheet('Positions', { frozenRows: 1, widths: WIDTHS });
    pos.row(POSITION_COLUMNS.map((v) => ({ v, s: 'header' as StyleName })));
    for (const p of s.positions) {
      pos.row(positionCells(p, s.labels).map((v, i): XCell => ({ v, s: i === 0 ? p.status : MONEY_COLUMNS.has(i) ? 'money' : undefined })));
    }
    pos.end();

    const ren = w.addSheet('Renewals', { frozenRows: 2, widths: [12, 16, 14, 40, 14, 10, 14, 9, 12, 12, 12] });
    ren.row([{ v: `Rights ending or due for notice within ${REPORT_RENEWAL_DAYS} days of ${s.asOf}; cost at stake = quantity × unit cost of the right`, s: 'title' }]);
    ren.row(RENEWAL_COLUMNS.map((v) => ({ v, s: 'header' as StyleName })));
    for (const r of s.renewals) ren.row(renewalCells(r, s.labels).map((v, i): XCell => ({ v, s: i === 4 ? r.status : i === RENEWAL_MONEY ? 'money' : undefined })));
    ren.end();

    const un = w.addSheet('Unlicensed', { frozenRows: 1, widths: [24, 32, 14, 10] });
    un.row(['Publisher', 'Product', 'Installations', 'Devices'].map((v) => ({ v, s: 'header' as StyleName })));
    for (const u of s.unlicensed) un.row([{ v: u.publisher }, { v: u.product }, { v: u.installations }, { v: u.devices }]);
    un.end();

    const hw = w.addSheet('Hardware units', { frozenRows: 1, widths: [34, 10, 10, 8, 8, 10] });
    hw.row(['Category', 'Solution', 'Assets', 'Ratio', 'Units', 'Opted in'].map((v) => ({ v, s: 'header' as StyleName })));
    for (const c of s.categories) hw.row([{ v: c.category }, { v: c.solution }, { v: c.assets }, { v: c.ratio }, { v: c.units }, { v: c.optedIn }]);
    hw.end();

    const pr = w.addSheet('Problems', { frozenRows: 1, widths: [16, 16, 16, 80] });
    pr.row(['Sheet', 'Row', 'Column', 'Problem'].map((v) => ({ v, s: 'header' as StyleName })));
    for (const p of s.problems) pr.row([{ v: p.sheet }, { v: p.rowId }, { v: p.column }, { v: p.message }]);
    pr.end();
  });
}
