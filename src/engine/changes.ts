import type { Action } from '../rules/actions.js';
import type { PortName } from './ports.js';

/** A planned action with where it applies and why: what dry runs print and tests assert. */
export interface PlannedAction {
  rule: string;
  action: Action;
  reason: string;
}

/** What the executor did with planned actions: one entry per write it made, would make or found unneeded. */
export interface AppliedChange {
  /** Rule keys, comma-separated when one write serves several rules; or the command that made it (`labels-sync`). */
  rule: string;
  /** The port the write went (or would go) through: `gitlab`, or another such as a chat notifier. */
  port: PortName;
  /**
   * What was written: the subject's own fields (labels, confidentiality, …), a note, a commit
   * status, a user; or, from the sync commands, a project's label, a branch, a pipeline schedule.
   */
  target: 'issue' | 'merge_request' | 'note' | 'commit_status' | 'user' | 'label' | 'branch' | 'schedule' | 'message';
  /** `would-write` in a dry run: the write was planned and not sent. */
  outcome: 'written' | 'would-write' | 'unchanged' | 'skipped';
  detail: string;
  /** Why, from the rules' reasons. */
  reason: string;
}

/** A write that happened, or would have in a dry run. */
export function isWrite(change: AppliedChange): boolean {
  return change.outcome === 'written' || change.outcome === 'would-write';
}
