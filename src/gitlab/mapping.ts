import { z } from 'zod';
import { GitLabResponseError } from './errors.js';
import type {
  AwardEmoji,
  Label,
  CommitStatus,
  Issue,
  LabelEvent,
  MergeRequest,
  MergeRequestApprovals,
  NamespaceInfo,
  Note,
  NoteEditor,
  OwnedProject,
  PipelineSchedule,
  Project,
  UserDetails,
  UserEvent,
  UserRef,
} from './types.js';

// API responses the bot depends on are validated once here and mapped to the
// camelCase domain types; everything else in a response is ignored. A body that does not
// fit is a GitLabResponseError naming the fields, never a raw zod dump.

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the body)';
  return `${path}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map(describeIssue);
  if (result.error.issues.length > 5) problems.push(`and ${result.error.issues.length - 5} more`);
  throw new GitLabResponseError(what, problems);
}

/** An ISO 8601 timestamp (GitLab writes them with `Z` or an offset, `2012-09-20T11:50:22+03:00`). */
const date = z.string().transform((s, ctx) => {
  const parsed = new Date(s);
  if (Number.isNaN(parsed.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${JSON.stringify(s)}` });
    return z.NEVER;
  }
  return parsed;
});

const userSchema = z.looseObject({ id: z.number(), username: z.string(), name: z.string().optional(), state: z.string().optional() });

export function toUser(raw: unknown): UserRef {
  const u = parse(userSchema, raw, 'a user');
  // Only an account that cannot act carries its state: active is the rule.
  return { id: u.id, username: u.username, name: u.name, ...(u.state !== undefined && u.state !== 'active' ? { state: u.state } : {}) };
}

/** The fields issues and merge requests share, in GitLab's names. */
const issuableFields = {
  id: z.number(),
  iid: z.number(),
  project_id: z.number(),
  title: z.string(),
  description: z.string().nullish(),
  author: userSchema,
  created_at: date,
  updated_at: date,
  web_url: z.string(),
};

/** The shared fields in the bot's names. */
function fromIssuable(i: z.output<z.ZodObject<typeof issuableFields>>) {
  return {
    id: i.id,
    iid: i.iid,
    projectId: i.project_id,
    title: i.title,
    description: i.description ?? '',
    author: toUser(i.author),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    webUrl: i.web_url,
  };
}

const issueSchema = z.looseObject({
  ...issuableFields,
  state: z.enum(['opened', 'closed']),
  labels: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).default([]),
  confidential: z.boolean().default(false),
  assignees: z.array(userSchema).nullish(),
  closed_at: date.nullish(),
  user_notes_count: z.number().default(0),
  issue_type: z.string().default('issue'),
});

export function toIssue(raw: unknown): Issue {
  const i = parse(issueSchema, raw, 'an issue');
  return {
    ...fromIssuable(i),
    state: i.state,
    labels: i.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    confidential: i.confidential,
    assignees: (i.assignees ?? []).map(toUser),
    closedAt: i.closed_at ?? null,
    userNotesCount: i.user_notes_count,
    issueType: i.issue_type,
  };
}

const noteSchema = z.looseObject({
  id: z.number(),
  body: z.string(),
  author: userSchema,
  system: z.boolean().default(false),
  internal: z.boolean().optional(),
  confidential: z.boolean().nullish(),
  created_at: date,
  updated_at: date,
});

export function toNote(raw: unknown): Note {
  const n = parse(noteSchema, raw, 'a note');
  return {
    id: n.id,
    body: n.body,
    author: toUser(n.author),
    system: n.system,
    internal: n.internal ?? n.confidential ?? false,
    createdAt: n.created_at,
    updatedAt: n.updated_at,
  };
}

// POST /api/graphql with NOTE_EDITOR_QUERY: `data.note` is null for a note the token cannot read
// (Types::Notes::NoteType `authorize :read_note`); `lastEditedBy` null unless edited
// (app/models/concerns/editable.rb). GraphQL reports a bad query as `errors` with status 200.
const noteEditorSchema = z.looseObject({
  data: z.looseObject({
    note: z.looseObject({ author: z.looseObject({ username: z.string() }).nullable(), lastEditedBy: z.looseObject({ username: z.string() }).nullable() }).nullable(),
  }),
});

export function toNoteEditor(raw: unknown): NoteEditor | null {
  const errors = (raw as { errors?: { message?: string }[] } | null)?.errors;
  if (errors?.length)
    throw new GitLabResponseError(
      'POST /api/graphql',
      errors.map((e) => e.message ?? 'an error'),
    );
  const note = parse(noteEditorSchema, raw, 'a GraphQL note').data.note;
  if (!note?.author) return null;
  return { author: note.author.username, lastEditedBy: note.lastEditedBy?.username ?? null };
}

const mergeRequestSchema = z.looseObject({
  ...issuableFields,
  // doc/api/merge_requests.md, "Get single merge request changes", answers `"state": "reopened"`
  // (a merge request reopened after being closed): it is open.
  state: z.enum(['opened', 'closed', 'merged', 'locked', 'reopened']).transform((state) => (state === 'reopened' ? 'opened' : state)),
  labels: z.array(z.string()).default([]),
  source_branch: z.string(),
  target_branch: z.string(),
  source_project_id: z.number().optional(),
  changes_count: z.string().nullish(),
  // The diff head; null once it is gone (doc/api/merge_requests.md, "Get merge request
  // blocked MRs": a merged merge request with `"sha": null`).
  sha: z.string().nullish(),
  draft: z.boolean().default(false),
  merged_at: date.nullish(),
  user_notes_count: z.number().optional(),
});

export function toMergeRequest(raw: unknown): MergeRequest {
  const m = parse(mergeRequestSchema, raw, 'a merge request');
  return {
    ...fromIssuable(m),
    state: m.state,
    labels: m.labels,
    sourceBranch: m.source_branch,
    targetBranch: m.target_branch,
    ...(m.source_project_id !== undefined ? { sourceProjectId: m.source_project_id } : {}),
    ...(typeof m.changes_count === 'string' ? { changesCount: m.changes_count } : {}),
    sha: m.sha ?? '',
    draft: m.draft,
    mergedAt: m.merged_at ?? null,
    ...(m.user_notes_count === undefined ? {} : { userNotesCount: m.user_notes_count }),
  };
}

const labelEventSchema = z.looseObject({
  id: z.number(),
  action: z.enum(['add', 'remove']),
  label: z.looseObject({ name: z.string() }).nullish(),
  user: userSchema.nullish(),
  created_at: date,
});

export function toLabelEvent(raw: unknown): LabelEvent {
  const e = parse(labelEventSchema, raw, 'a label event');
  return { id: e.id, action: e.action, label: e.label?.name ?? null, user: e.user ? toUser(e.user) : null, createdAt: e.created_at };
}

const projectSchema = z.looseObject({
  id: z.number(),
  path_with_namespace: z.string(),
  visibility: z.enum(['public', 'internal', 'private']).default('private'),
  web_url: z.string(),
  default_branch: z.string().nullish(),
  ci_pipeline_variables_minimum_override_role: z.string().nullish(),
  permissions: z
    .looseObject({
      project_access: z.looseObject({ access_level: z.number() }).nullish(),
      group_access: z.looseObject({ access_level: z.number() }).nullish(),
    })
    .nullish(),
});

export function toProject(raw: unknown): Project {
  const p = parse(projectSchema, raw, 'a project');
  return {
    id: p.id,
    pathWithNamespace: p.path_with_namespace,
    visibility: p.visibility,
    webUrl: p.web_url,
    defaultBranch: p.default_branch ?? 'main',
    ...(p.ci_pipeline_variables_minimum_override_role ? { pipelineVariablesMinimumOverrideRole: p.ci_pipeline_variables_minimum_override_role } : {}),
    ...(p.permissions ? { accessLevel: Math.max(p.permissions.project_access?.access_level ?? 0, p.permissions.group_access?.access_level ?? 0) } : {}),
  };
}

const day = z.string().transform((s) => new Date(`${s.slice(0, 10)}T00:00:00Z`));

const userDetailsSchema = z.looseObject({
  id: z.number(),
  username: z.string(),
  name: z.string().optional(),
  state: z.string().default('active'),
  web_url: z.string().optional(),
  created_at: date.optional(),
  last_activity_on: day.nullable().optional(),
  last_sign_in_at: date.nullable().optional(),
});

const botFlagSchema = z.looseObject({ id: z.number(), bot: z.boolean().optional() });

/** `bot` of a single user (`GET /users/:id`); a GitLab that does not send it has no bot users to tell apart. */
export function toBotFlag(raw: unknown): boolean {
  return parse(botFlagSchema, raw, 'a user').bot === true;
}

/** Keeps "hidden from this token" (key absent: `undefined`) apart from "never" (`null`). */
export function toUserDetails(raw: unknown): UserDetails {
  const u = parse(userDetailsSchema, raw, 'a user');
  const details: UserDetails = { id: u.id, username: u.username, name: u.name, state: u.state };
  if (u.web_url !== undefined) details.webUrl = u.web_url;
  if (u.created_at !== undefined) details.createdAt = u.created_at;
  if (u.last_activity_on !== undefined) details.lastActivityOn = u.last_activity_on;
  if (u.last_sign_in_at !== undefined) details.lastSignInAt = u.last_sign_in_at;
  return details;
}

const namespaceSchema = z.looseObject({ id: z.number(), kind: z.string(), full_path: z.string(), web_url: z.string().nullish() });

export function toNamespace(raw: unknown): NamespaceInfo {
  const n = parse(namespaceSchema, raw, 'a namespace');
  return { id: n.id, kind: n.kind === 'user' ? 'user' : 'group', fullPath: n.full_path, webUrl: n.web_url ?? null, visibility: null };
}

const groupSchema = z.looseObject({ id: z.number() });

const groupDetailSchema = z.looseObject({
  id: z.number(),
  full_path: z.string(),
  web_url: z.string().nullish(),
  visibility: z.enum(['public', 'internal', 'private']).nullish(),
});

/** A group (`GET /groups/:id`) as a namespace. */
export function toGroupNamespace(raw: unknown): NamespaceInfo {
  const g = parse(groupDetailSchema, raw, 'a group');
  return { id: g.id, kind: 'group', fullPath: g.full_path, webUrl: g.web_url ?? null, visibility: g.visibility ?? null };
}

/** A group of a listing (`GET /groups/:id/descendant_groups`): its id is all the bot reads. */
export function toGroupId(raw: unknown): number {
  return parse(groupSchema, raw, 'a group').id;
}

const namespaceExistsSchema = z.looseObject({ exists: z.boolean(), suggests: z.array(z.string()).default([]) });

export function toNamespaceExists(raw: unknown): { exists: boolean; suggests: string[] } {
  const e = parse(namespaceExistsSchema, raw, 'a namespace check');
  return { exists: e.exists, suggests: e.suggests };
}

const ownedProjectSchema = z.looseObject({
  id: z.number(),
  path_with_namespace: z.string(),
  web_url: z.string(),
  last_activity_at: date.nullish(),
  archived: z.boolean().default(false),
  empty_repo: z.boolean().nullish(),
  open_issues_count: z.number().nullish(),
  visibility: z.enum(['public', 'internal', 'private']).nullish(),
  statistics: z.looseObject({ commit_count: z.number().default(0), repository_size: z.number().default(0), storage_size: z.number().default(0) }).nullish(),
});

export function toOwnedProject(raw: unknown): OwnedProject {
  const p = parse(ownedProjectSchema, raw, 'a project');
  return {
    id: p.id,
    pathWithNamespace: p.path_with_namespace,
    webUrl: p.web_url,
    lastActivityAt: p.last_activity_at ?? null,
    archived: p.archived,
    emptyRepo: p.empty_repo ?? null,
    openIssuesCount: p.open_issues_count ?? null,
    visibility: p.visibility ?? null,
    statistics: p.statistics ? { commitCount: p.statistics.commit_count, repositorySize: p.statistics.repository_size, storageSize: p.statistics.storage_size } : null,
  };
}

const userEventSchema = z.looseObject({
  action_name: z.string(),
  project_id: z.number().nullish(),
  target_type: z.string().nullish(),
  created_at: date.optional(),
});

export function toUserEvent(raw: unknown): UserEvent {
  const e = parse(userEventSchema, raw, 'a contribution event');
  // doc/api/events.md, "Get user contribution events": three of the example's four events
  // have no created_at. An undated event cannot date a user's last contribution, and a date
  // made up here could make an active user look dormant: the reader is told instead.
  if (e.created_at === undefined) throw new GitLabResponseError('a contribution event', [`created_at: missing, so the "${e.action_name}" event cannot be dated`]);
  return { actionName: e.action_name, projectId: e.project_id ?? null, targetType: e.target_type ?? null, createdAt: e.created_at };
}

// Two shapes (GET /projects/:id/merge_requests/:iid/approvals): EE answers approval rules
// (approvals_required, approvals_left), on GitLab.com on every tier (Free: nothing required,
// `approved: true`); self-managed CE answers only `approved` (true once anyone approved,
// MergeRequest#approved?) and `approved_by` (lib/api/entities/merge_request_approvals.rb),
// mapped as one approval required. The bot decides on `approvedBy` either way.
const approvalsSchema = z.looseObject({
  approved: z.boolean().optional(),
  approvals_required: z.number().optional(),
  approvals_left: z.number().optional(),
  approved_by: z.array(z.looseObject({ user: userSchema, approved_at: z.coerce.date().nullish() })).default([]),
});

export function toApprovals(raw: unknown): MergeRequestApprovals {
  const a = parse(approvalsSchema, raw, 'merge request approvals');
  const approvedBy = a.approved_by.map((entry) => toUser(entry.user));
  const approvedAt = new Map(a.approved_by.flatMap((entry) => (entry.approved_at ? [[entry.user.username, entry.approved_at] as const] : [])));
  if (a.approvals_required === undefined) {
    const approved = a.approved ?? approvedBy.length > 0;
    return { tier: 'free', approved, approvalsRequired: 1, approvalsLeft: approved ? 0 : 1, approvedBy, approvedAt };
  }
  const approvalsLeft = a.approvals_left ?? Math.max(0, a.approvals_required - approvedBy.length);
  return { tier: 'premium', approved: a.approved ?? approvalsLeft === 0, approvalsRequired: a.approvals_required, approvalsLeft, approvedBy, approvedAt };
}

const labelSchema = z.looseObject({ name: z.string() });

export function toLabelName(raw: unknown): string {
  return parse(labelSchema, raw, 'a label').name;
}

const fullLabelSchema = z.looseObject({ name: z.string(), color: z.string(), description: z.string().nullish(), is_project_label: z.boolean().optional() });

export function toLabel(raw: unknown): Label {
  const label = parse(fullLabelSchema, raw, 'a label');
  return { name: label.name, color: label.color, description: label.description ?? null, projectLabel: label.is_project_label ?? true };
}

const treeEntrySchema = z.looseObject({ path: z.string(), type: z.string() });

/** A tree entry's path when it is a file (`blob`), else null. */
export function toBlobPath(raw: unknown): string | null {
  const entry = parse(treeEntrySchema, raw, 'a repository tree entry');
  return entry.type === 'blob' ? entry.path : null;
}

const diffSchema = z.looseObject({ old_path: z.string(), new_path: z.string() });

export function toChangedPaths(raw: unknown): string[] {
  return parse(z.array(diffSchema), raw, 'merge request diffs').flatMap((d) => (d.old_path === d.new_path ? [d.new_path] : [d.old_path, d.new_path]));
}

const scheduleSchema = z.looseObject({
  id: z.number(),
  description: z.string().nullish(),
  ref: z.string(),
  cron: z.string(),
  cron_timezone: z.string().default('UTC'),
  active: z.boolean().default(true),
  owner: userSchema.nullish(),
  variables: z.array(z.looseObject({ key: z.string(), value: z.string().nullish() })).optional(),
});

export function toPipelineSchedule(raw: unknown): PipelineSchedule {
  const s = parse(scheduleSchema, raw, 'a pipeline schedule');
  return {
    id: s.id,
    description: s.description ?? '',
    ref: s.ref,
    cron: s.cron,
    cronTimezone: s.cron_timezone,
    active: s.active,
    ...(s.owner ? { owner: toUser(s.owner) } : {}),
    ...(s.variables ? { variables: s.variables.map((v) => ({ key: v.key, value: v.value ?? '' })) } : {}),
  };
}

const commitStatusSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  description: z.string().nullish(),
  target_url: z.string().nullish(),
  created_at: date,
});

export function toCommitStatus(raw: unknown): CommitStatus {
  const s = parse(commitStatusSchema, raw, 'a commit status');
  return { id: s.id, name: s.name, status: s.status, description: s.description ?? null, targetUrl: s.target_url ?? null, createdAt: s.created_at };
}

const awardEmojiSchema = z.looseObject({ id: z.number(), name: z.string(), user: userSchema, created_at: z.coerce.date().optional() });

export function toAwardEmoji(raw: unknown): AwardEmoji {
  const a = parse(awardEmojiSchema, raw, 'an award emoji');
  return { id: a.id, name: a.name, user: toUser(a.user), ...(a.created_at ? { createdAt: a.created_at } : {}) };
}

// GET /projects/:id/merge_requests/:iid/versions (doc/api/merge_requests.md, "Get merge request diff versions"): newest first.
const diffVersionSchema = z.looseObject({ id: z.number(), created_at: z.coerce.date() });

export function toDiffVersionDate(raw: unknown): Date {
  return parse(diffVersionSchema, raw, 'a merge request diff version').created_at;
}

const fileSchema = z.looseObject({ content: z.string(), encoding: z.string().default('base64') });

/** A repository file's text (`GET /projects/:id/repository/files/:file_path`: `"encoding": "base64"`). */
export function toFileContent(raw: unknown): string {
  const file = parse(fileSchema, raw, 'a repository file');
  return file.encoding === 'text' ? file.content : Buffer.from(file.content, 'base64').toString('utf8');
}
