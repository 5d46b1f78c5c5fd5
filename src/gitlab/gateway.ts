import { Gitlab } from '@gitbeaker/rest';
import PQueue from 'p-queue';
import { GitLabError, GitLabResponseError, isGitLabError } from './errors.js';
import {
  toApprovals,
  toAwardEmoji,
  toChangedPaths,
  toCommitStatus,
  toFileContent,
  toGroupId,
  toLabelEvent,
  toLabelName,
  toPipelineSchedule,
  toIssue,
  toMergeRequest,
  toNamespace,
  toGroupNamespace,
  toNamespaceExists,
  toNote,
  toOwnedProject,
  toProject,
  toUser,
  toUserDetails,
  toUserEvent,
} from './mapping.js';
import { RateLimitTracker } from './rateLimit.js';
import { createSingleAttemptRequester, type RawAnswer } from './requester.js';
import { withRetry, type RetryPolicy, type WriteSafety } from './retry.js';
import { RequestStats } from './stats.js';
import type {
  AwardEmoji,
  CommitAction,
  CommitStatus,
  CommitStatusInput,
  GitLabGateway,
  Issue,
  IssueQuery,
  IssueUpdate,
  LabelEvent,
  MergeRequest,
  MergeRequestQuery,
  MergeRequestApprovals,
  MergeRequestUpdate,
  NamespaceInfo,
  Note,
  OwnedProject,
  NoteableRef,
  PipelineSchedule,
  PipelineScheduleInput,
  Project,
  UserDetails,
  UserEvent,
  UserRef,
} from './types.js';

export interface GatewayOptions {
  url: string;
  token: string;
  concurrency: number;
  retry: RetryPolicy;
  slowDownBelow: number;
  timeoutMs: number;
  stats?: RequestStats;
}

const PER_PAGE = 100;

/** A list read: an endpoint below /api/v4/ and its query (snake_case, arrays as `key[]`). */
type Query = Record<string, unknown>;

/** `projects/gitlab-com%2Fsupport%2Fx`: an id or a full path as one path segment. */
const seg = (idOrPath: number | string): string => encodeURIComponent(String(idOrPath));
const noteable = (ref: Pick<NoteableRef, 'projectId' | 'kind' | 'iid'>): string =>
  `projects/${seg(ref.projectId)}/${ref.kind === 'issue' ? 'issues' : 'merge_requests'}/${ref.iid}`;

/** A list answer's items, or a clear error for a body that is no list. */
function asList(endpoint: string, body: unknown): unknown[] {
  if (!Array.isArray(body)) throw new GitLabResponseError(`GET ${endpoint}`, [`expected a list, got ${body === null ? 'null' : typeof body}`]);
  return body as unknown[];
}

/** `rel` → URL of a Link header (RFC 8288), as GitLab sends it. */
function parseLinks(header: string | undefined): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of (header ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1];
    for (const name of rel?.split(/\s+/) ?? []) links.set(name.toLowerCase(), match[1]!);
  }
  return links;
}

/** The gateway over @gitbeaker/rest: one retry policy, rate-limit aware, bounded concurrency, streamed pages. */
export class RestGateway implements GitLabGateway {
  readonly stats: RequestStats;
  readonly rateLimit: RateLimitTracker;
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly queue: PQueue;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;

  constructor(options: GatewayOptions) {
    this.baseUrl = `${options.url.replace(/\/+$/, '')}/`;
    this.stats = options.stats ?? new RequestStats();
    this.rateLimit = new RateLimitTracker({ slowDownBelow: options.slowDownBelow, maxWaitMs: options.retry.maxMs });
    this.retry = options.retry;
    this.queue = new PQueue({ concurrency: options.concurrency });
    this.api = new Gitlab({
      host: options.url.replace(/\/+$/, ''),
      token: options.token,
      rateLimits: {},
      queryTimeout: options.timeoutMs,
      requesterFn: createSingleAttemptRequester({ stats: this.stats, rateLimit: this.rateLimit, timeoutMs: options.timeoutMs }),
    } as ConstructorParameters<typeof Gitlab>[0]);
  }

  /** Runs one API call inside the concurrency bound, retried by the shared policy. */
  private call<T>(safety: WriteSafety, attempt: () => Promise<T>): Promise<T> {
    return withRetry(this.retry, safety, () => this.queue.add(attempt) as Promise<T>);
  }

  /** One GET through the same requester as every other call, with the answer's headers. */
  private rawGet(endpoint: string, query?: Query): Promise<RawAnswer> {
    const get = this.api.Issues.requester.get as (endpoint: string, options: { searchParams?: Query }) => Promise<RawAnswer>;
    return get(endpoint, query ? { searchParams: query } : {});
  }

  /**
   * Streams a listing page by page (doc/api/rest/_index.md, "Pagination"). Offset pagination
   * sends `x-next-page` (empty on the last page; `x-total` and `x-total-pages` are left out
   * over 10,000 records): the next page is that number. Keyset pagination, and proxies that
   * keep only `Link`, send just `Link: <…>; rel="next"` until the end: that link is followed
   * as given ("use these links instead of generating your own URLs"), its path and query on
   * GitLab's configured host, so the token never goes to the host a link names.
   */
  private async *list<T>(endpoint: string, query: Query, map: (raw: unknown) => T): AsyncIterable<T> {
    let next: { endpoint: string; query?: Query } | null = { endpoint, query: { ...query, per_page: PER_PAGE, page: 1 } };
    const read = new Set<string>();
    while (next !== null) {
      const current: { endpoint: string; query?: Query } = next;
      const answer = await this.call('idempotent', () => this.rawGet(current.endpoint, current.query));
      for (const raw of asList(endpoint, answer.body)) yield map(raw);
      next = this.nextPage(endpoint, query, answer.headers);
      if (next !== null) {
        const key = next.query ? `${next.endpoint}#${String(next.query.page)}` : next.endpoint;
        if (read.has(key)) throw new GitLabResponseError(`GET ${endpoint}`, [`its next page (${next.endpoint}) is one already read`]);
        read.add(key);
      }
    }
  }

  private nextPage(endpoint: string, query: Query, headers: Record<string, string>): { endpoint: string; query?: Query } | null {
    const nextPage = headers['x-next-page'];
    if (nextPage !== undefined) {
      const page = Number.parseInt(nextPage, 10);
      return Number.isInteger(page) && page > 0 ? { endpoint, query: { ...query, per_page: PER_PAGE, page } } : null;
    }
    const link = parseLinks(headers.link).get('next');
    if (link === undefined) return null;
    const url = new URL(link, this.baseUrl);
    const at = url.pathname.indexOf('/api/v4/');
    if (at < 0) throw new GitLabResponseError(`GET ${endpoint}`, [`its next page link is not an API URL: ${link}`]);
    return { endpoint: `${url.pathname.slice(at + '/api/v4/'.length)}${url.search}` };
  }

  async currentUser(): Promise<UserRef> {
    return toUser(await this.call('idempotent', () => this.api.Users.showCurrentUser()));
  }

  async getProject(project: number | string): Promise<Project> {
    return toProject(await this.call('idempotent', () => this.api.Projects.show(project)));
  }

  listLabelNames(project: number | string): AsyncIterable<string> {
    return this.list(`projects/${seg(project)}/labels`, { include_ancestor_groups: true }, toLabelName);
  }

  listIssues(project: number | string, query: IssueQuery = {}): AsyncIterable<Issue> {
    const options: Record<string, unknown> = {
      state: query.state ?? 'opened',
      order_by: query.orderBy ?? 'created_at',
      sort: query.sort ?? 'asc',
    };
    if (query.labels?.length) options.labels = query.labels.join(',');
    if (query.notLabels?.length) options.not = { labels: query.notLabels.join(',') };
    if (query.createdAfter) options.created_after = query.createdAfter.toISOString();
    if (query.createdBefore) options.created_before = query.createdBefore.toISOString();
    if (query.updatedAfter) options.updated_after = query.updatedAfter.toISOString();
    if (query.search) options.search = query.search;
    if (query.iids?.length) options.iids = query.iids;
    if (query.issueType) options.issue_type = query.issueType;
    return this.list(`projects/${seg(project)}/issues`, options, toIssue);
  }

  async getIssue(projectId: number, iid: number): Promise<Issue> {
    return toIssue(await this.call('idempotent', () => this.api.Issues.show(iid, { projectId })));
  }

  async createIssue(projectId: number, input: { title: string; description?: string; labels?: string[]; confidential?: boolean }): Promise<Issue> {
    const options = { description: input.description, labels: input.labels?.join(','), confidential: input.confidential };
    return toIssue(await this.call('creates', () => this.api.Issues.create(projectId, input.title, options)));
  }

  async updateIssue(projectId: number, iid: number, update: IssueUpdate): Promise<Issue> {
    const options: Record<string, unknown> = {};
    if (update.addLabels?.length) options.addLabels = update.addLabels.join(',');
    if (update.removeLabels?.length) options.removeLabels = update.removeLabels.join(',');
    if (update.confidential !== undefined) options.confidential = update.confidential;
    if (update.description !== undefined) options.description = update.description;
    if (update.title !== undefined) options.title = update.title;
    if (update.stateEvent !== undefined) options.stateEvent = update.stateEvent;
    return toIssue(await this.call('idempotent', () => this.api.Issues.edit(projectId, iid, options)));
  }

  /** Issue and merge request notes share one API shape; only the path segment differs. */
  private notesApi(ref: NoteableRef): InstanceType<typeof Gitlab>['IssueNotes'] {
    return ref.kind === 'issue' ? this.api.IssueNotes : (this.api.MergeRequestNotes as unknown as InstanceType<typeof Gitlab>['IssueNotes']);
  }

  listNotes(ref: NoteableRef): AsyncIterable<Note> {
    return this.list(`${noteable(ref)}/notes`, { sort: 'asc', order_by: 'created_at' }, toNote);
  }

  async getNote(project: number | string, kind: NoteableRef['kind'], iid: number, noteId: number): Promise<Note | null> {
    const api = this.notesApi({ projectId: 0, kind, iid });
    try {
      return toNote(await this.call('idempotent', () => api.show(project, iid, noteId)));
    } catch (error) {
      if (isGitLabError(error) && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  async deleteNote(ref: NoteableRef, noteId: number): Promise<void> {
    const api = this.notesApi(ref);
    try {
      await this.call('idempotent', () => api.remove(ref.projectId, ref.iid, noteId));
    } catch (error) {
      // Already gone (a retry after a lost answer, or another run deleted it): the goal is met.
      if (!(isGitLabError(error) && error.isNotFound)) throw error;
    }
  }

  listAwardEmoji(ref: NoteableRef): AsyncIterable<AwardEmoji> {
    return this.list(`${noteable(ref)}/award_emoji`, {}, toAwardEmoji);
  }

  async createNote(ref: NoteableRef, body: string): Promise<Note> {
    const api = this.notesApi(ref);
    return toNote(await this.call('creates', () => api.create(ref.projectId, ref.iid, body)));
  }

  async updateNote(ref: NoteableRef, noteId: number, body: string): Promise<Note> {
    const api = this.notesApi(ref);
    return toNote(await this.call('idempotent', () => api.edit(ref.projectId, ref.iid, noteId, { body })));
  }

  async *listTeamMembers(group: number | string): AsyncIterable<UserRef> {
    // all_available: a non-admin otherwise gets only subgroups within its own membership
    // (doc/api/groups.md); private subgroups stay hidden unless the bot is a member above them.
    const descendants = this.list(`groups/${seg(group)}/descendant_groups`, { all_available: true }, toGroupId);
    yield* this.listGroupMembers(group);
    for await (const id of descendants) yield* this.listGroupMembers(id);
  }

  listGroupMembers(group: number | string): AsyncIterable<UserRef> {
    return this.list(`groups/${seg(group)}/members`, {}, toUser);
  }

  async isGroupMember(group: number | string, userId: number): Promise<boolean | null> {
    try {
      await this.call('idempotent', () => this.api.GroupMembers.show(group, userId, { includeInherited: true }));
      return true;
    } catch (error) {
      if (!isGitLabError(error) || !error.isNotFound) throw error;
    }
    // 404 for a member that is not there and for a group the caller cannot see alike.
    try {
      await this.call('idempotent', () => this.api.Groups.show(group));
      return false;
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    }
  }

  async getUser(userId: number): Promise<UserDetails | null> {
    try {
      const { body } = await this.call('idempotent', () => this.rawGet(`users/${userId}`));
      return toUserDetails(body);
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    }
  }

  async findUser(username: string): Promise<UserDetails | null> {
    // One page: a username matches one user at most (case-insensitively, doc/api/users.md).
    const { body } = await this.call('idempotent', () => this.rawGet('users', { username }));
    const match = asList('users', body).find((u) => (u as { username?: unknown } | null)?.username?.toString().toLowerCase() === username.toLowerCase());
    return match ? toUserDetails(match) : null;
  }

  listUserEvents(userId: number, options: { after?: Date } = {}): AsyncIterable<UserEvent> {
    const after = options.after ? { after: options.after.toISOString().slice(0, 10) } : {};
    return this.list(`users/${userId}/events`, after, toUserEvent);
  }

  listUserProjects(userId: number): AsyncIterable<Project> {
    return this.list(`users/${userId}/projects`, {}, toProject);
  }

  listUserContributedProjects(userId: number): AsyncIterable<Project> {
    return this.list(`users/${userId}/contributed_projects`, {}, toProject);
  }

  async currentUserIsAdmin(): Promise<boolean> {
    const me = await this.call('idempotent', () => this.api.Users.showCurrentUser());
    // `is_admin` is sent to administrators only (doc/api/users.md); the user itself is checked as any other.
    return toUser(me) !== undefined && (me as { is_admin?: unknown }).is_admin === true;
  }

  async getNamespace(idOrPath: number | string): Promise<NamespaceInfo | null> {
    try {
      return toNamespace(await this.call('idempotent', () => this.api.Namespaces.show(idOrPath)));
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    }
  }

  async getGroup(idOrPath: number | string): Promise<NamespaceInfo | null> {
    try {
      return toGroupNamespace(await this.call('idempotent', () => this.api.Groups.show(idOrPath)));
    } catch (error) {
      if (isGitLabError(error) && (error.isNotFound || error.status === 403)) return null;
      throw error;
    }
  }

  async namespaceExists(path: string): Promise<{ exists: boolean; suggests: string[] }> {
    return toNamespaceExists(await this.call('idempotent', () => this.api.Namespaces.exists(path)));
  }

  listOwnedProjects(userId: number): AsyncIterable<OwnedProject> {
    return this.list(`users/${userId}/projects`, { statistics: true }, toOwnedProject);
  }

  async renameUser(userId: number, username: string): Promise<UserDetails> {
    return toUserDetails(await this.call('idempotent', () => this.api.Users.edit(userId, { username } as never)));
  }

  listLabelEvents(ref: NoteableRef): AsyncIterable<LabelEvent> {
    return this.list(`${noteable(ref)}/resource_label_events`, {}, toLabelEvent);
  }

  listMergeRequests(project: number | string, query: MergeRequestQuery = {}): AsyncIterable<MergeRequest> {
    const options: Record<string, unknown> = { state: query.state ?? 'opened' };
    if (query.labels?.length) options.labels = query.labels.join(',');
    if (query.updatedAfter) options.updated_after = query.updatedAfter.toISOString();
    return this.list(`projects/${seg(project)}/merge_requests`, options, toMergeRequest);
  }

  async getMergeRequestApprovals(projectId: number, iid: number): Promise<MergeRequestApprovals> {
    return toApprovals(await this.call('idempotent', () => this.api.MergeRequestApprovals.showConfiguration(projectId, { mergerequestIId: iid })));
  }

  async listMergeRequestChangedPaths(projectId: number, iid: number): Promise<string[]> {
    const paths: string[] = [];
    const diffs = this.list(`projects/${seg(projectId)}/merge_requests/${iid}/diffs`, {}, (raw) => toChangedPaths([raw]));
    for await (const changed of diffs) paths.push(...changed);
    return [...new Set(paths)];
  }

  async getMergeRequest(projectId: number, iid: number): Promise<MergeRequest> {
    return toMergeRequest(await this.call('idempotent', () => this.api.MergeRequests.show(projectId, iid)));
  }

  async updateMergeRequest(projectId: number, iid: number, update: MergeRequestUpdate): Promise<MergeRequest> {
    const options: Record<string, unknown> = {};
    if (update.addLabels?.length) options.addLabels = update.addLabels.join(',');
    if (update.removeLabels?.length) options.removeLabels = update.removeLabels.join(',');
    return toMergeRequest(await this.call('idempotent', () => this.api.MergeRequests.edit(projectId, iid, options)));
  }

  listCommitStatuses(projectId: number, sha: string, query: { name?: string; ref?: string } = {}): AsyncIterable<CommitStatus> {
    // A merge request without a diff head (`"sha": null`, mapped to '') has no commit to read statuses of.
    if (sha === '') return (async function* () {})();
    const options: Record<string, unknown> = {};
    if (query.name) options.name = query.name;
    if (query.ref) options.ref = query.ref;
    return this.list(`projects/${seg(projectId)}/repository/commits/${seg(sha)}/statuses`, options, toCommitStatus);
  }

  async setCommitStatus(projectId: number, status: CommitStatusInput): Promise<void> {
    if (status.sha === '') throw new Error(`cannot set commit status "${status.name}" in project ${projectId}: the merge request has no head commit (GitLab answered "sha": null)`);
    // Each POST of a final state adds a status (a job) to the commit: repeated only after a
    // 429; after a 5xx the executor looks at the latest status before posting again.
    await this.call('creates', () =>
      this.api.Commits.editStatus(projectId, status.sha, status.state, {
        name: status.name,
        description: status.description,
        targetUrl: status.targetUrl,
        ref: status.ref,
      }),
    );
  }

  listPipelineSchedules(project: number | string): AsyncIterable<PipelineSchedule> {
    return this.list(`projects/${seg(project)}/pipeline_schedules`, {}, toPipelineSchedule);
  }

  async getPipelineSchedule(projectId: number, scheduleId: number): Promise<PipelineSchedule> {
    return toPipelineSchedule(await this.call('idempotent', () => this.api.PipelineSchedules.show(projectId, scheduleId)));
  }

  async createPipelineSchedule(projectId: number, input: PipelineScheduleInput): Promise<PipelineSchedule> {
    const options = { cronTimezone: input.cronTimezone, active: input.active };
    return toPipelineSchedule(await this.call('creates', () => this.api.PipelineSchedules.create(projectId, input.description, input.ref, input.cron, options)));
  }

  async updatePipelineSchedule(projectId: number, scheduleId: number, input: Partial<PipelineScheduleInput>): Promise<PipelineSchedule> {
    return toPipelineSchedule(await this.call('idempotent', () => this.api.PipelineSchedules.edit(projectId, scheduleId, input as never)));
  }

  async setPipelineScheduleVariable(projectId: number, scheduleId: number, key: string, value: string, exists: boolean): Promise<void> {
    const api = this.api.PipelineScheduleVariables;
    await (exists ? this.call('idempotent', () => api.edit(projectId, scheduleId, key, value)) : this.call('creates', () => api.create(projectId, scheduleId, key, value)));
  }

  async takePipelineScheduleOwnership(projectId: number, scheduleId: number): Promise<PipelineSchedule> {
    return toPipelineSchedule(await this.call('idempotent', () => this.api.PipelineSchedules.takeOwnership(projectId, scheduleId)));
  }

  async deletePipelineSchedule(projectId: number, scheduleId: number): Promise<void> {
    await this.call('idempotent', () => this.api.PipelineSchedules.remove(projectId, scheduleId));
  }

  async getFile(projectId: number, path: string, ref: string): Promise<string | null> {
    try {
      return toFileContent(await this.call('idempotent', () => this.api.RepositoryFiles.show(projectId, path, ref)));
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return null;
      throw error;
    }
  }

  async commitFiles(projectId: number, branch: string, message: string, actions: CommitAction[]): Promise<void> {
    const payload = actions.map((a) => ({ action: a.action, filePath: a.filePath, content: a.content }));
    await this.call('creates', () => this.api.Commits.create(projectId, branch, message, payload as never));
  }
}

export { GitLabError };
