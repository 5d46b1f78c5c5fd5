import { z } from 'zod';
import { allRules } from '../rules/index.js';
import { configSchemaFor } from './schema.js';

// The JSON Schema of the configuration, from the zod schema itself: docs/support-bot.schema.json
// (`npm run docs`, with the reference in config/reference.ts) and the copy `init` writes next to
// a starter config, so editors complete and check the file through its `$schema=` line.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  required?: string[];
  description?: string;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
};

/** The JSON Schema of the configuration file as a user writes it (defaults filled in by the bot). */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchemaFor(allRules), { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return { ...schema, title: 'support-bot configuration', description: 'The configuration file of support-bot (config/support-bot.yml). Reference: docs/configuration.md.' };
}
