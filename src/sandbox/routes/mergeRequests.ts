// Merge requests: list, get, create, update, merge, approvals, diffs.

import type { Router } from 'express';
import { branchChanges, branchHead } from '../mergeRequestRefresh.js';
import { canSetMetadata, currentUser, isDeveloper, mergeRequestFrom, projectFrom, requireEdit, requireReadMergeRequests, type SandboxContext } from '../context.js';
import { ApiError, forbidden } from '../errors.js';
import { recordCreationLabels, recordCreationMentions, updateIssuable } from '../issuables.js';
import { paginate } from '../pagination.js';
import { rawDiffOf } from '../rawDiff.js';
import { bool, intList, labelList, paramsOf, requiredStr, str } from '../params.js';
import { mergeRequestHead, mergeRequestJson, userBasic } from '../serialize.js';
import type { MergeRequestRec, ProjectRec, UserRec } from '../types.js';
import {
  approveMergeRequest,
  creationChanges,
  emitApproval,
  emitIssuableHook,
  filterIssuables,
  isApproved,
  requiredApprovals,
  readIssuableUpdate,
  withDescriptionQuickActions,
  withoutMetadata,
  checkIssuableLengths,
  givesMoreThanState,
  updateThroughApi,
} from './shared.js';

/** GitLab.com's `diff_max_files` (doc/administration/diff_limits.md). */
export const DIFF_MAX_FILES = 1000;

/**
 * What a merge writes to the target branch: the files the source branch added or changed
 * (its diff against the target, as `branchChanges` lists it), in one merge commit. The
 * sandbox keeps no history to find a merge base, so it deletes nothing on the target.
 */
function landOnTarget(store: SandboxContext['store'], project: ProjectRec, mr: MergeRequestRec, user: UserRec): void {
  const source = store.branchFiles(project.id, mr.sourceBranch);
  const target = store.branchFiles(project.id, mr.targetBranch);
  if (!source || !target) return;
  const changed = branchChanges(store, project.id, mr.sourceBranch, mr.targetBranch).filter((c) => !c.deleted_file);
  if (changed.length === 0) return;
  for (const change of changed) target.set(change.new_path, source.get(change.new_path)!);
  store.addCommit(project.id, { branch: mr.targetBranch, message: `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'`, authorId: user.id });
}

export function mergeRequestRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  api.get('/projects/:id/merge_requests', (req, res) => {
    const project = requireReadMergeRequests(ctx, req, res);
    const p = paramsOf(req);
    const draft = bool(p, 'draft') ?? bool(p, 'wip');
    const source = str(p, 'source_branch');
    const target = str(p, 'target_branch');
    const items = store.mergeRequests.filter(
      (m) =>
        m.projectId === project.id &&
        (draft === undefined || m.draft === draft) &&
        (source === undefined || m.sourceBranch === source) &&
        (target === undefined || m.targetBranch === target),
    );
    const list = filterIssuables(ctx, items, p, ['opened', 'closed', 'merged', 'locked']);
    res.json(paginate(req, res, list, ctx.pagination).map((m) => mergeRequestJson(store, m)));
  });

  // GitLab keeps at most `diff_max_files` changed files of a merge request diff (1,000, not
  // configurable on GitLab.com: doc/administration/diff_limits.md); past it the diff
  // overflows: `/diffs` and `/changes` list the first 1,000, `/changes` says `overflow: true`
  // and the single merge request's `changes_count` is the string "1000+"
  // (doc/api/merge_requests.md, "Get single merge request").
  const storedDiff = (mr: MergeRequestRec) => ({ files: mr.changes.slice(0, DIFF_MAX_FILES), overflow: mr.changes.length > DIFF_MAX_FILES });
  const changesCount = (mr: MergeRequestRec) => (storedDiff(mr).overflow ? `${DIFF_MAX_FILES}+` : String(mr.changes.length));

  api.get('/projects/:id/merge_requests/:merge_request_iid', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    res.json({ ...mergeRequestJson(store, mr), changes_count: changesCount(mr) });
  });

  api.post('/projects/:id/merge_requests', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const p = paramsOf(req);
    const sourceBranch = requiredStr(p, 'source_branch');
    const targetBranch = requiredStr(p, 'target_branch');
    const title = requiredStr(p, 'title');
    checkIssuableLengths({ title, description: str(p, 'description') });
    // app/models/merge_request.rb#validate_branches, answered 409 by lib/api/merge_requests.rb
    // (handle_merge_request_errors!): one open merge request per source and target branch.
    const open = store.mergeRequests.find((m) => m.projectId === project.id && m.state === 'opened' && m.sourceBranch === sourceBranch && m.targetBranch === targetBranch);
    if (open) throw new ApiError(409, { message: [`Another open merge request already exists for this source branch: !${open.iid}`] });
    const mr = store.createMergeRequest(project.id, {
      title,
      sourceBranch,
      targetBranch,
      description: str(p, 'description') ?? '',
      authorId: user.id,
      labels: labelList(p, 'labels') ?? [],
      assigneeIds: intList(p, 'assignee_ids') ?? [],
      reviewerIds: intList(p, 'reviewer_ids') ?? [],
      // GitLab diffs the source branch against the target (MergeRequestDiff); a branch never pushed has no diff.
      changes: branchChanges(store, project.id, sourceBranch, targetBranch),
      ...(branchHead(store, project.id, sourceBranch) ? { sha: branchHead(store, project.id, sourceBranch) } : {}),
    });
    recordCreationLabels(store, mr, user.id);
    recordCreationMentions(store, mr, user.id);
    store.addEvent(user.id, { projectId: project.id, actionName: 'opened', targetType: 'MergeRequest', targetId: mr.id, targetIid: mr.iid, targetTitle: mr.title });
    emitIssuableHook(ctx, res, mr, user, 'open', creationChanges(mr));
    res.status(201).json(mergeRequestJson(store, mr));
  });

  api.put('/projects/:id/merge_requests/:merge_request_iid', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    requireEdit(ctx, user, project, mr);
    const p = paramsOf(req);
    const given = readIssuableUpdate(p, 'merge_request');
    const { update, approve } = withDescriptionQuickActions(store, mr, canSetMetadata(ctx, user, project, mr) ? given : withoutMetadata(given), user);
    updateThroughApi(ctx, res, mr, update, user, givesMoreThanState(p));
    if (approve) approveMergeRequest(ctx, res, mr, user);
    res.json(mergeRequestJson(store, mr));
  });

  api.put('/projects/:id/merge_requests/:merge_request_iid/merge', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw new ApiError(401, { message: '401 Unauthorized' });
    if (mr.state !== 'opened') throw new ApiError(405, { message: '405 Method Not Allowed' });
    const result = updateIssuable(store, mr, { stateEvent: 'merge' }, user.id, ctx.issuables);
    landOnTarget(store, project, mr, user);
    store.addEvent(user.id, { projectId: project.id, actionName: 'accepted', targetType: 'MergeRequest', targetId: mr.id, targetIid: mr.iid, targetTitle: mr.title });
    emitIssuableHook(ctx, res, mr, user, 'merge', result.changes);
    res.json(mergeRequestJson(store, mr));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid/approvals', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    res.json(approvalsJson(ctx, mr, currentUser(res)));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid/approval_state', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    // GitLab.com runs EE on every tier, so the route is always mounted
    // (ee/lib/ee/api/merge_request_approvals.rb); on Free there are no rules to list.
    const approvedBy = mr.approvedBy.map((a) => userBasic(store, store.getUser(a.userId)));
    res.json({
      approval_rules_overwritten: false,
      rules:
        store.tier === 'free'
          ? []
          : [
              {
                id: mr.id,
                name: 'All Members',
                rule_type: 'any_approver',
                eligible_approvers: [],
                approvals_required: mr.approvalsRequired,
                users: [],
                groups: [],
                contains_hidden_groups: false,
                approved_by: approvedBy,
                source_rule: null,
                approved: mr.approvedBy.length >= mr.approvalsRequired,
                overridden: false,
              },
            ],
    });
  });

  api.post('/projects/:id/merge_requests/:merge_request_iid/approve', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    // lib/api/merge_request_approvals.rb: `find_merge_request_with_access(iid, :approve_merge_request)`
    // is a 403 for who may not update the merge request (merge_request_policy.rb); a second
    // approval makes ApprovalService fail, answered `unauthorized!`.
    if (!canApprove(ctx, user, project, mr)) throw forbidden();
    if (mr.approvedBy.some((a) => a.userId === user.id)) throw new ApiError(401, { message: '401 Unauthorized' });
    approveMergeRequest(ctx, res, mr, user);
    res.status(201).json(approvalsJson(ctx, mr, user));
  });

  api.post('/projects/:id/merge_requests/:merge_request_iid/unapprove', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    if (!canApprove(ctx, user, project, mr)) throw forbidden();
    // RemoveApprovalService fails when the user had not approved: `not_found!`, "404 Not Found".
    if (!mr.approvedBy.some((a) => a.userId === user.id)) throw new ApiError(404, { message: '404 Not Found' });
    const wasApproved = isApproved(store, mr);
    store.removeApproval(project.id, mr.iid, user.id);
    emitApproval(ctx, res, mr, user, wasApproved && !isApproved(store, mr) ? 'unapproved' : 'unapproval');
    res.status(201).json(approvalsJson(ctx, mr, user));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid/diffs', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    res.json(paginate(req, res, storedDiff(mr).files, ctx.pagination));
  });

  // doc/api/merge_requests.md, "Show merge request raw diffs" (lib/api/merge_requests.rb:
  // `send_git_diff(repository, merge_request.diff_refs)`): every changed file, the diff limits
  // notwithstanding, as plain text (src/sandbox/rawDiff.ts).
  api.get('/projects/:id/merge_requests/:merge_request_iid/raw_diffs', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    res.type('text/plain').send(rawDiffOf(mr.changes));
  });

  // doc/api/merge_requests.md, "Get merge request diff versions": newest first.
  api.get('/projects/:id/merge_requests/:merge_request_iid/versions', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    const versions = [...mr.versions].reverse().map((v) => ({
      id: v.id,
      head_commit_sha: v.headSha,
      base_commit_sha: v.headSha,
      start_commit_sha: v.headSha,
      created_at: v.createdAt.toISOString(),
      merge_request_id: mr.id,
      state: 'collected',
      real_size: changesCount(mr),
    }));
    res.json(paginate(req, res, versions, ctx.pagination));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid/changes', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    const diff = storedDiff(mr);
    res.json({ ...mergeRequestJson(store, mr), changes_count: changesCount(mr), changes: diff.files, overflow: diff.overflow });
  });
}

function approvalsJson(ctx: SandboxContext, mr: MergeRequestRec, viewer: UserRec): Record<string, unknown> {
  const { store } = ctx;
  const approvedBy = mr.approvedBy.map((a) => ({ user: userBasic(store, store.getUser(a.userId)), approved_at: a.at.toISOString() }));
  // GitLab.com runs EE on every tier: the EE shape always (ee/lib/ee/api/entities/approval_state.rb);
  // Free has no approval rules, so nothing is required and the merge request is approved. The
  // small four-field shape is self-managed CE only.
  const required = requiredApprovals(store, mr);
  return {
    ...mergeRequestHead(mr),
    merge_status: 'can_be_merged',
    approved: mr.approvedBy.length >= required,
    approvals_required: required,
    approvals_left: Math.max(0, required - mr.approvedBy.length),
    require_password_to_approve: false,
    approved_by: approvedBy,
    suggested_approvers: [],
    approvers: [],
    approver_groups: [],
    user_has_approved: mr.approvedBy.some((a) => a.userId === viewer.id),
    user_can_approve: !mr.approvedBy.some((a) => a.userId === viewer.id),
    approval_rules_left: [],
    has_approval_rules: required > 0,
    merge_request_approvers_available: true,
    multiple_approval_rules_available: true,
    invalid_approvers_rules: [],
  };
}

/** `approve_merge_request` follows `update_merge_request` (app/policies/merge_request_policy.rb). */
function canApprove(ctx: SandboxContext, user: UserRec, project: ProjectRec, mr: MergeRequestRec): boolean {
  return isDeveloper(ctx, user, project) || mr.authorId === user.id || mr.assigneeIds.includes(user.id);
}
