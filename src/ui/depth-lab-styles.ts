import { css } from 'lit';
import { base, labLayout, runFeedback, view } from './shared-styles';

/** The Depth lab's styles (its run bar and results panel render into its shadow root, so they share these). */
export const depthLabStyles = [
  base,
  view,
  runFeedback,
  labLayout,
  css`
    .notice button {
      margin-top: 0.25rem;
      font-size: 0.85rem;
      padding: 0.15rem 0.6rem;
    }
    .cpu-note {
      margin: 0 0 0.75rem;
      font-size: 0.9rem;
      color: var(--gp-muted);
    }
    .presets {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      margin: 0 0 0.4rem;
    }
    .presets button {
      font-weight: 500;
      padding: 0.3rem 0.7rem;
    }
    .preset-explanation {
      min-height: 3em;
      margin: 0 0 1rem;
      color: var(--gp-muted);
      font-size: 0.925rem;
    }
    .preset-size {
      margin: -0.5rem 0 1rem;
      padding: 0.35rem 0.6rem;
      border-left: 3px solid var(--gp-border);
      font-size: 0.875rem;
    }
    .preset-size button {
      margin-left: 0.5rem;
      font-size: 0.85rem;
    }
    .layout {
      grid-template-columns: minmax(17rem, 21rem) minmax(0, 1fr);
    }
    @media (max-width: 56rem) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
    }
    /* On a phone the results come right after Run, before the long form. */
    @media (max-width: 44rem) {
      .memory {
        order: 1;
      }
      gp-depth-controls {
        order: 3;
      }
    }
    .memory {
      margin: 0 0 0.75rem;
      font-size: 0.875rem;
      color: var(--gp-muted);
    }
    .timing {
      display: flex;
      gap: 0.4rem;
      align-items: baseline;
      margin: 0.5rem 0 0;
      font-size: 0.85rem;
      color: var(--gp-muted);
    }
    .permalink {
      color: var(--gp-accent);
      font-size: 0.9rem;
    }
    .status-line {
      margin: 0.5rem 0 0;
      font-weight: 600;
    }
    .quantities {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem;
      margin: 0 0 0.4rem;
    }
    .quantities button {
      padding: 0.2rem 0.7rem;
      font-weight: 500;
    }
    .qdesc {
      margin: 0 0 0.5rem;
      font-size: 0.875rem;
      color: var(--gp-muted);
    }
    .stats {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1.5rem;
      margin: 0 0 0.25rem;
      font-variant-numeric: tabular-nums;
    }
    .stats div {
      display: flex;
      gap: 0.35rem;
    }
    .stats dt {
      color: var(--gp-muted);
    }
    .stats dd {
      margin: 0;
      font-weight: 600;
    }
    .compare {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      margin: 0.5rem 0;
    }
    .compare select {
      max-width: 100%;
    }
    .run-label {
      margin: 0.5rem 0 0.25rem;
      font-weight: 600;
    }
    .pinned {
      margin-top: 0.75rem;
      padding-top: 0.5rem;
      border-top: 1px dashed var(--gp-muted);
    }
    .exports {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
    }
    .speed summary {
      cursor: pointer;
      color: var(--gp-muted);
      font-size: 0.875rem;
    }
  `,
];
