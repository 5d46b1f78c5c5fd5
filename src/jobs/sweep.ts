import type { Runtime } from '../runtime.js';
import { formatJobSummary, jobFailed, printChanges } from './report.js';
import type { JobResult } from './types.js';

/** Every rule that runs on sweeps, over every open issue: catches what webhooks missed. */
export async function runSweep(runtime: Runtime, io: { out: NodeJS.WritableStream }): Promise<JobResult> {
  const requestsBefore = runtime.gateway.stats.total();
  const summary = await runtime.bot.runJob('sweep', (report) => printChanges(report, io.out));
  return {
    summary: formatJobSummary(summary, runtime.gateway.stats.total() - requestsBefore, runtime.dryRun),
    failed: jobFailed(summary),
  };
}
