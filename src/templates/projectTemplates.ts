import type { BotConfig, TemplateConfig } from '../config/schema.js';
import type { GitLabGateway } from '../gitlab/types.js';
import { readTemplateFile, type TemplateCatalog, type TemplateFile } from './catalog.js';
import { projectTemplates } from './links.js';

// The templates a project's issues are checked against: the project's own files in
// `.gitlab/issue_templates/` on its default branch (what people pick in GitLab's "New issue"
// form), else the copy the bot ships, else none (then only the marker recognises it).

export const TEMPLATES_FOLDER = '.gitlab/issue_templates';

export function repositoryTemplatePath(name: string): string {
  return `${TEMPLATES_FOLDER}/${name}.md`;
}

export interface ProjectTemplate {
  config: TemplateConfig;
  /** The file its sections come from; absent when neither the project nor the bot has one. */
  file?: TemplateFile;
  /** `project`: the project's own file; `shipped`: the project lacks it, the bot's copy stands in. */
  source: 'project' | 'shipped' | 'none';
}

/** The configured templates of a project, each with the file it is checked against. */
export function resolveProjectTemplates(config: BotConfig, projectKey: string, ownFiles: ReadonlyMap<string, string>, catalog: TemplateCatalog): ProjectTemplate[] {
  return projectTemplates(config, projectKey).map((template): ProjectTemplate => {
    const own = ownFiles.get(template.name);
    if (own !== undefined) return { config: template, file: readTemplateFile(template.name, own), source: 'project' };
    const shipped = catalog.get(template.name);
    return shipped ? { config: template, file: shipped, source: 'shipped' } : { config: template, source: 'none' };
  });
}

/** What `config validate --remote` and the logs say about a template the project lacks. */
export function fallbackWarning(projectKey: string, projectPath: string, template: ProjectTemplate): string | null {
  if (template.source === 'project') return null;
  const file = repositoryTemplatePath(template.config.name);
  return template.source === 'shipped'
    ? `warning: projects.${projectKey} (${projectPath}) has no ${file}: "${template.config.name}" is checked against the bot's shipped copy (\`npx support-bot templates sync\` proposes it)`
    : `warning: projects.${projectKey} (${projectPath}) has no ${file} and the bot ships none: "${template.config.name}" is recognised only by its marker and has no required sections`;
}

type TemplateReader = Pick<GitLabGateway, 'listFiles' | 'getFile'>;

/** The configured templates' texts in a project's `.gitlab/issue_templates/` on `ref`, by name: one tree read, one read per file present. */
export async function readOwnTemplates(gateway: TemplateReader, projectId: number, ref: string, names: readonly string[]): Promise<Map<string, string>> {
  const present = new Set(await gateway.listFiles(projectId, TEMPLATES_FOLDER, ref));
  const files = new Map<string, string>();
  for (const name of names) {
    if (!present.has(repositoryTemplatePath(name))) continue;
    const text = await gateway.getFile(projectId, repositoryTemplatePath(name), ref);
    if (text !== null) files.set(name, text);
  }
  return files;
}

/** How long `serve` keeps a project's templates: five minutes, so a template merged in GitLab is followed soon (a merge event forgets them at once). */
export const TEMPLATE_CACHE_MS = 5 * 60 * 1000;

/** A project as the template reads need it. */
export interface TemplateProject {
  key: string;
  id: number;
  path: string;
  defaultBranch: string;
}

/**
 * The configured templates of a project, each with the file it is checked against: the
 * project's own, else the shipped copy (and `warn` is told about each one the project lacks).
 * One tree read, one read per file present.
 */
export async function readProjectTemplates(
  gateway: TemplateReader,
  config: BotConfig,
  project: TemplateProject,
  catalog: TemplateCatalog,
  warn?: (line: string) => void,
): Promise<ProjectTemplate[]> {
  const names = projectTemplates(config, project.key).map((t) => t.name);
  const own = names.length === 0 ? new Map<string, string>() : await readOwnTemplates(gateway, project.id, project.defaultBranch, names);
  const resolved = resolveProjectTemplates(config, project.key, own, catalog);
  for (const template of resolved) {
    const warning = fallbackWarning(project.key, project.path, template);
    if (warning) warn?.(warning);
  }
  return resolved;
}
