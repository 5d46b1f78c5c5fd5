import { loadConfig } from '../config/load.js';
import { isJobName, JOBS } from '../jobs/index.js';
import { createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { syncSchedules } from '../schedules/sync.js';
import { guarded, redacting } from './common.js';
import { printWrites } from './output.js';

/**
 * `support-bot schedules sync`: one GitLab pipeline schedule per configured job, in
 * the bot's own project, with SUPPORT_BOT_JOB set; changes only what differs (see
 * schedules/sync.ts for what GitLab lets the bot change).
 */
export function schedulesSyncCommand(options: { project?: string; dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    // Whatever a job prints goes through the same secret redaction as stderr.
    const stdout = redacting(process.stdout);
    const loaded = loadConfig();
    const { schedules } = loaded.config;
    const unknown = Object.keys(schedules.jobs).filter((job) => !isJobName(job));
    if (unknown.length > 0) throw new SetupError(`config: schedules.jobs names unknown job(s) ${unknown.join(', ')} (jobs: ${Object.keys(JOBS).join(', ')})`);
    const projectRef = options.project ?? schedules.project ?? process.env.CI_PROJECT_ID;
    if (projectRef === undefined || projectRef === '') {
      throw new SetupError('schedules sync: no project (set schedules.project, pass --project, or run it in CI where CI_PROJECT_ID is set)');
    }
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded, maxWrites: loaded.config.bot.maxWritesPerRun });
    const project = await runtime.gateway.getProject(/^\d+$/.test(String(projectRef)) ? Number(projectRef) : String(projectRef));
    const desired = { jobs: schedules.jobs, timezone: schedules.timezone, ref: schedules.ref ?? project.defaultBranch };
    const report = await syncSchedules(runtime.gateway, runtime.bot.executor(), project, desired);
    for (const line of report.lines) stdout.write(`${line}\n`);
    if (runtime.dryRun) printWrites(runtime.writer, stdout);
    stdout.write(`schedules: ${Object.keys(schedules.jobs).length} jobs, ${report.changed} changed in ${project.pathWithNamespace}\n`);
    return 0;
  });
}
