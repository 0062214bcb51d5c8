import { css } from 'lit';
import { base, formControls, labLayout, labTables, runMessages, view } from './shared-styles';

/** The Normalization lab's styles: the shared base, view and lab pieces, then its own layout, form and plot rules. */
export const normalizeLabStyles = [
  base,
  view,
  formControls,
  runMessages,
  labTables,
  labLayout,
  css`
    h3 {
      margin: 0 0 0.4rem;
    }
    .layout {
      grid-template-columns: minmax(17rem, 22rem) minmax(0, 1fr);
    }
    @media (max-width: 60rem) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
    }
    /* On a phone Run and the results come before the long forms. */
    @media (max-width: 44rem) {
      .side > .progress {
        order: 1;
      }
      .side > fieldset,
      .side > :not(.run-bar):not(.progress) {
        order: 3;
      }
    }
    /* minmax(0, 1fr), not 1fr: a file input's own width (about 250 px) would widen the column past a phone's screen. */
    .field {
      display: grid;
      grid-template-columns: 7rem minmax(0, 1fr);
      align-items: baseline;
      gap: 0 0.5rem;
      margin: 0.35rem 0;
    }
    .field .hint,
    .field .problem {
      grid-column: 2;
    }
    .range-row {
      display: grid;
      grid-template-columns: 2.5rem 1fr auto 1fr auto;
      gap: 0.3rem;
      align-items: baseline;
      margin: 0.25rem 0;
    }
    .range-row button {
      padding: 0.05rem 0.45rem;
      font-weight: 500;
    }
    /* Denser than the shared controls, every field in the monospace face at the body size. */
    input[type='text'],
    select {
      padding: 0.2rem 0.4rem;
      font-family: var(--gp-mono);
      font-size: inherit;
      min-width: 0;
    }
    /* Disabled fields look disabled: greyed, flat, no pointer (and their labels greyed with them). */
    input:disabled,
    select:disabled,
    button:disabled {
      color: var(--gp-muted);
      border-style: dashed;
    }
    button:disabled {
      background: var(--gp-surface);
      opacity: 0.6;
    }
    .field:has(:disabled) > label,
    .range-row:has(input:disabled) > span,
    label:has(> input:disabled) {
      color: var(--gp-muted);
      opacity: 0.7;
    }
    input[type='file'] {
      max-width: 100%;
    }
    .lr-note {
      margin: 0.25rem 0;
      font-size: 0.82rem;
    }
    .hint {
      font-size: 0.8rem;
      color: var(--gp-muted);
    }
    .radios {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
    }
    .summary {
      margin: 0.5rem 0 0;
      font-size: 0.875rem;
    }
    /* "What to try next" → the control it names: reads as a link, is a button (a #hash link would change the route). */
    .next .jump {
      background: none;
      border: none;
      padding: 0;
      font: inherit;
      color: var(--gp-accent);
      text-decoration: underline;
      cursor: pointer;
    }
    .lr-slider {
      width: 100%;
    }
    .marks {
      display: block;
      position: relative;
      margin: 0 0.4rem 0.25rem;
      font-size: 0.7rem;
    }
    .mark-line {
      position: absolute;
      top: 0;
      width: 2px;
    }
    .mark {
      position: absolute;
      padding: 0 2px;
      white-space: nowrap;
    }
    .progress {
      color: var(--gp-muted);
      font-size: 0.9rem;
      margin: 0.4rem 0 0;
    }
    .problem {
      font-weight: 400;
      font-size: 0.85rem;
      white-space: pre-wrap;
    }
    .run-error,
    .refuse {
      font-size: 0.9rem;
    }
    .badge {
      padding: 0.05rem 0.5rem;
    }
    .explain {
      margin: 0 0 0.6rem;
      font-size: 0.9rem;
      color: var(--gp-muted);
    }
    .table-wrap {
      border: 0;
    }
    td[data-col='kappa'],
    td[data-col='maxStableLr'],
    td[data-col='trainCost'],
    td[data-col='testCost'],
    .stats td,
    .num,
    .lr-multiple {
      white-space: nowrap;
    }
    .swatch {
      display: inline-block;
      width: 0.8rem;
      height: 0.8rem;
      border-radius: 2px;
      margin-right: 0.35rem;
      vertical-align: -0.1rem;
    }
    /* A mode's name in a narrow table column wraps beside its swatch, never leaving it alone on a line. */
    .mode-name {
      display: flex;
      align-items: flex-start;
    }
    .mode-name .swatch {
      flex: none;
      margin-top: 0.2rem;
    }
    .mode-name .formula {
      white-space: nowrap;
    }
    .bad {
      color: var(--gp-fail);
      font-weight: 600;
    }
    .good {
      color: var(--gp-pass);
      font-weight: 600;
    }
    .plots {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr));
      gap: 1rem;
    }
    .plot h4 {
      margin: 0 0 0.2rem;
      font-size: 0.95rem;
    }
    .plot p {
      margin: 0.2rem 0;
      font-size: 0.82rem;
      color: var(--gp-muted);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
      margin: 0 0 0.5rem;
    }
    .toolbar button {
      font-weight: 500;
      padding: 0.2rem 0.7rem;
    }
    .stats {
      font-size: 0.85rem;
    }
    .stats td {
      font-family: var(--gp-mono);
      font-size: 0.8rem;
    }
  `,
];
