import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import { schemaFileBeside, schemaFileText } from '../config/schemaFile.js';
import { guarded } from './common.js';

/**
 * `support-bot config schema [file] [--write]`: prints this version's config JSON Schema, or
 * with `--write` writes it beside the config (what `init` wrote there), after an upgrade.
 */
export function configSchemaCommand(file: string | undefined, options: { write?: boolean } = {}): Promise<number> {
  return guarded(async () => {
    if (!options.write) {
      process.stdout.write(schemaFileText());
      return 0;
    }
    const { path } = loadConfig(file);
    const target = schemaFileBeside(path);
    writeFileSync(target, schemaFileText());
    process.stdout.write(`wrote ${target}\n`);
    return 0;
  });
}
