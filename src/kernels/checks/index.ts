import type { KernelCheck } from './types';
import { matmulCheck } from './matmul-check';
import { momentsCheck } from './moments-check';
import { normsCheck } from './norms-check';
import { elementwiseCheck } from './elementwise-check';
import { residualSumsqCheck } from './residual-sumsq-check';

export type { CheckResult, KernelCheck } from './types';

/** Every kernel the playground uses, in the order the Kernel check runs them. */
export const ALL_CHECKS: KernelCheck[] = [matmulCheck, momentsCheck, normsCheck, elementwiseCheck, residualSumsqCheck];
