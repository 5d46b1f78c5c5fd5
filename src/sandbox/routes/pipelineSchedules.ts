// Pipeline schedules: GET/POST /projects/:id/pipeline_schedules, GET/PUT
// /projects/:id/pipeline_schedules/:pipeline_schedule_id and the schedule's
// variables (POST .../variables, PUT .../variables/:key), as GitLab's Pipeline
// schedules API documents them. Lists omit variables; a single schedule has them.

import type { Router } from 'express';
import { currentUser, intPathParam, isDeveloper, pathParam, projectFrom, type SandboxContext } from '../context.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, oneOf, paramsOf, requiredStr, str } from '../params.js';
import { userBasic } from '../serialize.js';
import type { SandboxStore } from '../store.js';
import type { PipelineScheduleRec, PipelineScheduleVariableRec } from '../types.js';

function variableJson(v: PipelineScheduleVariableRec): Record<string, unknown> {
  return { key: v.key, value: v.value, variable_type: v.variableType, raw: false };
}

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

  const validCron = (cron: string): string => {
    if (!CRON.test(cron.trim())) throw new ApiError(400, { message: { cron: ['is invalid syntax'] } });
    return cron.trim();
  };

  api.get('/projects/:id/pipeline_schedules', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const scope = oneOf(paramsOf(req), 'scope', ['active', 'inactive'] as const);
    const list = store.pipelineSchedules.filter((s) => s.projectId === project.id && (!scope || s.active === (scope === 'active')));
    res.json(paginate(req, res, list, ctx.pagination).map((s) => scheduleJson(store, s, false)));
  });

  api.get('/projects/:id/pipeline_schedules/:pipeline_schedule_id', (req, res) => {
    const project = projectFrom(ctx, req, res);
    res.json(scheduleJson(store, scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule')), true));
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
      ref,
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
    const project = projectFrom(ctx, req, res);
    if (!isDeveloper(ctx, currentUser(res), project)) throw forbidden();
    const schedule = scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule'));
    const p = paramsOf(req);
    schedule.description = str(p, 'description') ?? schedule.description;
    schedule.ref = str(p, 'ref') ?? schedule.ref;
    const cron = str(p, 'cron');
    if (cron !== undefined) schedule.cron = validCron(cron);
    schedule.cronTimezone = str(p, 'cron_timezone') ?? schedule.cronTimezone;
    schedule.active = bool(p, 'active') ?? schedule.active;
    schedule.updatedAt = store.now();
    res.json(scheduleJson(store, schedule, true));
  });

  api.post('/projects/:id/pipeline_schedules/:pipeline_schedule_id/variables', (req, res) => {
    const project = projectFrom(ctx, req, res);
    if (!isDeveloper(ctx, currentUser(res), project)) throw forbidden();
    const schedule = scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule'));
    const p = paramsOf(req);
    const key = requiredStr(p, 'key');
    const value = requiredStr(p, 'value');
    if (schedule.variables.some((v) => v.key === key)) throw new ApiError(400, { message: { key: ['has already been taken'] } });
    const variable: PipelineScheduleVariableRec = { key, value, variableType: oneOf(p, 'variable_type', ['env_var', 'file'] as const) ?? 'env_var' };
    schedule.variables.push(variable);
    res.status(201).json(variableJson(variable));
  });

  api.put('/projects/:id/pipeline_schedules/:pipeline_schedule_id/variables/:key', (req, res) => {
    const project = projectFrom(ctx, req, res);
    if (!isDeveloper(ctx, currentUser(res), project)) throw forbidden();
    const schedule = scheduleFrom(project.id, intPathParam(req, 'pipeline_schedule_id', 'Pipeline Schedule'));
    const variable = schedule.variables.find((v) => v.key === pathParam(req, 'key'));
    if (!variable) throw notFound('Variable');
    variable.value = requiredStr(paramsOf(req), 'value');
    res.json(variableJson(variable));
  });
}
