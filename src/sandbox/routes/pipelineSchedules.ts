// Pipeline schedules: GET/POST /projects/:id/pipeline_schedules, GET/PUT/DELETE
// /projects/:id/pipeline_schedules/:pipeline_schedule_id, take_ownership and the
// schedule's variables (POST .../variables, PUT .../variables/:key), as GitLab's
// Pipeline schedules API documents them (doc/api/pipeline_schedules.md). Lists omit
// variables; a single schedule has them for whoever may read them.
//
// Permissions follow app/policies/ci/pipeline_schedule_policy.rb (GitLab 18):
// - update_pipeline_schedule: an admin, or the schedule's owner with Developer access;
// - admin_pipeline_schedule (take ownership, delete, read variables): Maintainers, or the owner;
// and lib/api/ci/pipeline_schedules.rb: setting a variable also needs
// set_pipeline_variables on the project (ci_pipeline_variables_minimum_override_role).

import type { Router } from 'express';
import { currentUser, intPathParam, isDeveloper, pathParam, projectFrom, requirePublicOrReporter, type SandboxContext } from '../context.js';
import { ACCESS } from '../store.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, oneOf, paramsOf, requiredStr, str } from '../params.js';
import { userBasic } from '../serialize.js';
import type { SandboxStore } from '../store.js';
import type { PipelineScheduleRec, PipelineScheduleVariableRec, PipelineVariablesRole, ProjectRec, UserRec } from '../types.js';

function variableJson(v: PipelineScheduleVariableRec): Record<string, unknown> {
  return { key: v.key, value: v.value, variable_type: v.variableType, raw: false };
}

/**
 * GitLab stores the full ref: a short branch name is expanded to `refs/heads/<name>`
 * (app/models/ci/pipeline_schedule.rb, `expand_short_ref`; the API returns the full ref).
 */
function expandRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

const ROLE_LEVEL: Record<PipelineVariablesRole, number> = { no_one_allowed: Infinity, developer: ACCESS.developer, maintainer: ACCESS.maintainer, owner: ACCESS.owner };

function scheduleJson(store: SandboxStore, s: PipelineScheduleRec, withVariables: boolean): Record<string, unknown> {
  return {
    id: s.id,
    description: s.description,
    ref: s.ref,
    cron: s.cron,
    cron_timezone: s.cronTimezone,
    next_run_at: null,
    active: s.active,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    owner: userBasic(store, store.getUser(s.ownerId)),
    ...(withVariables ? { variables: s.variables.map(variableJson) } : {}),
  };
}

const CRON = /^(\S+\s+){4}\S+$/;

export function pipelineScheduleRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  const scheduleFrom = (projectId: number, id: number): PipelineScheduleRec => {
    const schedule = store.pipelineSchedules.find((s) => s.projectId === projectId && s.id === id);
    if (!schedule) throw notFound('Pipeline Schedule');
    return schedule;
  };

  const level = (user: UserRec, project: ProjectRec): number => (user.isAdmin ? ACCESS.owner : store.accessLevel(project.id, user.id));
  const canUpdate = (user: UserRec, project: ProjectRec, s: PipelineScheduleRec): boolean => user.isAdmin || (s.ownerId === user.id && level(user, project) >= ACCESS.developer);
  const canAdmin = (user: UserRec, project: ProjectRec, s: PipelineScheduleRec): boolean => level(user, project) >= ACCESS.maintainer || canUpdate(user, project, s);
  // ProjectPolicy's set_pipeline_variables: the project's minimum role; `no_one_allowed` stops everyone.
  const canSetVariables = (user: UserRec, project: ProjectRec): boolean => level(user, project) >= ROLE_LEVEL[project.settings.pipelineVariablesMinimumOverrideRole];
  const editable = (req: Parameters<typeof projectFrom>[1], res: Parameters<typeof projectFrom>[2]): { project: ProjectRec; schedule: PipelineScheduleRec; user: UserRec } => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const schedule = scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule'));
    return { project, schedule, user };
  };

  const validCron = (cron: string): string => {
    if (!CRON.test(cron.trim())) throw new ApiError(400, { message: { cron: ['is invalid syntax'] } });
    return cron.trim();
  };

  api.get('/projects/:id/pipeline_schedules', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const scope = oneOf(paramsOf(req), 'scope', ['active', 'inactive'] as const);
    const list = store.pipelineSchedules.filter((s) => s.projectId === project.id && (!scope || s.active === (scope === 'active')));
    res.json(paginate(req, res, list, ctx.pagination).map((s) => scheduleJson(store, s, false)));
  });

  api.get('/projects/:id/pipeline_schedules/:pipeline_schedule_id', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const schedule = scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule'));
    // Entities::Ci::PipelineScheduleDetails exposes variables only with read_pipeline_schedule_variables.
    res.json(scheduleJson(store, schedule, canAdmin(currentUser(res), project, schedule)));
  });

  api.post('/projects/:id/pipeline_schedules', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const p = paramsOf(req);
    const description = requiredStr(p, 'description');
    const ref = requiredStr(p, 'ref');
    const cron = validCron(requiredStr(p, 'cron'));
    const now = store.now();
    const schedule: PipelineScheduleRec = {
      id: store.nextId('pipeline_schedule'),
      projectId: project.id,
      description,
      ref: expandRef(ref),
      cron,
      cronTimezone: str(p, 'cron_timezone') ?? 'UTC',
      active: bool(p, 'active') ?? true,
      ownerId: user.id,
      createdAt: now,
      updatedAt: now,
      variables: [],
    };
    store.pipelineSchedules.push(schedule);
    res.status(201).json(scheduleJson(store, schedule, true));
  });

  api.put('/projects/:id/pipeline_schedules/:pipeline_schedule_id', (req, res) => {
    const { project, schedule, user } = editable(req, res);
    if (!canUpdate(user, project, schedule)) throw forbidden();
    const p = paramsOf(req);
    schedule.description = str(p, 'description') ?? schedule.description;
    const ref = str(p, 'ref');
    if (ref !== undefined) schedule.ref = expandRef(ref);
    const cron = str(p, 'cron');
    if (cron !== undefined) schedule.cron = validCron(cron);
    schedule.cronTimezone = str(p, 'cron_timezone') ?? schedule.cronTimezone;
    schedule.active = bool(p, 'active') ?? schedule.active;
    schedule.updatedAt = store.now();
    res.json(scheduleJson(store, schedule, true));
  });

  api.post('/projects/:id/pipeline_schedules/:pipeline_schedule_id/take_ownership', (req, res) => {
    const { project, schedule, user } = editable(req, res);
    if (!canAdmin(user, project, schedule)) throw forbidden();
    // lib/api/ci/pipeline_schedules.rb: `status(:ok)` when the caller owns it already, 201 when it changes hands.
    if (schedule.ownerId === user.id) return void res.status(200).json(scheduleJson(store, schedule, true));
    schedule.ownerId = user.id;
    schedule.updatedAt = store.now();
    res.status(201).json(scheduleJson(store, schedule, true));
  });

  api.delete('/projects/:id/pipeline_schedules/:pipeline_schedule_id', (req, res) => {
    const { project, schedule, user } = editable(req, res);
    if (!canAdmin(user, project, schedule)) throw forbidden();
    store.pipelineSchedules.splice(store.pipelineSchedules.indexOf(schedule), 1);
    res.status(204).end();
  });

  api.post('/projects/:id/pipeline_schedules/:pipeline_schedule_id/variables', (req, res) => {
    const { project, schedule, user } = editable(req, res);
    if (!canSetVariables(user, project) || !canUpdate(user, project, schedule)) throw forbidden();
    const p = paramsOf(req);
    const key = requiredStr(p, 'key');
    const value = requiredStr(p, 'value');
    if (schedule.variables.some((v) => v.key === key)) throw new ApiError(400, { message: { key: ['has already been taken'] } });
    const variable: PipelineScheduleVariableRec = { key, value, variableType: oneOf(p, 'variable_type', ['env_var', 'file'] as const) ?? 'env_var' };
    schedule.variables.push(variable);
    res.status(201).json(variableJson(variable));
  });

  api.put('/projects/:id/pipeline_schedules/:pipeline_schedule_id/variables/:key', (req, res) => {
    const { project, schedule, user } = editable(req, res);
    if (!canSetVariables(user, project) || !canUpdate(user, project, schedule)) throw forbidden();
    const variable = schedule.variables.find((v) => v.key === pathParam(req, 'key'));
    if (!variable) throw notFound('Variable');
    variable.value = requiredStr(paramsOf(req), 'value');
    res.json(variableJson(variable));
  });
}
