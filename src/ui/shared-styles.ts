import { css } from 'lit';

/**
 * Design tokens (set on gp-app, inherited through shadow roots) and the few base styles every view
 * shares: buttons, focus rings, the visually-hidden helper.
 */
export const tokens = css`
  :host {
    --gp-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --gp-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    --gp-fg: #1b1f24;
    --gp-muted: #57606a;
    --gp-bg: #ffffff;
    --gp-surface: #f6f8fa;
    --gp-border: #d0d7de;
    --gp-accent: #0b57d0;
    --gp-accent-fg: #ffffff;
    --gp-pass: #116329;
    --gp-pass-bg: #dafbe1;
    --gp-fail: #a40e26;
    --gp-fail-bg: #ffebe9;
    --gp-warn: #7d4e00;
    --gp-warn-bg: #fff8c5;
    --gp-focus: #0969da;
    --gp-radius: 6px;
  }
`;

export const base = css`
  :host {
    font-family: var(--gp-font);
    color: var(--gp-fg);
    line-height: 1.5;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  /* A number in prose (prose() in prose-numbers.ts) stays on one line: no break after the hyphen of 1.24e-5. */
  .num {
    white-space: nowrap;
  }
  :focus-visible {
    outline: 3px solid var(--gp-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.4rem 1rem;
    border-radius: var(--gp-radius);
    border: 1px solid var(--gp-border);
    background: var(--gp-surface);
    color: var(--gp-fg);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--gp-muted);
  }
  button.primary {
    background: var(--gp-accent);
    border-color: var(--gp-accent);
    color: var(--gp-accent-fg);
  }
  /* A pressed toggle (presets, quantity and mode pickers) looks like the primary button. */
  button[aria-pressed='true'] {
    background: var(--gp-accent);
    border-color: var(--gp-accent);
    color: var(--gp-accent-fg);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  code {
    font-family: var(--gp-mono);
    font-size: 0.9em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** The scroll cue of a table frame (src/ui/scroll-cue.ts, tableFrame): its hint and edge shadows. */
export const scrollCueStyles = css`
  /* A table frame with a scroll cue (src/ui/scroll-cue.ts, tableFrame): while the table is wider than the frame, a
     hint above it says where the hidden columns are, and a shadow marks each edge with columns behind it. */
  .scroll-hint {
    display: none;
    margin: 0 0 0.25rem;
    font-size: 0.8rem;
    color: var(--gp-muted);
    text-align: right;
  }
  .table-frame[data-overflow] > .scroll-hint {
    display: block;
  }
  .table-frame:not([data-more-right]) .scroll-hint .to-right,
  .table-frame[data-more-right] .scroll-hint .to-left {
    display: none;
  }
  .table-scroll {
    position: relative;
  }
  .table-scroll::before,
  .table-scroll::after {
    content: '';
    position: absolute;
    top: 0;
    bottom: 0;
    width: 1.25rem;
    pointer-events: none;
    opacity: 0;
    transition: opacity 0.15s;
    z-index: 1;
  }
  .table-scroll::before {
    left: 0;
    background: linear-gradient(to right, rgba(27, 31, 36, 0.22), rgba(27, 31, 36, 0));
  }
  .table-scroll::after {
    right: 0;
    background: linear-gradient(to left, rgba(27, 31, 36, 0.22), rgba(27, 31, 36, 0));
  }
  .table-frame[data-more-left] .table-scroll::before,
  .table-frame[data-more-right] .table-scroll::after {
    opacity: 1;
  }
`;

/** What every view shares: block host, headings, the lead paragraph, the "what to try next" box and the
 * yellow notice (e.g. settings from a link that could not be used), muted small print and the dashed placeholder
 * shown before a first run. Views override margins as they need. */
export const view = css`
  :host {
    display: block;
  }
  h2 {
    margin: 0 0 0.5rem;
    font-size: 1.4rem;
  }
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.05rem;
  }
  p {
    max-width: 80ch;
  }
  .lead {
    margin: 0 0 0.5rem;
  }
  .next {
    margin: 0.5rem 0 1rem;
    padding: 0.4rem 0.75rem;
    border-left: 4px solid var(--gp-accent);
    background: var(--gp-surface);
  }
  .notice {
    margin: 0 0 1rem;
    padding: 0.6rem 0.9rem;
    border: 1px solid currentColor;
    border-radius: var(--gp-radius);
    color: var(--gp-warn);
    background: var(--gp-warn-bg);
  }
  .notice ul {
    margin: 0.25rem 0;
    padding-left: 1.25rem;
  }
  .notice code {
    font-weight: 700;
  }
  /* Korean text may break anywhere rather than overflow (index.html), but in a table that shrinks the columns
     to one character each: tables keep whole words, and their .table-wrap scrolls sideways instead. */
  table {
    overflow-wrap: normal;
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--gp-border);
    border-radius: var(--gp-radius);
  }
  ${scrollCueStyles}
  .muted {
    color: var(--gp-muted);
    font-size: 0.85rem;
  }
  .placeholder {
    padding: 2rem 1rem;
    text-align: center;
    color: var(--gp-muted);
    border: 1px dashed var(--gp-border);
    border-radius: var(--gp-radius);
  }
`;

/**
 * What a lab says about a run: warning and refusal boxes (`.warn`, `.refuse`, `.run-error`) and the pill badge
 * (`.badge`; `.badge.gpu` in green). Each lab sets its own progress line and badge spacing.
 */
export const runMessages = css`
  .warn,
  .refuse,
  .run-error {
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid currentColor;
    white-space: pre-wrap;
  }
  .warn {
    color: var(--gp-warn);
    background: var(--gp-warn-bg);
  }
  .refuse,
  .run-error {
    color: var(--gp-fail);
    background: var(--gp-fail-bg);
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--gp-warn);
    background: var(--gp-warn-bg);
    font-size: 0.8rem;
    font-weight: 600;
  }
  .badge.gpu {
    color: var(--gp-pass);
    background: var(--gp-pass-bg);
  }
`;

/** The Depth lab's run feedback: the shared messages and badge, its live progress line (flex, tabular numbers). */
export const runFeedback = [
  runMessages,
  css`
    .progress {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.5rem;
      color: var(--gp-muted);
      font-variant-numeric: tabular-nums;
    }
    progress {
      width: 10rem;
    }
    .badge {
      margin-left: 0.5rem;
      padding: 0.1rem 0.55rem;
      vertical-align: middle;
    }
  `,
];

/**
 * A lab settings form's fieldsets: a bordered group with a legend, allowed to shrink below its content's width
 * (a fieldset's default minimum is its min-content width, which would widen a phone's page).
 */
export const fieldsets = css`
  fieldset {
    margin: 0 0 1rem;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--gp-border);
    border-radius: var(--gp-radius);
    min-width: 0;
  }
  legend {
    padding: 0 0.25rem;
    font-weight: 600;
  }
`;

/**
 * Form controls every lab's settings form shares: fieldsets with a legend, text inputs and selects, a
 * field marked invalid (`aria-invalid`), its `.problem` message, and disabled controls that look disabled.
 */
export const formControls = [
  fieldsets,
  css`
    input[type='text'],
    select {
      width: 100%;
      font: inherit;
      padding: 0.25rem 0.4rem;
      border: 1px solid var(--gp-border);
      border-radius: var(--gp-radius);
      background: var(--gp-bg);
      color: var(--gp-fg);
    }
    input[type='text'] {
      font-family: var(--gp-mono);
      font-size: 0.9rem;
    }
    input:disabled,
    select:disabled {
      opacity: 0.6;
      background: var(--gp-surface);
      cursor: not-allowed;
    }
    [aria-invalid='true'] {
      border-color: var(--gp-fail);
      outline: 1px solid var(--gp-fail);
      background: var(--gp-fail-bg);
    }
    .problem {
      color: var(--gp-fail);
      font-weight: 500;
    }
  `,
];

/**
 * A lab's page: the settings column and the results side by side (each lab sets the columns and where they
 * stack), the run bar, the results panels and stale results. On a phone the side column's parts join the
 * page's grid, so the run bar and the results can come before the long form (each lab orders the rest).
 */
export const labLayout = css`
  .layout {
    display: grid;
    gap: 1.25rem;
    align-items: start;
  }
  @media (max-width: 44rem) {
    .side {
      display: contents;
    }
    .run-bar {
      order: 1;
    }
    .results {
      order: 2;
    }
  }
  .results {
    min-width: 0;
  }
  .run-bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }
  .panel {
    margin: 0 0 1.25rem;
    padding: 0.75rem 1rem;
    border: 1px solid var(--gp-border);
    border-radius: var(--gp-radius);
    background: var(--gp-bg);
    min-width: 0;
  }
  .stale {
    opacity: 0.6;
  }
`;

/** Number tables of the labs: tabular figures, the first column left-aligned, the rest right-aligned. */
export const labTables = css`
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.9rem;
  }
  th,
  td {
    padding: 0.25rem 0.6rem;
    border-bottom: 1px solid var(--gp-border);
    text-align: right;
    vertical-align: top;
  }
  th:first-child,
  td:first-child {
    text-align: left;
  }
`;

/** An app-wide banner (device lost, GPU error, storage notices): text beside its actions, wrapping on narrow screens; each sets its colours. */
export const banner = css`
  .banner {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 0.5rem 1rem;
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    border-radius: var(--gp-radius);
    border: 1px solid currentColor;
  }
  .banner .text {
    flex: 1 1 30rem;
  }
`;

/** The Kernel check's and the Performance view's run row (buttons, options, progress) and failed-run box. */
export const runControls = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin: 1rem 0;
  }
  .run-error {
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--gp-fail);
    background: var(--gp-fail-bg);
    color: var(--gp-fail);
    white-space: pre-wrap;
  }
`;
