// `npm run docs`: writes the generated docs (docs/configuration.md, docs/support-bot.schema.json)
// from the built schema; tests/config/reference.test.ts fails when they are out of date.
import { writeFileSync } from 'node:fs';
import { configDocSources, configJsonSchema, configReferenceMarkdown } from '../dist/config/reference.js';

writeFileSync('docs/support-bot.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync('docs/configuration.md', configReferenceMarkdown(configDocSources('.')));
console.log('docs: wrote docs/configuration.md and docs/support-bot.schema.json');
