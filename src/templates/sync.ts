import { createTwoFilesPatch } from 'diff';
import type { BotConfig } from '../config/schema.js';
import type { AppliedChange } from '../engine/changes.js';
import type { Executor } from '../engine/executor.js';
import type { PlannedProjectAction } from '../engine/handlers/types.js';
import { collect } from '../gitlab/collect.js';
import { stopsTheRun } from '../gitlab/errors.js';
import type { CommitAction, GitLabGateway, MergeRequest } from '../gitlab/types.js';
import type { TemplateCatalog } from './catalog.js';
import { projectTemplates } from './links.js';
import { repositoryTemplatePath } from './projectTemplates.js';

// `support-bot templates sync`: proposes the shipped templates to each project through ONE
// merge request from a branch of its own, kept up to date; never a commit to a default
// branch, so the change is reviewed and carries the approval artifact the bot enforces on
// `.gitlab/issue_templates/`. Nothing differs from the default branch: no write at all.

/** The branch the proposals live on, in every project. */
export const SYNC_BRANCH = 'support-bot/issue-templates';

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
  defaultBranch?: string;
  /** Unified diffs of the default branch against the shipped templates: what the merge request proposes. */
  diffs: string[];
  /** Files committed (or, in a dry run, to commit) on SYNC_BRANCH. */
  committed: CommitAction[];
  /** The open merge request, and whether this run opened it. */
  mergeRequest?: { iid: number; webUrl: string; opened: boolean };
  /** Each write made, planned (dry run) or skipped over the write budget. */
  changes: AppliedChange[];
  error?: Error;
}

/** The name its writes are recorded under, in outcomes and a dry run's reasons. */
export const SYNC_COMMAND = 'templates-sync';

export interface SyncDeps {
  config: BotConfig;
  catalog: TemplateCatalog;
  gateway: Pick<GitLabGateway, 'getProject' | 'getFile' | 'branchExists' | 'listMergeRequests'>;
  /** Writes are project actions the executor dispatches: dry run, write budget and outcomes as for every write. */
  executor: Pick<Executor, 'applyToProject'>;
}

async function readFiles(deps: SyncDeps, projectId: number, paths: readonly string[], ref: string): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  for (const path of paths) files.set(path, await deps.gateway.getFile(projectId, path, ref));
  return files;
}

function mergeRequestDescription(files: readonly CommitAction[]): string {
  return [
    'support-bot proposes the issue templates it ships (`npx support-bot templates sync`):',
    '',
    ...files.map((f) => `- ${f.action === 'create' ? 'add' : 'update'} \`${f.filePath}\``),
    '',
    "Changes to Support's templates need a visible artifact of approval on this merge request (an approval, or an approving comment by an eligible approver) before merging.",
    'Edit the branch freely: a later sync only rewrites a file whose shipped copy differs from it.',
  ].join('\n');
}

/** Why the branch and its merge request are written: the shipped templates that differ from the default branch. */
function reasonFor(proposed: readonly CommitAction[], defaultBranch: string): string {
  const names = proposed.map((a) => `"${a.filePath.replace(/^.*\//, '').replace(/\.md$/, '')}"`);
  return `the shipped ${names.join(', ')} ${proposed.length === 1 ? 'differs' : 'differ'} from ${defaultBranch}`;
}

/** The merge request open from SYNC_BRANCH into `target`, if any. */
async function openRequest(deps: SyncDeps, projectId: number, target: string): Promise<MergeRequest | undefined> {
  return (await collect(deps.gateway.listMergeRequests(projectId, { state: 'opened', sourceBranch: SYNC_BRANCH, targetBranch: target })))[0];
}

async function syncProject(deps: SyncDeps, projectKey: string): Promise<ProjectSync> {
  const ref = deps.config.projects[projectKey]!.path;
  const result: ProjectSync = { projectKey, projectPath: String(ref), diffs: [], committed: [], changes: [] };
  try {
    const project = await deps.gateway.getProject(ref);
    result.projectPath = project.pathWithNamespace;
    result.defaultBranch = project.defaultBranch;
    const wanted = projectTemplates(deps.config, projectKey).map((t) => ({ filePath: repositoryTemplatePath(t.name), content: deps.catalog.get(t.name)!.text }));
    const paths = wanted.map((w) => w.filePath);
    const onDefault = await readFiles(deps, project.id, paths, project.defaultBranch);
    const proposed = fileActions(wanted, onDefault);
    if (proposed.length === 0) return result;
    result.diffs = proposed.map((a) =>
      createTwoFilesPatch(`a/${a.filePath}`, `b/${a.filePath}`, onDefault.get(a.filePath) ?? '', a.content ?? '', project.defaultBranch, SYNC_BRANCH),
    );

    const branched = await deps.gateway.branchExists(project.id, SYNC_BRANCH);
    result.committed = branched ? fileActions(wanted, await readFiles(deps, project.id, paths, SYNC_BRANCH)) : proposed;
    const reason = reasonFor(proposed, project.defaultBranch);
    const planned: PlannedProjectAction[] = [];
    if (result.committed.length > 0) {
      const names = result.committed.map((a) => a.filePath.replace(/^.*\//, '').replace(/\.md$/, ''));
      const message = `Sync issue templates from support-bot: ${names.join(', ')}`;
      const commit = { type: 'commitFiles' as const, projectId: project.id, branch: SYNC_BRANCH, message, files: result.committed };
      planned.push({ rule: SYNC_COMMAND, reason, action: branched ? commit : { ...commit, startBranch: project.defaultBranch } });
    }
    const existing = await openRequest(deps, project.id, project.defaultBranch);
    if (!existing) {
      const request = {
        sourceBranch: SYNC_BRANCH,
        targetBranch: project.defaultBranch,
        title: 'Update the Support issue templates',
        description: mergeRequestDescription(proposed),
      };
      planned.push({ rule: SYNC_COMMAND, reason, action: { type: 'openMergeRequest', projectId: project.id, request } });
    }
    result.changes = await deps.executor.applyToProject(planned);
    // Over the write budget, the merge request waits for its branch: both are skipped, and the next run goes on.
    const opened = result.changes.find((c) => c.target === 'merge_request');
    if (existing) result.mergeRequest = { iid: existing.iid, webUrl: existing.webUrl, opened: false };
    else if (opened?.outcome === 'would-write') result.mergeRequest = { iid: 0, webUrl: '', opened: true };
    else if (opened && opened.outcome !== 'skipped') {
      // Written by this run, or (409) by another in between: read it back for its reference.
      const mr = await openRequest(deps, project.id, project.defaultBranch);
      if (mr) result.mergeRequest = { iid: mr.iid, webUrl: mr.webUrl, opened: opened.outcome === 'written' };
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
  for (const key of keys) {
    const result = await syncProject(deps, key);
    results.push(result);
    // A refused token or GitLab out of reach would fail every other project the same way.
    if (stopsTheRun(result.error)) break;
  }
  return results;
}
