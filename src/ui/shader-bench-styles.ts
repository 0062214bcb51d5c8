import { css } from 'lit';

/** The Performance view's own styles: headings, the rows table, the bar charts and the run options (the run row is shared-styles' runControls). */
export const shaderBenchStyles = css`
    h3 {
      margin: 1.5rem 0 0.5rem;
      font-size: 1.05rem;
    }
    p,
    ul {
      max-width: 75ch;
    }
    fieldset {
      border: 1px solid var(--gp-border);
      border-radius: var(--gp-radius);
      padding: 0.4rem 0.75rem;
      margin: 0;
    }
    legend {
      font-weight: 600;
      font-size: 0.9rem;
    }
    label {
      display: block;
      font-size: 0.9rem;
    }
    .progress {
      color: var(--gp-muted);
    }
    .caveats {
      border-left: 4px solid var(--gp-warn);
      background: var(--gp-warn-bg);
      padding: 0.5rem 0.75rem;
      max-width: 75ch;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.875rem;
    }
    th,
    td {
      text-align: left;
      padding: 0.35rem 0.6rem;
      border-bottom: 1px solid var(--gp-border);
      vertical-align: top;
    }
    thead th {
      font-size: 0.75rem;
      text-transform: uppercase;
      letter-spacing: 0.03em;
      color: var(--gp-muted);
      white-space: nowrap;
    }
    .num {
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
      text-align: right;
    }
    tr.roof {
      background: var(--gp-surface);
    }
    tr.fail {
      background: var(--gp-fail-bg);
    }
    .pass {
      color: var(--gp-pass);
      font-weight: 600;
    }
    .fail-text {
      color: var(--gp-fail);
      font-weight: 600;
    }
    canvas {
      display: block;
      width: 100%;
      max-width: 900px;
      border: 1px solid var(--gp-border);
      border-radius: var(--gp-radius);
      margin: 0.5rem 0 1rem;
    }
    .tuning {
      font-family: var(--gp-mono);
      font-size: 0.85rem;
    }
`;
