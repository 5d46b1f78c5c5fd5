import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readEnv, SetupError, type RuntimeEnv } from '../config/env.js';
import { gitlabSchema } from '../config/schema.js';
import { parseConfigText } from '../config/load.js';
import { SCHEMA_FILE, schemaFileBeside, schemaFileText } from '../config/schemaFile.js';
import { collect } from '../gitlab/collect.js';
import { createGateway } from '../runtime.js';
import { shippedTemplates } from '../templates/shipped.js';
import { guarded } from './common.js';
import { starterConfig } from './starterConfig.js';

/** The line that points editors at the JSON Schema init writes beside the config. */
const SCHEMA_LINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

/**
 * `support-bot init --group <path> [--projects a,b,c] [--out FILE]`: writes a starter config
 * for the user's own group. Without --projects it lists the group's projects from GitLab.
 * Never overwrites a file (exit 2).
 */
export function initCommand(options: { group: string; projects?: string; out: string }): Promise<number> {
  return guarded(async () => {
    const group = options.group.replace(/^\/+|\/+$/g, '');
    if (!/^[\w.-]+(\/[\w.-]+)*$/.test(group)) throw new SetupError(`init: --group expects a group path like "my-org/support" (got "${options.group}")`);
    const out = resolve(options.out);
    if (existsSync(out)) throw new SetupError(`init: ${out} exists; choose another --out or remove it`);
    const env = readEnv();
    const projects =
      options.projects !== undefined
        ? options.projects
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : await groupProjects(group, env);
    if (projects.length === 0) throw new SetupError(`init: no projects (pass --projects a,b,c, or create one in ${group})`);
    const text = starterConfig({ group, projects, gitlabUrl: env.gitlabUrl ?? 'https://gitlab.com', catalog: shippedTemplates });
    // What init writes must load: a starter that fails `config validate` would be a poor start.
    parseConfigText(text, out);
    // A new folder is made for it (`--out ops/support-bot.yml`); an existing file is never replaced.
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${SCHEMA_LINE}\n${text}`, { flag: 'wx' });
    // The schema of this version, for editors; one already there (a config of another name in the same folder) is left as it is.
    const schema = schemaFileBeside(out);
    const wroteSchema = !existsSync(schema);
    if (wroteSchema) writeFileSync(schema, schemaFileText(), { flag: 'wx' });
    process.stdout.write(
      [
        `wrote ${out} for ${group} (${projects.length} project(s), ${shippedTemplates.size} templates)${wroteSchema ? `, and ${SCHEMA_FILE} beside it for editors` : ''}`,
        'next:',
        `  export SUPPORT_BOT_CONFIG=${out}`,
        '  npx support-bot config validate --remote',
        '  npx support-bot labels sync',
        '  npx support-bot run sweep --dry-run',
        '',
      ].join('\n'),
    );
    return 0;
  });
}

/** The group's projects, read from GitLab (GITLAB_URL, GITLAB_TOKEN). */
async function groupProjects(group: string, env: RuntimeEnv): Promise<string[]> {
  const { gateway } = createGateway(gitlabSchema.parse({}), env);
  return (await collect(gateway.listGroupProjects(group))).map((p) => p.pathWithNamespace);
}
