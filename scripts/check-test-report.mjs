// Reads Vitest's JSON report and fails unless tests ran, none failed or were skipped, and at least one
// browser (real WebGPU) test passed. Prints the closing line "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
let gpuPassed = 0;
for (const suite of report.testResults ?? []) {
  const isBrowser = /[\\/]tests[\\/]browser[\\/]/.test(suite.name);
  for (const t of suite.assertionResults ?? []) {
    if (t.status === 'passed') {
      passed++;
      if (isBrowser) gpuPassed++;
    } else if (t.status === 'failed') failed++;
    else skipped++;
  }
  if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed++;
}
console.log(`[check] ${passed} passed (${gpuPassed} in real WebGPU), ${failed} failed, ${skipped} skipped or todo`);
const problems = [];
if (passed === 0) problems.push('no test ran');
if (gpuPassed === 0) problems.push('no GPU (browser) test ran');
if (failed > 0) problems.push(`${failed} test(s) failed`);
if (skipped > 0) problems.push(`${skipped} test(s) were skipped: no test may be skipped`);
if (problems.length) {
  console.error(`[check] FAILED: ${problems.join('; ')}`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length ? 1 : 0);
