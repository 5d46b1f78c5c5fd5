import type { IssueJobSummary } from '../engine/bot.js';
import type { Runtime } from '../runtime.js';
import type { JobResult } from './index.js';

export function formatIssueJobSummary(summary: IssueJobSummary, requests: number, dryRun: boolean): string {
  const writes = dryRun ? `${summary.writes} writes planned (dry run)` : `${summary.writes} writes`;
  return [
    `${summary.job}: ${summary.projects} projects${summary.failedProjects > 0 ? ` (${summary.failedProjects} unreadable)` : ''}`,
    `${summary.issuesSeen} issues seen`,
    `${summary.issuesChanged} changed`,
    writes,
    `${summary.skippedWrites} over budget`,
    `${summary.ruleErrors} rule errors`,
    `${summary.failedIssues} failed`,
    `${requests} API requests`,
    `${(summary.durationMs / 1000).toFixed(1)} s`,
  ].join(', ');
}

/** A run failed when any rule, issue or project did: the pipeline goes red so someone looks. */
export function issueJobFailed(summary: IssueJobSummary): boolean {
  return summary.ruleErrors > 0 || summary.failedIssues > 0 || summary.failedProjects > 0;
}

/** Every rule that runs on sweeps, over every open issue: catches what webhooks missed. */
export async function runSweep(runtime: Runtime, io: { out: NodeJS.WritableStream }): Promise<JobResult> {
  const requestsBefore = runtime.gateway.stats.total();
  const summary = await runtime.bot.runIssueJob('sweep', (report) => {
    for (const change of report.changes) {
      if (change.outcome !== 'unchanged') io.out.write(`${report.project}#${report.iid} [${change.rule}] ${change.outcome}: ${change.detail}\n`);
    }
  });
  return {
    summary: formatIssueJobSummary(summary, runtime.gateway.stats.total() - requestsBefore, runtime.dryRun),
    failed: issueJobFailed(summary),
  };
}
