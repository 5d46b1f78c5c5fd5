import type { PipelineSchedule, PipelineScheduleInput } from '../gitlab/types.js';

// Which pipeline schedules to create or change so that GitLab runs each configured
// job at its configured time. Pure: the command reads GitLab and applies the result.

export const JOB_VARIABLE = 'SUPPORT_BOT_JOB';

export function scheduleDescription(job: string): string {
  return `support-bot: ${job}`;
}

export type ScheduleChange =
  | { kind: 'create'; job: string; input: PipelineScheduleInput }
  | { kind: 'update'; job: string; scheduleId: number; fields: Partial<PipelineScheduleInput>; setVariable: 'create' | 'update' | null };

export interface DesiredSchedules {
  jobs: Record<string, string>;
  timezone: string;
  ref: string;
}

/**
 * GitLab stores a schedule's ref in full: `main` comes back as `refs/heads/main`
 * (doc/api/pipeline_schedules.md). Compare branch refs by name so a synced schedule
 * is not updated on every run.
 */
export function sameRef(a: string, b: string): boolean {
  const branch = (ref: string): string => ref.replace(/^refs\/heads\//, '');
  return branch(a) === branch(b);
}

/** Existing schedules are matched by their description; ours are the ones named "support-bot: <job>". */
export function planSchedules(desired: DesiredSchedules, existing: PipelineSchedule[]): ScheduleChange[] {
  const changes: ScheduleChange[] = [];
  for (const [job, cron] of Object.entries(desired.jobs)) {
    const input: PipelineScheduleInput = { description: scheduleDescription(job), ref: desired.ref, cron, cronTimezone: desired.timezone, active: true };
    const current = existing.find((s) => s.description === input.description);
    if (!current) {
      changes.push({ kind: 'create', job, input });
      continue;
    }
    const fields: Partial<PipelineScheduleInput> = {};
    if (!sameRef(current.ref, input.ref)) fields.ref = input.ref;
    for (const key of ['cron', 'cronTimezone', 'active'] as const) {
      if (current[key] !== input[key]) (fields as Record<string, unknown>)[key] = input[key];
    }
    const variable = current.variables?.find((v) => v.key === JOB_VARIABLE);
    const setVariable = !variable ? 'create' : variable.value !== job ? 'update' : null;
    if (Object.keys(fields).length > 0 || setVariable) changes.push({ kind: 'update', job, scheduleId: current.id, fields, setVariable });
  }
  return changes;
}
