import { defineConfig } from 'vitest/config';

/** `npm run test:node`: the Node tests only (no browser, no dev server) — seconds, for quick feedback. */
export default defineConfig({
  test: {
    include: ['tests/node/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    testTimeout: 180_000,
  },
});
