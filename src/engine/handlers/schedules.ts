import { isGitLabError } from '../../gitlab/errors.js';
import type { PipelineSchedule } from '../../gitlab/types.js';
import { JOB_VARIABLE } from '../../schedules/plan.js';
import type { AppliedChange } from '../changes.js';
import { isWrite } from '../changes.js';
import type { ChangeDraft } from '../effects.js';
import type { PlannedProjectAction, ProjectActionHandler, ProjectActionOf, ProjectHandlerContext } from './types.js';

// `schedules sync`, the way GitLab lets a bot do it (app/policies/ci/pipeline_schedule_policy.rb,
// lib/api/ci/pipeline_schedules.rb): setting SUPPORT_BOT_JOB needs permission to set pipeline
// variables, which GitLab.com turns off for new projects, and a schedule must never run
// without it. So a new schedule is created inactive and activated once the variable is set
// (deleted if it cannot be); an existing one whose variable cannot be set is deactivated.
// Each step is one write; a step the budget skips ends the action there, in a safe state.

/** GitLab refused SUPPORT_BOT_JOB (403); `outcome` says what was done so that no schedule runs without it. */
export class ScheduleVariableRefused extends Error {
  constructor(
    readonly outcome: string,
    options: { cause: unknown },
  ) {
    super(`GitLab refused to set ${JOB_VARIABLE}: ${outcome}`, options);
  }
}

const forbidden = (error: unknown): boolean => isGitLabError(error) && error.status === 403;

/** Writes the steps of one action in order; `false` once a step is skipped over the budget. */
function steps(ctx: ProjectHandlerContext, planned: PlannedProjectAction, changes: AppliedChange[]) {
  return async (detail: string, reason: string, send: () => Promise<unknown>): Promise<boolean> => {
    const change: ChangeDraft = { rules: [planned.rule], target: 'schedule', detail, reason };
    const applied = await ctx.write(change, send);
    changes.push(applied);
    return isWrite(applied);
  };
}

export const takeScheduleOwnershipHandler: ProjectActionHandler<ProjectActionOf<'takeScheduleOwnership'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const { projectId, scheduleId } = planned.action;
    const change = { rules: [planned.rule], target: 'schedule' as const, detail: `take ownership of schedule ${scheduleId}`, reason: planned.reason };
    return [await ctx.write(change, () => ctx.ports.gitlab.takePipelineScheduleOwnership(projectId, scheduleId))];
  },
};

export const createScheduleHandler: ProjectActionHandler<ProjectActionOf<'createSchedule'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const { projectId, job, input } = planned.action;
    const changes: AppliedChange[] = [];
    const step = steps(ctx, planned, changes);
    const gitlab = ctx.ports.gitlab;
    let created: PipelineSchedule | undefined;
    const create = async () => {
      created = await gitlab.createPipelineSchedule(projectId, { ...input, active: false });
    };
    if (!(await step(`create schedule "${input.description}", inactive until ${JOB_VARIABLE} is set`, planned.reason, create)) || !created) return changes;
    const id = created.id;
    try {
      const set = () => gitlab.setPipelineScheduleVariable(projectId, id, JOB_VARIABLE, job, false);
      if (!(await step(`set ${JOB_VARIABLE}=${job} on schedule ${id}`, `the schedule runs the job ${JOB_VARIABLE} names`, set))) return changes;
    } catch (error) {
      if (!forbidden(error)) throw error;
      await step(`delete schedule ${id}`, `${JOB_VARIABLE} could not be set, and no schedule runs without it`, () => gitlab.deletePipelineSchedule(projectId, id));
      throw new ScheduleVariableRefused(`no schedule was created for ${job}`, { cause: error });
    }
    if (input.active) await step(`activate schedule ${id}`, `${JOB_VARIABLE} is set`, () => gitlab.updatePipelineSchedule(projectId, id, { active: true }));
    return changes;
  },
};

export const updateScheduleHandler: ProjectActionHandler<ProjectActionOf<'updateSchedule'>> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const { projectId, scheduleId, job, fields, setVariable, active } = planned.action;
    const changes: AppliedChange[] = [];
    const step = steps(ctx, planned, changes);
    const gitlab = ctx.ports.gitlab;
    if (setVariable) {
      try {
        const set = () => gitlab.setPipelineScheduleVariable(projectId, scheduleId, JOB_VARIABLE, job, setVariable === 'update');
        if (!(await step(`set ${JOB_VARIABLE}=${job} on schedule ${scheduleId}`, `${JOB_VARIABLE} does not name the job ${job}`, set))) return changes;
      } catch (error) {
        if (!forbidden(error)) throw error;
        if (active)
          await step(`deactivate schedule ${scheduleId}`, `${JOB_VARIABLE} could not be set, and no schedule runs without it`, () =>
            gitlab.updatePipelineSchedule(projectId, scheduleId, { active: false }),
          );
        throw new ScheduleVariableRefused(`schedule ${scheduleId} (${job}) was deactivated so that it does not run without ${JOB_VARIABLE}`, { cause: error });
      }
    }
    const names = Object.keys(fields);
    if (names.length > 0) await step(`update schedule ${scheduleId}: ${names.join(', ')}`, planned.reason, () => gitlab.updatePipelineSchedule(projectId, scheduleId, fields));
    return changes;
  },
};
