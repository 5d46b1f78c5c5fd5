import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configJsonSchema } from './jsonSchema.js';

/** The JSON Schema file `init` writes beside a config, for editors (its `# yaml-language-server: $schema=` line). */
export const SCHEMA_FILE = 'support-bot.schema.json';

/** This version's config schema, as written to the file. */
export function schemaFileText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

export function schemaFileBeside(configPath: string): string {
  return join(dirname(configPath), SCHEMA_FILE);
}

/**
 * Whether the schema file beside a config is this version's: after an upgrade it still
 * describes the old keys, and editors check the config against it.
 */
export function schemaFileIsStale(configPath: string): boolean {
  const file = schemaFileBeside(configPath);
  return existsSync(file) && readFileSync(file, 'utf8') !== schemaFileText();
}
