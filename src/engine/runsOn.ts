import type { AnyRule, Trigger } from '../rules/types.js';

/**
 * Whether a rule runs for this trigger, from its `runsOn` declaration: a job it lists, or
 * an event it lists — for an update, only when GitLab reports a change to one of the
 * fields the rule declared. The one place this is decided.
 */
export function ruleRunsOn(rule: AnyRule, trigger: Trigger): boolean {
  if (trigger.kind === 'job') return rule.runsOn.jobs.includes(trigger.job);
  // A command names its rules itself.
  if (trigger.kind === 'command') return false;
  const { event } = trigger;
  const declared = (rule.runsOn.events as Record<string, 'always' | readonly string[] | undefined>)[event.key];
  if (declared === undefined) return false;
  if (declared === 'always' || !event.key.endsWith('.update')) return true;
  const changed = 'changed' in event ? event.changed : [];
  return changed.some((field) => declared.includes(field));
}

/** The states of subjects a job lists for these rules: open ones, plus closed ones when a rule asks. */
export function statesFor(rules: readonly AnyRule[]): Set<'opened' | 'closed'> {
  return new Set(rules.flatMap((r) => r.runsOn.states ?? ['opened' as const]));
}
