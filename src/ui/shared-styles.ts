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
