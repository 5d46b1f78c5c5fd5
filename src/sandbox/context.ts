// What every route needs: the store, the webhook dispatcher, pagination and
// the request's authenticated user, plus the lookups and permission checks
// GitLab applies before touching a project or issuable.

import type { DelayedJobs } from './jobs.js';
import type { Request, Response } from 'express';
import { ApiError, forbidden, notFound, unauthorized } from './errors.js';
import { ENDPOINT_LIMIT_BODY, type EndpointLimiter, type EndpointLimitName } from './rateLimit.js';
import type { IssuableOptions } from './issuables.js';
import type { PaginationOptions } from './pagination.js';
import { ACCESS, type SandboxStore } from './store.js';
import type { IssuableRec, IssueRec, MergeRequestRec, ProjectRec, UserRec } from './types.js';
import type { HookEvent, WebhookDispatcher } from './webhooks/deliver.js';

export interface SandboxContext {
  store: SandboxStore;
  hooks: WebhookDispatcher;
  pagination: PaginationOptions;
  issuables: IssuableOptions;
  endpointLimits: EndpointLimiter;
  /** Background jobs GitLab runs later (the approval reset after a push). */
  jobs: DelayedJobs;
}

/**
 * Gitlab::ApplicationRateLimiter on an endpoint (lib/api/helpers/rate_limiter.rb,
 * `check_rate_limit!`): 429 with a JSON body and no header at all saying how long to wait,
 * neither Retry-After nor RateLimit-*. `scope`: the users (and project) the limit counts per.
 */
export function checkEndpointLimit(ctx: SandboxContext, name: EndpointLimitName, ...scope: Array<UserRec | ProjectRec>): void {
  const key = scope.map((s) => ('username' in s ? `user:${s.id}` : `project:${s.id}`)).join(':');
  if (!ctx.endpointLimits.throttled(name, key)) return;
  const noThrottleHeaders = Object.fromEntries(
    ['RateLimit-Name', 'RateLimit-Limit', 'RateLimit-Observed', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'].map((h) => [h, null]),
  );
  throw new ApiError(429, ENDPOINT_LIMIT_BODY, noThrottleHeaders);
}

export function currentUser(res: Response): UserRec {
  const user = res.locals['user'] as UserRec | undefined;
  if (!user) throw unauthorized();
  return user;
}

export function requireAdmin(res: Response): UserRec {
  const user = currentUser(res);
  if (!user.isAdmin) throw forbidden();
  return user;
}

/** Webhooks go out after this response has been sent. */
export function emitHook(ctx: SandboxContext, res: Response, event: HookEvent): void {
  ctx.hooks.emitAfter(res, event);
}

export function pathParam(req: Request, name: string): string {
  const v = req.params[name];
  if (typeof v !== 'string') throw notFound('Not');
  return v;
}

export function intPathParam(req: Request, name: string, what: string): number {
  const v = pathParam(req, name);
  if (!/^\d+$/.test(v)) throw notFound(what);
  return Number(v);
}

export function canRead(ctx: SandboxContext, user: UserRec, project: ProjectRec): boolean {
  if (user.isAdmin || project.visibility !== 'private') return true;
  return ctx.store.accessLevel(project.id, user.id) >= ACCESS.guest;
}

export function isReporter(ctx: SandboxContext, user: UserRec, project: ProjectRec): boolean {
  return user.isAdmin || ctx.store.accessLevel(project.id, user.id) >= ACCESS.reporter;
}

/**
 * Label titles named on a new issue: one missing from the project is created only for who may
 * manage labels (`admin_label`, Reporter and up), otherwise it is dropped
 * (app/services/labels/find_or_create_service.rb, `find_or_create_label`). Later edits of labels
 * need Reporter anyway (`set_issue_metadata`), and quick actions never create labels.
 */
export function labelsToApply(ctx: SandboxContext, user: UserRec, project: ProjectRec, titles: string[]): string[] {
  if (isReporter(ctx, user, project)) return titles;
  return titles.filter((title) => ctx.store.findLabel(project.id, title) !== undefined);
}

export function isDeveloper(ctx: SandboxContext, user: UserRec, project: ProjectRec): boolean {
  return user.isAdmin || ctx.store.accessLevel(project.id, user.id) >= ACCESS.developer;
}

/** `:id` is a numeric id or a URL-encoded full path; invisible projects are 404 like missing ones. */
export function projectFrom(ctx: SandboxContext, req: Request, res: Response): ProjectRec {
  const user = currentUser(res);
  const project = ctx.store.resolveProject(pathParam(req, 'id'));
  if (!project || !canRead(ctx, user, project)) throw notFound('Project');
  return project;
}

export function canSeeIssue(ctx: SandboxContext, user: UserRec, project: ProjectRec, issue: IssueRec): boolean {
  if (!issue.confidential) return true;
  return isReporter(ctx, user, project) || issue.authorId === user.id || issue.assigneeIds.includes(user.id);
}

/**
 * `read_merge_request`: everyone who can read a public or internal project, but in a private
 * project Reporters and up only — a Guest sees no merge request (app/policies/project_policy.rb,
 * public_access and reporter abilities; doc/user/permissions.md).
 */
export function canReadMergeRequests(ctx: SandboxContext, user: UserRec, project: ProjectRec): boolean {
  return project.visibility !== 'private' || isReporter(ctx, user, project);
}

/**
 * `read_commit_status`, `read_pipeline_schedule` and `download_code` (the repository files,
 * tree and commits) follow the same split: public access (with the default public pipelines and
 * repository) or Reporter (project_policy.rb); otherwise `authorize!` is a 403.
 */
export function requirePublicOrReporter(ctx: SandboxContext, req: Request, res: Response): ProjectRec {
  const project = projectFrom(ctx, req, res);
  if (!canReadMergeRequests(ctx, currentUser(res), project)) throw forbidden();
  return project;
}

export type IssuableKindPath = 'issues' | 'merge_requests';

/** `/projects/:id/(issues|merge_requests)/:iid` → the record, or 404 "Issue"/"Merge Request". */
export function issuableFrom(ctx: SandboxContext, req: Request, res: Response, kind: IssuableKindPath): { project: ProjectRec; issuable: IssuableRec } {
  const project = projectFrom(ctx, req, res);
  const what = kind === 'issues' ? 'Issue' : 'Merge Request';
  const iid = intPathParam(req, kind === 'issues' ? 'issue_iid' : 'merge_request_iid', what);
  const issuable = kind === 'issues' ? ctx.store.getIssue(project.id, iid) : ctx.store.getMergeRequest(project.id, iid);
  // Notes, reactions and label events of a merge request one may not read: the noteable is not found.
  if (!issuable || (kind === 'merge_requests' && !canReadMergeRequests(ctx, currentUser(res), project))) throw notFound(what);
  if (issuable.kind === 'issue' && !canSeeIssue(ctx, currentUser(res), project, issuable)) throw notFound(what);
  return { project, issuable };
}

/** The merge request routes `authorize! :read_merge_request` first (lib/api/merge_requests.rb): 403. */
export function requireReadMergeRequests(ctx: SandboxContext, req: Request, res: Response): ProjectRec {
  const project = projectFrom(ctx, req, res);
  if (!canReadMergeRequests(ctx, currentUser(res), project)) throw forbidden();
  return project;
}

export function mergeRequestFrom(ctx: SandboxContext, req: Request, res: Response): { project: ProjectRec; mr: MergeRequestRec } {
  requireReadMergeRequests(ctx, req, res);
  const { project, issuable } = issuableFrom(ctx, req, res, 'merge_requests');
  return { project, mr: issuable as MergeRequestRec };
}

/**
 * Setting an issuable's metadata (labels, assignees, due date, confidentiality, reviewers):
 * `admin_issue` is Planner/Reporter and `admin_merge_request` Developer
 * (app/policies/project_policy.rb; IssuePolicy/MergeRequestPolicy `set_*_metadata`).
 */
export function canSetMetadata(ctx: SandboxContext, user: UserRec, project: ProjectRec, issuable: IssuableRec): boolean {
  return issuable.kind === 'issue' ? isReporter(ctx, user, project) : isDeveloper(ctx, user, project);
}

/**
 * `update_issue`: Planner/Reporter, or the author or an assignee; `update_merge_request`:
 * Developer, or its author or an assignee (app/policies/issuable_policy.rb:
 * `assignee_or_author` enables both). Everyone else gets 403 (`authorize!`).
 */
export function requireEdit(ctx: SandboxContext, user: UserRec, project: ProjectRec, issuable: IssuableRec): void {
  if (canSetMetadata(ctx, user, project, issuable) || issuable.authorId === user.id || issuable.assigneeIds.includes(user.id)) return;
  throw forbidden();
}

/** Maintainer (project_policy.rb enables `admin_note`) or admin: may edit and delete others' notes. */
export function isMaintainer(ctx: SandboxContext, user: UserRec, project: ProjectRec): boolean {
  return user.isAdmin || ctx.store.accessLevel(project.id, user.id) >= ACCESS.maintainer;
}
