// Part of `npm run build`: writes the generated docs (docs/configuration.md, docs/support-bot.schema.json)
// from the built schema. They are build outputs, not committed: a rule's config section reaches them
// without anyone regenerating a file (ARCHITECTURE.md "Adding a rule").
import { writeFileSync } from 'node:fs';
import { configDocSources, configJsonSchema, configReferenceMarkdown } from '../dist/config/reference.js';

writeFileSync('docs/support-bot.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync('docs/configuration.md', configReferenceMarkdown(configDocSources('.')));
console.log('docs: wrote docs/configuration.md and docs/support-bot.schema.json');
