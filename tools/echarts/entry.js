// The ECharts build that tuopin vendors (docs/adr/0007-charts-and-maps.md): only what
// static/tuopin/js/charts.js draws. Bars; scatter on a longitude/latitude grid for the dot
// maps (no outline data: see the ADR); tooltips, so that a dot's name shows on hover or tap;
// label layout, so that overlapping labels hide (the larger dot keeps its label); the SVG
// renderer (crisp text at any pixel ratio, text in the DOM). Add a chart type here, run
// ./build.sh, and commit the new file with the measured size in the ADR.
import * as echarts from 'echarts/core';
import { BarChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, LabelLayout, SVGRenderer]);
window.echarts = echarts;
