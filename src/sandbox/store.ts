// The state of the simulated GitLab instance, in memory. Everything here is
// plain data manipulation: no HTTP, no webhooks. Tests seed and assert through
// it directly; the HTTP routes call it and then decide which webhooks to fire.

import { createHash } from 'node:crypto';
import { sortLabels } from './labels.js';
import { mentionedHandles, notifyMentionObservers } from './mentions.js';
import type {
  AwardRec,
  CommitRec,
  CommitStatusRec,
  EventRec,
  GroupRec,
  HookRec,
  IssuableRec,
  IssueRec,
  IssueType,
  LabelEventRec,
  LabelRec,
  MemberRec,
  MentionRec,
  MergeRequestRec,
  MrChange,
  NoteableType,
  NoteRec,
  ProjectRec,
  UserRec,
  UserState,
  Visibility,
  PipelineScheduleRec,
  ProjectSettings,
  Tier,
} from './types.js';

/** ThrottledTouch::TOUCH_INTERVAL: a note touches its issue or merge request at most once a minute. */
export const TOUCH_INTERVAL_MS = 60_000;

export const ACCESS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;
export const DEFAULT_LABEL_COLOR = '#6699cc';

export class SandboxStore {
  /** Injectable clock: every timestamp the sandbox writes comes from here. */
  clock: () => Date = () => new Date();
  /** Base URL of the instance, used for web_url fields (set by startSandbox). */
  baseUrl = 'http://127.0.0.1';
  /** GitLab.com's tier of the simulated namespace: approvals and scoped labels differ. */
  tier: Tier = 'premium';
  /** Settings a new project gets (GitLab.com defaults; startSandbox may override). */
  defaultProjectSettings: ProjectSettings = { pipelineVariablesMinimumOverrideRole: 'no_one_allowed' };

  readonly users: UserRec[] = [];
  readonly tokens = new Map<string, number>();
  readonly groups: GroupRec[] = [];
  readonly members: MemberRec[] = [];
  readonly projects: ProjectRec[] = [];
  readonly labels: LabelRec[] = [];
  readonly issues: IssueRec[] = [];
  readonly mergeRequests: MergeRequestRec[] = [];
  readonly notes: NoteRec[] = [];
  readonly labelEvents: LabelEventRec[] = [];
  readonly awards: AwardRec[] = [];
  readonly events: EventRec[] = [];
  readonly statuses: CommitStatusRec[] = [];
  readonly pipelineSchedules: PipelineScheduleRec[] = [];
  readonly hooks: HookRec[] = [];
  /** The mentions GitLab would notify, from notes, issues and merge requests written through the API (mentions.ts). */
  readonly mentions: MentionRec[] = [];
  /** project id → branch → (file path → content) */
  readonly files = new Map<number, Map<string, Map<string, string>>>();
  /** project id → commits, newest last */
  readonly commits = new Map<number, CommitRec[]>();

  private seq = new Map<string, number>();
  /** "Issue:<id>" / "MergeRequest:<id>" → notes, so lists stay cheap with many notes. */
  private notesByNoteable = new Map<string, NoteRec[]>();

  nextId(kind: string): number {
    const n = (this.seq.get(kind) ?? 0) + 1;
    this.seq.set(kind, n);
    return n;
  }

  now(): Date {
    return new Date(this.clock().getTime());
  }

  // ---- users -------------------------------------------------------------

  createUser(input: {
    username: string;
    name?: string;
    email?: string;
    state?: UserState;
    lastActivityOn?: string | Date | null;
    createdAt?: Date;
    lastSignInAt?: Date | null;
    isAdmin?: boolean;
    bot?: boolean;
    privateProfile?: boolean;
    token?: string;
  }): UserRec {
    if (this.findUserByUsername(input.username)) throw new Error(`sandbox: username ${input.username} is taken`);
    const createdAt = input.createdAt ?? this.now();
    const user: UserRec = {
      id: this.nextId('user'),
      username: input.username,
      name: input.name ?? input.username,
      email: input.email ?? `${input.username}@example.com`,
      state: input.state ?? 'active',
      isAdmin: input.isAdmin ?? false,
      bot: input.bot ?? false,
      privateProfile: input.privateProfile ?? false,
      createdAt,
      lastActivityOn:
        input.lastActivityOn === undefined
          ? dateOnly(createdAt)
          : input.lastActivityOn === null
            ? null
            : typeof input.lastActivityOn === 'string'
              ? input.lastActivityOn
              : dateOnly(input.lastActivityOn),
      lastSignInAt: input.lastSignInAt ?? null,
      currentSignInAt: input.lastSignInAt ?? null,
    };
    this.users.push(user);
    if (input.token) this.tokens.set(input.token, user.id);
    return user;
  }

  addToken(token: string, userId: number): void {
    this.tokens.set(token, userId);
  }

  userForToken(token: string): UserRec | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.getUser(id);
  }

  getUser(id: number): UserRec | undefined {
    return this.users.find((u) => u.id === id);
  }

  findUserByUsername(username: string): UserRec | undefined {
    const lower = username.toLowerCase();
    return this.users.find((u) => u.username.toLowerCase() === lower);
  }

  /** Records activity the way GitLab does: last_activity_on is a date. */
  touchUser(userId: number): void {
    const user = this.getUser(userId);
    if (user) user.lastActivityOn = dateOnly(this.now());
  }

  // ---- groups and members -------------------------------------------------

  createGroup(input: { path: string; name?: string; parentId?: number | null; visibility?: Visibility; description?: string }): GroupRec {
    const parent = input.parentId ? this.getGroup(input.parentId) : undefined;
    if (input.parentId && !parent) throw new Error(`sandbox: parent group ${input.parentId} not found`);
    const fullPath = parent ? `${parent.fullPath}/${input.path}` : input.path;
    if (this.findGroupByPath(fullPath)) throw new Error(`sandbox: group ${fullPath} exists`);
    const group: GroupRec = {
      id: this.nextId('namespace'),
      path: input.path,
      name: input.name ?? input.path,
      parentId: parent?.id ?? null,
      fullPath,
      visibility: input.visibility ?? 'public',
      createdAt: this.now(),
      description: input.description ?? '',
    };
    this.groups.push(group);
    return group;
  }

  /** Creates every missing group along a path like `gitlab-com/support`. */
  ensureGroupPath(fullPath: string): GroupRec {
    let parent: GroupRec | undefined;
    for (const segment of fullPath.split('/')) {
      const path = parent ? `${parent.fullPath}/${segment}` : segment;
      parent = this.findGroupByPath(path) ?? this.createGroup({ path: segment, parentId: parent?.id ?? null });
    }
    if (!parent) throw new Error(`sandbox: empty group path`);
    return parent;
  }

  getGroup(id: number): GroupRec | undefined {
    return this.groups.find((g) => g.id === id);
  }

  /**
   * Records the mentions `text` adds to `previous` (an edit notifies only new ones) that name
   * a user, a group or `all`; a handle naming nobody notifies nobody.
   */
  recordMentions(byUserId: number, previous: string, text: string, where: string): void {
    const before = new Set(mentionedHandles(previous).map((h) => h.toLowerCase()));
    const byUsername = this.getUser(byUserId)?.username ?? `#${byUserId}`;
    for (const handle of mentionedHandles(text)) {
      if (before.has(handle.toLowerCase())) continue;
      const kind = handle.toLowerCase() === 'all' ? 'all' : this.findUserByUsername(handle) ? 'user' : this.findGroupByPath(handle) ? 'group' : undefined;
      if (!kind) continue;
      const mention: MentionRec = { byUserId, byUsername, handle, kind, where, at: this.now() };
      this.mentions.push(mention);
      notifyMentionObservers(mention, this);
    }
  }

  findGroupByPath(fullPath: string): GroupRec | undefined {
    const lower = fullPath.toLowerCase();
    return this.groups.find((g) => g.fullPath.toLowerCase() === lower);
  }

  /** The group and its ancestors, nearest first. */
  groupAncestry(groupId: number | null): GroupRec[] {
    const out: GroupRec[] = [];
    let g = groupId === null ? undefined : this.getGroup(groupId);
    while (g) {
      out.push(g);
      g = g.parentId === null ? undefined : this.getGroup(g.parentId);
    }
    return out;
  }

  addGroupMember(groupId: number, userId: number, accessLevel: number): MemberRec {
    return this.addMember('group', groupId, userId, accessLevel);
  }

  addProjectMember(projectId: number, userId: number, accessLevel: number): MemberRec {
    return this.addMember('project', projectId, userId, accessLevel);
  }

  private addMember(sourceType: 'group' | 'project', sourceId: number, userId: number, accessLevel: number): MemberRec {
    const existing = this.members.find((m) => m.sourceType === sourceType && m.sourceId === sourceId && m.userId === userId);
    if (existing) {
      existing.accessLevel = accessLevel;
      return existing;
    }
    const member: MemberRec = { sourceType, sourceId, userId, accessLevel, createdAt: this.now() };
    this.members.push(member);
    return member;
  }

  /**
   * Direct and inherited members of a group (GET /groups/:id/members/all):
   * one entry per user, with the highest access level found.
   */
  groupMembersAll(groupId: number): MemberRec[] {
    const sources = this.groupAncestry(groupId).map((g) => g.id);
    return highestPerUser(this.members.filter((m) => m.sourceType === 'group' && sources.includes(m.sourceId)));
  }

  projectMembersAll(projectId: number): MemberRec[] {
    const project = this.getProject(projectId);
    const groups = project ? this.groupAncestry(project.namespaceId).map((g) => g.id) : [];
    return highestPerUser(this.members.filter((m) => (m.sourceType === 'project' && m.sourceId === projectId) || (m.sourceType === 'group' && groups.includes(m.sourceId))));
  }

  /** A user's own role in a project, and the highest through its group's ancestry (the Projects API's `permissions`). */
  accessParts(projectId: number, userId: number): { project: number | null; group: number | null } {
    const direct = this.members.find((m) => m.sourceType === 'project' && m.sourceId === projectId && m.userId === userId);
    const project = this.getProject(projectId);
    const groups = project ? this.groupAncestry(project.namespaceId).map((g) => g.id) : [];
    const viaGroups = this.members.filter((m) => m.sourceType === 'group' && groups.includes(m.sourceId) && m.userId === userId).map((m) => m.accessLevel);
    return { project: direct?.accessLevel ?? null, group: viaGroups.length > 0 ? Math.max(...viaGroups) : null };
  }

  accessLevel(projectId: number, userId: number): number {
    return this.projectMembersAll(projectId).find((m) => m.userId === userId)?.accessLevel ?? 0;
  }

  // ---- projects -----------------------------------------------------------

  createProject(input: {
    path_with_namespace: string;
    name?: string;
    visibility?: Visibility;
    description?: string;
    defaultBranch?: string;
    creatorId?: number;
    settings?: Partial<ProjectSettings>;
  }): ProjectRec {
    const segments = input.path_with_namespace.split('/');
    const path = segments.pop();
    if (!path) throw new Error('sandbox: empty project path');
    if (this.findProjectByPath(input.path_with_namespace)) throw new Error(`sandbox: project ${input.path_with_namespace} exists`);
    const namespacePath = segments.join('/');
    const owner = this.users.find((u) => u.username === namespacePath);
    const group = owner || namespacePath === '' ? undefined : this.ensureGroupPath(namespacePath);
    const creatorId = input.creatorId ?? owner?.id ?? this.users.find((u) => u.isAdmin)?.id ?? 1;
    const project: ProjectRec = {
      id: this.nextId('project'),
      path,
      name: input.name ?? path,
      namespaceId: group?.id ?? null,
      creatorId,
      pathWithNamespace: input.path_with_namespace,
      visibility: input.visibility ?? 'private',
      defaultBranch: input.defaultBranch ?? 'main',
      description: input.description ?? '',
      createdAt: this.now(),
      lastActivityAt: this.now(),
      settings: { ...this.defaultProjectSettings, ...input.settings },
      resetApprovalsOnPush: true,
    };
    this.projects.push(project);
    this.files.set(project.id, new Map([[project.defaultBranch, new Map()]]));
    this.commits.set(project.id, []);
    return project;
  }

  getProject(id: number): ProjectRec | undefined {
    return this.projects.find((p) => p.id === id);
  }

  findProjectByPath(pathWithNamespace: string): ProjectRec | undefined {
    const lower = pathWithNamespace.toLowerCase();
    return this.projects.find((p) => p.pathWithNamespace.toLowerCase() === lower);
  }

  /** A numeric id or a full path, as the API and config accept. */
  resolveProject(idOrPath: number | string): ProjectRec | undefined {
    if (typeof idOrPath === 'number' || /^\d+$/.test(idOrPath)) return this.getProject(Number(idOrPath));
    return this.findProjectByPath(idOrPath);
  }

  // ---- labels -------------------------------------------------------------

  projectLabels(projectId: number): LabelRec[] {
    return this.labels.filter((l) => l.projectId === projectId);
  }

  findLabel(projectId: number, title: string): LabelRec | undefined {
    return this.labels.find((l) => l.projectId === projectId && l.title === title);
  }

  /** GitLab creates a project label on first use by title. */
  ensureLabel(projectId: number, title: string, opts: { color?: string; description?: string } = {}): LabelRec {
    const found = this.findLabel(projectId, title);
    if (found) return found;
    const now = this.now();
    const label: LabelRec = {
      id: this.nextId('label'),
      projectId,
      title,
      color: opts.color ?? DEFAULT_LABEL_COLOR,
      description: opts.description ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.labels.push(label);
    return label;
  }

  // ---- issues and merge requests -----------------------------------------

  createIssue(
    projectId: number,
    input: {
      title: string;
      description?: string;
      authorId?: number;
      labels?: string[];
      confidential?: boolean;
      assigneeIds?: number[];
      state?: 'opened' | 'closed';
      createdAt?: Date;
      updatedAt?: Date;
      closedAt?: Date | null;
      dueDate?: string | null;
      iid?: number;
      issueType?: IssueType;
    },
  ): IssueRec {
    const project = this.requireProject(projectId);
    const createdAt = input.createdAt ?? this.now();
    const labels = sortLabels(input.labels ?? []);
    for (const l of labels) this.ensureLabel(project.id, l);
    const state = input.state ?? 'opened';
    const issue: IssueRec = {
      kind: 'issue',
      id: this.nextId('issue'),
      iid: input.iid ?? this.nextId(`issue-iid-${project.id}`),
      projectId: project.id,
      title: input.title,
      description: input.description ?? '',
      state,
      confidential: input.confidential ?? false,
      dueDate: input.dueDate ?? null,
      issueType: input.issueType ?? 'issue',
      createdAt,
      updatedAt: input.updatedAt ?? createdAt,
      closedAt: input.closedAt ?? (state === 'closed' ? createdAt : null),
      closedById: null,
      authorId: input.authorId ?? this.defaultAuthorId(),
      assigneeIds: input.assigneeIds ?? [],
      labels,
      updatedById: null,
      lastEditedAt: null,
      lastEditedById: null,
    };
    this.issues.push(issue);
    return issue;
  }

  getIssue(projectId: number, iid: number): IssueRec | undefined {
    return this.issues.find((i) => i.projectId === projectId && i.iid === iid);
  }

  createMergeRequest(
    projectId: number,
    input: {
      title: string;
      description?: string;
      authorId?: number;
      sourceBranch?: string;
      /** A fork's id: the merge request comes from another project, whose branch this one does not hold. */
      sourceProjectId?: number;
      targetBranch?: string;
      sha?: string;
      labels?: string[];
      draft?: boolean;
      state?: MergeRequestRec['state'];
      assigneeIds?: number[];
      reviewerIds?: number[];
      changes?: Partial<MrChange>[];
      approvalsRequired?: number;
      createdAt?: Date;
      iid?: number;
    },
  ): MergeRequestRec {
    const project = this.requireProject(projectId);
    const createdAt = input.createdAt ?? this.now();
    const labels = sortLabels(input.labels ?? []);
    for (const l of labels) this.ensureLabel(project.id, l);
    const iid = input.iid ?? this.nextId(`mr-iid-${project.id}`);
    const mr: MergeRequestRec = {
      kind: 'merge_request',
      id: this.nextId('merge_request'),
      iid,
      projectId: project.id,
      title: input.title,
      description: input.description ?? '',
      state: input.state ?? 'opened',
      sourceProjectId: input.sourceProjectId ?? project.id,
      sourceBranch: input.sourceBranch ?? `feature-${iid}`,
      targetBranch: input.targetBranch ?? project.defaultBranch,
      sha: input.sha ?? fakeSha(`${project.id}:mr:${iid}:${input.title}`),
      draft: input.draft ?? /^(draft:|\[draft\]|\(draft\))/i.test(input.title),
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      closedById: null,
      mergedAt: null,
      mergedById: null,
      authorId: input.authorId ?? this.defaultAuthorId(),
      assigneeIds: input.assigneeIds ?? [],
      reviewerIds: input.reviewerIds ?? [],
      labels,
      updatedById: null,
      lastEditedAt: null,
      lastEditedById: null,
      changes: (input.changes ?? []).map((c) => ({
        old_path: c.old_path ?? c.new_path ?? 'README.md',
        new_path: c.new_path ?? c.old_path ?? 'README.md',
        diff: c.diff ?? '',
        new_file: c.new_file ?? false,
        renamed_file: c.renamed_file ?? false,
        deleted_file: c.deleted_file ?? false,
        a_mode: c.a_mode ?? '100644',
        b_mode: c.b_mode ?? '100644',
      })),
      approvalsRequired: input.approvalsRequired ?? 0,
      approvedBy: [],
      versions: [],
    };
    mr.versions.push({ id: this.nextId('mr-version'), headSha: mr.sha, createdAt });
    this.mergeRequests.push(mr);
    return mr;
  }

  getMergeRequest(projectId: number, iid: number): MergeRequestRec | undefined {
    return this.mergeRequests.find((m) => m.projectId === projectId && m.iid === iid);
  }

  addApproval(projectId: number, iid: number, userId: number): MergeRequestRec {
    const mr = this.getMergeRequest(projectId, iid);
    if (!mr) throw new Error(`sandbox: merge request ${projectId}!${iid} not found`);
    if (!mr.approvedBy.some((a) => a.userId === userId)) mr.approvedBy.push({ userId, at: this.now() });
    return mr;
  }

  removeApproval(projectId: number, iid: number, userId: number): void {
    const mr = this.getMergeRequest(projectId, iid);
    if (mr) mr.approvedBy = mr.approvedBy.filter((a) => a.userId !== userId);
  }

  // ---- notes --------------------------------------------------------------

  createNote(issuable: IssuableRec, input: { body: string; authorId?: number; system?: boolean; internal?: boolean; createdAt?: Date }): NoteRec {
    const createdAt = input.createdAt ?? this.now();
    const note: NoteRec = {
      id: this.nextId('note'),
      projectId: issuable.projectId,
      noteableType: noteableType(issuable),
      noteableId: issuable.id,
      noteableIid: issuable.iid,
      body: input.body,
      authorId: input.authorId ?? this.defaultAuthorId(),
      system: input.system ?? false,
      internal: input.internal ?? false,
      createdAt,
      updatedAt: createdAt,
      lastEditedAt: null,
      updatedById: null,
    };
    this.notes.push(note);
    // Note belongs_to :noteable, touch: true (app/models/note.rb), and issues and merge requests
    // throttle the touch (app/models/concerns/throttled_touch.rb, TOUCH_INTERVAL 1 minute): a note
    // bumps updated_at only when it is more than a minute old.
    if (createdAt.getTime() - issuable.updatedAt.getTime() > TOUCH_INTERVAL_MS) issuable.updatedAt = createdAt;
    const key = `${note.noteableType}:${note.noteableId}`;
    const list = this.notesByNoteable.get(key) ?? [];
    list.push(note);
    this.notesByNoteable.set(key, list);
    return note;
  }

  deleteNote(note: NoteRec): void {
    const at = this.notes.indexOf(note);
    if (at >= 0) this.notes.splice(at, 1);
    const list = this.notesByNoteable.get(`${note.noteableType}:${note.noteableId}`);
    if (list && list.includes(note)) list.splice(list.indexOf(note), 1);
  }

  listNotes(issuable: IssuableRec): NoteRec[] {
    return [...(this.notesByNoteable.get(`${noteableType(issuable)}:${issuable.id}`) ?? [])];
  }

  getNote(issuable: IssuableRec, noteId: number): NoteRec | undefined {
    return this.listNotes(issuable).find((n) => n.id === noteId);
  }

  /** Number of non-system notes, as `user_notes_count` reports. */
  userNotesCount(issuable: IssuableRec): number {
    return this.listNotes(issuable).filter((n) => !n.system).length;
  }

  // ---- award emoji --------------------------------------------------------

  addAward(issuable: IssuableRec, name: string, userId: number): AwardRec {
    const now = this.now();
    const award: AwardRec = {
      id: this.nextId('award'),
      name,
      userId,
      awardableType: noteableType(issuable),
      awardableId: issuable.id,
      createdAt: now,
      updatedAt: now,
    };
    this.awards.push(award);
    return award;
  }

  listAwards(issuable: IssuableRec): AwardRec[] {
    const type = noteableType(issuable);
    return this.awards.filter((a) => a.awardableType === type && a.awardableId === issuable.id);
  }

  // ---- user events ----------------------------------------------------------

  addEvent(userId: number, input: Partial<Omit<EventRec, 'id' | 'userId'>> & { actionName: string }): EventRec {
    const event: EventRec = {
      id: this.nextId('event'),
      userId,
      projectId: input.projectId ?? null,
      actionName: input.actionName,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      targetIid: input.targetIid ?? null,
      targetTitle: input.targetTitle ?? null,
      createdAt: input.createdAt ?? this.now(),
    };
    this.events.push(event);
    return event;
  }

  // ---- repository -----------------------------------------------------------

  branchFiles(projectId: number, branch: string): Map<string, string> | undefined {
    return this.files.get(projectId)?.get(branch);
  }

  /** Writes a file directly (no commit, no webhooks): for seeding. */
  setFile(projectId: number, branch: string, path: string, content: string): void {
    const project = this.requireProject(projectId);
    const branches = this.files.get(project.id) ?? new Map<string, Map<string, string>>();
    this.files.set(project.id, branches);
    const files = branches.get(branch) ?? new Map<string, string>();
    branches.set(branch, files);
    files.set(normalisePath(path), content);
  }

  getFile(projectId: number, ref: string, path: string): string | undefined {
    return this.resolveRefFiles(projectId, ref)?.get(normalisePath(path));
  }

  /** A branch name or a commit sha (the sha's branch head is used). */
  resolveRefFiles(projectId: number, ref: string): Map<string, string> | undefined {
    const byBranch = this.branchFiles(projectId, ref);
    if (byBranch) return byBranch;
    const commit = this.commits.get(projectId)?.find((c) => c.id === ref || c.shortId === ref);
    return commit ? this.branchFiles(projectId, commit.branch) : undefined;
  }

  addCommit(projectId: number, input: { branch: string; message: string; authorId: number }): CommitRec {
    const author = this.getUser(input.authorId);
    const list = this.commits.get(projectId) ?? [];
    this.commits.set(projectId, list);
    const parent = [...list].reverse().find((c) => c.branch === input.branch);
    const createdAt = this.now();
    const id = fakeSha(`${projectId}:${input.branch}:${list.length}:${input.message}:${createdAt.toISOString()}`);
    const commit: CommitRec = {
      id,
      shortId: id.slice(0, 8),
      title: input.message.split('\n')[0] ?? '',
      message: input.message,
      authorName: author?.name ?? 'unknown',
      authorEmail: author?.email ?? 'unknown@example.com',
      createdAt,
      parentIds: parent ? [parent.id] : [],
      branch: input.branch,
    };
    list.push(commit);
    return commit;
  }

  // ---- hooks --------------------------------------------------------------

  addHook(projectId: number, hook: Partial<Omit<HookRec, 'id' | 'projectId' | 'createdAt'>> & { url: string }): HookRec {
    const rec: HookRec = {
      id: this.nextId('hook'),
      projectId,
      url: hook.url,
      token: hook.token ?? null,
      issuesEvents: hook.issuesEvents ?? true,
      confidentialIssuesEvents: hook.confidentialIssuesEvents ?? hook.issuesEvents ?? true,
      noteEvents: hook.noteEvents ?? true,
      confidentialNoteEvents: hook.confidentialNoteEvents ?? hook.noteEvents ?? true,
      mergeRequestsEvents: hook.mergeRequestsEvents ?? true,
      emojiEvents: hook.emojiEvents ?? true,
      createdAt: this.now(),
      recentFailures: 0,
      disabledUntil: null,
      permanentlyDisabled: false,
    };
    this.hooks.push(rec);
    return rec;
  }

  // ---- helpers ------------------------------------------------------------

  requireProject(idOrPath: number | string): ProjectRec {
    const project = this.resolveProject(idOrPath);
    if (!project) throw new Error(`sandbox: project ${idOrPath} not found`);
    return project;
  }

  private defaultAuthorId(): number {
    const user = this.users.find((u) => !u.bot && !u.isAdmin) ?? this.users[0];
    if (!user) throw new Error('sandbox: no users to author records; create one first');
    return user.id;
  }
}

export function noteableType(issuable: IssuableRec): NoteableType {
  return issuable.kind === 'issue' ? 'Issue' : 'MergeRequest';
}

export function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function normalisePath(path: string): string {
  return path.replace(/^\/+/, '');
}

function highestPerUser(members: MemberRec[]): MemberRec[] {
  const best = new Map<number, MemberRec>();
  for (const m of members) {
    const prev = best.get(m.userId);
    if (!prev || m.accessLevel > prev.accessLevel) best.set(m.userId, m);
  }
  return [...best.values()].sort((a, b) => a.userId - b.userId);
}
