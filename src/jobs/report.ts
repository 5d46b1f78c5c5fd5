import type { JobSummary, SubjectReport } from '../engine/bot.js';
import type { AppliedChange } from '../engine/changes.js';

// What a run prints: one line per change (jobs and handle-event), and the job's summary line.

export function formatJobSummary(summary: JobSummary, requests: number, dryRun: boolean): string {
  const writes = dryRun ? `${summary.writes} writes planned (dry run)` : `${summary.writes} writes`;
  const unreadable = summary.failedProjects > 0 ? ` (${summary.failedProjects} unreadable: ${summary.failedProjectNames.join(', ')})` : '';
  return [
    `${summary.job}: ${summary.projects} projects${unreadable}`,
    `${summary.issuesSeen} issues seen`,
    ...(summary.mergeRequestsSeen > 0 ? [`${summary.mergeRequestsSeen} merge requests seen`] : []),
    `${summary.changed} changed`,
    writes,
    `${summary.skippedWrites} over budget`,
    `${summary.ruleErrors} rule errors`,
    `${summary.failedSubjects} failed`,
    `${requests} API requests`,
    `${(summary.durationMs / 1000).toFixed(1)} s`,
  ].join(', ');
}

/** A run failed when any rule, subject or project did: the pipeline goes red so someone looks. */
export function jobFailed(summary: JobSummary): boolean {
  return summary.ruleErrors > 0 || summary.failedSubjects > 0 || summary.failedProjects > 0;
}

/** One line per write made, planned (dry run) or skipped, with the rules' reasons. */
export function printChanges(report: SubjectReport, out: NodeJS.WritableStream, indent = ''): void {
  const name = `${report.project}${report.kind === 'issue' ? '#' : '!'}${report.iid}`;
  for (const change of report.changes) {
    if (change.outcome !== 'unchanged') out.write(`${indent}${name} [${change.rule}] ${OUTCOME_WORDS[change.outcome]}: ${change.detail} (${change.reason})\n`);
  }
}

const OUTCOME_WORDS: Record<AppliedChange['outcome'], string> = {
  written: 'written',
  'would-write': 'would write',
  skipped: 'skipped (over budget)',
  unchanged: 'unchanged',
};
