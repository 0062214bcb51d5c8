/**
 * The shapes the labs run their kernels at, for Verify: a kernel that is right on Verify's awkward shapes
 * but wrong (or never finishes) at the labs' own sizes — n = k = 256 with the Depth lab's defaults —
 * must fail Verify, not the lab. Plain settings, given to Verify as an argument; reading them from the
 * labs' links is state/lab-settings.ts's job.
 */
import type { Activation } from '../kernels/elementwise';

/** What the Depth lab's kernels see: width n (W is n×n), batch m (A is m×n), the activation. */
export interface DepthLabShapeSettings {
  width: number;
  batch: number;
  activation: Activation;
}

/** What the Normalization lab's kernels see: training rows and features (its matrices have features + 1 columns). */
export interface NormalizeLabShapeSettings {
  rows: number;
  features: number;
}

/** Both labs' settings, and where each came from (the lab's last link in this session, or its defaults). */
export interface LabSettings {
  depth: DepthLabShapeSettings;
  normalize: NormalizeLabShapeSettings;
  from: { depth: 'link' | 'defaults'; normalize: 'link' | 'defaults' };
}

/** Rows of one partial sum of the Normalization lab's XᵀX (its STUDY_LIMITS.gramChunkRows). */
export const GRAM_CHUNK_ROWS = 1024;
