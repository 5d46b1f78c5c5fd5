// Webhook bodies in GitLab's shapes (Issue Hook, Note Hook, Merge Request
// Hook), after the examples in GitLab's "Webhook events" documentation.
// Timestamps in object_attributes and `changes` are "YYYY-MM-DD HH:MM:SS UTC";
// label objects carry ISO timestamps; labels are objects, not names.

import type { Changes } from '../issuables.js';
import type { SandboxStore } from '../store.js';
import type { AwardRec, IssuableRec, IssueRec, IssueType, MergeRequestRec, NoteRec, ProjectRec, UserRec } from '../types.js';

type Json = Record<string, unknown>;

export function hookTime(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const VISIBILITY_LEVEL = { private: 0, internal: 10, public: 20 } as const;
const STATE_ID = { opened: 1, closed: 2, merged: 3, locked: 4 } as const;

export function hookUser(store: SandboxStore, user: UserRec | undefined): Json | null {
  if (!user) return null;
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    avatar_url: `https://www.gravatar.com/avatar/${user.id}?s=80&d=identicon`,
    email: '[REDACTED]',
  };
}

export function hookProject(store: SandboxStore, project: ProjectRec): Json {
  const webUrl = `${store.baseUrl}/${project.pathWithNamespace}`;
  const host = new URL(store.baseUrl).host;
  const group = project.namespaceId === null ? undefined : store.getGroup(project.namespaceId);
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    web_url: webUrl,
    avatar_url: null,
    git_ssh_url: `git@${host}:${project.pathWithNamespace}.git`,
    git_http_url: `${webUrl}.git`,
    namespace: group?.name ?? store.getUser(project.creatorId)?.name ?? '',
    visibility_level: VISIBILITY_LEVEL[project.visibility],
    path_with_namespace: project.pathWithNamespace,
    default_branch: project.defaultBranch,
    ci_config_path: null,
    homepage: webUrl,
    url: `git@${host}:${project.pathWithNamespace}.git`,
    ssh_url: `git@${host}:${project.pathWithNamespace}.git`,
    http_url: `${webUrl}.git`,
  };
}

function hookRepository(store: SandboxStore, project: ProjectRec): Json {
  const webUrl = `${store.baseUrl}/${project.pathWithNamespace}`;
  return { name: project.name, url: `${webUrl}.git`, description: project.description, homepage: webUrl };
}

export function hookLabels(store: SandboxStore, projectId: number, titles: readonly string[]): Json[] {
  return titles.map((title) => {
    const label = store.ensureLabel(projectId, title);
    return {
      id: label.id,
      title: label.title,
      color: label.color,
      project_id: label.projectId,
      created_at: label.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      updated_at: label.updatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      template: false,
      description: label.description,
      type: 'ProjectLabel',
      group_id: null,
    };
  });
}

function people(store: SandboxStore, ids: number[]): Json[] {
  return ids.map((id) => hookUser(store, store.getUser(id))).filter((u): u is Json => u !== null);
}

function issuableUrl(store: SandboxStore, issuable: IssuableRec): string {
  const project = store.requireProject(issuable.projectId);
  const kind = issuable.kind === 'issue' ? 'issues' : 'merge_requests';
  return `${store.baseUrl}/${project.pathWithNamespace}/-/${kind}/${issuable.iid}`;
}

/** object_attributes of an issue (also the `issue` object of a Note Hook). */
export function issueAttributes(store: SandboxStore, issue: IssueRec): Json {
  return {
    author_id: issue.authorId,
    closed_at: hookTime(issue.closedAt),
    confidential: issue.confidential,
    created_at: hookTime(issue.createdAt),
    description: issue.description,
    discussion_locked: null,
    due_date: issue.dueDate,
    id: issue.id,
    iid: issue.iid,
    last_edited_at: hookTime(issue.lastEditedAt),
    last_edited_by_id: issue.lastEditedById,
    milestone_id: null,
    moved_to_id: null,
    duplicated_to_id: null,
    project_id: issue.projectId,
    relative_position: null,
    state_id: STATE_ID[issue.state],
    time_estimate: 0,
    title: issue.title,
    updated_at: hookTime(issue.updatedAt),
    updated_by_id: issue.updatedById,
    type: WORK_ITEM_TYPE_NAMES[issue.issueType],
    url: issuableUrl(store, issue),
    total_time_spent: 0,
    time_change: 0,
    human_total_time_spent: null,
    human_time_change: null,
    human_time_estimate: null,
    assignee_ids: [...issue.assigneeIds],
    assignee_id: issue.assigneeIds[0] ?? null,
    labels: hookLabels(store, issue.projectId, issue.labels),
    state: issue.state,
    severity: 'unknown',
    customer_relations_contacts: [],
    // GitLab.com runs EE on every tier: its issue builder adds these columns (ee/lib/ee/gitlab/hook_data/issue_builder.rb;
    // webhook_events.md, "Work item events" shows both).
    weight: null,
    health_status: null,
  };
}

export function mergeRequestAttributes(store: SandboxStore, mr: MergeRequestRec): Json {
  const project = store.requireProject(mr.projectId);
  const hp = hookProject(store, project);
  const author = store.getUser(mr.authorId);
  return {
    assignee_id: mr.assigneeIds[0] ?? null,
    author_id: mr.authorId,
    created_at: hookTime(mr.createdAt),
    description: mr.description,
    draft: mr.draft,
    head_pipeline_id: null,
    id: mr.id,
    iid: mr.iid,
    last_edited_at: hookTime(mr.lastEditedAt),
    last_edited_by_id: mr.lastEditedById,
    merge_commit_sha: null,
    merge_error: null,
    merge_params: { force_remove_source_branch: '0' },
    merge_status: 'can_be_merged',
    merge_user_id: mr.mergedById,
    merge_when_pipeline_succeeds: false,
    milestone_id: null,
    source_branch: mr.sourceBranch,
    source_project_id: mr.sourceProjectId,
    state_id: STATE_ID[mr.state],
    target_branch: mr.targetBranch,
    target_project_id: mr.projectId,
    time_estimate: 0,
    title: mr.title,
    updated_at: hookTime(mr.updatedAt),
    updated_by_id: mr.updatedById,
    prepared_at: hookTime(mr.createdAt),
    assignee_ids: [...mr.assigneeIds],
    blocking_discussions_resolved: true,
    detailed_merge_status: mr.state === 'opened' ? 'mergeable' : 'not_open',
    first_contribution: false,
    human_time_change: null,
    human_time_estimate: null,
    human_total_time_spent: null,
    labels: hookLabels(store, mr.projectId, mr.labels),
    last_commit: {
      id: mr.sha,
      message: mr.title,
      title: mr.title,
      timestamp: mr.updatedAt.toISOString(),
      url: `${store.baseUrl}/${project.pathWithNamespace}/-/commit/${mr.sha}`,
      author: { name: author?.name ?? '', email: '[REDACTED]' },
    },
    reviewer_ids: [...mr.reviewerIds],
    source: hp,
    state: mr.state,
    target: hp,
    time_change: 0,
    total_time_spent: 0,
    url: issuableUrl(store, mr),
    work_in_progress: mr.draft,
    approval_rules: [],
    // Since 18.6 every merge request hook says whether the system caused it; `system_action`
    // comes only with `system: true` (the approval reset on push, mergeRequestRefresh.ts).
    system: false,
  };
}

/** `changes` with webhook formatting: dates as hook times, labels as objects, user ids as users. */
function hookChanges(store: SandboxStore, projectId: number, changes: Changes): Json {
  const out: Json = {};
  for (const [field, { previous, current }] of Object.entries(changes)) {
    const fmt = (v: unknown): unknown => {
      if (v instanceof Date) return hookTime(v);
      if (field === 'labels') return hookLabels(store, projectId, v as string[]);
      if (field === 'assignees' || field === 'reviewers') return people(store, v as number[]);
      return v;
    };
    out[field] = { previous: fmt(previous), current: fmt(current) };
  }
  return out;
}

export type IssueAction = 'open' | 'update' | 'close' | 'reopen';
export type MergeRequestAction = 'open' | 'update' | 'close' | 'reopen' | 'merge' | 'approved' | 'unapproved' | 'approval' | 'unapproval';

/** The work item type names GitLab puts in a hook's `object_attributes.type`. */
const WORK_ITEM_TYPE_NAMES: Record<IssueType, string> = { issue: 'Issue', incident: 'Incident', test_case: 'Test Case', task: 'Task' };

/** `assignees` and `reviewers` are only sent when there are any (lib/gitlab/data_builder/issuable.rb, `build`). */
function listedWhenAny(key: 'assignees' | 'reviewers', people: Json[]): Json {
  return people.length > 0 ? { [key]: people } : {};
}

export function issueHook(store: SandboxStore, issue: IssueRec, actor: UserRec, action: IssueAction, changes: Changes): Json {
  const project = store.requireProject(issue.projectId);
  const kind = issue.issueType === 'issue' ? 'issue' : 'work_item';
  return {
    // webhook_events.md, "Work item events": issues come as `issue`, every other work item type as `work_item`.
    object_kind: kind,
    event_type: issue.confidential ? `confidential_${kind}` : kind,
    user: hookUser(store, actor),
    project: hookProject(store, project),
    object_attributes: { ...issueAttributes(store, issue), action },
    labels: hookLabels(store, issue.projectId, issue.labels),
    changes: hookChanges(store, issue.projectId, changes),
    repository: hookRepository(store, project),
    ...listedWhenAny('assignees', people(store, issue.assigneeIds)),
  };
}

export function mergeRequestHook(store: SandboxStore, mr: MergeRequestRec, actor: UserRec, action: MergeRequestAction, changes: Changes): Json {
  const project = store.requireProject(mr.projectId);
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: hookUser(store, actor),
    project: hookProject(store, project),
    object_attributes: { ...mergeRequestAttributes(store, mr), action },
    labels: hookLabels(store, mr.projectId, mr.labels),
    changes: hookChanges(store, mr.projectId, changes),
    repository: hookRepository(store, project),
    ...listedWhenAny('assignees', people(store, mr.assigneeIds)),
    ...listedWhenAny('reviewers', people(store, mr.reviewerIds)),
  };
}

/**
 * An emoji reaction awarded or revoked on an issue or a merge request (webhook_events.md,
 * "Emoji events"; Gitlab::DataBuilder::Emoji puts the awardable under its own key).
 */
export function emojiHook(store: SandboxStore, award: AwardRec, issuable: IssuableRec, actor: UserRec, action: 'award' | 'revoke'): Json {
  const project = store.requireProject(issuable.projectId);
  const body: Json = {
    object_kind: 'emoji',
    event_type: action,
    user: hookUser(store, actor),
    project_id: project.id,
    project: hookProject(store, project),
    object_attributes: {
      user_id: award.userId,
      created_at: hookTime(award.createdAt),
      id: award.id,
      name: award.name,
      awardable_type: award.awardableType,
      awardable_id: award.awardableId,
      updated_at: hookTime(award.updatedAt),
      action,
      awarded_on_url: issuableUrl(store, issuable),
    },
  };
  if (issuable.kind === 'issue') body['issue'] = issueAttributes(store, issuable);
  else body['merge_request'] = mergeRequestAttributes(store, issuable);
  return body;
}

/** A note is confidential for webhooks when it is internal or on a confidential issue. */
export function isConfidentialNote(note: NoteRec, issuable: IssuableRec): boolean {
  return note.internal || (issuable.kind === 'issue' && issuable.confidential);
}

export function noteHook(store: SandboxStore, note: NoteRec, issuable: IssuableRec, actor: UserRec, action: 'create' | 'update'): Json {
  const project = store.requireProject(note.projectId);
  const url = `${issuableUrl(store, issuable)}#note_${note.id}`;
  const body: Json = {
    object_kind: 'note',
    event_type: isConfidentialNote(note, issuable) ? 'confidential_note' : 'note',
    user: hookUser(store, actor),
    project_id: project.id,
    project: hookProject(store, project),
    object_attributes: {
      attachment: null,
      author_id: note.authorId,
      change_position: null,
      commit_id: null,
      created_at: hookTime(note.createdAt),
      discussion_id: `discussion-${note.id}`,
      id: note.id,
      line_code: null,
      note: note.body,
      noteable_id: note.noteableId,
      noteable_type: note.noteableType,
      original_position: null,
      position: null,
      project_id: note.projectId,
      resolved_at: null,
      resolved_by_id: null,
      resolved_by_push: null,
      st_diff: null,
      system: note.system,
      type: null,
      updated_at: hookTime(note.updatedAt),
      updated_by_id: null,
      description: note.body,
      url,
      internal: note.internal,
      confidential: note.internal,
      action,
    },
    repository: hookRepository(store, project),
  };
  if (issuable.kind === 'issue') body['issue'] = issueAttributes(store, issuable);
  else body['merge_request'] = mergeRequestAttributes(store, issuable);
  return body;
}
