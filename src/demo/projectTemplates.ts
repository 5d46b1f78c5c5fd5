import type { BotConfig } from '../config/schema.js';
import type { Sandbox } from '../sandbox/index.js';
import { repositoryTemplatePath } from '../templates/projectTemplates.js';
import type { TemplateCatalog } from '../templates/catalog.js';

/**
 * Gives each configured project of the sandbox its templates in `.gitlab/issue_templates/`,
 * as a team that adopted them has: one commit per project, by the Support manager. The
 * bot reads them from there (the shipped copies are only its fallback).
 */
export function seedProjectTemplates(sandbox: Sandbox, config: BotConfig, catalog: TemplateCatalog): void {
  const { store } = sandbox;
  const author = store.findUserByUsername('maria-manager') ?? store.findUserByUsername('root');
  for (const [key, project] of Object.entries(config.projects)) {
    const record = store.resolveProject(String(project.path));
    const templates = config.templates.filter((t) => t.project === key && catalog.has(t.name));
    if (!record || templates.length === 0) continue;
    for (const template of templates) store.setFile(record.id, record.defaultBranch, repositoryTemplatePath(template.name), catalog.get(template.name)!.text);
    store.addCommit(record.id, { branch: record.defaultBranch, message: 'Add the Support issue templates', authorId: author!.id });
  }
}
