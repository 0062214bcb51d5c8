// Runs in the page: registers the viz components and exposes helpers to the Puppeteer-driven tests.
import '../../src/ui/gp-heatmap';
import '../../src/ui/gp-line-chart';
import { cellInfo, makeHeatmapModel } from '../../src/viz/heatmap-model';
import { formatValue } from '../../src/viz/ticks';
import { makeDepthSweep, makeWideSweep } from './viz-data';

const viz = { makeDepthSweep, makeWideSweep, makeHeatmapModel, cellInfo, formatValue, ready: true };
export type Viz = typeof viz;
(window as unknown as { viz: Viz }).viz = viz;
