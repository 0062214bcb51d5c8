// A Vite dev server on 127.0.0.1 (WebGPU needs a secure context) for scripts that drive Chromium.
import { createServer } from 'vite';

/** Starts the dev server on a free port; returns its base URL and a close(). */
export async function serve() {
  const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', port: 0, hmr: false }, logLevel: 'warn' });
  await server.listen();
  const { port } = server.httpServer.address();
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => server.close() };
}
