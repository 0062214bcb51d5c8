import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { Session } from '../../playground/editor-sessions';
import type { LabSettings } from '../../playground/lab-shapes';
import { summarizeVerify } from '../../playground/verify';
import { formatCount, formatFixed, formatScientific } from '../../locale-format';

// Errors in scientific notation (the same in English and Korean); times and ratios in the shown locale's digits.
const fmt = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '∞' : v === 0 ? '0' : formatScientific(v, 3));
const fmtMs = (ms: number) => `${formatFixed(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;

/** Verify's table: one row per shape (while running, the shapes done so far). */
export function renderVerify(s: Session, lab: LabSettings | null, total: number) {
  const progress = s.verifyProgress;
  const v = s.verify;
  if (!v && !progress) return nothing;
  const cases = progress ?? v!.report.cases;
  const stale = v && !progress && v.code !== s.lastGood;
  return html`<section data-testid="verify-results">
    <h3>${msg('Verify')}</h3>
    ${
      progress
        ? html`<p role="status">${msg(str`Running shape ${progress.length + 1} of ${total}…`)}</p>`
        : html`<p class="summary" data-testid="verify-summary" data-ok=${v!.report.ok ? 'true' : 'false'}>${summarizeVerify(v!.report)}</p>
          ${stale ? html`<p class="muted">${msg('(for an earlier version of the text: press Verify again)')}</p>` : nothing}`
    }
    <p class="muted">
      ${msg(`Each shape runs on your GPU in f32 and is compared with float64; it passes when every element is within atol + rtol·|reference|, the rounding a correct f32 kernel can make. The first mismatching index is the first output element outside that bound.`)}
    </p>
    ${renderLabNote(lab)}
    <table>
      <thead><tr><th>${msg('shape')}</th><th>${msg('result')}</th><th class="num">${msg('max abs error')}</th><th class="num">${msg('max rel error (rtol)')}</th><th>${msg('first mismatch')}</th></tr></thead>
      <tbody>
        ${cases.map(
          (c) => html`<tr data-testid="verify-case" data-ok=${c.ok ? 'true' : 'false'} data-first-bad=${c.firstBad} data-lab=${c.lab ? 'true' : 'false'}>
            <td><span translate="no">${c.shape}</span>${c.lab ? html` <span class="tag" data-tag="lab-shape">${msg('lab shape')}</span>` : nothing}</td>
            <td class=${c.ok ? 'pass' : 'fail'}>${c.ok ? msg('pass') : msg('FAIL')}</td>
            <td class="num">${c.error ? '—' : fmt(c.maxAbsError)}</td>
            <td class="num">${c.error ? '—' : `${fmt(c.maxRelError)} (${fmt(c.rtol)})`}</td>
            <td>
              ${
                c.error
                  ? html`<span class="fail" translate="no">${c.error}</span>`
                  : c.firstBad >= 0
                    ? msg(
                        str`index ${c.firstBad}: ${c.firstBadAt}, got ${c.got === null ? '—' : String(c.got)}, expected ${c.expected === null ? '—' : String(c.expected)}`,
                      )
                    : '—'
              }
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** Which lab settings the "lab shape" rows come from. */
function renderLabNote(lab: LabSettings | null) {
  if (!lab) return nothing;
  const from = (f: 'link' | 'defaults') => (f === 'link' ? msg('its current settings') : msg('its defaults: not opened in this tab yet'));
  return html`<p class="muted" data-testid="lab-shapes-note">
    ${msg(html`Rows marked <span class="tag">lab shape</span> are the shapes the labs run: the Depth lab at width ${lab.depth.width}, batch ${lab.depth.batch}, ${lab.depth.activation} (${from(lab.from.depth)}), and the Normalization lab at ${formatCount(lab.normalize.rows)} training rows × ${lab.normalize.features} features (${from(lab.from.normalize)}; an uploaded CSV's size is not included). Change a lab’s settings and Verify again to check its new shapes. Each shape runs under a time limit (10 s per 2²⁴ operations); larger lab shapes are cut to Verify’s work limit, as the row says.`)}
  </p>`;
}

/** Time's result: the ratio, and the two medians in right-aligned columns under right-aligned headers. */
export function renderTiming(s: Session) {
  const t = s.timing;
  if (!t) return nothing;
  const r = t.report;
  const slower = r.ratio >= 1;
  const basis = r.basis === 'gpu' ? msg('GPU timestamps') : msg('wall time per submission');
  return html`<section data-testid="timing-results">
    <h3>${msg('Time')}</h3>
    <p class="summary" data-testid="timing-summary" data-ratio=${r.ratio.toFixed(3)}>
      ${
        slower
          ? msg(str`Yours is ${formatFixed(r.ratio, 2)}× slower than the built-in (${basis}, median of ${r.reps}).`)
          : msg(str`Yours is ${formatFixed(1 / r.ratio, 2)}× faster than the built-in (${basis}, median of ${r.reps}).`)
      }
    </p>
    <table data-testid="timing-table">
      <thead><tr><th scope="col"><span class="visually-hidden">${msg('kernel')}</span></th><th scope="col" class="num">${msg('median wall')}</th><th scope="col" class="num">${msg('median GPU')}</th></tr></thead>
      <tbody>
        <tr><th scope="row">${msg('built-in')}</th><td class="num">${fmtMs(r.builtIn.wallMs)}</td><td class="num">${r.builtIn.gpuMs === null ? msg('n/a') : fmtMs(r.builtIn.gpuMs)}</td></tr>
        <tr><th scope="row">${msg('yours')}</th><td class="num">${fmtMs(r.edited.wallMs)}</td><td class="num">${r.edited.gpuMs === null ? msg('n/a') : fmtMs(r.edited.gpuMs)}</td></tr>
      </tbody>
    </table>
    <p class="muted">
      ${msg(html`Workload: <span translate="no">${r.workload}</span>; both kernels run interleaved in the same run on the same buffers.`)}
      ${
        r.software
          ? msg(
              'GPU timestamps are quantized and implementation-defined; this adapter runs WebGPU on the CPU (SwiftShader or similar), so these are CPU times.',
            )
          : msg('GPU timestamps are quantized and implementation-defined.')
      }
      ${msg('Compare the two rows with each other, not with other machines.')}
    </p>
  </section>`;
}
