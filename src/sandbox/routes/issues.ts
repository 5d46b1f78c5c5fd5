// Project issues: list, get, create, update, resource label events.

import type { Router } from 'express';
import { canSeeIssue, canSetMetadata, checkEndpointLimit, currentUser, issuableFrom, labelsToApply, projectFrom, requireEdit, type SandboxContext } from '../context.js';
import { recordCreationLabels, recordCreationMentions, updateIssuable } from '../issuables.js';
import { paginate } from '../pagination.js';
import { bool, date, int, intList, labelList, oneOf, paramsOf, requiredStr, str } from '../params.js';
import { issueJson } from '../serialize.js';
import { ACCESS } from '../store.js';
import { ISSUE_TYPES, type IssueRec } from '../types.js';
import {
  creationChanges,
  emitIssuableHook,
  filterIssuables,
  readIssuableUpdate,
  withDescriptionQuickActions,
  withoutMetadata,
  checkIssuableLengths,
  givesMoreThanState,
  updateThroughApi,
} from './shared.js';

export function issueRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  api.get('/projects/:id/issues', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    const p = paramsOf(req);
    // Every work item type the issues API knows is listed unless `issue_type` picks one (doc/api/issues.md).
    const type = oneOf(p, 'issue_type', ISSUE_TYPES);
    const visible = store.issues.filter((i) => i.projectId === project.id && (type === undefined || i.issueType === type) && canSeeIssue(ctx, user, project, i));
    const list = filterIssuables(ctx, visible, p, ['opened', 'closed']);
    res.json(paginate(req, res, list, ctx.pagination).map((i) => issueJson(store, i)));
  });

  api.get('/projects/:id/issues/:issue_iid', (req, res) => {
    const { issuable } = issuableFrom(ctx, req, res, 'issues');
    res.json(issueJson(store, issuable as IssueRec));
  });

  api.post('/projects/:id/issues', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    checkEndpointLimit(ctx, 'issues_create', project, user);
    const p = paramsOf(req);
    const title = requiredStr(p, 'title');
    checkIssuableLengths({ title, description: str(p, 'description') });
    // A new issue's labels, assignees and due date may be set by any member, Guest included
    // ("guest members need to be able to set issue metadata", app/policies/issue_policy.rb:
    // `~persisted & is_project_member & guest_access`); a non-member of a public project may
    // set only `confidential`, the rest is dropped (IssuableBaseService#filter_params).
    // created_at is accepted only from administrators and project owners.
    const member = user.isAdmin || store.accessLevel(project.id, user.id) >= ACCESS.guest;
    const assigneeId = int(p, 'assignee_id');
    const createdAt = user.isAdmin ? date(p, 'created_at') : undefined;
    const issue = store.createIssue(project.id, {
      title,
      description: str(p, 'description') ?? '',
      authorId: user.id,
      labels: member ? labelsToApply(ctx, user, project, labelList(p, 'labels') ?? []) : [],
      confidential: bool(p, 'confidential') ?? false,
      assigneeIds: member ? (intList(p, 'assignee_ids') ?? (assigneeId ? [assigneeId] : [])) : [],
      dueDate: member ? (str(p, 'due_date') ?? null) : null,
      issueType: oneOf(p, 'issue_type', ISSUE_TYPES) ?? 'issue',
      ...(createdAt ? { createdAt } : {}),
    });
    recordCreationLabels(store, issue, user.id);
    // Quick actions in the description apply as part of the creation: one `open` hook.
    const { update } = withDescriptionQuickActions(store, issue, { description: issue.description }, user);
    issue.description = update.description ?? issue.description;
    recordCreationMentions(store, issue, user.id);
    updateIssuable(store, issue, { ...update, description: undefined }, user.id, ctx.issuables);
    store.addEvent(user.id, { projectId: project.id, actionName: 'opened', targetType: 'Issue', targetId: issue.id, targetIid: issue.iid, targetTitle: issue.title });
    emitIssuableHook(ctx, res, issue, user, 'open', creationChanges(issue));
    res.status(201).json(issueJson(store, issue));
  });

  api.put('/projects/:id/issues/:issue_iid', (req, res) => {
    const { project, issuable } = issuableFrom(ctx, req, res, 'issues');
    const user = currentUser(res);
    requireEdit(ctx, user, project, issuable);
    const p = paramsOf(req);
    const given = readIssuableUpdate(p, 'issue');
    const { update } = withDescriptionQuickActions(store, issuable, canSetMetadata(ctx, user, project, issuable) ? given : withoutMetadata(given), user);
    updateThroughApi(ctx, res, issuable, update, user, givesMoreThanState(p));
    res.json(issueJson(store, issuable as IssueRec));
  });
}
