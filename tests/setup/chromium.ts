// The launch flags live in scripts/chromium.mjs so the benchmarks use exactly the same browser setup.
export { WEBGPU_FLAGS, launchChromium } from '../../scripts/chromium.mjs';
