import type { PlannedAction } from './actions.js';
import type { FactsLoader } from './facts.js';
import type { Facts, IssueRule, IssueSubject, Need, RuleContext } from '../rules/types.js';

export interface RuleOutcome {
  rule: string;
  status: 'planned' | 'not-applicable' | 'error';
  actions: number;
  error?: string;
}

export interface IssuePlan {
  planned: PlannedAction[];
  outcomes: RuleOutcome[];
  facts: Facts;
}

/**
 * Evaluates rules on one issue. Each rule fails on its own: an error in one is
 * recorded and the others still plan.
 */
export async function planIssue(
  subject: IssueSubject,
  rules: readonly IssueRule[],
  ctx: Omit<RuleContext, 'facts'>,
  facts: FactsLoader,
): Promise<IssuePlan> {
  const outcomes: RuleOutcome[] = [];
  const applicable: IssueRule[] = [];
  for (const rule of rules) {
    try {
      if (rule.applies(subject, ctx)) applicable.push(rule);
      else outcomes.push({ rule: rule.key, status: 'not-applicable', actions: 0 });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: String((error as Error).message ?? error) });
    }
  }
  const needs = new Set<Need>(applicable.flatMap((r) => r.needs ?? []));
  const { facts: loaded, failures } = applicable.length > 0 ? await facts.load(subject, needs) : { facts: {}, failures: [] };
  for (const failure of failures) outcomes.push({ rule: `facts:${failure.need}`, status: 'error', actions: 0, error: failure.error });
  const planned: PlannedAction[] = [];
  for (const rule of applicable) {
    try {
      const results = rule.plan(subject, { ...ctx, facts: loaded });
      planned.push(...results.map((r) => ({ rule: rule.key, action: r.action, reason: r.reason })));
      outcomes.push({ rule: rule.key, status: 'planned', actions: results.length });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: String((error as Error).message ?? error) });
    }
  }
  return { planned, outcomes, facts: loaded };
}
