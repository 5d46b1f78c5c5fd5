import { commitStatusHandler } from './commitStatus.js';
import { redactCommentHandler } from './comments.js';
import { fieldsHandler } from './fields.js';
import { upsertNoteHandler } from './notes.js';
import { notifyHandler } from './notify.js';
import { createLabelHandler, updateLabelHandler } from './projectLabels.js';
import { commitFilesHandler, openMergeRequestHandler } from './proposals.js';
import { renameUserHandler } from './renameUser.js';
import { createScheduleHandler, takeScheduleOwnershipHandler, updateScheduleHandler } from './schedules.js';
import type { ActionHandlers } from './types.js';

/**
 * The handler of every action type, in the order a subject's actions are applied: a rename
 * first (when it fails, nothing else of the subject is written), then the subject's fields
 * (one PUT), commit statuses, notes, then edits of other people's comments (a notice is posted
 * before the comments it names are redacted, so a run killed in between leaves them findable). Typed so that a missing entry does not compile.
 * Project actions (the sync commands', `rules/projectActions.ts`) are applied one by one in plan order.
 */
export const HANDLERS: ActionHandlers = {
  renameUser: renameUserHandler,
  addLabels: fieldsHandler,
  removeLabels: fieldsHandler,
  setConfidential: fieldsHandler,
  setDescription: fieldsHandler,
  setTitle: fieldsHandler,
  setState: fieldsHandler,
  setCommitStatus: commitStatusHandler,
  upsertNote: upsertNoteHandler,
  redactComment: redactCommentHandler,
  notify: notifyHandler,
  createLabel: createLabelHandler,
  updateLabel: updateLabelHandler,
  commitFiles: commitFilesHandler,
  openMergeRequest: openMergeRequestHandler,
  takeScheduleOwnership: takeScheduleOwnershipHandler,
  createSchedule: createScheduleHandler,
  updateSchedule: updateScheduleHandler,
};
