// Actions are data: what a rule wants to be true. The executor compares them with
// current state and writes only the difference.

export type Action =
  | { type: 'addLabels'; labels: string[] }
  | { type: 'removeLabels'; labels: string[] }
  /** One note per (resource, key), found again by its hidden marker and edited in place;
   *  with onlyIfExists, an existing note is edited but none is created. */
  | { type: 'upsertNote'; key: string; body: string; onlyIfExists?: boolean }
  | { type: 'setConfidential'; confidential: true }
  /** Replace the description (e.g. redaction); skipped when already equal. */
  | { type: 'setDescription'; description: string }
  | { type: 'setState'; state: 'closed' | 'opened' };

/** A planned action with where it applies and why: what dry runs print and tests assert. */
export interface PlannedAction {
  rule: string;
  action: Action;
  reason: string;
}

/** What the executor did with one planned action. */
export interface AppliedChange {
  /** Rule keys, comma-separated when one write serves several rules. */
  rule: string;
  /** What was written: the issue's own fields (labels, confidentiality, …) or a note. */
  target: 'issue' | 'note';
  outcome: 'written' | 'unchanged' | 'skipped';
  detail: string;
}
