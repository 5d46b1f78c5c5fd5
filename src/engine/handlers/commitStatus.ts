import { collect } from '../../gitlab/collect.js';
import type { CommitStatus } from '../../gitlab/types.js';
import { subjectItem } from '../../subjects.js';
import type { ActionOf, DiffedHandler, HandlerContext } from './types.js';

type SetCommitStatus = ActionOf<'setCommitStatus'>;

/** A commit status is set only when the latest one of its name differs. */
export const commitStatusHandler: DiffedHandler<SetCommitStatus> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const { projectId } = subjectItem(ctx.subject);
    const changes = [];
    for (const { rule, action, reason } of planned) {
      const change = { rules: [rule], target: 'commit_status' as const, detail: `commit ${action.sha.slice(0, 8)}: status "${action.name}" ${action.state}`, reason };
      if (await statusIsCurrent(ctx, projectId, action)) changes.push(ctx.unchanged(change));
      else changes.push(await ctx.write(change, () => setCommitStatusOnce(ctx, projectId, action)));
    }
    return changes;
  },
};

async function statusIsCurrent(ctx: HandlerContext, projectId: number, action: SetCommitStatus): Promise<boolean> {
  const statuses = await collect(ctx.reader.listCommitStatuses(projectId, action.sha, { name: action.name }));
  const latest = latestStatus(statuses, action.name);
  return Boolean(latest && latest.status === action.state && latest.description === action.description && (latest.targetUrl ?? undefined) === action.targetUrl);
}

/**
 * Posting a final commit status is not idempotent: GitLab adds another status (a job) each
 * time, so the latest status is read again before another attempt.
 */
async function setCommitStatusOnce(ctx: HandlerContext, projectId: number, action: SetCommitStatus): Promise<void> {
  const { sha, state, name, description, targetUrl } = action;
  await ctx.createOnce(
    'commit status',
    { name, sha },
    async () => {
      await ctx.ports.gitlab.setCommitStatus(projectId, { sha, state, name, description, targetUrl });
      return true;
    },
    async () => ((await statusIsCurrent(ctx, projectId, action)) ? true : undefined),
  );
}

/** GitLab lists a commit's statuses newest first; the latest of a name is the one that counts. */
function latestStatus(statuses: CommitStatus[], name: string): CommitStatus | undefined {
  return statuses.filter((s) => s.name === name).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
}
