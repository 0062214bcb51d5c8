import { defineConfig } from 'vite';

/**
 * The command-line runner's bundle (`npm run cli`, bin `gradient-playground`): src/cli/main.ts built for
 * Node by Vite's SSR build, so the engine's `?raw` and `import.meta.glob` shader imports work unchanged.
 * Packages (webgpu, cli-progress) stay external and load from node_modules.
 */
export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'main.js' } },
  },
});
