import type { NotifyEvent } from '../config/schema.js';
import type { ChatMessage } from '../notify/message.js';

// Actions are data: what a rule wants to be true of its subject (an issue or a merge
// request). The executor compares them with current state and writes only the difference.

export type Action =
  | { type: 'addLabels'; labels: string[] }
  | { type: 'removeLabels'; labels: string[] }
  /** One note per (subject, key), found again by its hidden marker and edited in place;
   *  with onlyIfExists, an existing note is edited but none is created. `first`: written before
   *  the subject's other writes, for a note that tells of a write which takes the subject out
   *  of the rule's reach (a run killed in between then leaves the subject where the rule still
   *  finds it and finishes, instead of a change nobody is told about). */
  | { type: 'upsertNote'; key: string; body: string; onlyIfExists?: boolean; first?: boolean }
  /** Replace another user's comment with `body` (redaction): needs the Maintainer role (`admin_note`); skipped when equal or gone. */
  | { type: 'redactComment'; noteId: number; body: string }
  /** Issues only. */
  | { type: 'setConfidential'; confidential: true }
  /** Replace the description (e.g. redaction); skipped when already equal. */
  | { type: 'setDescription'; description: string }
  /** Replace the title (redaction); skipped when already equal. */
  | { type: 'setTitle'; title: string }
  /** Issues only. */
  | { type: 'setState'; state: 'closed' | 'opened' }
  /** Merge requests only: the commit status `name` on the merge request's head commit. */
  | { type: 'setCommitStatus'; name: string; sha: string; ref?: string; state: 'success' | 'failed'; description: string; targetUrl?: string }
  /**
   * Administrators only: rename a user (`PUT /users/:id`), applied before the subject's other
   * writes. `intent`: a note upserted on the subject just before the rename, saying what is
   * about to happen, so a run killed after the rename can still finish and record it.
   */
  | { type: 'renameUser'; userId: number; from: string; to: string; intent?: { key: string; body: string } }
  /** One chat message about the subject to one configured channel, once per (event, channel): recorded on the subject (docs/notifications.md). */
  | { type: 'notify'; event: NotifyEvent; channel: string; message: ChatMessage };

export type ActionType = Action['type'];
