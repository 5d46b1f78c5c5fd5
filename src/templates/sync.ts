import { createTwoFilesPatch } from 'diff';
import type { BotConfig } from '../config/schema.js';
import { isWrite, type AppliedChange } from '../engine/changes.js';
import type { Executor } from '../engine/executor.js';
import { collect } from '../gitlab/collect.js';
import { isGitLabError } from '../gitlab/errors.js';
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
  /** Writes go through the executor's GitLab port: dry run, write budget and outcomes as for every write. */
  executor: Pick<Executor, 'send'>;
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

async function openMergeRequest(
  deps: SyncDeps,
  projectId: number,
  target: string,
  proposed: readonly CommitAction[],
  changes: AppliedChange[],
): Promise<{ mr: MergeRequest; opened: boolean } | undefined> {
  const open = async () => (await collect(deps.gateway.listMergeRequests(projectId, { state: 'opened', sourceBranch: SYNC_BRANCH, targetBranch: target })))[0];
  const existing = await open();
  if (existing) return { mr: existing, opened: false };
  try {
    let mr: MergeRequest | undefined;
    const change = {
      rules: [SYNC_COMMAND],
      target: 'merge_request' as const,
      detail: `open a merge request from ${SYNC_BRANCH} into ${target}`,
      reason: reasonFor(proposed, target),
    };
    const applied = await deps.executor.send('gitlab', change, async (gitlab) => {
      mr = await gitlab.createMergeRequest(projectId, {
        sourceBranch: SYNC_BRANCH,
        targetBranch: target,
        title: 'Update the Support issue templates',
        description: mergeRequestDescription(proposed),
      });
    });
    changes.push(applied);
    return mr && isWrite(applied) ? { mr, opened: true } : undefined;
  } catch (error) {
    // 409: another run opened it in between (lib/api/merge_requests.rb, handle_merge_request_errors!).
    const raced = isGitLabError(error) && error.status === 409 ? await open() : undefined;
    if (raced) return { mr: raced, opened: false };
    throw error;
  }
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
    if (result.committed.length > 0) {
      const names = result.committed.map((a) => a.filePath.replace(/^.*\//, '').replace(/\.md$/, ''));
      const change = {
        rules: [SYNC_COMMAND],
        target: 'branch' as const,
        detail: `commit ${result.committed.length} file(s) to ${SYNC_BRANCH}${branched ? '' : ` (new, from ${project.defaultBranch})`}`,
        reason: reasonFor(proposed, project.defaultBranch),
      };
      const applied = await deps.executor.send('gitlab', change, (gitlab) =>
        gitlab.commitFiles(project.id, SYNC_BRANCH, `Sync issue templates from support-bot: ${names.join(', ')}`, result.committed, branched ? undefined : project.defaultBranch),
      );
      result.changes.push(applied);
      // Over the write budget: the merge request waits for the branch, on the next run.
      if (!isWrite(applied)) return result;
    }
    const opened = await openMergeRequest(deps, project.id, project.defaultBranch, proposed, result.changes);
    if (opened) result.mergeRequest = { iid: opened.mr.iid, webUrl: opened.mr.webUrl, opened: opened.opened };
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
