// Entry point of the app page (index.html): picks the language (so the first render is already in it),
// then registers the components; <gp-app> does the rest.
import { initLocale } from './ui/locale';

// Views register themselves as custom elements (gp-app's VIEWS); gp-app shows each one once it is
// defined, and a "coming soon" note until then. The glob picks up view modules as they are added.
import.meta.glob(['./ui/gp-*-lab.ts', './ui/gp-shader-playground.ts', './ui/gp-shader-bench.ts'], { eager: true });

await initLocale();
await import('./ui/gp-app');
