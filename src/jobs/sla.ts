import type { SubjectReport } from '../engine/bot.js';
import { firstResponseSla, firstResponseStatus } from '../rules/firstResponseSla.js';
import type { Runtime } from '../runtime.js';
import { formatHours } from '../sla/businessHours.js';
import type { FirstResponseStatus } from '../sla/firstResponse.js';
import { formatLocal } from '../sla/zonedTime.js';
import type { JobResult } from './types.js';
import { formatJobSummary, jobFailed } from './report.js';

/**
 * What one `sla` run found, for the weekly review: the open issues the rule assessed (old
 * enough to be at risk, or labelled). With `sla.answeredLabel`, issues marked answered on an
 * earlier run are skipped, so `answered` and the median cover the newly answered ones.
 */
export interface SlaFigures {
  atRisk: number;
  breached: number;
  /** Open issues with a first response from Support. */
  answered: number;
  /** Median business hours to the first response of the answered ones; null when there are none. */
  medianFirstResponseHours: number | null;
}

export interface SlaJobResult extends JobResult {
  figures: SlaFigures;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function slaFigures(statuses: readonly FirstResponseStatus[]): SlaFigures {
  const responseHours = statuses.flatMap((s) => (s.state === 'answered' ? [s.businessHours] : []));
  return {
    atRisk: statuses.filter((s) => s.state === 'at-risk').length,
    breached: statuses.filter((s) => s.state === 'breached').length,
    answered: responseHours.length,
    medianFirstResponseHours: median(responseHours),
  };
}

export function formatSlaFigures(f: SlaFigures): string {
  const medianText = f.medianFirstResponseHours === null ? 'no median yet' : `median first response ${formatHours(f.medianFirstResponseHours)} business hours`;
  return `first response: ${f.atRisk} at risk, ${f.breached} breached, ${f.answered} answered, ${medianText}`;
}

/** The rule, unchanged, that also hands each issue's status to `seen` (the rule itself stays pure). */
function recordingStatuses(rule: typeof firstResponseSla, seen: Map<string, FirstResponseStatus>): typeof firstResponseSla {
  return {
    ...rule,
    plan(subject, ctx) {
      const results = rule.plan(subject, ctx);
      seen.set(`${subject.project.path}#${subject.issue.iid}`, firstResponseStatus(subject, ctx));
      return results;
    },
  };
}

function describeStatus(status: FirstResponseStatus, timezone: string): string {
  if (status.state === 'off-the-clock') return `off the clock (${status.why})`;
  const target = `target ${formatHours(status.target.hours)} business hours`;
  if (status.state === 'answered') return `answered after ${formatHours(status.businessHours)} business hours (${target})`;
  // "due" only for a deadline still ahead.
  const deadline = status.state === 'breached' ? 'passed' : 'due';
  return `${status.state} (${target}, ${deadline} ${formatLocal(status.target.dueAt, timezone)})`;
}

/**
 * `support-bot run sla`: every open issue that can be at risk is checked against its
 * first-response target; the summary line carries the figures for the weekly review.
 */
export async function runSla(runtime: Runtime, io: { out: NodeJS.WritableStream }): Promise<SlaJobResult> {
  const requestsBefore = runtime.gateway.stats.total();
  const statuses = new Map<string, FirstResponseStatus>();
  const rules = runtime.bot.deps.rules.map((r) => (r.key === firstResponseSla.key ? recordingStatuses(r as typeof firstResponseSla, statuses) : r));
  const bot = runtime.bot.withRules(rules);
  const timezone = runtime.loaded.config.sla.timezone;

  const summary = await bot.runJob('sla', (report: SubjectReport) => {
    const status = statuses.get(`${report.project}#${report.iid}`);
    const changed = report.changes.filter((c) => c.outcome !== 'unchanged');
    if (!status || (changed.length === 0 && status.state !== 'at-risk' && status.state !== 'breached')) return;
    const changes = changed.map((c) => `${c.outcome === 'would-write' ? 'would write' : c.outcome} ${c.detail}`).join('; ');
    io.out.write(`${report.project}#${report.iid} ${describeStatus(status, timezone)}${changes ? `: ${changes}` : ''}\n`);
  });
  const figures = slaFigures([...statuses.values()]);
  return {
    summary: `${formatJobSummary(summary, runtime.gateway.stats.total() - requestsBefore, runtime.dryRun)}; ${formatSlaFigures(figures)}`,
    failed: jobFailed(summary),
    figures,
  };
}
