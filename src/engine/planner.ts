import type { FactName } from '../facts/index.js';
import type { AnyRule, BaseContext } from '../rules/types.js';
import type { PlannedAction } from './changes.js';
import type { SubjectFacts } from './facts.js';

export interface RuleOutcome {
  rule: string;
  status: 'planned' | 'not-applicable' | 'error';
  actions: number;
  error?: string;
  /** Optional facts the rule planned without (they failed to load). */
  without?: FactName[];
}

export interface SubjectPlan {
  planned: PlannedAction[];
  outcomes: RuleOutcome[];
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/**
 * Evaluates rules on one subject. Each rule fails on its own: an error in one is recorded
 * and the others still plan. Facts are loaded only for rules that apply; a needed fact
 * that failed is the error of each rule that needs it, recorded once per rule; an
 * optional one is left out and the outcome says so.
 */
export async function planSubject(subject: Parameters<AnyRule['applies']>[0], rules: readonly AnyRule[], ctx: BaseContext, facts: SubjectFacts): Promise<SubjectPlan> {
  const outcomes: RuleOutcome[] = [];
  const applicable: AnyRule[] = [];
  for (const rule of rules) {
    try {
      if (rule.subject === subject.kind && rule.applies(subject as never, ctx)) applicable.push(rule);
      else outcomes.push({ rule: rule.key, status: 'not-applicable', actions: 0 });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: message(error) });
    }
  }
  const wanted = new Set<FactName>(applicable.flatMap((r) => [...(r.needs ?? []), ...(r.optional ?? [])]));
  const { facts: loaded, failures } = wanted.size > 0 ? await facts.load(wanted) : { facts: {}, failures: [] };
  const failed = new Map(failures.map((f) => [f.fact, f.error]));
  const planned: PlannedAction[] = [];
  for (const rule of applicable) {
    const missing = (rule.needs ?? []).filter((name: FactName) => failed.has(name));
    if (missing.length > 0) {
      const error = missing.map((name: FactName) => `fact "${name}" could not be loaded: ${failed.get(name)}`).join('; ');
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error });
      continue;
    }
    const without = (rule.optional ?? []).filter((name: FactName) => failed.has(name));
    try {
      const results = rule.plan(subject as never, { ...ctx, facts: loaded as never });
      planned.push(...results.map((r) => ({ rule: rule.key, action: r.action, reason: r.reason })));
      outcomes.push({ rule: rule.key, status: 'planned', actions: results.length, ...(without.length > 0 ? { without } : {}) });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: message(error) });
    }
  }
  return { planned, outcomes };
}
