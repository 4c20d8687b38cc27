// One Apache ECharts chart in a Solid component: created on mount, updated when its option changes,
// resized with its box, disposed on cleanup. SVG rendering: crisp when printed, light on memory,
// and the chart is plain DOM (tests and screen readers can see it; ECharts adds an aria label).

import { createEffect, onCleanup, onMount } from 'solid-js';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([BarChart, GridComponent, TitleComponent, TooltipComponent, LegendComponent, DataZoomComponent, AriaComponent, SVGRenderer]);

export function Chart(props: { option: EChartsOption; height: number; testId?: string }) {
  let el!: HTMLDivElement;
  let chart: echarts.ECharts | undefined;
  onMount(() => {
    chart = echarts.init(el, null, { renderer: 'svg' });
    const ro = new ResizeObserver(() => chart?.resize());
    ro.observe(el);
    onCleanup(() => {
      ro.disconnect();
      chart?.dispose();
      chart = undefined;
    });
  });
  createEffect(() => {
    const option = props.option;
    // notMerge: a new option replaces the old one (series and categories come and go).
    chart?.setOption(option, { notMerge: true });
  });
  return <div ref={el} class="io-chart" style={{ height: `${props.height}px` }} data-testid={props.testId} />;
}
