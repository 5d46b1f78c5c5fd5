import { loadTemplateCatalog, SHIPPED_TEMPLATES_DIR, type TemplateCatalog } from './catalog.js';

// Read once when the bot starts, like the config, so the rules that use it stay pure.
export const shippedTemplates: TemplateCatalog = loadTemplateCatalog(SHIPPED_TEMPLATES_DIR);
