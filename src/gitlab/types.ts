import type { RawDiffPaths } from './rawDiff.js';
// The typed view of GitLab that the rest of the bot sees. The gateway maps API
// responses (snake_case, validated with zod) onto these shapes once, at the edge.

export interface UserRef {
  id: number;
  username: string;
  name?: string;
  /** Set only when GitLab says the account is not active (`blocked`, `banned`, `deactivated`…). */
  state?: string;
}

export interface Issue {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  labels: string[];
  confidential: boolean;
  author: UserRef;
  assignees: UserRef[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  webUrl: string;
  userNotesCount: number;
  /** GitLab's `issue_type`: `issue`, `incident`, `test_case`, `task`… (work items the issues API also lists). */
  issueType: string;
}

export interface Note {
  id: number;
  body: string;
  author: UserRef;
  system: boolean;
  internal: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** GraphQL's `Note.author` and `Note.lastEditedBy` (null: never edited). */
export interface NoteEditor {
  author: string;
  lastEditedBy: string | null;
}

export interface MergeRequest {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  labels: string[];
  author: UserRef;
  sourceBranch: string;
  targetBranch: string;
  /** Where the source branch lives: another project for a merge request from a fork. */
  sourceProjectId?: number;
  /** `changes_count` of a single read ("1000+" when GitLab's diff overflowed its limits); absent from lists and hooks. */
  changesCount?: string;
  /** The diff head commit; '' when GitLab has none (`"sha": null`, e.g. a merged merge request whose diff head is gone). */
  sha: string;
  draft: boolean;
  createdAt: Date;
  updatedAt: Date;
  webUrl: string;
  /** When it was merged; null or absent when it was not. */
  mergedAt?: Date | null;
  /** Comments by people (`user_notes_count`); absent when GitLab did not say. */
  userNotesCount?: number;
}

/** One label added to or removed from an issue or merge request (`GET …/resource_label_events`). */
export interface LabelEvent {
  id: number;
  action: 'add' | 'remove';
  /** Null when the label was deleted since. */
  label: string | null;
  user: UserRef | null;
  createdAt: Date;
}

/**
 * A user as `GET /users` shows it. GitLab shows regular users only the basic fields;
 * administrators see sign-in data too: a field left `undefined` was hidden from this token
 * (not the same as `null`, which GitLab sends for "never").
 */
export interface UserDetails extends UserRef {
  state: string;
  /** Hidden from non-administrators in user lists. */
  createdAt?: Date;
  webUrl?: string;
  /** Day of the last activity GitLab counted (sign-in, API use, Git over HTTP, page views); administrators only. */
  lastActivityOn?: Date | null;
  lastSignInAt?: Date | null;
}

/** A namespace (`GET /namespaces/:id`): a user's personal one or a group. */
export interface NamespaceInfo {
  id: number;
  kind: 'user' | 'group';
  fullPath: string;
  webUrl: string | null;
  /** A group's visibility (`GET /groups/:id`); null where GitLab does not say (`GET /namespaces/:id`). */
  visibility: 'public' | 'internal' | 'private' | null;
}

/** A project a user owns, as `GET /users/:id/projects?statistics=true` lists it. */
export interface OwnedProject {
  id: number;
  pathWithNamespace: string;
  webUrl: string;
  lastActivityAt: Date | null;
  archived: boolean;
  /** `empty_repo`: the repository has no commits. */
  emptyRepo: boolean | null;
  /** Open issues; null when the project hides issues. */
  openIssuesCount: number | null;
  /** Null when GitLab leaves it out. */
  visibility: 'public' | 'internal' | 'private' | null;
  /** Only for administrators and members with at least the Reporter role; null when hidden. */
  statistics: { commitCount: number; repositorySize: number; storageSize: number } | null;
}

/** One entry of a user's contribution events (`GET /users/:id/events`). */
export interface UserEvent {
  actionName: string;
  projectId: number | null;
  targetType: string | null;
  createdAt: Date;
}

export interface MergeRequestApprovals {
  /** Which answer GitLab gave: 'free' has no approval rules (one approval approves). */
  tier: 'free' | 'premium';
  /** GitLab's verdict: on Free, true once anyone approved; on Premium, once the rules are met. */
  approved: boolean;
  approvalsRequired: number;
  approvalsLeft: number;
  approvedBy: UserRef[];
  /** When each of `approvedBy` approved (`approved_at`), by username, where GitLab says. */
  approvedAt: Map<string, Date>;
}

export interface PipelineSchedule {
  id: number;
  description: string;
  ref: string;
  cron: string;
  cronTimezone: string;
  active: boolean;
  /** Who owns it: only the owner (or an admin) may edit it or its variables. */
  owner?: UserRef;
  /** Present when read one by one by someone allowed to (lists omit them, as GitLab does). */
  variables?: { key: string; value: string }[];
}

export interface PipelineScheduleInput {
  description: string;
  ref: string;
  cron: string;
  cronTimezone: string;
  active: boolean;
}

export interface Project {
  id: number;
  pathWithNamespace: string;
  visibility: 'public' | 'internal' | 'private';
  webUrl: string;
  defaultBranch: string;
  /** Who may set pipeline variables; GitLab shows it to Maintainers only. */
  pipelineVariablesMinimumOverrideRole?: string;
  /**
   * The caller's role, the higher of its own and its group's (`permissions` of "Get a single
   * project"; 0 when neither: no membership GitLab reports there, a group share perhaps).
   * Absent when GitLab sent no `permissions`.
   */
  accessLevel?: number;
}

/** Where a note lives: an issue or a merge request of a project. */
export interface NoteableRef {
  projectId: number;
  kind: 'issue' | 'merge_request';
  iid: number;
}

export interface IssueQuery {
  state?: 'opened' | 'closed' | 'all';
  labels?: string[];
  notLabels?: string[];
  createdAfter?: Date;
  createdBefore?: Date;
  updatedAfter?: Date;
  /** GitLab's `search`: words in the title or description. */
  search?: string;
  iids?: number[];
  orderBy?: 'created_at' | 'updated_at';
  sort?: 'asc' | 'desc';
  /** GitLab's `issue_type`: one work item type only (every type is listed without it). */
  issueType?: 'issue' | 'incident' | 'test_case' | 'task';
}

export interface MergeRequestQuery {
  state?: 'opened' | 'closed' | 'merged' | 'all';
  labels?: string[];
  updatedAfter?: Date;
  sourceBranch?: string;
  targetBranch?: string;
}

/** A label as `GET /projects/:id/labels` lists it (project and ancestor group labels). */
export interface Label {
  name: string;
  /** `#RRGGBB` as GitLab stores it. */
  color: string;
  description: string | null;
  /** False for a label inherited from a group: the project's label endpoints cannot change it. */
  projectLabel: boolean;
}

export interface LabelInput {
  name: string;
  color: string;
  description: string;
}

export interface MergeRequestInput {
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  /** Delete the source branch once merged. */
  removeSourceBranch?: boolean;
}

export interface IssueUpdate {
  addLabels?: string[];
  removeLabels?: string[];
  confidential?: boolean;
  description?: string;
  title?: string;
  stateEvent?: 'close' | 'reopen';
}

export interface CommitStatusInput {
  sha: string;
  state: 'pending' | 'running' | 'success' | 'failed' | 'canceled';
  name: string;
  description?: string;
  targetUrl?: string;
  ref?: string;
  /** The pipeline to place the status in (`pipeline_id`). */
  pipelineId?: number;
}

/** One commit status as GitLab lists it (`GET /projects/:id/repository/commits/:sha/statuses`). */
export interface CommitStatus {
  id: number;
  name: string;
  status: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: Date;
}

/** An award emoji on an issue, merge request or note. */
export interface AwardEmoji {
  id: number;
  name: string;
  user: UserRef;
  createdAt?: Date;
}

export interface MergeRequestUpdate {
  addLabels?: string[] | undefined;
  removeLabels?: string[] | undefined;
  /** Redaction (sensitive-data): the author or the Developer role may edit them. */
  title?: string | undefined;
  description?: string | undefined;
}

export interface CommitAction {
  action: 'create' | 'update' | 'delete';
  filePath: string;
  content?: string;
}

/**
 * The small interface every part of the bot uses to reach GitLab. One
 * implementation talks to the REST API through @gitbeaker/rest; dry runs wrap it
 * so that reads pass through and writes are recorded, not sent.
 */
export interface GitLabGateway {
  currentUser(): Promise<UserRef>;
  getProject(project: number | string): Promise<Project>;

  /** Names of the labels an issue of the project can have (its own and its groups'). */
  listLabelNames(project: number | string): AsyncIterable<string>;
  listIssues(project: number | string, query?: IssueQuery): AsyncIterable<Issue>;
  getIssue(projectId: number, iid: number): Promise<Issue>;
  createIssue(projectId: number, input: { title: string; description?: string; labels?: string[]; confidential?: boolean }): Promise<Issue>;
  updateIssue(projectId: number, iid: number, update: IssueUpdate): Promise<Issue>;

  listNotes(ref: NoteableRef): AsyncIterable<Note>;
  /** One note of an issue or merge request; `project` may be a full path. Null when it does not exist or the bot cannot see it. */
  getNote(project: number | string, kind: NoteableRef['kind'], iid: number, noteId: number): Promise<Note | null>;
  /** Who wrote a note and who last edited its body (GraphQL: REST notes carry no editor); null when GitLab shows the token no such note. */
  getNoteEditor(noteId: number): Promise<NoteEditor | null>;
  createNote(ref: NoteableRef, body: string): Promise<Note>;
  updateNote(ref: NoteableRef, noteId: number, body: string): Promise<Note>;
  deleteNote(ref: NoteableRef, noteId: number): Promise<void>;
  /** Award emoji on an issue or merge request itself. */
  listAwardEmoji(ref: NoteableRef): AsyncIterable<AwardEmoji>;
  /** Awards an emoji as the bot. GitLab refuses a second award of the same name by the same user: a 404 "has already been taken". */
  awardEmoji(ref: NoteableRef, name: string): Promise<AwardEmoji>;
  /** Removes one of the bot's awards; one already gone is not an error. */
  removeAwardEmoji(ref: NoteableRef, awardId: number): Promise<void>;

  /**
   * A team: the direct members of a group and of every group below it. Not the
   * members inherited from above (for gitlab-com/support that would be all of gitlab-com).
   */
  listTeamMembers(group: number | string): AsyncIterable<UserRef>;
  /** Whether the user is a member of the group, directly or through a parent group; null when the group is invisible. */
  isGroupMember(group: number | string, userId: number): Promise<boolean | null>;
  /** The direct members of one group (`/groups/:id/members`, not `/members/all`). */
  listGroupMembers(group: number | string): AsyncIterable<UserRef>;

  /**
   * Whether GitLab flags the user as a bot (`bot` of `GET /users/:id`, lib/api/entities/user.rb: project and
   * group access tokens, service accounts, GitLab's own bots); null when the user does not exist or is hidden.
   */
  isBotUser(userId: number): Promise<boolean | null>;
  /** A user by id (`GET /users/:id`, anyone may read it); null when there is no such user (or it is hidden from the token). */
  getUser(userId: number): Promise<UserDetails | null>;
  /** Admin only: a user with sign-in data (`GET /users?username=`; others see no `created_at`). */
  findUser(username: string): Promise<UserDetails | null>;
  listUserEvents(userId: number, options?: { after?: Date }): AsyncIterable<UserEvent>;
  /** Projects the user owns or is a member of (`/users/:id/projects`). */
  listUserProjects(userId: number): AsyncIterable<Project>;
  /** Projects the user contributed to (`/users/:id/contributed_projects`). */
  listUserContributedProjects(userId: number): AsyncIterable<Project>;
  /** Whether the token's user is an administrator (`is_admin` of `GET /user`, sent to administrators only). */
  currentUserIsAdmin(): Promise<boolean>;
  /** A namespace by id or full path; null when it does not exist or the token may not see it. */
  getNamespace(idOrPath: number | string): Promise<NamespaceInfo | null>;
  /** A group by id or full path (`GET /groups/:id`: public ones for anyone); null when it does not exist or the token may not see it. */
  getGroup(idOrPath: number | string): Promise<NamespaceInfo | null>;
  /** Whether a top-level namespace path is taken, with GitLab's suggestions of free ones (`GET /namespaces/:path/exists`). */
  namespaceExists(path: string): Promise<{ exists: boolean; suggests: string[] }>;
  /** Projects in the user's personal namespace, with statistics where the token may read them. */
  listOwnedProjects(userId: number): AsyncIterable<OwnedProject>;
  /** Admin only: renames a user (`PUT /users/:id`). */
  renameUser(userId: number, username: string): Promise<UserDetails>;

  listMergeRequests(project: number | string, query?: MergeRequestQuery): AsyncIterable<MergeRequest>;
  /** Labels added and removed over an issue's or merge request's life, oldest first. */
  listLabelEvents(ref: NoteableRef): AsyncIterable<LabelEvent>;
  getMergeRequest(projectId: number, iid: number): Promise<MergeRequest>;
  getMergeRequestApprovals(projectId: number, iid: number): Promise<MergeRequestApprovals>;
  /** When the newest diff version of a merge request was created (its latest push); null when it has none. */
  latestDiffVersionAt(projectId: number, iid: number): Promise<Date | null>;
  /** Paths a merge request changes (old and new paths of renames both count). */
  listMergeRequestChangedPaths(projectId: number, iid: number): Promise<string[]>;
  /**
   * Every path a merge request changes, from its raw diff (`GET …/merge_requests/:iid/raw_diffs`,
   * GitLab 17.9 and later), which GitLab's diff limits do not cut; or why the answer could not be read.
   */
  mergeRequestRawDiffPaths(projectId: number, iid: number): Promise<RawDiffPaths>;
  updateMergeRequest(projectId: number, iid: number, update: MergeRequestUpdate): Promise<MergeRequest>;
  setCommitStatus(projectId: number, status: CommitStatusInput): Promise<void>;
  listCommitStatuses(projectId: number, sha: string, query?: { name?: string; ref?: string }): AsyncIterable<CommitStatus>;

  listPipelineSchedules(project: number | string): AsyncIterable<PipelineSchedule>;
  getPipelineSchedule(projectId: number, scheduleId: number): Promise<PipelineSchedule>;
  createPipelineSchedule(projectId: number, input: PipelineScheduleInput): Promise<PipelineSchedule>;
  updatePipelineSchedule(projectId: number, scheduleId: number, input: Partial<PipelineScheduleInput>): Promise<PipelineSchedule>;
  /** Creates the schedule variable, or updates it when `exists`. */
  setPipelineScheduleVariable(projectId: number, scheduleId: number, key: string, value: string, exists: boolean): Promise<void>;
  /** Makes the caller the schedule's owner (Maintainer, or already its owner). */
  takePipelineScheduleOwnership(projectId: number, scheduleId: number): Promise<PipelineSchedule>;
  deletePipelineSchedule(projectId: number, scheduleId: number): Promise<void>;

  /** The projects directly in a group (not its subgroups'), as the token sees them. */
  listGroupProjects(group: number | string): AsyncIterable<Project>;
  /** Labels an issue of the project can have, with colour and description. */
  listLabels(project: number | string): AsyncIterable<Label>;
  createLabel(projectId: number, input: LabelInput): Promise<Label>;
  /** Sets a project label's colour and description, found by its name. */
  updateLabel(projectId: number, name: string, change: { color?: string; description?: string }): Promise<Label>;

  getFile(projectId: number, path: string, ref: string): Promise<string | null>;
  /** Paths of the files directly in `path` on `ref` (not recursive); empty when the folder does not exist. */
  listFiles(projectId: number, path: string, ref: string): Promise<string[]>;
  branchExists(projectId: number, branch: string): Promise<boolean>;
  /** One commit on `branch`; with `startBranch`, the branch is created from it first (GitLab's `start_branch`). */
  commitFiles(projectId: number, branch: string, message: string, actions: CommitAction[], startBranch?: string): Promise<void>;
  createMergeRequest(projectId: number, input: MergeRequestInput): Promise<MergeRequest>;
}
