import { Gitlab } from '@gitbeaker/rest';
import { sameUsername } from './usernames.js';
import PQueue from 'p-queue';
import { GitLabError, GitLabResponseError, GitLabUnreachable, isGitLabError } from './errors.js';
import {
  toApprovals,
  toAwardEmoji,
  toDiffVersionDate,
  toChangedPaths,
  toCommitStatus,
  toFileContent,
  toGroupId,
  toLabelEvent,
  toLabelName,
  toLabel,
  toBlobPath,
  toPipelineSchedule,
  toIssue,
  toMergeRequest,
  toNamespace,
  toGroupNamespace,
  toNamespaceExists,
  toNote,
  toNoteEditor,
  toOwnedProject,
  toProject,
  toUser,
  toUserDetails,
  toBotFlag,
  toUserEvent,
} from './mapping.js';
import { EndpointPacer, GITLAB_COM_ENDPOINT_LIMITS, perMinute, type PaceLimits } from './endpointPacing.js';
import { RateLimitTracker } from './rateLimit.js';
import { pathsInRawDiff, type RawDiffPaths } from './rawDiff.js';
import { createSingleAttemptRequester, type Connection, type RawAnswer } from './requester.js';
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
  Label,
  LabelEvent,
  LabelInput,
  MergeRequestInput,
  MergeRequest,
  MergeRequestQuery,
  MergeRequestApprovals,
  MergeRequestUpdate,
  NamespaceInfo,
  Note,
  NoteEditor,
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
  /** Per-endpoint limits the bot keeps under (GitLab.com's by default). */
  endpointLimits?: PaceLimits;
  stats?: RequestStats;
}

const PER_PAGE = 100;
/** Once GitLab answered, a request whose attempts get no answer at all gives up after this. */
const NETWORK_BUDGET_MS = 10_000;
/** After giving up, every call fails at once for this long, so a run stops instead of trying each subject; `serve` tries again after it. */
const LOST_HOLD_MS = 30_000;

/** A list read: an endpoint below /api/v4/ and its query (snake_case, arrays as `key[]`). */
type Query = Record<string, unknown>;

/** `projects/gitlab-com%2Fsupport%2Fx`: an id or a full path as one path segment. */
const seg = (idOrPath: number | string): string => encodeURIComponent(String(idOrPath));
const noteable = (ref: Pick<NoteableRef, 'projectId' | 'kind' | 'iid'>): string =>
  `projects/${seg(ref.projectId)}/${ref.kind === 'issue' ? 'issues' : 'merge_requests'}/${ref.iid}`;

/** A list answer's items, or a clear error for a body that is no list. */
/** A read or removal whose 404 is an answer, not a failure: `absent` when GitLab says there is no such thing (or this token cannot see it). */
async function unlessNotFound<T, A>(request: Promise<T>, absent: A): Promise<T | A> {
  try {
    return await request;
  } catch (error) {
    if (isGitLabError(error) && error.isNotFound) return absent;
    throw error;
  }
}

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
/**
 * GraphQL `Query.note` (app/graphql/types/query_type.rb) with Types::Notes::BaseNoteInterface's
 * `author` and `lastEditedBy` (app/graphql/types/notes/base_note_interface.rb).
 */
const NOTE_EDITOR_QUERY = 'query($id: NoteID!) { note(id: $id) { author { username } lastEditedBy { username } } }';

export class RestGateway implements GitLabGateway {
  readonly stats: RequestStats;
  readonly rateLimit: RateLimitTracker;
  readonly pacer: EndpointPacer;
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly queue: PQueue;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly connection: Connection = { answered: false };
  private lost?: { error: GitLabUnreachable; until: number };

  constructor(options: GatewayOptions) {
    this.baseUrl = `${options.url.replace(/\/+$/, '')}/`;
    this.stats = options.stats ?? new RequestStats();
    this.rateLimit = new RateLimitTracker({ slowDownBelow: options.slowDownBelow, maxWaitMs: options.retry.maxMs });
    this.pacer = new EndpointPacer({ limits: options.endpointLimits ?? perMinute(GITLAB_COM_ENDPOINT_LIMITS), maxHoldMs: options.retry.maxMs });
    this.retry = options.retry;
    this.queue = new PQueue({ concurrency: options.concurrency });
    this.api = new Gitlab({
      host: options.url.replace(/\/+$/, ''),
      token: options.token,
      rateLimits: {},
      queryTimeout: options.timeoutMs,
      requesterFn: createSingleAttemptRequester({ stats: this.stats, rateLimit: this.rateLimit, pacer: this.pacer, timeoutMs: options.timeoutMs, connection: this.connection }),
    } as ConstructorParameters<typeof Gitlab>[0]);
  }

  /**
   * Runs one API call inside the concurrency bound, retried by the shared policy. Before
   * GitLab ever answered, a request that gets no answer is not retried (a wrong GITLAB_URL
   * is said at once); after, it retries for NETWORK_BUDGET_MS. Giving up on the network is
   * `GitLabUnreachable`, and every call fails with it for LOST_HOLD_MS.
   */
  private async call<T>(safety: WriteSafety, attempt: () => Promise<T>): Promise<T> {
    if (this.lost && this.lost.until > Date.now()) throw this.lost.error;
    const policy = { ...this.retry, networkBudgetMs: this.connection.answered ? NETWORK_BUDGET_MS : 0 };
    try {
      return await withRetry(policy, safety, () => this.queue.add(attempt) as Promise<T>);
    } catch (error) {
      if (!isGitLabError(error) || error.unreachable === undefined) throw error;
      const lost = new GitLabUnreachable(this.baseUrl.replace(/\/+$/, ''), error.unreachable, !this.connection.answered);
      this.lost = { error: lost, until: Date.now() + LOST_HOLD_MS };
      throw lost;
    }
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

  async getNoteEditor(noteId: number): Promise<NoteEditor | null> {
    const post = this.api.Issues.requester.post as (endpoint: string, options: { body: unknown }) => Promise<RawAnswer>;
    // GraphQL lives beside the REST API: /api/graphql, resolved from the requester's /api/v4/.
    const answer = await this.call('idempotent', () => post('../graphql', { body: { query: NOTE_EDITOR_QUERY, variables: { id: `gid://gitlab/Note/${noteId}` } } }));
    return toNoteEditor(answer.body);
  }

  async deleteNote(ref: NoteableRef, noteId: number): Promise<void> {
    const api = this.notesApi(ref);
    // Already gone (a retry after a lost answer, or another run deleted it): the goal is met.
    await unlessNotFound(
      this.call('idempotent', () => api.remove(ref.projectId, ref.iid, noteId)),
      undefined,
    );
  }

  listAwardEmoji(ref: NoteableRef): AsyncIterable<AwardEmoji> {
    return this.list(`${noteable(ref)}/award_emoji`, {}, toAwardEmoji);
  }

  async awardEmoji(ref: NoteableRef, name: string): Promise<AwardEmoji> {
    const api = this.awardsApi(ref);
    return toAwardEmoji(await this.call('creates', () => api.award(ref.projectId, ref.iid, name)));
  }

  async removeAwardEmoji(ref: NoteableRef, awardId: number): Promise<void> {
    const api = this.awardsApi(ref);
    await unlessNotFound(
      this.call('idempotent', () => api.remove(ref.projectId, ref.iid, awardId)),
      undefined,
    );
  }

  private awardsApi(ref: NoteableRef): InstanceType<typeof Gitlab>['IssueAwardEmojis'] {
    return ref.kind === 'issue' ? this.api.IssueAwardEmojis : (this.api.MergeRequestAwardEmojis as unknown as InstanceType<typeof Gitlab>['IssueAwardEmojis']);
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
    const member = this.call('idempotent', () => this.api.GroupMembers.show(group, userId, { includeInherited: true }));
    if (
      await unlessNotFound(
        member.then(() => true),
        false,
      )
    )
      return true;
    // 404 for a member that is not there and for a group the caller cannot see alike.
    return unlessNotFound(
      this.call('idempotent', () => this.api.Groups.show(group)).then(() => false),
      null,
    );
  }

  async getUser(userId: number): Promise<UserDetails | null> {
    return unlessNotFound(
      this.call('idempotent', () => this.rawGet(`users/${userId}`)).then(({ body }) => toUserDetails(body)),
      null,
    );
  }

  async isBotUser(userId: number): Promise<boolean | null> {
    return unlessNotFound(this.call('idempotent', () => this.api.Users.show(userId)).then(toBotFlag), null);
  }

  async findUser(username: string): Promise<UserDetails | null> {
    // One page: a username matches one user at most (case-insensitively, doc/api/users.md).
    const { body } = await this.call('idempotent', () => this.rawGet('users', { username }));
    const match = asList('users', body).find((u) => sameUsername((u as { username?: unknown } | null)?.username?.toString(), username));
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
    return unlessNotFound(this.call('idempotent', () => this.api.Namespaces.show(idOrPath)).then(toNamespace), null);
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
    if (query.sourceBranch) options.source_branch = query.sourceBranch;
    if (query.targetBranch) options.target_branch = query.targetBranch;
    return this.list(`projects/${seg(project)}/merge_requests`, options, toMergeRequest);
  }

  async getMergeRequestApprovals(projectId: number, iid: number): Promise<MergeRequestApprovals> {
    return toApprovals(await this.call('idempotent', () => this.api.MergeRequestApprovals.showConfiguration(projectId, { mergerequestIId: iid })));
  }

  async latestDiffVersionAt(projectId: number, iid: number): Promise<Date | null> {
    let latest: Date | null = null;
    for await (const at of this.list(`projects/${seg(projectId)}/merge_requests/${iid}/versions`, {}, toDiffVersionDate)) if (!latest || at > latest) latest = at;
    return latest;
  }

  async listMergeRequestChangedPaths(projectId: number, iid: number): Promise<string[]> {
    const paths: string[] = [];
    const diffs = this.list(`projects/${seg(projectId)}/merge_requests/${iid}/diffs`, {}, (raw) => toChangedPaths([raw]));
    for await (const changed of diffs) paths.push(...changed);
    return [...new Set(paths)];
  }

  async mergeRequestRawDiffPaths(projectId: number, iid: number): Promise<RawDiffPaths> {
    const answer = await this.call('idempotent', () => this.rawGet(`projects/${seg(projectId)}/merge_requests/${iid}/raw_diffs`));
    if (typeof answer.body !== 'string') return { unreadable: 'GitLab answered JSON, not a raw diff' };
    return pathsInRawDiff(answer.body);
  }

  async getMergeRequest(projectId: number, iid: number): Promise<MergeRequest> {
    return toMergeRequest(await this.call('idempotent', () => this.api.MergeRequests.show(projectId, iid)));
  }

  async updateMergeRequest(projectId: number, iid: number, update: MergeRequestUpdate): Promise<MergeRequest> {
    const options: Record<string, unknown> = {};
    if (update.addLabels?.length) options.addLabels = update.addLabels.join(',');
    if (update.removeLabels?.length) options.removeLabels = update.removeLabels.join(',');
    if (update.title !== undefined) options.title = update.title;
    if (update.description !== undefined) options.description = update.description;
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
        ...(status.pipelineId !== undefined ? { pipelineId: status.pipelineId } : {}),
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
    return unlessNotFound(this.call('idempotent', () => this.api.RepositoryFiles.show(projectId, path, ref)).then(toFileContent), null);
  }

  async commitFiles(projectId: number, branch: string, message: string, actions: CommitAction[], startBranch?: string): Promise<void> {
    const payload = actions.map((a) => ({ action: a.action, filePath: a.filePath, content: a.content }));
    await this.call('creates', () => this.api.Commits.create(projectId, branch, message, payload as never, startBranch ? { startBranch } : {}));
  }

  async listFiles(projectId: number, path: string, ref: string): Promise<string[]> {
    const files: string[] = [];
    try {
      for await (const file of this.list(`projects/${seg(projectId)}/repository/tree`, { path, ref }, toBlobPath)) if (file !== null) files.push(file);
    } catch (error) {
      // 404 "Tree Not Found": an empty repository or a ref without that folder.
      if (isGitLabError(error) && error.isNotFound) return [];
      throw error;
    }
    return files;
  }

  async branchExists(projectId: number, branch: string): Promise<boolean> {
    try {
      await this.call('idempotent', () => this.api.Branches.show(projectId, branch));
      return true;
    } catch (error) {
      if (isGitLabError(error) && error.isNotFound) return false;
      throw error;
    }
  }

  async createMergeRequest(projectId: number, input: MergeRequestInput): Promise<MergeRequest> {
    const options = { description: input.description, removeSourceBranch: input.removeSourceBranch ?? true };
    return toMergeRequest(await this.call('creates', () => this.api.MergeRequests.create(projectId, input.sourceBranch, input.targetBranch, input.title, options)));
  }

  listGroupProjects(group: number | string): AsyncIterable<Project> {
    return this.list(`groups/${seg(group)}/projects`, { archived: false }, toProject);
  }

  listLabels(project: number | string): AsyncIterable<Label> {
    return this.list(`projects/${seg(project)}/labels`, { include_ancestor_groups: true }, toLabel);
  }

  async createLabel(projectId: number, input: LabelInput): Promise<Label> {
    return toLabel(await this.call('creates', () => this.api.ProjectLabels.create(projectId, input.name, input.color, { description: input.description })));
  }

  async updateLabel(projectId: number, name: string, change: { color?: string; description?: string }): Promise<Label> {
    return toLabel(await this.call('idempotent', () => this.api.ProjectLabels.edit(projectId, name, change as never)));
  }
}

export { GitLabError };
