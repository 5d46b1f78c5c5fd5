// In-memory records of the simulated GitLab instance. Field names follow the
// domain (camelCase); the JSON that GitLab returns is produced in serialize.ts
// and webhooks/payloads.ts, never here.

export type Visibility = 'private' | 'internal' | 'public';
export type UserState = 'active' | 'blocked' | 'deactivated' | 'banned';

export interface UserRec {
  id: number;
  username: string;
  name: string;
  email: string;
  state: UserState;
  isAdmin: boolean;
  bot: boolean;
  /** "Private profile" in the user's settings: events, contributions and `created_at` hidden from others. */
  privateProfile: boolean;
  createdAt: Date;
  lastActivityOn: string | null; // YYYY-MM-DD, as GitLab reports it
  lastSignInAt: Date | null;
  currentSignInAt: Date | null;
}

export interface GroupRec {
  id: number;
  path: string;
  name: string;
  parentId: number | null;
  fullPath: string;
  visibility: Visibility;
  createdAt: Date;
  description: string;
}

export type SourceType = 'group' | 'project';
export interface MemberRec {
  sourceType: SourceType;
  sourceId: number;
  userId: number;
  accessLevel: number;
  createdAt: Date;
}

export interface ProjectRec {
  id: number;
  path: string;
  name: string;
  namespaceId: number | null; // group id; null = personal namespace of creatorId
  creatorId: number;
  pathWithNamespace: string;
  visibility: Visibility;
  defaultBranch: string;
  description: string;
  createdAt: Date;
  lastActivityAt: Date;
  /** "Remove all approvals when commits are added to the source branch" (`reset_approvals_on_push`, default true; Premium). */
  resetApprovalsOnPush: boolean;
  settings: ProjectSettings;
}

/** GitLab's tiers where behaviour differs (approvals, scoped labels). */
export type Tier = 'free' | 'premium';

/** Who may set pipeline variables (`ci_pipeline_variables_minimum_override_role`, doc/api/projects.md). */
export type PipelineVariablesRole = 'no_one_allowed' | 'developer' | 'maintainer' | 'owner';

/** Per-project settings the sandbox honours. */
export interface ProjectSettings {
  /** GitLab.com's default for new projects is `no_one_allowed` (doc/ci/variables/_index.md, "Restrict pipeline variables"). */
  pipelineVariablesMinimumOverrideRole: PipelineVariablesRole;
}

export interface LabelRec {
  id: number;
  projectId: number;
  title: string;
  color: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type IssuableKind = 'issue' | 'merge_request';

interface IssuableBase {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  closedById: number | null;
  authorId: number;
  assigneeIds: number[];
  labels: string[];
  updatedById: number | null;
  lastEditedAt: Date | null;
  lastEditedById: number | null;
}

/** doc/api/issues.md, "New issue": `issue_type` is one of these, default `issue`. */
export const ISSUE_TYPES = ['issue', 'incident', 'test_case', 'task'] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export interface IssueRec extends IssuableBase {
  kind: 'issue';
  state: 'opened' | 'closed';
  confidential: boolean;
  dueDate: string | null;
  issueType: IssueType;
}

export interface MrChange {
  old_path: string;
  new_path: string;
  diff: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  a_mode: string;
  b_mode: string;
}

export interface MergeRequestRec extends IssuableBase {
  kind: 'merge_request';
  state: 'opened' | 'closed' | 'merged' | 'locked';
  /** Where the source branch lives: another project (a fork) or `projectId`. */
  sourceProjectId: number;
  sourceBranch: string;
  targetBranch: string;
  sha: string;
  draft: boolean;
  reviewerIds: number[];
  mergedAt: Date | null;
  mergedById: number | null;
  changes: MrChange[];
  approvalsRequired: number;
  approvedBy: { userId: number; at: Date }[];
  /** Diff versions, oldest first: one at creation and one per push (GET …/versions lists them newest first). */
  versions: { id: number; headSha: string; createdAt: Date }[];
}

export type IssuableRec = IssueRec | MergeRequestRec;

export type NoteableType = 'Issue' | 'MergeRequest';

/** A mention GitLab would notify: who wrote it, whom it names, and where (`group/project#1`, `…!2`, `… note 5`). */
export interface MentionRec {
  byUserId: number;
  byUsername: string;
  handle: string;
  /** `user`: one person; `group`: every member of the group (by full path); `all`: every project member. */
  kind: 'user' | 'group' | 'all';
  where: string;
  at: Date;
}
export interface NoteRec {
  id: number;
  projectId: number;
  noteableType: NoteableType;
  noteableId: number;
  noteableIid: number;
  body: string;
  authorId: number;
  system: boolean;
  internal: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Set by an edit of the body, with who made it (Notes::UpdateService#update_note). */
  lastEditedAt: Date | null;
  updatedById: number | null;
}

export interface LabelEventRec {
  id: number;
  userId: number;
  createdAt: Date;
  resourceType: NoteableType;
  resourceId: number;
  labelId: number;
  action: 'add' | 'remove';
}

export interface AwardRec {
  id: number;
  name: string;
  userId: number;
  awardableType: NoteableType;
  awardableId: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventRec {
  id: number;
  userId: number;
  projectId: number | null;
  actionName: string; // e.g. "opened", "commented on", "pushed to", "approved"
  targetType: string | null; // "Issue", "MergeRequest", "Note", null
  targetId: number | null;
  targetIid: number | null;
  targetTitle: string | null;
  createdAt: Date;
}

export interface CommitRec {
  id: string;
  shortId: string;
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  createdAt: Date;
  parentIds: string[];
  branch: string;
}

export interface CommitStatusRec {
  id: number;
  projectId: number;
  sha: string;
  ref: string | null;
  name: string;
  state: 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped';
  description: string | null;
  targetUrl: string | null;
  coverage: number | null;
  authorId: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface HookRec {
  id: number;
  projectId: number;
  url: string;
  token: string | null;
  issuesEvents: boolean;
  confidentialIssuesEvents: boolean;
  noteEvents: boolean;
  confidentialNoteEvents: boolean;
  mergeRequestsEvents: boolean;
  /** Emoji reactions awarded or revoked (GitLab's `emoji_events`). */
  emojiEvents: boolean;
  createdAt: Date;
  /** Consecutive failed deliveries (GitLab's `recent_failures`). */
  recentFailures: number;
  /** Temporarily disabled until this time (GitLab's `disabled_until`). */
  disabledUntil: Date | null;
  /** Permanently disabled (a 40th failure in a row) until re-enabled by hand. */
  permanentlyDisabled: boolean;
}

export interface PipelineScheduleVariableRec {
  key: string;
  value: string;
  variableType: 'env_var' | 'file';
}

export interface PipelineScheduleRec {
  id: number;
  projectId: number;
  description: string;
  ref: string;
  cron: string;
  cronTimezone: string;
  active: boolean;
  ownerId: number;
  createdAt: Date;
  updatedAt: Date;
  variables: PipelineScheduleVariableRec[];
}
