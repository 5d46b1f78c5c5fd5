import type { BotConfig } from '../config/schema.js';
import type { BotEvent } from '../events/types.js';
import type { AnyRule, ProjectScope, Subject, Trigger } from '../rules/types.js';

/**
 * Whether a rule runs for this trigger, from its `runsOn` declaration: a job it lists, or
 * an event it lists — for an update, only when GitLab reports a change to one of the
 * fields the rule declared. The one place this is decided.
 */
export function ruleRunsOn(rule: AnyRule, trigger: Trigger): boolean {
  if (trigger.kind === 'job') return rule.runsOn.jobs.includes(trigger.job);
  // A command, or an event on a subject another one quotes, names its rules itself.
  if (trigger.kind === 'command' || trigger.kind === 'quoted') return false;
  return eventMatches(rule.runsOn.events, trigger.event);
}

/** Whether an event is one of those declared (`runsOn.events`, `quotedBy.events`): an update only when it changed a declared field. */
function eventMatches(events: AnyRule['runsOn']['events'], event: BotEvent): boolean {
  const declared = (events as Record<string, 'always' | readonly string[] | undefined>)[event.key];
  if (declared === undefined) return false;
  if (declared === 'always' || !event.key.endsWith('.update')) return true;
  const changed = 'changed' in event ? event.changed : [];
  return changed.some((field) => declared.includes(field));
}

/** Whether this event on a subject makes the rule re-plan the other subjects whose notes quote it (`quotedBy`). */
export function ruleQuotes(rule: AnyRule, event: BotEvent): boolean {
  return rule.quotedBy !== undefined && eventMatches(rule.quotedBy.events, event);
}

/** Whether the config leaves the rule on: `rules.<key>.enabled` (default true). */
export function ruleEnabled(rule: AnyRule, config: BotConfig): boolean {
  return config.rules[rule.key]?.enabled ?? true;
}

/**
 * Whether a rule can apply in this project: switched on (`rules.<key>.enabled`), in
 * `rules.<key>.projects` when the config limits it, and where its `runsOn.projects` lets
 * it (issue rules never where `issues: false`).
 */
export function ruleRunsIn(rule: AnyRule, project: ProjectScope, config: BotConfig): boolean {
  if (!ruleEnabled(rule, config)) return false;
  const only = config.rules[rule.key]?.projects;
  if (only && !only.includes(project.key)) return false;
  if (rule.subject === 'issue' && !project.config.issues) return false;
  return rule.runsOn.projects?.(project, config) ?? true;
}

/** Issue rules run on plain issues unless they declare other work item types. */
const DEFAULT_ISSUE_TYPES: readonly string[] = ['issue'];

/** Whether a rule takes this subject: its kind, and for an issue its work item type (`runsOn.issueTypes`). */
export function ruleTakes(rule: AnyRule, subject: Subject): boolean {
  if (rule.subject !== subject.kind) return false;
  if (subject.kind !== 'issue') return true;
  const types = rule.runsOn.issueTypes ?? DEFAULT_ISSUE_TYPES;
  return types === 'all' || types.includes(subject.issue.issueType);
}

/** The states of subjects a job lists for these rules: open ones, plus closed ones when a rule asks. */
export function statesFor(rules: readonly AnyRule[]): Set<'opened' | 'closed'> {
  return new Set(rules.flatMap((r) => r.runsOn.states ?? ['opened' as const]));
}
