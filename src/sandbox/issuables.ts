// Creating and updating issues and merge requests, shared by both kinds: the
// field changes, the label arithmetic, the system notes and resource label
// events GitLab records, and the `changes` map its webhooks carry.
//
// GitLab's Notes API documentation: "Some system notes are not part of this
// API, but are recorded as separate events": label changes are resource label
// events and state changes resource state events. Title, description,
// confidentiality and assignee changes are system notes. `legacySystemNotes`
// additionally writes label and state notes the way GitLab did before 11.2.

import { applyLabelChange } from './labels.js';
import { noteableType, type SandboxStore } from './store.js';
import type { IssuableRec, IssueRec, MergeRequestRec } from './types.js';

export interface IssuableUpdate {
  title?: string | undefined;
  description?: string | undefined;
  labels?: string[] | undefined;
  addLabels?: string[] | undefined;
  removeLabels?: string[] | undefined;
  confidential?: boolean | undefined;
  stateEvent?: 'close' | 'reopen' | 'merge' | undefined;
  assigneeIds?: number[] | undefined;
  reviewerIds?: number[] | undefined;
  dueDate?: string | null | undefined;
}

/** `{ field: { previous, current } }` with raw values (dates, label titles). */
export type Changes = Record<string, { previous: unknown; current: unknown }>;

export interface UpdateResult {
  changed: boolean;
  changes: Changes;
  /** The webhook action: update, close, reopen or merge. */
  action: 'update' | 'close' | 'reopen' | 'merge';
}

export interface IssuableOptions {
  legacySystemNotes: boolean;
  /** An update service run (a PUT): the updater is assigned, so a no-op by someone else still saves. */
  assignUpdater?: boolean;
}

/** `group/project#1` for an issue, `group/project!2` for a merge request. */
export function issuableRef(store: SandboxStore, issuable: IssuableRec): string {
  return `${store.getProject(issuable.projectId)?.pathWithNamespace ?? issuable.projectId}${issuable.kind === 'issue' ? '#' : '!'}${issuable.iid}`;
}

/** A new issue or merge request notifies every mention in its title and description. */
export function recordCreationMentions(store: SandboxStore, issuable: IssuableRec, authorId: number): void {
  store.recordMentions(authorId, '', `${issuable.title}\n${issuable.description}`, issuableRef(store, issuable));
}

export function updateIssuable(store: SandboxStore, issuable: IssuableRec, update: IssuableUpdate, actorId: number, opts: IssuableOptions): UpdateResult {
  const changes: Changes = {};
  const notes: string[] = [];
  const record = (field: string, previous: unknown, current: unknown): void => {
    changes[field] = { previous, current };
  };

  if (update.title !== undefined && update.title !== issuable.title) {
    store.recordMentions(actorId, issuable.title, update.title, issuableRef(store, issuable));
    notes.push(`changed title from **${issuable.title}** to **${update.title}**`);
    record('title', issuable.title, update.title);
    issuable.title = update.title;
  }
  if (update.description !== undefined && update.description !== issuable.description) {
    store.recordMentions(actorId, issuable.description, update.description, issuableRef(store, issuable));
    notes.push('changed the description');
    record('description', issuable.description, update.description);
    issuable.description = update.description;
  }
  if (changes['title'] || changes['description']) {
    record('last_edited_at', issuable.lastEditedAt, store.now());
    record('last_edited_by_id', issuable.lastEditedById, actorId);
    issuable.lastEditedAt = store.now();
    issuable.lastEditedById = actorId;
  }

  const labelsGiven = update.labels !== undefined || update.addLabels !== undefined || update.removeLabels !== undefined;
  if (labelsGiven) {
    const next = applyLabelChange(issuable.labels, { labels: update.labels, add: update.addLabels, remove: update.removeLabels }, { scoped: store.tier === 'premium' });
    if (!sameList(next, issuable.labels)) {
      const added = next.filter((l) => !issuable.labels.includes(l));
      const removed = issuable.labels.filter((l) => !next.includes(l));
      for (const l of next) store.ensureLabel(issuable.projectId, l);
      recordLabelEvents(store, issuable, added, removed, actorId);
      if (opts.legacySystemNotes) notes.push(labelNote(added, removed));
      record('labels', issuable.labels, next);
      issuable.labels = next;
    }
  }

  if (issuable.kind === 'issue' && update.confidential !== undefined && update.confidential !== issuable.confidential) {
    notes.push(update.confidential ? 'made the issue confidential' : 'made the issue visible to everyone');
    record('confidential', issuable.confidential, update.confidential);
    issuable.confidential = update.confidential;
  }

  if (update.assigneeIds !== undefined && !sameList(update.assigneeIds, issuable.assigneeIds)) {
    notes.push(assigneeNote(store, issuable.assigneeIds, update.assigneeIds));
    record('assignees', issuable.assigneeIds, update.assigneeIds);
    issuable.assigneeIds = [...update.assigneeIds];
  }
  if (issuable.kind === 'merge_request' && update.reviewerIds !== undefined && !sameList(update.reviewerIds, issuable.reviewerIds)) {
    record('reviewers', issuable.reviewerIds, update.reviewerIds);
    issuable.reviewerIds = [...update.reviewerIds];
  }
  if (issuable.kind === 'issue' && update.dueDate !== undefined && update.dueDate !== issuable.dueDate) {
    record('due_date', issuable.dueDate, update.dueDate);
    issuable.dueDate = update.dueDate;
  }

  const action = applyStateEvent(store, issuable, update.stateEvent, actorId, record);
  if (action !== 'update' && opts.legacySystemNotes) notes.push(action === 'close' ? 'closed' : action === 'reopen' ? 'reopened' : 'merged');

  // IssuableBaseService#update assigns `updated_by: current_user` with the parameters: even a
  // no-op saves when someone other than the last updater sends it, moving updated_at.
  if (Object.keys(changes).length > 0 || (opts.assignUpdater === true && issuable.updatedById !== actorId)) {
    const now = store.now();
    record('updated_at', issuable.updatedAt, now);
    if (issuable.updatedById !== actorId) record('updated_by_id', issuable.updatedById, actorId);
    issuable.updatedAt = now;
    issuable.updatedById = actorId;
    for (const body of notes) store.createNote(issuable, { body, authorId: actorId, system: true });
  }
  return { changed: Object.keys(changes).length > 0, changes, action };
}

function applyStateEvent(
  store: SandboxStore,
  issuable: IssuableRec,
  event: IssuableUpdate['stateEvent'],
  actorId: number,
  record: (field: string, previous: unknown, current: unknown) => void,
): UpdateResult['action'] {
  const now = store.now();
  if (event === 'close' && issuable.state === 'opened') {
    record('state_id', 1, 2);
    record('closed_at', issuable.closedAt, now);
    issuable.state = 'closed';
    issuable.closedAt = now;
    issuable.closedById = actorId;
    return 'close';
  }
  if (event === 'reopen' && issuable.state === 'closed') {
    record('state_id', 2, 1);
    record('closed_at', issuable.closedAt, null);
    issuable.state = 'opened';
    issuable.closedAt = null;
    issuable.closedById = null;
    return 'reopen';
  }
  if (event === 'merge' && issuable.kind === 'merge_request' && issuable.state === 'opened') {
    record('state_id', 1, 3);
    (issuable as MergeRequestRec).state = 'merged';
    issuable.mergedAt = now;
    issuable.mergedById = actorId;
    return 'merge';
  }
  return 'update';
}

/**
 * Labels given at creation get their resource label events like any later change
 * (app/services/issuable/common_system_notes_service.rb, run with `old_labels: []` after create).
 */
export function recordCreationLabels(store: SandboxStore, issuable: IssuableRec, actorId: number): void {
  recordLabelEvents(store, issuable, issuable.labels, [], actorId);
}

function recordLabelEvents(store: SandboxStore, issuable: IssuableRec, added: string[], removed: string[], userId: number): void {
  const resourceType = noteableType(issuable);
  const at = store.now();
  for (const [titles, action] of [
    [added, 'add'],
    [removed, 'remove'],
  ] as const) {
    for (const title of titles) {
      const label = store.ensureLabel(issuable.projectId, title);
      store.labelEvents.push({ id: store.nextId('label_event'), userId, createdAt: at, resourceType, resourceId: issuable.id, labelId: label.id, action });
    }
  }
}

function labelNote(added: string[], removed: string[]): string {
  const refs = (ls: string[]): string => ls.map((l) => `~"${l}"`).join(' ');
  const part = (verb: string, ls: string[]): string => `${verb} ${refs(ls)} ${ls.length === 1 ? 'label' : 'labels'}`;
  if (added.length && removed.length) return `${part('added', added).replace(/ labels?$/, '')} and ${part('removed', removed)}`;
  return added.length ? part('added', added) : part('removed', removed);
}

function assigneeNote(store: SandboxStore, before: number[], after: number[]): string {
  const name = (id: number): string => `@${store.getUser(id)?.username ?? id}`;
  const added = after.filter((id) => !before.includes(id)).map(name);
  const removed = before.filter((id) => !after.includes(id)).map(name);
  const parts: string[] = [];
  if (added.length) parts.push(`assigned to ${added.join(' and ')}`);
  if (removed.length) parts.push(`unassigned ${removed.join(' and ')}`);
  return parts.join(' and ');
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The issue an API POST creates; labels are created in the project. */
export function isIssue(i: IssuableRec): i is IssueRec {
  return i.kind === 'issue';
}
