// The JSON GitLab's REST v4 API returns for each record (snake_case, ISO 8601
// timestamps with milliseconds). Field lists follow the API documentation's
// example responses; fields the sandbox has no model for are given GitLab's
// neutral values (null, 0, false, []).

import type { SandboxStore } from './store.js';
import type { AwardRec, CommitRec, CommitStatusRec, EventRec, GroupRec, IssueRec, LabelRec, MemberRec, MergeRequestRec, NoteRec, ProjectRec, UserRec } from './types.js';

type Json = Record<string, unknown>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function userBasic(store: SandboxStore, user: UserRec | undefined): Json | null {
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: `https://www.gravatar.com/avatar/${user.id}?s=80&d=identicon`,
    web_url: `${store.baseUrl}/${user.username}`,
  };
}

/** GET /users/:id; `asAdmin` adds the fields only administrators see. */
/**
 * `read_user_profile` (app/policies/user_policy.rb): a private profile, or a blocked user, is read
 * by the user itself and administrators only; others get no events, no contributed projects and
 * no `created_at` (lib/api/entities/user.rb).
 */
export function canReadProfile(viewer: UserRec, user: UserRec): boolean {
  return viewer.isAdmin || viewer.id === user.id || (!user.privateProfile && user.state !== 'blocked');
}

export function userFull(store: SandboxStore, user: UserRec, opts: { asAdmin: boolean; self?: boolean; profile?: boolean }): Json {
  const base: Json = {
    ...userBasic(store, user),
    ...((opts.profile ?? true) ? { created_at: iso(user.createdAt) } : {}),
    bio: '',
    location: '',
    public_email: null,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: user.bot,
    work_information: null,
    followers: 0,
    following: 0,
    local_time: null,
  };
  if (opts.self || opts.asAdmin) {
    Object.assign(base, {
      last_sign_in_at: iso(user.lastSignInAt),
      confirmed_at: iso(user.createdAt),
      last_activity_on: user.lastActivityOn,
      email: user.email,
      theme_id: 1,
      color_scheme_id: 1,
      projects_limit: 100000,
      current_sign_in_at: iso(user.currentSignInAt),
      identities: [],
      can_create_group: true,
      can_create_project: true,
      two_factor_enabled: false,
      external: false,
      private_profile: user.privateProfile,
      commit_email: user.email,
    });
  }
  if (opts.asAdmin) Object.assign(base, { is_admin: user.isAdmin, note: null, namespace_id: null, created_by: null });
  return base;
}

/** A group as a namespace (doc/api/namespaces.md). */
export function groupNamespaceJson(store: SandboxStore, group: GroupRec): Json {
  return {
    id: group.id,
    name: group.name,
    path: group.path,
    kind: 'group',
    full_path: group.fullPath,
    parent_id: group.parentId,
    avatar_url: null,
    web_url: `${store.baseUrl}/groups/${group.fullPath}`,
  };
}

/** A user's personal namespace. Its id is the user's own id in the sandbox (GitLab keeps separate ids; nothing here relies on them). */
export function userNamespaceJson(store: SandboxStore, user: Pick<UserRec, 'id' | 'name' | 'username'>): Json {
  return {
    id: user.id,
    name: user.name,
    path: user.username,
    kind: 'user',
    full_path: user.username,
    parent_id: null,
    avatar_url: null,
    web_url: `${store.baseUrl}/${user.username}`,
  };
}

export function namespaceJson(store: SandboxStore, project: ProjectRec): Json {
  const group = project.namespaceId === null ? undefined : store.getGroup(project.namespaceId);
  if (group) return groupNamespaceJson(store, group);
  const owner = store.getUser(project.creatorId);
  return userNamespaceJson(store, { id: project.creatorId, name: owner?.name ?? '', username: owner?.username ?? '' });
}

export function projectJson(store: SandboxStore, project: ProjectRec): Json {
  const ns = namespaceJson(store, project);
  const webUrl = `${store.baseUrl}/${project.pathWithNamespace}`;
  const host = new URL(store.baseUrl).host;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: `${String(ns['name'])} / ${project.name}`,
    path: project.path,
    path_with_namespace: project.pathWithNamespace,
    created_at: iso(project.createdAt),
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${project.pathWithNamespace}.git`,
    http_url_to_repo: `${webUrl}.git`,
    web_url: webUrl,
    readme_url: null,
    avatar_url: null,
    forks_count: 0,
    star_count: 0,
    last_activity_at: iso(project.lastActivityAt),
    namespace: ns,
    visibility: project.visibility,
    creator_id: project.creatorId,
    issues_enabled: true,
    merge_requests_enabled: true,
    archived: false,
    empty_repo: (store.commits.get(project.id)?.length ?? 0) === 0,
    open_issues_count: store.issues.filter((i) => i.projectId === project.id && i.state === 'opened').length,
    _links: {
      self: `${store.baseUrl}/api/v4/projects/${project.id}`,
      issues: `${store.baseUrl}/api/v4/projects/${project.id}/issues`,
      merge_requests: `${store.baseUrl}/api/v4/projects/${project.id}/merge_requests`,
      labels: `${store.baseUrl}/api/v4/projects/${project.id}/labels`,
      members: `${store.baseUrl}/api/v4/projects/${project.id}/members`,
    },
  };
}

export function groupJson(store: SandboxStore, group: GroupRec): Json {
  return {
    id: group.id,
    name: group.name,
    path: group.path,
    description: group.description,
    visibility: group.visibility,
    full_name: store
      .groupAncestry(group.id)
      .reverse()
      .map((g) => g.name)
      .join(' / '),
    full_path: group.fullPath,
    parent_id: group.parentId,
    created_at: iso(group.createdAt),
    web_url: `${store.baseUrl}/groups/${group.fullPath}`,
    avatar_url: null,
  };
}

export function memberJson(store: SandboxStore, member: MemberRec): Json {
  return {
    ...userBasic(store, store.getUser(member.userId)),
    access_level: member.accessLevel,
    created_at: iso(member.createdAt),
    expires_at: null,
    membership_state: 'active',
  };
}

/**
 * A label's text colour: dark on a light background (red + green + blue over 500), else white
 * (app/helpers/labels_helper.rb, `text_color_for_bg` / `light_color?`).
 */
export function labelTextColor(color: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (hex === undefined) return '#FFFFFF';
  const parts = hex.length === 3 ? [...hex].map((c) => c + c) : (hex.match(/../g) ?? []);
  return parts.reduce((sum, h) => sum + parseInt(h, 16), 0) > 500 ? '#333333' : '#FFFFFF';
}

/** `API::Entities::LabelBasic` (lib/api/entities/label_basic.rb): what a label event or an issuable's `label_details` carries. */
export function labelBasicJson(label: LabelRec): Json {
  return {
    id: label.id,
    name: label.title,
    color: label.color,
    description: label.description,
    description_html: label.description ?? '',
    text_color: labelTextColor(label.color),
  };
}

export function labelJson(label: LabelRec): Json {
  return {
    ...labelBasicJson(label),
    open_issues_count: 0,
    closed_issues_count: 0,
    open_merge_requests_count: 0,
    subscribed: false,
    priority: null,
    is_project_label: true,
  };
}

const timeStats = { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null };

function references(project: ProjectRec, sigil: '#' | '!', iid: number): Json {
  return { short: `${sigil}${iid}`, relative: `${sigil}${iid}`, full: `${project.pathWithNamespace}${sigil}${iid}` };
}

function people(store: SandboxStore, ids: number[]): Json[] {
  return ids.map((id) => userBasic(store, store.getUser(id))).filter((u): u is Json => u !== null);
}

function awardCounts(store: SandboxStore, issuable: IssueRec | MergeRequestRec): { upvotes: number; downvotes: number } {
  const awards = store.listAwards(issuable);
  return { upvotes: awards.filter((a) => a.name === 'thumbsup').length, downvotes: awards.filter((a) => a.name === 'thumbsdown').length };
}

export function issueJson(store: SandboxStore, issue: IssueRec): Json {
  const project = store.requireProject(issue.projectId);
  const assignees = people(store, issue.assigneeIds);
  const api = `${store.baseUrl}/api/v4/projects/${project.id}`;
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.projectId,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: iso(issue.closedAt),
    closed_by: issue.closedById === null ? null : userBasic(store, store.getUser(issue.closedById)),
    labels: [...issue.labels],
    milestone: null,
    assignees,
    author: userBasic(store, store.getUser(issue.authorId)),
    type: issue.issueType.toUpperCase(),
    assignee: assignees[0] ?? null,
    user_notes_count: store.userNotesCount(issue),
    merge_requests_count: 0,
    ...awardCounts(store, issue),
    due_date: issue.dueDate,
    confidential: issue.confidential,
    discussion_locked: null,
    issue_type: issue.issueType,
    web_url: `${store.baseUrl}/${project.pathWithNamespace}/-/issues/${issue.iid}`,
    time_stats: timeStats,
    task_completion_status: { count: 0, completed_count: 0 },
    blocking_issues_count: 0,
    has_tasks: false,
    _links: {
      self: `${api}/issues/${issue.iid}`,
      notes: `${api}/issues/${issue.iid}/notes`,
      award_emoji: `${api}/issues/${issue.iid}/award_emoji`,
      project: api,
      closed_as_duplicate_of: null,
    },
    references: references(project, '#', issue.iid),
    severity: 'UNKNOWN',
    moved_to_id: null,
    service_desk_reply_to: null,
  };
}

/** The fields every merge request answer starts with (the MR itself, its approvals). */
export function mergeRequestHead(mr: MergeRequestRec): Json {
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: iso(mr.createdAt),
    updated_at: iso(mr.updatedAt),
  };
}

export function mergeRequestJson(store: SandboxStore, mr: MergeRequestRec): Json {
  const project = store.requireProject(mr.projectId);
  const assignees = people(store, mr.assigneeIds);
  const mergedBy = mr.mergedById === null ? null : userBasic(store, store.getUser(mr.mergedById));
  return {
    ...mergeRequestHead(mr),
    merged_by: mergedBy,
    merge_user: mergedBy,
    merged_at: iso(mr.mergedAt),
    closed_by: mr.closedById === null ? null : userBasic(store, store.getUser(mr.closedById)),
    closed_at: iso(mr.closedAt),
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: store.userNotesCount(mr),
    ...awardCounts(store, mr),
    author: userBasic(store, store.getUser(mr.authorId)),
    assignees,
    assignee: assignees[0] ?? null,
    reviewers: people(store, mr.reviewerIds),
    source_project_id: mr.sourceProjectId,
    target_project_id: mr.projectId,
    labels: [...mr.labels],
    draft: mr.draft,
    work_in_progress: mr.draft,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: mr.state === 'opened' ? 'mergeable' : 'not_open',
    sha: mr.sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: false,
    reference: `!${mr.iid}`,
    references: references(project, '!', mr.iid),
    web_url: `${store.baseUrl}/${project.pathWithNamespace}/-/merge_requests/${mr.iid}`,
    time_stats: timeStats,
    squash: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
  };
}

export function noteJson(store: SandboxStore, note: NoteRec): Json {
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: userBasic(store, store.getUser(note.authorId)),
    created_at: iso(note.createdAt),
    updated_at: iso(note.updatedAt),
    system: note.system,
    noteable_id: note.noteableId,
    noteable_type: note.noteableType,
    project_id: note.projectId,
    resolvable: false,
    confidential: note.internal,
    internal: note.internal,
    imported: false,
    imported_from: 'none',
    noteable_iid: note.noteableIid,
    commands_changes: {},
  };
}

export function awardJson(store: SandboxStore, award: AwardRec, awardableIid: number): Json {
  return {
    id: award.id,
    name: award.name,
    user: userBasic(store, store.getUser(award.userId)),
    created_at: iso(award.createdAt),
    updated_at: iso(award.updatedAt),
    awardable_id: awardableIid,
    awardable_type: award.awardableType,
  };
}

export function eventJson(store: SandboxStore, event: EventRec): Json {
  const author = userBasic(store, store.getUser(event.userId));
  return {
    id: event.id,
    project_id: event.projectId,
    action_name: event.actionName,
    target_id: event.targetId,
    target_iid: event.targetIid,
    target_type: event.targetType,
    author_id: event.userId,
    target_title: event.targetTitle,
    created_at: iso(event.createdAt),
    author,
    author_username: author?.['username'] ?? null,
    imported: false,
    imported_from: 'none',
  };
}

export function commitJson(store: SandboxStore, project: ProjectRec, commit: CommitRec): Json {
  return {
    id: commit.id,
    short_id: commit.shortId,
    created_at: iso(commit.createdAt),
    parent_ids: commit.parentIds,
    title: commit.title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: iso(commit.createdAt),
    committer_name: commit.authorName,
    committer_email: commit.authorEmail,
    committed_date: iso(commit.createdAt),
    trailers: {},
    extended_trailers: {},
    web_url: `${store.baseUrl}/${project.pathWithNamespace}/-/commit/${commit.id}`,
  };
}

export function statusJson(store: SandboxStore, status: CommitStatusRec): Json {
  return {
    id: status.id,
    sha: status.sha,
    ref: status.ref,
    status: status.state,
    name: status.name,
    target_url: status.targetUrl,
    description: status.description,
    created_at: iso(status.createdAt),
    started_at: iso(status.startedAt),
    finished_at: iso(status.finishedAt),
    allow_failure: false,
    coverage: status.coverage,
    pipeline_id: null,
    author: userBasic(store, store.getUser(status.authorId)),
  };
}
