// Projects, their labels, members and webhooks (GET /projects/:id, /labels,
// /members/all, /hooks).

import type { Router } from 'express';
import { canRead, checkEndpointLimit, currentUser, projectFrom, type SandboxContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, oneOf, paramsOf, requiredStr, str } from '../params.js';
import { ACCESS } from '../store.js';
import { labelJson, memberJson, projectJson } from '../serialize.js';
import type { HookRec, ProjectRec, UserRec } from '../types.js';

export function projectRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  api.get('/projects', (req, res) => {
    const user = currentUser(res);
    const p = paramsOf(req);
    const search = str(p, 'search')?.toLowerCase();
    const visible = store.projects.filter((pr) => canRead(ctx, user, pr) && (!search || pr.pathWithNamespace.toLowerCase().includes(search)));
    res.json(paginate(req, res, visible, ctx.pagination).map((pr) => projectJson(store, pr)));
  });

  // CI/CD settings are shown to those who may change them (Entities::Project: admin_project, Maintainer).
  const withSettings = (project: ProjectRec, user: UserRec): Record<string, unknown> => {
    const json = projectJson(store, project);
    if (!user.isAdmin && store.accessLevel(project.id, user.id) < ACCESS.maintainer) return json;
    return { ...json, ci_pipeline_variables_minimum_override_role: project.settings.pipelineVariablesMinimumOverrideRole };
  };

  // doc/api/projects.md, "Get a single project" (Entities::ProjectWithAccess): the caller's
  // own access, direct (project_access) and the highest through the project's group and its
  // ancestors (group_access, Namespace#highest_group_member); null where there is none.
  const withPermissions = (project: ProjectRec, user: UserRec): Record<string, unknown> => {
    const { project: direct, group } = store.accessParts(project.id, user.id);
    const access = (level: number | null) => (level === null ? null : { access_level: level, notification_level: 3 });
    return { ...withSettings(project, user), permissions: { project_access: access(direct), group_access: access(group) } };
  };

  api.get('/projects/:id', (req, res) => {
    checkEndpointLimit(ctx, 'project_get', currentUser(res));
    res.json(withPermissions(projectFrom(ctx, req, res), currentUser(res)));
  });

  api.put('/projects/:id', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    requireMaintainer(project.id, user.id, user.isAdmin);
    const role = oneOf(paramsOf(req), 'ci_pipeline_variables_minimum_override_role', ['no_one_allowed', 'developer', 'maintainer', 'owner'] as const);
    if (role) project.settings.pipelineVariablesMinimumOverrideRole = role;
    res.json(withSettings(project, user));
  });

  api.get('/projects/:id/labels', (req, res) => {
    const project = projectFrom(ctx, req, res);
    res.json(paginate(req, res, store.projectLabels(project.id), ctx.pagination).map(labelJson));
  });

  api.get('/projects/:id/members/all', (req, res) => {
    const project = projectFrom(ctx, req, res);
    res.json(paginate(req, res, store.projectMembersAll(project.id), ctx.pagination).map((m) => memberJson(store, m)));
  });

  // Project webhooks need Maintainer access (GitLab's Project webhooks API).
  const requireMaintainer = (projectId: number, userId: number, isAdmin: boolean): void => {
    if (!isAdmin && store.accessLevel(projectId, userId) < ACCESS.maintainer) throw forbidden();
  };

  api.get('/projects/:id/hooks', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    requireMaintainer(project.id, user.id, user.isAdmin);
    res.json(
      paginate(
        req,
        res,
        store.hooks.filter((h) => h.projectId === project.id),
        ctx.pagination,
      ).map(hookJson),
    );
  });

  api.post('/projects/:id/hooks', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    requireMaintainer(project.id, user.id, user.isAdmin);
    const p = paramsOf(req);
    const hook = store.addHook(project.id, {
      url: requiredStr(p, 'url'),
      token: str(p, 'token') ?? null,
      issuesEvents: bool(p, 'issues_events') ?? false,
      confidentialIssuesEvents: bool(p, 'confidential_issues_events') ?? false,
      noteEvents: bool(p, 'note_events') ?? false,
      confidentialNoteEvents: bool(p, 'confidential_note_events') ?? false,
      mergeRequestsEvents: bool(p, 'merge_requests_events') ?? false,
      emojiEvents: bool(p, 'emoji_events') ?? false,
    });
    res.status(201).json(hookJson(hook));
  });

  api.delete('/projects/:id/hooks/:hook_id', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    requireMaintainer(project.id, user.id, user.isAdmin);
    const at = store.hooks.findIndex((h) => h.projectId === project.id && String(h.id) === req.params['hook_id']);
    if (at < 0) throw notFound('Hook');
    store.hooks.splice(at, 1);
    res.status(204).end();
  });
}

function hookJson(h: HookRec): Record<string, unknown> {
  return {
    id: h.id,
    url: h.url,
    project_id: h.projectId,
    issues_events: h.issuesEvents,
    confidential_issues_events: h.confidentialIssuesEvents,
    note_events: h.noteEvents,
    confidential_note_events: h.confidentialNoteEvents,
    merge_requests_events: h.mergeRequestsEvents,
    emoji_events: h.emojiEvents,
    push_events: false,
    enable_ssl_verification: true,
    created_at: h.createdAt.toISOString(),
  };
}
