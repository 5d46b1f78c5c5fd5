import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { isJobName, JOBS } from '../jobs/index.js';
import { guarded, redacting } from './common.js';
import { printWrites } from './output.js';
import { checkSwirOptions } from './swirOptions.js';

export function runCommand(job: string, options: { dryRun: boolean; applyRename?: boolean; week?: string; output?: string }): Promise<number> {
  return guarded(async () => {
    // Whatever a job prints goes through the same secret redaction as stderr.
    const stdout = redacting(process.stdout);
    if (!isJobName(job)) throw new SetupError(`run: unknown job "${job}" (jobs: ${Object.keys(JOBS).join(', ')})`);
    if (options.applyRename && job !== 'dormant') throw new SetupError(`run: --apply-rename is for the dormant job only (got "${job}")`);
    if (job !== 'swir' && (options.week !== undefined || options.output !== undefined)) throw new SetupError(`run ${job}: --week and --output are options of "run swir" only`);
    if (job === 'swir') checkSwirOptions(options);
    const log = createLogger();
    const loaded = loadConfig();
    const runtime = createRuntime({ log, dryRun: options.dryRun, loaded, maxWrites: loaded.config.bot.maxWritesPerRun });
    const result = await JOBS[job](runtime, { out: stdout, applyRename: options.applyRename ?? false, week: options.week, output: options.output });
    if (runtime.dryRun) printWrites(runtime.writer, stdout);
    stdout.write(`${result.summary}\n`);
    return result.failed ? 1 : 0;
  });
}
