// The dashboard's charts as Apache ECharts options: pure data, so the Solid dashboard renders them
// in the page and the printable report renders the same options to SVG on the server side.
//
// Dense by design: a workbook has hundreds or thousands of positions, so the per-position chart
// is a horizontal bar chart with a scrollable window (dataZoom) over positions sorted by
// shortfall, and long labels are truncated with the full text in the tooltip.

import type { EChartsOption } from 'echarts';
import { STATUS_INK, positionLabel, type Summary } from './summary';

const AXIS_LABEL = { width: 180, overflow: 'truncate' as const };
/** Horizontal bar charts: room on the left for the (truncated) category labels. */
const GRID = { left: 196, right: 24, top: 36, bottom: 24 };
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Shortfall cost by publisher: one bar per publisher, one series per currency. */
export function costByPublisherChart(s: Summary, top = 25): EChartsOption {
  const rows = s.costByPublisher.slice(0, top).reverse();
  const currencies = [...new Set(s.costByPublisher.flatMap((p) => Object.keys(p.costs)))];
  return {
    textStyle: { fontFamily: FONT },
    aria: { enabled: true },
    animation: false,
    title: { text: 'Shortfall cost by publisher', left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: currencies.length > 1 ? { right: 0 } : undefined,
    grid: GRID,
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', data: rows.map((r) => r.publisher), axisLabel: AXIS_LABEL },
    series: currencies.map((c) => ({
      name: c, type: 'bar', stack: 'cost', data: rows.map((r) => r.costs[c] ?? 0), itemStyle: { color: currencies.length > 1 ? undefined : STATUS_INK.noncompliant },
    })),
  };
}

/** Consumed against purchased per position, the positions most short first; scrolls when dense. */
export function consumedVsPurchasedChart(s: Summary, window = 20, limit = Infinity): EChartsOption {
  const ps = [...s.positions].sort((a, b) => b.shortfall - a.shortfall || b.consumed - a.consumed).slice(0, limit);
  const labels = ps.map(positionLabel);
  const dense = ps.length > window;
  return {
    textStyle: { fontFamily: FONT },
    aria: { enabled: true },
    animation: false,
    title: { text: 'Consumed against purchased, per position', left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { right: dense ? 40 : 0, data: ['Purchased', 'Consumed'] },
    grid: { ...GRID, right: dense ? 48 : 24 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: AXIS_LABEL },
    dataZoom: dense ? [
      { type: 'slider', yAxisIndex: 0, startValue: 0, endValue: window - 1, width: 16, right: 8, showDetail: false },
      { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true },
    ] : undefined,
    series: [
      { name: 'Purchased', type: 'bar', data: ps.map((p) => p.purchased), itemStyle: { color: '#90A4AE' }, barGap: '0%' },
      {
        name: 'Consumed', type: 'bar', itemStyle: { color: '#455A64' },
        data: ps.map((p) => ({ value: p.consumed, itemStyle: { color: STATUS_INK[p.status] } })),
      },
    ],
  };
}

/** Hardware units per resource category (assets in the tooltip). */
export function unitsByCategoryChart(s: Summary): EChartsOption {
  const cats = [...s.categories].sort((a, b) => b.units - a.units);
  return {
    textStyle: { fontFamily: FONT },
    aria: { enabled: true },
    animation: false,
    title: { text: 'Hardware units per category', left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 56, right: 16, top: 36, bottom: cats.length > 6 ? 96 : 40 },
    xAxis: { type: 'category', data: cats.map((c) => c.category), axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0, width: 120, overflow: 'truncate' } },
    yAxis: { type: 'value' },
    series: [
      { name: 'Units', type: 'bar', data: cats.map((c) => c.units), itemStyle: { color: '#3F6FB5' } },
      { name: 'Assets', type: 'bar', data: cats.map((c) => c.assets), itemStyle: { color: '#B0BEC5' } },
    ],
    legend: { right: 0 },
  };
}

function compact(v: number): string {
  return Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}
