import type { SubjectReport } from '../engine/bot.js';
import { dormantNamespaceRule } from '../rules/dormantNamespace.js';
import type { Runtime } from '../runtime.js';
import type { JobIO, JobResult } from './types.js';
import { formatJobSummary, jobFailed, printChanges } from './report.js';

const RULE_KEY = 'dormant-namespace';

/** Which `dormant::` label each request ended up with, for the summary line. */
function outcomeOf(report: SubjectReport, labels: Runtime['loaded']['config']['labels']): string | null {
  const names: Record<string, string> = {
    [labels.dormantEligible]: 'eligible',
    [labels.dormantNotEligible]: 'not eligible',
    [labels.dormantPendingContact]: 'pending contact',
    [labels.dormantNeedsAdmin]: 'needs an administrator',
    [labels.dormantUserNotFound]: 'user not found',
  };
  for (const p of report.planned) {
    if (p.rule === RULE_KEY && p.action.type === 'addLabels') {
      const label = p.action.labels.find((l) => names[l]);
      if (label) return names[label]!;
    }
  }
  return null;
}

/**
 * `support-bot run dormant [--apply-rename]`: every open Name Squatting Request, its four
 * criteria checked again (each namespace's user read once per run). With --apply-rename,
 * `dormant.allowRename: true` and an administrator token, eligible namespaces are released.
 */
export async function runDormant(runtime: Runtime, io: JobIO): Promise<JobResult> {
  const requestsBefore = runtime.gateway.stats.total();
  const { config } = runtime.loaded;
  const applyRename = io.applyRename ?? false;
  const rules = runtime.bot.deps.rules.map((r) => (r.key === RULE_KEY ? dormantNamespaceRule({ applyRename }) : r));
  const bot = runtime.bot.withRules(rules);
  // One loader for the run, of the bot that runs it: the token check below and the rule read
  // `is_admin` once between them, and the rule's facts and the executor share one GET /user.
  const facts = bot.factsLoader();
  if (applyRename) {
    const missing = [...(config.dormant.allowRename ? [] : ['dormant.allowRename is false in the config'])];
    if (!(await facts.runWide('tokenIsAdmin'))) missing.push("the token is not an administrator's (GET /user has no is_admin: true)");
    io.out.write(
      missing.length === 0
        ? `dormant: --apply-rename: eligible namespaces will be released${runtime.dryRun ? ' (dry run: planned only)' : ''}\n`
        : `dormant: --apply-rename: nothing will be renamed: ${missing.join('; ')}\n`,
    );
  }
  const outcomes = new Map<string, number>();
  const summary = await bot.runJob(
    'dormant',
    (report) => {
      const outcome = outcomeOf(report, config.labels);
      if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      printChanges(report, io.out);
    },
    facts,
  );
  const counts = ['eligible', 'pending contact', 'needs an administrator', 'not eligible', 'user not found'].map((o) => `${outcomes.get(o) ?? 0} ${o}`).join(', ');
  return { summary: `${formatJobSummary(summary, runtime.gateway.stats.total() - requestsBefore, runtime.dryRun)}; requests: ${counts}`, failed: jobFailed(summary) };
}
