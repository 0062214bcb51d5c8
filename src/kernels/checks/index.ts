import type { KernelCheck } from './types';
import { elementwiseCheck } from './elementwise-check';

export type { CheckResult, KernelCheck } from './types';

/** Every kernel the playground uses, in the order the Kernel check runs them. */
export const ALL_CHECKS: KernelCheck[] = [elementwiseCheck];
