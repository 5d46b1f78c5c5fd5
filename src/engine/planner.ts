import type { FactName, FactTypes } from '../facts/index.js';
import type { Renderer } from '../render/renderer.js';
import type { AnyRule, BaseContext } from '../rules/types.js';
import type { PlannedAction } from './changes.js';
import { stageOf, type SubjectFacts } from './facts.js';
import { ruleRunsIn, ruleTakes } from './runsOn.js';

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

/** Marks a note body whose template failed to render. */
const UNRENDERED = '\u0000support-bot:unrendered';

/** The renderer for one rule's plan: a template that fails gives a marked body instead of throwing, and is recorded. */
function renderOrMark(renderer: Renderer): Renderer & { failures: string[] } {
  const failures: string[] = [];
  return {
    failures,
    has: (name) => renderer.has(name),
    render(name, data) {
      try {
        return renderer.render(name, data);
      } catch (error) {
        failures.push(`note "${name}" not rendered: ${message(error)}`);
        return UNRENDERED;
      }
    },
  };
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/**
 * Loads the facts of the rules that apply, stage by stage (`FactDefinition.stage`), each
 * stage in parallel: a later stage loads only what rules still able to plan ask for, so a
 * cheap fact that failed (the team, the bot's identity) spares the subject its expensive
 * reads (its notes) for the rules that need both.
 */
async function loadInStages(rules: readonly AnyRule[], facts: SubjectFacts): Promise<{ loaded: Partial<FactTypes>; failed: Map<FactName, string> }> {
  const loaded: Partial<Record<FactName, unknown>> = {};
  const failed = new Map<FactName, string>();
  const wantedBy = (rule: AnyRule): FactName[] => [...(rule.needs ?? []), ...(rule.optional ?? [])];
  const stages = [...new Set(rules.flatMap(wantedBy).map(stageOf))].sort((a, b) => a - b);
  for (const stage of stages) {
    const alive = rules.filter((rule) => !(rule.needs ?? []).some((name: FactName) => failed.has(name)));
    const names = new Set(alive.flatMap(wantedBy).filter((name) => stageOf(name) === stage));
    if (names.size === 0) continue;
    const result = await facts.load(names);
    Object.assign(loaded, result.facts);
    for (const f of result.failures) failed.set(f.fact, f.error);
  }
  return { loaded: loaded as Partial<FactTypes>, failed };
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
      if (ruleTakes(rule, subject) && ruleRunsIn(rule, subject.project, ctx.config) && rule.applies(subject as never, ctx)) applicable.push(rule);
      else outcomes.push({ rule: rule.key, status: 'not-applicable', actions: 0 });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: message(error) });
    }
  }
  const { loaded, failed } = await loadInStages(applicable, facts);
  const planned: PlannedAction[] = [];
  for (const rule of applicable) {
    const missing = (rule.needs ?? []).filter((name: FactName) => failed.has(name));
    if (missing.length > 0) {
      const error = missing.map((name: FactName) => `fact "${name}" could not be loaded: ${failed.get(name)}`).join('; ');
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error });
      continue;
    }
    const without = (rule.optional ?? []).filter((name: FactName) => failed.has(name));
    const render = renderOrMark(ctx.render);
    try {
      const results = rule.plan(subject as never, { ...ctx, render, facts: loaded as never });
      // A note that could not be rendered is dropped; the rule's other actions (making an
      // issue confidential, redacting a secret) still apply, and the outcome says what failed.
      const kept = results.filter((r) => !(r.action.type === 'upsertNote' && r.action.body.includes(UNRENDERED)));
      planned.push(...kept.map((r) => ({ rule: rule.key, action: r.action, reason: r.reason })));
      const base = { rule: rule.key, actions: kept.length, ...(without.length > 0 ? { without } : {}) };
      outcomes.push(render.failures.length > 0 ? { ...base, status: 'error', error: render.failures.join('; ') } : { ...base, status: 'planned' });
    } catch (error) {
      outcomes.push({ rule: rule.key, status: 'error', actions: 0, error: message(error) });
    }
  }
  return { planned, outcomes };
}
