import type { Executor } from '../engine/executor.js';
import type { PlannedProjectAction } from '../engine/handlers/types.js';
import { ScheduleVariableRefused } from '../engine/handlers/schedules.js';
import { isGitLabError } from '../gitlab/errors.js';
import type { GitLabGateway, PipelineSchedule, Project, UserRef } from '../gitlab/types.js';
import { SetupError } from '../runtime.js';
import { JOB_VARIABLE, planSchedules, scheduleDescription, type DesiredSchedules, type ScheduleChange } from './plan.js';

// Plans the schedules the configuration wants and hands them to the executor as project
// actions (their handlers, engine/handlers/schedules.ts, apply them the way GitLab lets a bot:
// app/policies/ci/pipeline_schedule_policy.rb, lib/api/ci/pipeline_schedules.rb):
// - only a schedule's owner may edit it or its variables, so the bot takes ownership
//   (Maintainers may) before changing a schedule someone else owns;
// - setting SUPPORT_BOT_JOB needs permission to set pipeline variables, which GitLab.com
//   turns off for new projects: the sync then fails and says which setting to change.

export interface SyncReport {
  lines: string[];
  changed: number;
}

/** The name its writes are recorded under, in outcomes and a dry run's reasons. */
const COMMAND = 'schedules-sync';

/** A write the budget left out: the sync stops there (every state it leaves is safe: a new schedule is inactive) and the next run goes on. */
class OverBudget extends Error {}

/** Writes are project actions the executor dispatches: dry run, write budget and outcomes as for every write. */
type Writes = Pick<Executor, 'applyToProject'>;

/** Applies one action; stops the sync at a step the budget skipped. */
async function apply(executor: Writes, planned: PlannedProjectAction): Promise<void> {
  const skipped = (await executor.applyToProject([planned])).find((c) => c.outcome === 'skipped');
  if (skipped) throw new OverBudget(skipped.detail);
}

type Gateway = Pick<GitLabGateway, 'currentUser' | 'listPipelineSchedules' | 'getPipelineSchedule'>;

const forbidden = (error: unknown): boolean => isGitLabError(error) && error.status === 403;

/** The action that brings GitLab to `change`, with why. */
function scheduleAction(projectId: number, change: ScheduleChange, existing: readonly PipelineSchedule[]): PlannedProjectAction {
  if (change.kind === 'create')
    return { rule: COMMAND, reason: `schedules.jobs.${change.job} has no schedule`, action: { type: 'createSchedule', projectId, job: change.job, input: change.input } };
  const { job, scheduleId, fields, setVariable } = change;
  const active = existing.find((s) => s.id === scheduleId)?.active ?? false;
  return {
    rule: COMMAND,
    reason: `schedules.jobs.${job} (or schedules.timezone, schedules.ref) differs`,
    action: { type: 'updateSchedule', projectId, scheduleId, job, fields, setVariable, active },
  };
}

export async function syncSchedules(gateway: Gateway, executor: Writes, project: Project, desired: DesiredSchedules): Promise<SyncReport> {
  const lines: string[] = [];
  try {
    return await applySchedules(gateway, executor, project, desired, lines);
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    lines.push(`stopped over the write budget (bot.maxWritesPerRun) before: ${error.message}; run it again`);
    return { lines, changed: lines.length - 1 };
  }
}

async function applySchedules(gateway: Gateway, executor: Writes, project: Project, desired: DesiredSchedules, lines: string[]): Promise<SyncReport> {
  const me = await gateway.currentUser();
  const ours = new Set(Object.keys(desired.jobs).map(scheduleDescription));
  const existing: PipelineSchedule[] = [];
  for await (const listed of gateway.listPipelineSchedules(project.id)) {
    if (!ours.has(listed.description)) continue;
    // Lists omit variables; read our own schedules one by one to compare them.
    let schedule = await gateway.getPipelineSchedule(project.id, listed.id);
    if (schedule.owner?.id !== me.id && planSchedules(desired, [schedule]).length > 0) {
      schedule = await takeOwnership(gateway, executor, project, schedule, me);
    }
    existing.push(schedule);
  }

  const changes = planSchedules(desired, existing);
  for (const change of changes) {
    try {
      await apply(executor, scheduleAction(project.id, change, existing));
    } catch (error) {
      if (error instanceof ScheduleVariableRefused) throw variablesRefused(project, me, error.outcome);
      throw error;
    }
    if (change.kind === 'create') lines.push(`${change.job}: created schedule "${change.input.cron}" (${change.input.cronTimezone}) on ${change.input.ref}`);
    else lines.push(`${change.job}: updated schedule ${change.scheduleId} (${[...Object.keys(change.fields), ...(change.setVariable ? [JOB_VARIABLE] : [])].join(', ')})`);
  }
  return { lines, changed: changes.length };
}

async function takeOwnership(gateway: Gateway, executor: Writes, project: Project, schedule: PipelineSchedule, me: UserRef): Promise<PipelineSchedule> {
  try {
    const owner = schedule.owner?.username ?? 'someone else';
    await apply(executor, {
      rule: COMMAND,
      reason: `only a schedule's owner may change it, and @${owner} owns it`,
      action: { type: 'takeScheduleOwnership', projectId: project.id, scheduleId: schedule.id },
    });
  } catch (error) {
    if (!forbidden(error)) throw error;
    throw new SetupError(
      `schedules sync: schedule ${schedule.id} ("${schedule.description}") in ${project.pathWithNamespace} belongs to @${schedule.owner?.username ?? 'someone else'}, ` +
        `and only its owner may change it. Give @${me.username} the Maintainer role in ${project.pathWithNamespace} so it can take ownership, ` +
        `or have a Maintainer delete the schedule (Build > Pipeline schedules), then run the sync again.`,
    );
  }
  // A dry run took nothing: keep planning on what was read.
  const fresh = await gateway.getPipelineSchedule(project.id, schedule.id);
  return fresh.owner?.id === me.id ? fresh : schedule;
}

function variablesRefused(project: Project, me: UserRef, outcome: string): SetupError {
  const role = project.pipelineVariablesMinimumOverrideRole;
  return new SetupError(
    `schedules sync: GitLab refused to let @${me.username} set ${JOB_VARIABLE} in ${project.pathWithNamespace} (403); ${outcome}. ` +
      `Pipeline variables are restricted${role ? ` (ci_pipeline_variables_minimum_override_role is "${role}")` : ''}: in Settings > CI/CD > Variables set ` +
      `"Minimum role to use pipeline variables" to a role @${me.username} has (Maintainer or Developer), then run the sync again.`,
  );
}
