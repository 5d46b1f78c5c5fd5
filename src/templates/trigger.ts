import type { Trigger } from '../rules/types.js';

/**
 * Whether a trigger can have changed what a content rule reads: every job run,
 * every open or reopen, and an update only when it touched one of `fields`.
 */
export function touchesFields(trigger: Trigger, fields: readonly string[]): boolean {
  if (trigger.kind === 'job') return true;
  const { event } = trigger;
  if (event.kind !== 'issue') return false;
  if (event.key !== 'issue.update') return true;
  return event.changed.some((field) => fields.includes(field));
}
