// Entry point of the app page (index.html): picks the language, then registers the components; <gp-app>
// does the rest. initLocale's synchronous part (reading and tidying the URL's lang) runs before any view
// connects; components marked @localized() re-render once the chosen language's messages have loaded.
import { initLocale } from './ui/locale';
import './ui/gp-app';

// Views register themselves as custom elements (gp-app's VIEWS); gp-app shows each one once it is
// defined, and a "coming soon" note until then. The glob picks up view modules as they are added.
import.meta.glob(['./ui/gp-*-lab.ts', './ui/gp-shader-playground.ts', './ui/gp-shader-bench.ts'], { eager: true });

void initLocale();
