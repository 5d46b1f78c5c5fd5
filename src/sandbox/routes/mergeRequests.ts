// Merge requests: list, get, create, update, merge, approvals, diffs.

import type { Router } from 'express';
import { branchChanges, branchHead } from '../mergeRequestRefresh.js';
import { canSetMetadata, currentUser, isDeveloper, mergeRequestFrom, projectFrom, requireEdit, requireReadMergeRequests, type SandboxContext } from '../context.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { recordCreationMentions, updateIssuable } from '../issuables.js';
import { paginate } from '../pagination.js';
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
  readIssuableUpdate,
  withDescriptionQuickActions,
  withoutMetadata,
  checkIssuableLengths,
} from './shared.js';

export function mergeRequestRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  api.get('/projects/:id/merge_requests', (req, res) => {
    const project = requireReadMergeRequests(ctx, req, res);
    const p = paramsOf(req);
    const draft = bool(p, 'draft') ?? bool(p, 'wip');
    const items = store.mergeRequests.filter((m) => m.projectId === project.id && (draft === undefined || m.draft === draft));
    const list = filterIssuables(ctx, items, p, ['opened', 'closed', 'merged', 'locked']);
    res.json(paginate(req, res, list, ctx.pagination).map((m) => mergeRequestJson(store, m)));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid', (req, res) => {
    res.json(mergeRequestJson(store, mergeRequestFrom(ctx, req, res).mr));
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
    recordCreationMentions(store, mr, user.id);
    store.addEvent(user.id, { projectId: project.id, actionName: 'opened', targetType: 'MergeRequest', targetId: mr.id, targetIid: mr.iid, targetTitle: mr.title });
    emitIssuableHook(ctx, res, mr, user, 'open', creationChanges(mr));
    res.status(201).json(mergeRequestJson(store, mr));
  });

  api.put('/projects/:id/merge_requests/:merge_request_iid', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    requireEdit(ctx, user, project, mr);
    const given = readIssuableUpdate(paramsOf(req), 'merge_request');
    const { update, approve } = withDescriptionQuickActions(store, mr, canSetMetadata(ctx, user, project, mr) ? given : withoutMetadata(given), user);
    const result = updateIssuable(store, mr, update, user.id, ctx.issuables);
    if (approve) approveMergeRequest(ctx, res, mr, user);
    // MergeRequests::UpdateService executes the hooks after every update, also one that changed nothing.
    emitIssuableHook(ctx, res, mr, user, result.action, result.changes);
    res.json(mergeRequestJson(store, mr));
  });

  api.put('/projects/:id/merge_requests/:merge_request_iid/merge', (req, res) => {
    const { project, mr } = mergeRequestFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw new ApiError(401, { message: '401 Unauthorized' });
    if (mr.state !== 'opened') throw new ApiError(405, { message: '405 Method Not Allowed' });
    const result = updateIssuable(store, mr, { stateEvent: 'merge' }, user.id, ctx.issuables);
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
    // Approval rules are Premium (ee/lib/ee/api/merge_request_approvals.rb): Free has no such route.
    if (store.tier === 'free') throw notFound('');
    const approvedBy = mr.approvedBy.map((a) => userBasic(store, store.getUser(a.userId)));
    res.json({
      approval_rules_overwritten: false,
      rules: [
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
    res.json(paginate(req, res, mr.changes, ctx.pagination));
  });

  api.get('/projects/:id/merge_requests/:merge_request_iid/changes', (req, res) => {
    const { mr } = mergeRequestFrom(ctx, req, res);
    res.json({ ...mergeRequestJson(store, mr), changes: mr.changes, overflow: false });
  });
}

function approvalsJson(ctx: SandboxContext, mr: MergeRequestRec, viewer: UserRec): Record<string, unknown> {
  const { store } = ctx;
  const approvedBy = mr.approvedBy.map((a) => ({ user: userBasic(store, store.getUser(a.userId)), approved_at: a.at.toISOString() }));
  if (store.tier === 'free') {
    // Free answers the smaller shape of lib/api/entities/merge_request_approvals.rb.
    return {
      user_has_approved: mr.approvedBy.some((a) => a.userId === viewer.id),
      user_can_approve: !mr.approvedBy.some((a) => a.userId === viewer.id),
      approved: isApproved(store, mr),
      approved_by: approvedBy,
    };
  }
  return {
    ...mergeRequestHead(mr),
    merge_status: 'can_be_merged',
    approved: mr.approvedBy.length >= mr.approvalsRequired,
    approvals_required: mr.approvalsRequired,
    approvals_left: Math.max(0, mr.approvalsRequired - mr.approvedBy.length),
    require_password_to_approve: false,
    approved_by: approvedBy,
    suggested_approvers: [],
    approvers: [],
    approver_groups: [],
    user_has_approved: mr.approvedBy.some((a) => a.userId === viewer.id),
    user_can_approve: !mr.approvedBy.some((a) => a.userId === viewer.id),
    approval_rules_left: [],
    has_approval_rules: mr.approvalsRequired > 0,
    merge_request_approvers_available: true,
    multiple_approval_rules_available: true,
    invalid_approvers_rules: [],
  };
}

/** `approve_merge_request` follows `update_merge_request` (app/policies/merge_request_policy.rb). */
function canApprove(ctx: SandboxContext, user: UserRec, project: ProjectRec, mr: MergeRequestRec): boolean {
  return isDeveloper(ctx, user, project) || mr.authorId === user.id || mr.assigneeIds.includes(user.id);
}
