// The Performance view's bar charts on Canvas2D: one horizontal bar per kernel (GFLOP/s or GB/s), drawn from the
// DOM-free model of src/bench/chart-model.ts.
import { axisLabels, barLayout, fitLabel, type BarChartModel } from '../bench/chart-model';
import { formatNumber } from '../locale-format';
import { showRate } from './bench-format';

const COLORS = { ours: '#0b57d0', other: '#8c959f', roof: '#d4700a' } as const;

/**
 * Horizontal bars with labels on the left (above each bar on a narrow chart: barLayout), ticks below and a dashed
 * roof line (Canvas2D). Labels are shortened to fit; their drawn boxes go to `data-label-boxes` (with each bar's
 * top), the layout to `data-layout`, their texts to `data-labels` (and
 * the plot's left edge to `data-plot-left`, the x-axis labels' boxes to `data-tick-labels`) so tests can check nothing is
 * cut off or run together and every word is translated.
 */
export function drawBars(canvas: HTMLCanvasElement, model: BarChartModel): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const top = 28;
  const cssW = Math.max(320, canvas.clientWidth || 720);
  const lay = barLayout(cssW);
  const row = lay.row;
  const cssH = top + row * Math.max(1, model.bars.length) + 24;
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  canvas.style.height = `${cssH}px`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#1b1f24';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(model.title, 8, 12);
  const x0 = lay.plotLeft;
  const plotW = lay.plotWidth;
  const x = (v: number) => x0 + (plotW * Math.max(0, v)) / model.max;
  const measure = (t: string) => ctx.measureText(t).width;
  const boxes: { left: number; right: number; top: number; bottom: number; barTop: number }[] = [];
  const labels: string[] = [];
  model.bars.forEach((b, i) => {
    const y = top + i * row;
    ctx.fillStyle = '#57606a';
    ctx.textAlign = lay.stacked ? 'left' : 'right';
    const label = fitLabel(b.label, lay.labelWidth, measure);
    ctx.fillText(label, lay.labelX, y + lay.labelDy);
    const w = measure(label);
    const left = lay.stacked ? lay.labelX : lay.labelX - w;
    boxes.push({ left, right: left + w, top: y + lay.labelDy - 6, bottom: y + lay.labelDy + 6, barTop: y + lay.barDy });
    labels.push(label);
    ctx.fillStyle = b.verified ? COLORS[b.kind] : '#a40e26';
    if (Number.isFinite(b.value)) ctx.fillRect(x0, y + lay.barDy, Math.max(1, x(b.value) - x0), lay.barHeight);
    ctx.fillStyle = '#1b1f24';
    ctx.textAlign = 'left';
    ctx.fillText(`${showRate(b.value)}${b.verified ? '' : ' ✗'}`, x(b.value) + 4, y + lay.barDy + lay.barHeight / 2);
  });
  canvas.dataset.layout = lay.stacked ? 'stacked' : 'beside';
  canvas.dataset.labelBoxes = JSON.stringify(boxes);
  canvas.dataset.labels = JSON.stringify(labels);
  canvas.dataset.plotLeft = String(x0);
  canvas.dataset.axisMax = String(model.max);
  canvas.dataset.valueMax = String(Math.max(...[model.roof, ...model.bars.map((b) => b.value)].filter(Number.isFinite)));
  const bottom = top + row * model.bars.length;
  ctx.strokeStyle = '#d0d7de';
  ctx.beginPath();
  ctx.moveTo(x0, top);
  ctx.lineTo(x0, bottom);
  ctx.lineTo(x0 + plotW, bottom);
  for (const t of model.ticks) {
    ctx.moveTo(x(t), bottom);
    ctx.lineTo(x(t), bottom + 3);
  }
  ctx.stroke();
  ctx.fillStyle = '#57606a';
  ctx.textAlign = 'left';
  const tickLabels = axisLabels(
    model.ticks.map((t) => formatNumber(t)),
    model.ticks.map(x),
    model.metric,
    measure,
    cssW - 2,
  );
  for (const l of tickLabels) ctx.fillText(l.text, l.left, bottom + 12);
  canvas.dataset.tickLabels = JSON.stringify(tickLabels);
  ctx.textAlign = 'center';
  if (Number.isFinite(model.roof)) {
    ctx.strokeStyle = COLORS.roof;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    if (lay.stacked) {
      // Through each bar only: a line down the whole chart would cross the labels above the bars.
      model.bars.forEach((_, i) => {
        const y = top + i * row + lay.barDy;
        ctx.moveTo(x(model.roof), y - 2);
        ctx.lineTo(x(model.roof), y + lay.barHeight + 2);
      });
    } else {
      ctx.moveTo(x(model.roof), top - 6);
      ctx.lineTo(x(model.roof), bottom);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.roof;
    ctx.fillText(`${model.roofLabel} ${showRate(model.roof)}`, Math.min(x(model.roof), cssW - 80), top - 10);
  }
}
