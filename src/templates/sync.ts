import type { BotConfig } from '../config/schema.js';
import type { Writer } from '../engine/writer.js';
import type { CommitAction, GitLabGateway } from '../gitlab/types.js';
import type { TemplateCatalog } from './catalog.js';
import { projectTemplates } from './links.js';

// `support-bot templates sync`: each project's templates into its repository's
// `.gitlab/issue_templates/`, one commit per project, only for files that differ.

export function repositoryTemplatePath(name: string): string {
  return `.gitlab/issue_templates/${name}.md`;
}

export interface WantedFile {
  filePath: string;
  content: string;
}

/** What to commit so that the branch holds `wanted`: create what is absent, update what differs. */
export function fileActions(wanted: readonly WantedFile[], current: ReadonlyMap<string, string | null>): CommitAction[] {
  return wanted.flatMap((file): CommitAction[] => {
    const existing = current.get(file.filePath) ?? null;
    if (existing === file.content) return [];
    return [{ action: existing === null ? 'create' : 'update', filePath: file.filePath, content: file.content }];
  });
}

/** Configured templates that have no shipped file: `templates sync` cannot write them. */
export function templatesWithoutFile(config: BotConfig, catalog: TemplateCatalog): string[] {
  return config.templates.filter((t) => !catalog.has(t.name)).map((t) => `${t.project}/${t.name}.md`);
}

export interface ProjectSync {
  projectKey: string;
  projectPath: string;
  branch?: string;
  actions: CommitAction[];
  error?: Error;
}

export interface SyncDeps {
  config: BotConfig;
  catalog: TemplateCatalog;
  gateway: Pick<GitLabGateway, 'getProject' | 'getFile'>;
  /** The gateway, or the DryRunWriter that records the commit instead. */
  writer: Pick<Writer, 'commitFiles'>;
}

async function syncProject(deps: SyncDeps, projectKey: string): Promise<ProjectSync> {
  const ref = deps.config.projects[projectKey]!.path;
  const result: ProjectSync = { projectKey, projectPath: String(ref), actions: [] };
  try {
    const project = await deps.gateway.getProject(ref);
    result.projectPath = project.pathWithNamespace;
    result.branch = project.defaultBranch;
    const wanted = projectTemplates(deps.config, projectKey).map((t) => ({ filePath: repositoryTemplatePath(t.name), content: deps.catalog.get(t.name)!.text }));
    const current = new Map<string, string | null>();
    for (const file of wanted) current.set(file.filePath, await deps.gateway.getFile(project.id, file.filePath, project.defaultBranch));
    result.actions = fileActions(wanted, current);
    if (result.actions.length > 0) {
      const names = result.actions.map((a) => a.filePath.replace(/^.*\//, '').replace(/\.md$/, ''));
      await deps.writer.commitFiles(project.id, project.defaultBranch, `Sync issue templates from support-bot: ${names.join(', ')}`, result.actions);
    }
  } catch (error) {
    // One project's failure (no access, a protected branch) must not stop the others.
    result.error = error as Error;
  }
  return result;
}

/** Syncs every project that has configured templates, one after the other. */
export async function syncTemplates(deps: SyncDeps): Promise<ProjectSync[]> {
  const keys = Object.keys(deps.config.projects).filter((key) => projectTemplates(deps.config, key).length > 0);
  const results: ProjectSync[] = [];
  for (const key of keys) results.push(await syncProject(deps, key));
  return results;
}
