import { loadConfig } from '../config/load.js';
import { isJobName, JOBS } from '../jobs/index.js';
import { createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { JOB_VARIABLE, planSchedules } from '../schedules/plan.js';
import type { PipelineSchedule } from '../gitlab/types.js';
import { guarded } from './common.js';
import { printWrites } from './output.js';

/**
 * `support-bot schedules sync`: one GitLab pipeline schedule per configured job, in
 * the bot's own project, with SUPPORT_BOT_JOB set; changes only what differs.
 */
export function schedulesSyncCommand(options: { project?: string; dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const loaded = loadConfig();
    const { schedules } = loaded.config;
    const unknown = Object.keys(schedules.jobs).filter((job) => !isJobName(job));
    if (unknown.length > 0) throw new SetupError(`config: schedules.jobs names unknown job(s) ${unknown.join(', ')} (jobs: ${Object.keys(JOBS).join(', ')})`);
    const projectRef = options.project ?? schedules.project ?? process.env.CI_PROJECT_ID;
    if (projectRef === undefined || projectRef === '') {
      throw new SetupError('schedules sync: no project (set schedules.project, pass --project, or run it in CI where CI_PROJECT_ID is set)');
    }
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded });
    const project = await runtime.gateway.getProject(/^\d+$/.test(String(projectRef)) ? Number(projectRef) : String(projectRef));
    const existing: PipelineSchedule[] = [];
    for await (const listed of runtime.gateway.listPipelineSchedules(project.id)) {
      // Lists omit variables; read our own schedules one by one to compare them.
      existing.push(listed.description.startsWith('support-bot: ') ? await runtime.gateway.getPipelineSchedule(project.id, listed.id) : listed);
    }
    const changes = planSchedules({ jobs: schedules.jobs, timezone: schedules.timezone, ref: schedules.ref ?? project.defaultBranch }, existing);
    for (const change of changes) {
      if (change.kind === 'create') {
        const created = await runtime.writer.createPipelineSchedule(project.id, change.input);
        await runtime.writer.setPipelineScheduleVariable(project.id, created.id, JOB_VARIABLE, change.job, false);
        process.stdout.write(`${change.job}: created schedule "${change.input.cron}" (${change.input.cronTimezone}) on ${change.input.ref}\n`);
      } else {
        if (Object.keys(change.fields).length > 0) await runtime.writer.updatePipelineSchedule(project.id, change.scheduleId, change.fields);
        if (change.setVariable) await runtime.writer.setPipelineScheduleVariable(project.id, change.scheduleId, JOB_VARIABLE, change.job, change.setVariable === 'update');
        process.stdout.write(`${change.job}: updated schedule ${change.scheduleId} (${[...Object.keys(change.fields), ...(change.setVariable ? [JOB_VARIABLE] : [])].join(', ')})\n`);
      }
    }
    if (runtime.dryRun) printWrites(runtime.writer, process.stdout);
    process.stdout.write(`schedules: ${Object.keys(schedules.jobs).length} jobs, ${changes.length} changed in ${project.pathWithNamespace}\n`);
    return 0;
  });
}
