import { css } from 'lit';

/** The Shaders view's own styles (its view modules render into its shadow root, so they share these). */
export const shadersStyles = css`
  h3 {
    margin: 1rem 0 0.4rem;
    font-size: 1.05rem;
  }
  p {
    max-width: 75ch;
  }
  .layout {
    display: grid;
    grid-template-columns: 12rem minmax(0, 1fr);
    gap: 1rem;
    align-items: start;
  }
  @media (max-width: 60rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .kernels ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .kernels button {
    display: block;
    width: 100%;
    text-align: left;
    margin: 0 0 0.3rem;
    font-family: var(--gp-mono);
    font-size: 0.85rem;
  }
  .kernels button[aria-current='true'] {
    background: var(--gp-accent);
    border-color: var(--gp-accent);
    color: var(--gp-accent-fg);
  }
  .tag {
    display: inline-block;
    margin-left: 0.3rem;
    padding: 0 0.3rem;
    border-radius: 3px;
    font-family: var(--gp-font);
    font-size: 0.7rem;
    font-weight: 600;
    background: var(--gp-warn-bg);
    color: var(--gp-warn);
  }
  /* The editor takes the whole width of its column; the kernel's interface (bindings, overrides, entry
     points) sits below it, side by side where there is room. */
  .work {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
  }
  .side {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: 0 1.5rem;
    align-items: start;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  .status {
    display: inline-block;
    padding: 0.2rem 0.6rem;
    border-radius: var(--gp-radius);
    border: 1px solid currentColor;
    font-size: 0.85rem;
    font-weight: 600;
  }
  .status[data-state='ok'] {
    color: var(--gp-pass);
    background: var(--gp-pass-bg);
  }
  .status[data-state='error'] {
    color: var(--gp-fail);
    background: var(--gp-fail-bg);
  }
  .status[data-state='compiling'],
  .status[data-state='waiting'] {
    color: var(--gp-muted);
  }
  table {
    border-collapse: collapse;
    font-size: 0.82rem;
    width: 100%;
  }
  th,
  td {
    border-bottom: 1px solid var(--gp-border);
    padding: 0.25rem 0.4rem;
    text-align: left;
    vertical-align: top;
  }
  /* Numbers and their headers both right-aligned, in digits of one width, so a column reads down. */
  td.num,
  th.num {
    text-align: right;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  td.num {
    font-family: var(--gp-mono);
  }
  .side table {
    font-family: var(--gp-mono);
    font-size: 0.78rem;
  }
  .pass {
    color: var(--gp-pass);
    font-weight: 600;
  }
  .fail {
    color: var(--gp-fail);
    font-weight: 600;
  }
  .summary {
    display: inline-block;
    margin: 0.25rem 0;
    padding: 0.3rem 0.7rem;
    border-radius: var(--gp-radius);
    border: 1px solid currentColor;
    font-weight: 600;
  }
  .summary[data-ok='true'] {
    color: var(--gp-pass);
    background: var(--gp-pass-bg);
  }
  .summary[data-ok='false'] {
    color: var(--gp-fail);
    background: var(--gp-fail-bg);
  }
  .notice {
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--gp-border);
    border-radius: var(--gp-radius);
    background: var(--gp-surface);
  }
  .notice.error {
    border-color: var(--gp-fail);
    background: var(--gp-fail-bg);
  }
  .share input {
    width: 100%;
    font-family: var(--gp-mono);
    font-size: 0.8rem;
  }
  details pre {
    white-space: pre-wrap;
    font-size: 0.8rem;
    background: var(--gp-surface);
    padding: 0.5rem;
    border-radius: var(--gp-radius);
  }
  .muted {
    color: var(--gp-muted);
  }
  .shared-banner {
    border-color: var(--gp-warn);
    background: var(--gp-warn-bg);
  }
  pre.diff {
    font-family: var(--gp-mono);
    font-size: 0.8rem;
    background: var(--gp-surface);
    padding: 0.5rem;
    border-radius: var(--gp-radius);
    overflow-x: auto;
    max-height: 70vh;
  }
  pre.diff .add {
    color: var(--gp-pass);
    background: var(--gp-pass-bg);
  }
  pre.diff .del {
    color: var(--gp-fail);
    background: var(--gp-fail-bg);
  }
  pre.diff .skip {
    color: var(--gp-muted);
    font-style: italic;
  }
  ul.backups {
    list-style: none;
    padding: 0;
  }
  ul.backups li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.25rem 0;
  }
`;
