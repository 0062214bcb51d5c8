// The canvas charts' shared look (gp-heatmap, gp-phase-map): host font and ink, the focusable canvas with its
// focus ring, the hover/focus tooltip and the one-line readout under the chart. Each chart adds its own rules.
import { css, unsafeCSS } from 'lit';
import { FONT_FAMILY, INK } from './heatmap-draw';

export const heatmapCanvasStyles = css`
  :host {
    display: block;
    font-family: ${unsafeCSS(FONT_FAMILY)};
    font-size: 13px;
    color: ${unsafeCSS(INK)};
  }
  .stage {
    position: relative;
  }
  canvas {
    display: block;
    outline: none;
    cursor: crosshair;
  }
  canvas:focus-visible {
    box-shadow: 0 0 0 2px #4a6ea9;
  }
  .tip {
    position: absolute;
    pointer-events: none;
    background: rgba(255, 255, 255, 0.97);
    border: 1px solid #888;
    border-radius: 4px;
    padding: 4px 8px;
    font-size: 12px;
    white-space: nowrap;
    z-index: 1;
  }
  .readout {
    min-height: 1.4em;
    margin-top: 4px;
    font-variant-numeric: tabular-nums;
  }
`;
