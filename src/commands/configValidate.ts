import { loadConfig } from '../config/load.js';
import { guarded } from './common.js';

export function configValidateCommand(file: string | undefined): Promise<number> {
  return guarded(async () => {
    const { config, path } = loadConfig(file);
    const projects = Object.keys(config.projects).length;
    process.stdout.write(`ok: ${path} (${projects} projects, ${config.templates.length} templates)\n`);
    return 0;
  });
}
