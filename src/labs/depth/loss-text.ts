// How a row's loss J reads on the page. J = ‖a[L]‖²/2 is finished in float64 from the GPU's ‖a[L]‖ (the CPU
// fallback computes everything in float64), so a J past f32's range is a number the GPU never held: it is
// shown as what it is — an overflow or underflow of f32 — and the float64 number, if any, is labelled so.
import { msg, str } from '@lit/localize';
import { formatMagnitude } from '../../locale-format';
import type { ValueStatus } from './classify';
import { F32_MAX, F32_MIN_SUBNORMAL } from './predictions';

/** The loss J with its status, as one phrase in the language shown ("Loss J: overflow (…)"). */
export function lossText(loss: number, status: ValueStatus): string {
  const v = formatMagnitude(loss);
  switch (status) {
    case 'finite':
      return msg(str`Loss J = ${v}`);
    case 'nan':
      return msg('Loss J = NaN');
    case 'lost':
      return msg('Loss J: after a value passed 1e38 or became NaN (no number of it says anything about the net)');
    case 'overflow':
      if (!Number.isFinite(loss)) return msg(str`Loss J: overflow (past f32’s range, > ${formatMagnitude(F32_MAX)})`);
      if (Math.abs(loss) > F32_MAX) {
        return msg(str`Loss J: overflow (past f32’s range, > ${formatMagnitude(F32_MAX)}); in float64, J = ‖a[L]‖²/2 would be ${v}`);
      }
      return msg(str`Loss J = ${v}: overflow (past the lab’s 1e38 mark, at the edge of f32’s range)`);
    case 'underflow':
      if (loss === 0) return msg('Loss J = 0: underflow (f32 cannot tell a true 0 from a value too small for it)');
      if (Math.abs(loss) < F32_MIN_SUBNORMAL) {
        return msg(str`Loss J: underflow (below f32’s range, < ${formatMagnitude(F32_MIN_SUBNORMAL)}); in float64, J = ‖a[L]‖²/2 would be ${v}`);
      }
      return msg(str`Loss J = ${v}: underflow (below the lab’s 1e-37 mark, where f32 loses precision)`);
  }
}
