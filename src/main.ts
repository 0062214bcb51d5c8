// Entry point of the app page (index.html): registers the components; <gp-app> does the rest.
import './ui/gp-app';

// Labs register themselves as <gp-…-lab> elements; gp-app shows each one once it is defined, and a
// "coming soon" note until then. The glob picks up lab modules as they are added to src/ui/.
import.meta.glob('./ui/gp-*-lab.ts', { eager: true });
