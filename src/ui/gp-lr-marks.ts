import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { layoutMarkLabels } from '../viz/mark-layout';
import { WidthController } from './width-controller';

/** One mark under the slider: its label, where it sits (0 = the slider's left end, 1 = its right end), colour and tooltip. */
export interface LrMark {
  label: string;
  pos: number;
  color: string;
  title: string;
}

/** Gap between the slider and the first row of labels, px. */
const TICK = 6;

let measureCtx: CanvasRenderingContext2D | null = null;

/**
 * The marks under the learning-rate slider: a line from the slider down to each mark's label, the labels placed
 * by `layoutMarkLabels` in rows so that none overlaps another, no line runs through a label and each label sits
 * beside its own line, at any width.
 * Rendered into the light DOM, so the lab's stylesheet (`.marks`, `.mark`) styles it and its tests read
 * `.marks .mark` from the lab's shadow root.
 */
@customElement('gp-lr-marks')
export class GpLrMarks extends LitElement {
  @property({ attribute: false }) marks: readonly LrMark[] = [];

  private readonly size = new WidthController(this);

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render() {
    const track = this.size.width || this.clientWidth;
    if (!track || this.marks.length === 0) {
      this.style.height = '0';
      return html``;
    }
    const style = getComputedStyle(this);
    const fontSize = parseFloat(style.fontSize) || 11;
    const rowHeight = Math.ceil(fontSize * 1.3);
    measureCtx ??= document.createElement('canvas').getContext('2d');
    if (measureCtx) measureCtx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // Text width plus the label's 2 px padding each side, rounded up.
    const widths = this.marks.map((m) => Math.ceil((measureCtx?.measureText(m.label).width ?? m.label.length * fontSize * 0.6) + 4));
    const places = layoutMarkLabels(
      this.marks.map((m, i) => ({ x: Math.max(0, Math.min(1, m.pos)) * track, width: widths[i] })),
      track,
    );
    const rows = Math.max(...places.map((p) => p.row)) + 1;
    this.style.height = `${TICK + rows * rowHeight}px`;
    return html`${this.marks.map((m, i) => {
      const x = Math.max(0, Math.min(1, m.pos)) * track;
      const top = TICK + places[i].row * rowHeight;
      // A label that starts or ends at its line has the line run down beside it; one moved inwards (near an end of
      // the slider) has it stop at its top edge instead of running through its text.
      const { left } = places[i];
      const beside = Math.abs(left - x) < 0.5 || Math.abs(left + widths[i] - x) < 0.5;
      return html`<span class="mark-line" style="left:${x - 1}px;height:${beside ? top + rowHeight : top}px;background:${m.color}"></span
        ><span class="mark" style="left:${left}px;top:${top}px;color:${m.color};line-height:${rowHeight}px" title=${m.title} translate="no"
          >${m.label}</span
        >`;
    })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-lr-marks': GpLrMarks;
  }
}
