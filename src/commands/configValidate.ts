import { loadConfig, type LoadedConfig } from '../config/load.js';
import { SCHEMA_FILE, schemaFileIsStale } from '../config/schemaFile.js';
import { collect } from '../gitlab/collect.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { guarded } from './common.js';
import { botRoleWarning, commentRedactionWarning } from './botRoles.js';
import { configuredLabels, MISSING_LABEL_HINT, missingLabelWarnings } from './configuredLabels.js';
import { fallbackWarning, readProjectTemplates } from '../templates/projectTemplates.js';
import { shippedTemplates } from '../templates/shipped.js';

export function configValidateCommand(file: string | undefined, options: { remote?: boolean } = {}): Promise<number> {
  return guarded(async () => {
    const loaded = loadConfig(file);
    const { config, path } = loaded;
    const projects = Object.keys(config.projects).length;
    process.stdout.write(`ok: ${path} (${projects} projects, ${config.templates.length} templates)\n`);
    if (schemaFileIsStale(path))
      process.stdout.write(
        `warning: ${SCHEMA_FILE} beside ${path} is not this version's schema (editors check the config against it): refresh it with \`npx support-bot config schema --write\`\n`,
      );
    if (options.remote) await checkRemote(loaded);
    return 0;
  });
}

/** `--remote`: reads each configured project and its labels, and the team group, from GitLab, and warns about what the bot will miss. */
async function checkRemote(loaded: LoadedConfig): Promise<void> {
  const { gateway, bot } = createRuntime({ log: createLogger(), dryRun: true, loaded });
  let warnings = 0;
  let missingLabels = 0;
  const me = await gateway.currentUser();
  for (const key of bot.projects.keys) {
    // Resolved as a run resolves it: its visibility decides where sensitive-data's labels are used.
    const scope = await bot.projects.resolve(key);
    for (const role of [botRoleWarning(scope, loaded.config, me.username), commentRedactionWarning(scope, loaded.config, me.username)]) {
      if (!role) continue;
      process.stdout.write(`${role}\n`);
      warnings += 1;
    }
    const existing = await collect(gateway.listLabelNames(scope.id));
    for (const line of missingLabelWarnings(key, String(loaded.config.projects[key]!.path), configuredLabels(loaded.config, scope, bot.deps.rules), existing)) {
      process.stdout.write(`${line}\n`);
      warnings += 1;
      missingLabels += 1;
    }
    // Read as the template check reads them: the project's own files, else the shipped copy.
    // (Without the bot's log warning: each line is printed here once.)
    for (const template of await readProjectTemplates(gateway, loaded.config, scope, shippedTemplates)) {
      const line = fallbackWarning(key, scope.path, template);
      if (!line) continue;
      process.stdout.write(`${line}\n`);
      warnings += 1;
    }
  }
  if (missingLabels > 0) process.stdout.write(`${MISSING_LABEL_HINT}\n`);
  // The bot is a normal user: it reads a team's private subgroups only as a member of the team group.
  const team = loaded.config.sla.teamGroup;
  const member = await gateway.isGroupMember(team, me.id);
  if (member !== true) {
    process.stdout.write(
      member === null
        ? `warning: sla.teamGroup ${team} is not visible to @${me.username}: the team list will be empty; add @${me.username} to ${team} (Guest is enough)\n`
        : `warning: @${me.username} is not a member of sla.teamGroup ${team}: members of its private subgroups will not count as the team; add @${me.username} to ${team} (Guest is enough)\n`,
    );
    warnings += 1;
  }
  process.stdout.write(`remote: ${Object.keys(loaded.config.projects).length} projects checked, ${warnings} warning(s)\n`);
}
