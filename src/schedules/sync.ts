import type { Writer } from '../engine/writer.js';
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

type Gateway = Pick<GitLabGateway, 'currentUser' | 'listPipelineSchedules' | 'getPipelineSchedule'>;

const forbidden = (error: unknown): boolean => isGitLabError(error) && error.status === 403;

export async function syncSchedules(gateway: Gateway, writer: Writer, project: Project, desired: DesiredSchedules): Promise<SyncReport> {
  const me = await gateway.currentUser();
  const ours = new Set(Object.keys(desired.jobs).map(scheduleDescription));
  const existing: PipelineSchedule[] = [];
  for await (const listed of gateway.listPipelineSchedules(project.id)) {
    if (!ours.has(listed.description)) continue;
    // Lists omit variables; read our own schedules one by one to compare them.
    let schedule = await gateway.getPipelineSchedule(project.id, listed.id);
    if (schedule.owner?.id !== me.id && planSchedules(desired, [schedule]).length > 0) {
      schedule = await takeOwnership(gateway, writer, project, schedule, me);
    }
    existing.push(schedule);
  }

  const lines: string[] = [];
  const changes = planSchedules(desired, existing);
  for (const change of changes) {
    if (change.kind === 'create') {
      const created = await writer.createPipelineSchedule(project.id, { ...change.input, active: false });
      try {
        await writer.setPipelineScheduleVariable(project.id, created.id, JOB_VARIABLE, change.job, false);
      } catch (error) {
        if (!forbidden(error)) throw error;
        await writer.deletePipelineSchedule(project.id, created.id);
        throw variablesRefused(project, me, `no schedule was created for ${change.job}`);
      }
      if (change.input.active) await writer.updatePipelineSchedule(project.id, created.id, { active: true });
      lines.push(`${change.job}: created schedule "${change.input.cron}" (${change.input.cronTimezone}) on ${change.input.ref}`);
      continue;
    }
    if (change.setVariable) {
      try {
        await writer.setPipelineScheduleVariable(project.id, change.scheduleId, JOB_VARIABLE, change.job, change.setVariable === 'update');
      } catch (error) {
        if (!forbidden(error)) throw error;
        const current = existing.find((s) => s.id === change.scheduleId);
        if (current?.active) await writer.updatePipelineSchedule(project.id, change.scheduleId, { active: false });
        throw variablesRefused(project, me, `schedule ${change.scheduleId} (${change.job}) was deactivated so that it does not run without ${JOB_VARIABLE}`);
      }
    }
    if (Object.keys(change.fields).length > 0) await writer.updatePipelineSchedule(project.id, change.scheduleId, change.fields);
    lines.push(`${change.job}: updated schedule ${change.scheduleId} (${[...Object.keys(change.fields), ...(change.setVariable ? [JOB_VARIABLE] : [])].join(', ')})`);
  }
  return { lines, changed: changes.length };
}

async function takeOwnership(gateway: Gateway, writer: Writer, project: Project, schedule: PipelineSchedule, me: UserRef): Promise<PipelineSchedule> {
  try {
    await writer.takePipelineScheduleOwnership(project.id, schedule.id);
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
