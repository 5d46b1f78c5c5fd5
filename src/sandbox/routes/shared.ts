// What issues and merge requests share on the API side: list filtering and
// ordering, reading update parameters, and the webhook each change fires.

import type { Response } from 'express';
import { emitHook, type SandboxContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { matchesFullText } from '../fullTextSearch.js';
import { updateIssuable, type Changes, type IssuableUpdate } from '../issuables.js';
import { interpretQuickActions, type QuickActionResult } from '../quickActions.js';
import type { SandboxStore } from '../store.js';
import { bool, date, int, intList, labelList, notParams, oneOf, str, type Params } from '../params.js';
import type { IssuableRec, MergeRequestRec, UserRec } from '../types.js';
import { issueHook, mergeRequestHook, type IssueAction, type MergeRequestAction } from '../webhooks/payloads.js';

/** Filters and orders a project's issues or merge requests per the list endpoints' parameters. */
export function filterIssuables<T extends IssuableRec>(ctx: SandboxContext, items: T[], p: Params, states: readonly string[]): T[] {
  const state = oneOf(p, 'state', [...states, 'all'] as const);
  const labels = labelList(p, 'labels') ?? labelList(p, 'label_name');
  const notLabels = labelList(notParams(p), 'labels');
  const createdAfter = date(p, 'created_after');
  const createdBefore = date(p, 'created_before');
  const updatedAfter = date(p, 'updated_after');
  const updatedBefore = date(p, 'updated_before');
  const iids = intList(p, 'iids');
  const authorUsername = str(p, 'author_username');
  const authorId = int(p, 'author_id');
  const assigneeId = str(p, 'assignee_id');
  const assigneeUsername = labelList(p, 'assignee_username');
  const search = str(p, 'search');
  const confidential = bool(p, 'confidential');
  const orderBy = oneOf(p, 'order_by', ['created_at', 'updated_at', 'title'] as const) ?? 'created_at';
  const sort = oneOf(p, 'sort', ['asc', 'desc'] as const) ?? 'desc';
  const author = authorUsername === undefined ? undefined : ctx.store.findUserByUsername(authorUsername);
  const assignees = assigneeUsername?.map((u) => ctx.store.findUserByUsername(u)?.id ?? -1);
  // Label names match exactly, case included (Issuables::LabelFilter: titles are looked up
  // as given); only the keywords None and Any are case-insensitive (IssuableFinder).
  const keyword = labels?.length === 1 ? labels[0]!.toLowerCase() : undefined;

  const out = items.filter((i) => {
    if (state && state !== 'all' && i.state !== state) return false;
    const have = i.labels;
    if (labels) {
      if (keyword === 'none') {
        if (have.length) return false;
      } else if (keyword === 'any') {
        if (!have.length) return false;
      } else if (!labels.every((l) => have.includes(l))) return false;
    }
    if (notLabels && notLabels.some((l) => have.includes(l))) return false;
    if (createdAfter && i.createdAt < createdAfter) return false;
    if (createdBefore && i.createdAt > createdBefore) return false;
    if (updatedAfter && i.updatedAt < updatedAfter) return false;
    if (updatedBefore && i.updatedAt > updatedBefore) return false;
    if (iids && !iids.includes(i.iid)) return false;
    if (authorUsername !== undefined && i.authorId !== (author?.id ?? -1)) return false;
    if (authorId !== undefined && i.authorId !== authorId) return false;
    if (assigneeId !== undefined) {
      const a = assigneeId.toLowerCase();
      if (a === 'none' ? i.assigneeIds.length > 0 : a === 'any' ? i.assigneeIds.length === 0 : !i.assigneeIds.includes(Number(assigneeId))) return false;
    }
    if (assignees && !assignees.every((id) => i.assigneeIds.includes(id))) return false;
    if (search && !matchesFullText(search, [i.title, i.description])) return false;
    if (confidential !== undefined && i.kind === 'issue' && i.confidential !== confidential) return false;
    return true;
  });

  const key = (i: IssuableRec): number | string => (orderBy === 'title' ? i.title.toLowerCase() : orderBy === 'updated_at' ? i.updatedAt.getTime() : i.createdAt.getTime());
  return out.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return sort === 'asc' ? c : -c;
  });
}

const UPDATE_PARAMS = [
  'title',
  'description',
  'labels',
  'add_labels',
  'remove_labels',
  'confidential',
  'state_event',
  'assignee_ids',
  'assignee_id',
  'reviewer_ids',
  'due_date',
  'discussion_locked',
  'target_branch',
  'milestone_id',
];

/**
 * Issuable validations (app/models/concerns/issuable.rb): a title of at most 255 characters and
 * a description of at most 1 MiB (1,048,576 characters, doc/api/issues.md); the API answers
 * `render_validation_error!`: 400 with the field's messages.
 */
export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 1_048_576;

export function checkIssuableLengths(fields: { title?: string | undefined; description?: string | undefined }): void {
  const message: Record<string, string[]> = {};
  if (fields.title !== undefined && [...fields.title].length > TITLE_MAX) message['title'] = [`is too long (maximum is ${TITLE_MAX} characters)`];
  if (fields.description !== undefined && [...fields.description].length > DESCRIPTION_MAX) message['description'] = [`is too long (maximum is ${DESCRIPTION_MAX} characters)`];
  if (Object.keys(message).length) throw new ApiError(400, { message });
}

/** PUT parameters common to issues and merge requests. */
export function readIssuableUpdate(p: Params, kind: IssuableRec['kind']): IssuableUpdate {
  if (!UPDATE_PARAMS.some((k) => p[k] !== undefined)) {
    throw badRequest(`${UPDATE_PARAMS.join(', ')} are missing, at least one parameter must be provided`);
  }
  const assigneeId = int(p, 'assignee_id');
  checkIssuableLengths({ title: str(p, 'title'), description: str(p, 'description') });
  return {
    title: str(p, 'title'),
    description: str(p, 'description'),
    labels: labelList(p, 'labels'),
    addLabels: labelList(p, 'add_labels'),
    removeLabels: labelList(p, 'remove_labels'),
    confidential: kind === 'issue' ? bool(p, 'confidential') : undefined,
    stateEvent: oneOf(p, 'state_event', ['close', 'reopen'] as const),
    assigneeIds: intList(p, 'assignee_ids') ?? (assigneeId === undefined ? undefined : assigneeId === 0 ? [] : [assigneeId]),
    reviewerIds: kind === 'merge_request' ? intList(p, 'reviewer_ids') : undefined,
    dueDate: kind === 'issue' ? str(p, 'due_date') : undefined,
  };
}

/**
 * What an editor without `set_issue_metadata` / `set_merge_request_metadata` may not change is
 * dropped silently, and the rest applies (IssuableBaseService#filter_params: labels,
 * add/remove labels, assignees, due date, discussion lock; `confidential` without
 * `set_confidentiality`, which on an existing issue is the same permission).
 */
export function withoutMetadata(update: IssuableUpdate): IssuableUpdate {
  return {
    ...update,
    labels: undefined,
    addLabels: undefined,
    removeLabels: undefined,
    assigneeIds: undefined,
    reviewerIds: undefined,
    dueDate: undefined,
    confidential: undefined,
  };
}

/** Whether a PUT gives any parameter besides `state_event` (those run as an update after the state change). */
export function givesMoreThanState(p: Params): boolean {
  return UPDATE_PARAMS.some((k) => k !== 'state_event' && p[k] !== undefined);
}

/**
 * A PUT as Issues::UpdateService and MergeRequests::UpdateService run it
 * (app/services/issuable_base_service.rb, `update`): `change_state` first, a close or reopen
 * through its own service with its own hook; then, when any other parameter was given, the
 * rest with `updated_by: current_user` assigned and the `update` hook, fired even when nothing
 * changed. A bare `state_event` sends the close or reopen hook only.
 */
export function updateThroughApi(ctx: SandboxContext, res: Response, issuable: IssuableRec, update: IssuableUpdate, user: UserRec, moreThanState: boolean): void {
  const { stateEvent, ...rest } = update;
  if (stateEvent === 'close' || stateEvent === 'reopen') {
    const state = updateIssuable(ctx.store, issuable, { stateEvent }, user.id, ctx.issuables);
    if (state.action === 'close' || state.action === 'reopen') {
      ctx.store.addEvent(user.id, {
        projectId: issuable.projectId,
        actionName: state.action === 'close' ? 'closed' : 'reopened',
        targetType: issuable.kind === 'issue' ? 'Issue' : 'MergeRequest',
        targetId: issuable.id,
        targetIid: issuable.iid,
        targetTitle: issuable.title,
      });
      emitIssuableHook(ctx, res, issuable, user, state.action, state.changes);
    }
  }
  if (stateEvent !== undefined && !moreThanState) return;
  const result = updateIssuable(ctx.store, issuable, rest, user.id, { ...ctx.issuables, assignUpdater: true });
  emitIssuableHook(ctx, res, issuable, user, 'update', result.changes);
}

/** Fires the Issue Hook / Merge Request Hook for a change made through the API. */
export function emitIssuableHook(ctx: SandboxContext, res: Response, issuable: IssuableRec, actor: UserRec, action: IssueAction | MergeRequestAction, changes: Changes): void {
  if (issuable.kind === 'issue') {
    emitHook(ctx, res, {
      projectId: issuable.projectId,
      event: issuable.confidential ? 'Confidential Issue Hook' : 'Issue Hook',
      body: issueHook(ctx.store, issuable, actor, action as IssueAction, changes),
    });
  } else {
    emitHook(ctx, res, {
      projectId: issuable.projectId,
      event: 'Merge Request Hook',
      body: mergeRequestHook(ctx.store, issuable, actor, action as MergeRequestAction, changes),
    });
  }
}

/**
 * The `changes` of an "open" event: the attributes set at creation (`previous_changes`,
 * app/services/issuable_base_service.rb). Labels and assignees are associations, not
 * attributes: they are in an update's changes only, never in an open's.
 */
export function creationChanges(issuable: IssuableRec): Changes {
  const changes: Changes = {
    author_id: { previous: null, current: issuable.authorId },
    created_at: { previous: null, current: issuable.createdAt },
    description: { previous: null, current: issuable.description },
    id: { previous: null, current: issuable.id },
    iid: { previous: null, current: issuable.iid },
    project_id: { previous: null, current: issuable.projectId },
    title: { previous: null, current: issuable.title },
    updated_at: { previous: null, current: issuable.updatedAt },
  };
  if (issuable.kind === 'issue' && issuable.confidential) changes['confidential'] = { previous: false, current: true };
  return changes;
}

/** Approvals the rules require: none on Free, which has no approval rules (EE on GitLab.com, unlicensed). */
export function requiredApprovals(store: SandboxStore, mr: MergeRequestRec): number {
  return store.tier === 'free' ? 0 : mr.approvalsRequired;
}

/** Whether an approval makes the hook say `approved` (and its removal `unapproved`): someone approved and the rules are met. */
export function isApproved(store: SandboxStore, mr: MergeRequestRec): boolean {
  return mr.approvedBy.length > 0 && mr.approvedBy.length >= requiredApprovals(store, mr);
}

export function emitApproval(ctx: SandboxContext, res: Response, mr: MergeRequestRec, user: UserRec, action: 'approved' | 'approval' | 'unapproved' | 'unapproval'): void {
  emitIssuableHook(ctx, res, mr, user, action, {});
}

export function approveMergeRequest(ctx: SandboxContext, res: Response, mr: MergeRequestRec, user: UserRec): void {
  ctx.store.addApproval(mr.projectId, mr.iid, user.id);
  ctx.store.addEvent(user.id, { projectId: mr.projectId, actionName: 'approved', targetType: 'MergeRequest', targetId: mr.id, targetIid: mr.iid, targetTitle: mr.title });
  emitApproval(ctx, res, mr, user, isApproved(ctx.store, mr) ? 'approved' : 'approval');
}

/** The issuable update a set of quick actions asks for (merged into the request's own). */
export function quickActionUpdate(qa: QuickActionResult): IssuableUpdate {
  return {
    stateEvent: qa.stateEvent,
    addLabels: qa.addLabels.length ? qa.addLabels : undefined,
    removeLabels: qa.removeLabels.length ? qa.removeLabels : undefined,
    labels: qa.removeAllLabels ? [] : undefined,
    assigneeIds: qa.assigneeIds,
    confidential: qa.confidential,
  };
}

/** Runs the quick actions of a note: one update (with its hook) and an approval. */
export function applyQuickActions(ctx: SandboxContext, res: Response, issuable: IssuableRec, user: UserRec, qa: QuickActionResult): void {
  const result = updateIssuable(ctx.store, issuable, quickActionUpdate(qa), user.id, ctx.issuables);
  if (result.changed) emitIssuableHook(ctx, res, issuable, user, result.action, result.changes);
  if (qa.approve && issuable.kind === 'merge_request') approveMergeRequest(ctx, res, issuable, user);
}

/**
 * Quick actions in a description sent through the API run too (IssuableBaseService
 * handles them on create and update); the description keeps only the other lines.
 */
export function withDescriptionQuickActions(store: SandboxStore, issuable: IssuableRec, update: IssuableUpdate, user: UserRec): { update: IssuableUpdate; approve: boolean } {
  if (update.description === undefined) return { update, approve: false };
  const qa = interpretQuickActions(store, issuable, update.description, user);
  if (qa.commands === 0) return { update, approve: false };
  const fromCommands = quickActionUpdate(qa);
  const merged: IssuableUpdate = { ...update, description: qa.text };
  for (const [key, value] of Object.entries(fromCommands) as [keyof IssuableUpdate, unknown][]) {
    if (value === undefined) continue;
    const own = update[key];
    (merged as Record<string, unknown>)[key] = Array.isArray(own) && Array.isArray(value) ? [...own, ...value] : (own ?? value);
  }
  return { update: merged, approve: qa.approve };
}
