import { defineConfig } from 'vitest/config';

/**
 * The built app's Content-Security-Policy, put into index.html's <head> by `vite build` (not by the dev
 * server, whose tooling and test drivers evaluate strings). default-src 'none' refuses anything not listed;
 * scripts only from this origin (no inline script, no eval); styles from this origin plus inline ones (Lit's
 * component styles, CodeMirror's theme, index.html's style element); images from this origin, data: and blob:
 * (snapshots, downloads); fetches and Web Workers (CSV parsing) from this origin; no plugins, no <base>, no
 * form posts. WebGPU needs no directive. frame-ancestors cannot be set from a <meta>: send it as an HTTP header
 * where the app is hosted. Checked by tests/browser/csp.e2e.test.ts on `vite build` + `vite preview`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export default defineConfig({
  plugins: [
    {
      name: 'content-security-policy',
      apply: 'build',
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
      ],
    },
  ],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022' },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/setup/browser-global.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
