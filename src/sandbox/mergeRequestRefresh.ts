// What GitLab does to merge requests when commits land on a branch
// (app/services/merge_requests/refresh_service.rb): each open merge request whose source
// branch it is gets the new head and diff, and a Merge Request Hook `update` goes out carrying
// `oldrev` (doc/user/project/integrations/webhook_events.md, "Merge request events").
// Where the project removes approvals on push (Premium), EE's RefreshService queues
// MergeRequestResetApprovalsWorker ten seconds later (ee/app/services/ee/merge_requests/
// refresh_service.rb): until then `approved_by` still lists them; then
// MergeRequests::ResetApprovalsService deletes them and sends a Merge Request Hook
// `unapproved` (the merge request was approved and no longer is) or `unapproval`, marked
// `system: true`, `system_action: 'approvals_reset_on_push'`.

import type { Response } from 'express';
import { emitHook, type SandboxContext } from './context.js';
import type { SandboxStore } from './store.js';
import type { MergeRequestRec, MrChange, UserRec } from './types.js';
import { isApproved } from './routes/shared.js';
import { mergeRequestHook } from './webhooks/payloads.js';

/** One `/diffs` entry: a regular file changed in place, unless `flags` say otherwise. */
export function fileChange(path: string, flags: Partial<MrChange> = {}): MrChange {
  return { old_path: path, new_path: path, diff: '', new_file: false, renamed_file: false, deleted_file: false, a_mode: '100644', b_mode: '100644', ...flags };
}

/** The diff of a source branch against its target, as GitLab lists it (`/diffs`): one entry per changed path. */
export function branchChanges(store: SandboxStore, projectId: number, source: string, target: string): MrChange[] {
  const from = store.branchFiles(projectId, target) ?? new Map<string, string>();
  const to = store.branchFiles(projectId, source);
  if (!to) return [];
  const changes: MrChange[] = [];
  for (const [path, content] of to) {
    if (!from.has(path)) changes.push(fileChange(path, { new_file: true, a_mode: '0' }));
    else if (from.get(path) !== content) changes.push(fileChange(path));
  }
  for (const path of from.keys()) if (!to.has(path)) changes.push(fileChange(path, { deleted_file: true, b_mode: '0' }));
  return changes.sort((a, b) => a.new_path.localeCompare(b.new_path));
}

/** The head commit of a branch, when it has one. */
export function branchHead(store: SandboxStore, projectId: number, branch: string): string | undefined {
  return [...(store.commits.get(projectId) ?? [])].reverse().find((c) => c.branch === branch)?.id;
}

/** After a push to `branch`: refresh its open merge requests and send their update hooks. */
export function refreshMergeRequests(ctx: SandboxContext, res: Response, projectId: number, branch: string, actor: UserRec): void {
  const { store } = ctx;
  const project = store.requireProject(projectId);
  const open = store.mergeRequests.filter((m: MergeRequestRec) => m.projectId === projectId && m.sourceBranch === branch && m.state === 'opened');
  for (const mr of open) {
    const oldrev = mr.sha;
    mr.sha = branchHead(store, projectId, branch) ?? mr.sha;
    mr.changes = branchChanges(store, projectId, mr.sourceBranch, mr.targetBranch);
    mr.versions.push({ id: store.nextId('mr-version'), headSha: mr.sha, createdAt: store.now() });
    // Resetting approvals on push is Premium (EE's RefreshService); Free keeps them.
    if (project.resetApprovalsOnPush && store.tier === 'premium') {
      const pushedAt = store.now();
      ctx.jobs.later(APPROVAL_RESET_DELAY_MS, () => resetApprovals(ctx, mr, actor, pushedAt));
    }
    const previous = mr.updatedAt;
    mr.updatedAt = store.now();
    const body = mergeRequestHook(store, mr, actor, 'update', { updated_at: { previous, current: mr.updatedAt } });
    (body.object_attributes as Record<string, unknown>).oldrev = oldrev;
    emitHook(ctx, res, { projectId, event: 'Merge Request Hook', body });
  }
}

/** `MergeRequestResetApprovalsWorker.perform_in(10.seconds, …)`. */
export const APPROVAL_RESET_DELAY_MS = 10_000;

/** The delayed reset: approvals given before the push go, and a system hook says so. */
function resetApprovals(ctx: SandboxContext, mr: MergeRequestRec, actor: UserRec, pushedAt: Date): void {
  const { store } = ctx;
  const stale = mr.approvedBy.filter((a) => a.at <= pushedAt);
  if (stale.length === 0) return;
  const wasApproved = isApproved(store, mr);
  mr.approvedBy = mr.approvedBy.filter((a) => a.at > pushedAt);
  const body = mergeRequestHook(store, mr, actor, wasApproved && !isApproved(store, mr) ? 'unapproved' : 'unapproval', {});
  Object.assign(body.object_attributes as Record<string, unknown>, { system: true, system_action: 'approvals_reset_on_push' });
  ctx.hooks.emit({ projectId: mr.projectId, event: 'Merge Request Hook', body });
}
