import { isWrite } from '../engine/changes.js';
import type { Executor } from '../engine/executor.js';
import type { GitLabPort } from '../engine/ports.js';
import { isGitLabError } from '../gitlab/errors.js';
import type { GitLabGateway, PipelineSchedule, Project, UserRef } from '../gitlab/types.js';
import { SetupError } from '../runtime.js';
import { JOB_VARIABLE, planSchedules, scheduleDescription, type DesiredSchedules } from './plan.js';

// Applies planSchedules the way GitLab lets a bot do it (app/policies/ci/pipeline_schedule_policy.rb,
// lib/api/ci/pipeline_schedules.rb):
// - only a schedule's owner may edit it or its variables, so the bot takes ownership
//   (Maintainers may) before changing a schedule someone else owns;
// - setting SUPPORT_BOT_JOB needs permission to set pipeline variables, which GitLab.com
//   turns off for new projects. A schedule never runs without the variable: a new one is
//   created inactive and activated once the variable is set (deleted if it cannot be);
//   an existing one whose variable cannot be set is deactivated. Either way the sync fails
//   and says which setting to change.

export interface SyncReport {
  lines: string[];
  changed: number;
}

/** The name its writes are recorded under, in outcomes and a dry run's reasons. */
const COMMAND = 'schedules-sync';

/** A write the budget left out: the sync stops there (every state it leaves is safe: a new schedule is inactive) and the next run goes on. */
class OverBudget extends Error {}

/** Writes go through the executor's GitLab port: dry run, write budget and outcomes as for every write. */
type Writes = Pick<Executor, 'send'>;

async function write<T>(executor: Writes, detail: string, reason: string, send: (gitlab: GitLabPort) => Promise<T>): Promise<T> {
  let value: T | undefined;
  const applied = await executor.send('gitlab', { rules: [COMMAND], target: 'schedule', detail, reason }, async (gitlab) => {
    value = await send(gitlab);
  });
  if (!isWrite(applied)) throw new OverBudget(detail);
  return value as T;
}

type Gateway = Pick<GitLabGateway, 'currentUser' | 'listPipelineSchedules' | 'getPipelineSchedule'>;

const forbidden = (error: unknown): boolean => isGitLabError(error) && error.status === 403;

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
    if (change.kind === 'create') {
      const missing = `schedules.jobs.${change.job} has no schedule`;
      const created = await write(executor, `create schedule "${change.input.description}", inactive until ${JOB_VARIABLE} is set`, missing, (gitlab) =>
        gitlab.createPipelineSchedule(project.id, { ...change.input, active: false }),
      );
      try {
        await write(executor, `set ${JOB_VARIABLE}=${change.job} on schedule ${created.id}`, `the schedule runs the job ${JOB_VARIABLE} names`, (gitlab) =>
          gitlab.setPipelineScheduleVariable(project.id, created.id, JOB_VARIABLE, change.job, false),
        );
      } catch (error) {
        if (!forbidden(error)) throw error;
        await write(executor, `delete schedule ${created.id}`, `${JOB_VARIABLE} could not be set, and no schedule runs without it`, (gitlab) =>
          gitlab.deletePipelineSchedule(project.id, created.id),
        );
        throw variablesRefused(project, me, `no schedule was created for ${change.job}`);
      }
      if (change.input.active)
        await write(executor, `activate schedule ${created.id}`, `${JOB_VARIABLE} is set`, (gitlab) => gitlab.updatePipelineSchedule(project.id, created.id, { active: true }));
      lines.push(`${change.job}: created schedule "${change.input.cron}" (${change.input.cronTimezone}) on ${change.input.ref}`);
      continue;
    }
    if (change.setVariable) {
      try {
        await write(executor, `set ${JOB_VARIABLE}=${change.job} on schedule ${change.scheduleId}`, `${JOB_VARIABLE} does not name the job ${change.job}`, (gitlab) =>
          gitlab.setPipelineScheduleVariable(project.id, change.scheduleId, JOB_VARIABLE, change.job, change.setVariable === 'update'),
        );
      } catch (error) {
        if (!forbidden(error)) throw error;
        const current = existing.find((s) => s.id === change.scheduleId);
        if (current?.active)
          await write(executor, `deactivate schedule ${change.scheduleId}`, `${JOB_VARIABLE} could not be set, and no schedule runs without it`, (gitlab) =>
            gitlab.updatePipelineSchedule(project.id, change.scheduleId, { active: false }),
          );
        throw variablesRefused(project, me, `schedule ${change.scheduleId} (${change.job}) was deactivated so that it does not run without ${JOB_VARIABLE}`);
      }
    }
    const fields = Object.keys(change.fields);
    if (fields.length > 0)
      await write(executor, `update schedule ${change.scheduleId}: ${fields.join(', ')}`, `schedules.jobs.${change.job} (or schedules.timezone, schedules.ref) differs`, (gitlab) =>
        gitlab.updatePipelineSchedule(project.id, change.scheduleId, change.fields),
      );
    lines.push(`${change.job}: updated schedule ${change.scheduleId} (${[...Object.keys(change.fields), ...(change.setVariable ? [JOB_VARIABLE] : [])].join(', ')})`);
  }
  return { lines, changed: changes.length };
}

async function takeOwnership(gateway: Gateway, executor: Writes, project: Project, schedule: PipelineSchedule, me: UserRef): Promise<PipelineSchedule> {
  try {
    await write(
      executor,
      `take ownership of schedule ${schedule.id}`,
      `only a schedule's owner may change it, and @${schedule.owner?.username ?? 'someone else'} owns it`,
      (gitlab) => gitlab.takePipelineScheduleOwnership(project.id, schedule.id),
    );
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
