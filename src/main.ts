// Entry point of the app page (index.html): registers the components; <gp-app> does the rest.
import './ui/gp-app';
