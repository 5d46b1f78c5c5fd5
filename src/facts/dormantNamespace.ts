import { requestedNamespace, profileHosts } from '../dormant/namespace.js';
import { reportName } from '../dormant/projectNames.js';
import { collect } from '../gitlab/collect.js';
import { GitLabResponseError, isGitLabError } from '../gitlab/errors.js';
import type { GitLabGateway, OwnedProject } from '../gitlab/types.js';
import { defineFact, defineRunWideFact } from './define.js';

// What GitLab tells this token about the namespace a Name Squatting Request asks for.
// Loaded once per run per namespace (a run-scoped fact keyed by the lower-cased name), so
// the daily job over many requests for one namespace reads its user once.

/** A read that the token may not be allowed to make: its value, or why it is unknown. */
export type Read<T> = { ok: true; value: T } | { ok: false; why: string };

export interface LatestEvent {
  at: Date;
  action: string;
  targetType: string | null;
}

export interface DormantUser {
  id: number;
  username: string;
  webUrl: string | null;
  state: string;
}

export type NamespaceFacts =
  /** The request names no readable namespace: nothing was looked up. `unreadable`: what its section says instead, and why that is not a namespace. */
  | { kind: 'none'; unreadable?: { text: string; why: string } }
  | { kind: 'not-found'; namespace: string }
  /** A group has the path; `webUrl` when the token may read it; `public`: anyone may see it, so the report may name and link it. */
  | { kind: 'group'; namespace: string; webUrl: string | null; public: boolean }
  /** The user lookup itself was refused. */
  | { kind: 'unreadable'; namespace: string; why: string }
  | {
      kind: 'user';
      namespace: string;
      user: DormantUser;
      /** `last_activity_on`: administrators only (doc/api/users.md). */
      lastActivityOn: Read<Date | null>;
      /** The newest contribution event the token can see (`/users/:id/events`, newest first). */
      latestEvent: Read<LatestEvent | null>;
      /** Projects in the user's namespace with statistics where readable. */
      ownedProjects: Read<OwnedOrEmptyProject[]>;
      /** Paths of projects the user contributed to (`/users/:id/contributed_projects`). */
      contributedProjects: Read<string[]>;
      /** `<prefix><username>`, or GitLab's suggested numbered variant when that is taken. */
      idleName: Read<{ name: string; numbered: boolean }>;
    };

/**
 * An owned project; one that looks empty (no commit, no open issue) also says whether it
 * has closed issues (`open_issues_count` leaves them out): true/false, or null when the
 * token may not list its issues.
 */
export type OwnedOrEmptyProject = OwnedProject & { closedIssues?: boolean | null };

/** Whether a project that looks empty holds closed issues: one list request, the first page only. */
async function withClosedIssues(gateway: GitLabGateway, project: OwnedProject): Promise<OwnedOrEmptyProject> {
  // open_issues_count is left out when the project has issues turned off: then there are none to look for.
  const looksEmpty = project.emptyRepo !== false && project.openIssuesCount === 0 && !(project.statistics && project.statistics.commitCount > 0);
  if (!looksEmpty) return project;
  const read = await attempt(() => firstOf(gateway.listIssues(project.id, { state: 'closed', orderBy: 'created_at', sort: 'asc' })));
  return { ...project, closedIssues: read.ok ? read.value !== null : null };
}

/** A refusal (403, or 404 for a resource hidden from the token) is "cannot verify"; anything else is the fact's error. */
function refusal(error: unknown): string | null {
  if (isGitLabError(error) && (error.status === 401 || error.status === 403 || error.status === 404)) {
    return `${error.method} ${error.endpoint} answered ${error.status}`;
  }
  // An answer the bot cannot read (an undated event, say) verifies nothing: the criterion stays open.
  if (error instanceof GitLabResponseError) return error.message;
  return null;
}

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const why = refusal(error);
    if (why === null) throw error;
    return { ok: false, why };
  }
}

const PRIVATE_PROFILE = "the user's profile is private (or the account blocked): its events and contributions are hidden from this token";

/** Whether the token may not read the user's profile (private, or a blocked user): `GET /users/:id` then leaves out `created_at`. */
async function profileHidden(gateway: GitLabGateway, userId: number): Promise<boolean> {
  const read = await attempt(() => gateway.getUser(userId));
  return !read.ok || read.value === null || read.value.createdAt === undefined;
}

async function firstOf<T>(items: AsyncIterable<T>): Promise<T | null> {
  for await (const item of items) return item;
  return null;
}

async function idleNameFor(gateway: GitLabGateway, wanted: string): Promise<{ name: string; numbered: boolean }> {
  const { exists, suggests } = await gateway.namespaceExists(wanted);
  if (!exists) return { name: wanted, numbered: false };
  const suggestion = suggests.find((s) => s.toLowerCase() !== wanted.toLowerCase());
  if (!suggestion) throw new Error(`namespace ${wanted} is taken and GitLab suggested no free variant`);
  return { name: suggestion, numbered: true };
}

export async function loadNamespaceFacts(
  namespace: string | null,
  renamePrefix: string,
  gateway: GitLabGateway,
  unreadable?: { text: string; why: string },
): Promise<NamespaceFacts> {
  if (namespace === null) return unreadable ? { kind: 'none', unreadable } : { kind: 'none' };
  let found;
  try {
    found = await gateway.findUser(namespace);
  } catch (error) {
    const why = refusal(error);
    if (why === null) throw error;
    return { kind: 'unreadable', namespace, why };
  }
  if (!found) {
    // Not a user the token can see: a group with that path? Administrators read it; others learn
    // only that the path is taken — and a non-administrator's user list leaves out blocked and
    // banned users (UsersFinder: `User.without_forbidden_states`), so a taken path it cannot
    // place may be such a user, not a group: that cannot be verified with this token.
    const visible = await gateway.getNamespace(namespace).catch((error) => (refusal(error) === null ? Promise.reject(error) : null));
    // The namespaces API shows a non-administrator only its own groups, without their visibility;
    // the groups API shows a public group to anyone, and a private one to its members (the bot).
    const group = (await gateway.getGroup(namespace)) ?? (visible?.kind === 'group' ? visible : null);
    if (group?.kind === 'group') return { kind: 'group', namespace, webUrl: group.webUrl, public: group.visibility === 'public' };
    const { exists } = await gateway.namespaceExists(namespace);
    if (!exists) return { kind: 'not-found', namespace };
    return {
      kind: 'unreadable',
      namespace,
      why: 'the path is taken, but by no user or group this token can see (a blocked or banned user and a group it is not a member of are hidden from a non-administrator token)',
    };
  }
  const [events, ownedProjects, contributions, idleName] = await Promise.all([
    attempt(async () => {
      const event = await firstOf(gateway.listUserEvents(found.id));
      return event ? { at: event.createdAt, action: event.actionName, targetType: event.targetType } : null;
    }),
    attempt(async () =>
      Promise.all((await collect(gateway.listOwnedProjects(found.id))).map(async (p) => ({ ...(await withClosedIssues(gateway, p)), pathWithNamespace: reportName(p) }))),
    ),
    attempt(async () => (await collect(gateway.listUserContributedProjects(found.id))).map(reportName)),
    attempt(() => idleNameFor(gateway, `${renamePrefix}${found.username}`)),
  ]);
  // A private profile answers no events and no contributed projects rather than a refusal: read
  // as nothing, it would look dormant. Only then is the profile read (`created_at` is shown only
  // to readers of the profile, lib/api/entities/user.rb): hidden, both are "cannot verify".
  const hidden = events.ok && events.value === null && (await profileHidden(gateway, found.id));
  const latestEvent: Read<LatestEvent | null> = hidden ? { ok: false, why: PRIVATE_PROFILE } : events;
  const contributedProjects: Read<string[]> = hidden ? { ok: false, why: PRIVATE_PROFILE } : contributions;
  return {
    kind: 'user',
    namespace,
    user: { id: found.id, username: found.username, webUrl: found.webUrl ?? null, state: found.state },
    lastActivityOn: found.lastActivityOn === undefined ? { ok: false, why: 'last_activity_on is shown to administrators only' } : { ok: true, value: found.lastActivityOn },
    latestEvent,
    ownedProjects,
    contributedProjects,
    idleName,
  };
}

/** The namespace a Name Squatting Request names, and what GitLab says about it. */
export const dormantNamespaceFact = defineFact({
  description: 'the user (or group) behind the namespace a Name Squatting Request asks for: activity, owned and contributed projects',
  scope: 'run',
  param: (subject, config, instanceUrl) => {
    const description = subject.kind === 'issue' ? subject.issue.description : '';
    const reading = requestedNamespace(description, config.dormant.namespaceSection, profileHosts(config.gitlab.url, config.dormant.profileHosts, instanceUrl));
    return {
      namespace: reading.status === 'found' ? reading.namespace : null,
      renamePrefix: config.dormant.renamePrefix,
      unreadable: reading.status === 'unreadable' ? { text: reading.text, why: reading.why } : undefined,
    };
  },
  // A namespace is never empty and never contains a line break: neither key can clash.
  key: (p) => (p.unreadable ? `\n${p.unreadable.text}` : `${p.namespace?.toLowerCase() ?? ''}`),
  load: (p, { gateway }) => loadNamespaceFacts(p.namespace, p.renamePrefix, gateway, p.unreadable),
});

/** Whether the bot's token is an administrator's (`is_admin` of `GET /user`): once per run. */
export const tokenIsAdminFact = defineRunWideFact({
  description: "whether the bot's token belongs to an administrator",
  param: () => null,
  key: () => 'token',
  load: (_p, { gateway }) => gateway.currentUserIsAdmin(),
});
