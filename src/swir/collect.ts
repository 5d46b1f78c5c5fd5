import type { BotConfig } from '../config/schema.js';
import { pathsInScope, scopeGlobs } from '../approvals/scope.js';
import { markerKey } from '../engine/markers.js';
import type { FactsLoader } from '../engine/facts.js';
import { collect } from '../gitlab/collect.js';
import type { GitLabGateway, Issue, MergeRequest } from '../gitlab/types.js';
import { formatHours } from '../sla/businessHours.js';
import { slaFigures } from '../jobs/sla.js';
import type { ProjectScope, Subject } from '../subjects.js';
import { issueListUrl } from './links.js';
import { inWeek, localDay, type IsoWeek } from './week.js';

// The figures of one Support Week in Review, read from GitLab with date filters and
// streamed pages: issues created in the week (`created_after`/`created_before`), closed
// issues updated since it started (`updated_after`: closing updates an issue), label
// filters for topics, the board and waiting issues, and one read per candidate only where
// the list cannot tell. What is read per item goes through the facts the rules read (when
// a label was added, first responses with the team and the bot): one reading of each.

export type Reader = Pick<GitLabGateway, 'listIssues' | 'listMergeRequests' | 'listMergeRequestChangedPaths'>;

export interface CollectInput {
  config: BotConfig;
  gateway: Reader;
  week: IsoWeek;
  /** When the run happens: figures are "as of" the earlier of this and the end of the week. */
  now: Date;
  /** The configured projects by key, resolved. */
  projects: ProjectScope[];
  /** The run's facts: label times, first responses (as of the cut-off), the team and the bot. */
  facts: FactsLoader;
}

/** An issue or merge request as the review lists it. */
export interface ItemRef {
  /** `support-team-meta#12`, `handbook!3`. */
  ref: string;
  title: string;
  url: string;
  /** Null for a confidential issue. */
  author: string | null;
}

export interface Counted {
  count: number;
  /** The GitLab issue list showing exactly these, when GitLab can filter it. */
  url: string | null;
}

export interface TemplateRow {
  name: string;
  opened: number;
  closed: number;
  stillOpen: Counted;
}

export interface SwirFigures {
  week: { key: string; from: string; to: string; timezone: string; /** The week is not over yet: figures so far. */ partial: boolean };
  topics: { label: string; topic: string; items: ItemRef[] }[];
  requests: {
    project: string;
    url: string;
    opened: number;
    closed: number;
    stillOpen: Counted;
    byTemplate: TemplateRow[];
    answered: number;
    medianFirstResponseHours: string | null;
    pastTarget: number;
  };
  meta: {
    project: string;
    proposals: ItemRef[];
    readiness: ItemRef[];
    activeNow: { label: string; count: number; limit: number; over: boolean; url: string }[];
  };
  workflowChanges: (ItemRef & { approval: 'present' | 'missing' | 'unknown' })[];
  dormant: { state: string; label: string; open: Counted; closed: number }[];
  waiting: { items: (ItemRef & { since: string })[]; lists: { project: string; url: string }[] };
  perDay: { day: string; label: string; opened: number; closed: number }[];
}

const DAY_MS = 24 * 3600 * 1000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const VISIBILITY_RANK = { private: 0, internal: 1, public: 2 } as const;

/** How widely a project is seen: GitLab's visibility, or public when the config says so. */
function visibilityOf(scope: ProjectScope): ProjectScope['visibility'] {
  return scope.config.public ? 'public' : scope.visibility;
}

/**
 * Nothing but the link goes into the review (an issue in `swir.project`, public by default)
 * of a confidential issue, or of an item of a project fewer people may see than the
 * review's (internal-requests is private: its titles name customers and users): no title,
 * no author. The link still works for those who may open it.
 */
function itemRef(scope: ProjectScope, kind: 'issue' | 'merge_request', item: Issue | MergeRequest, review: ProjectScope): ItemRef {
  const noun = kind === 'issue' ? 'issue' : 'merge request';
  const visibility = visibilityOf(scope);
  const hidden =
    kind === 'issue' && (item as Issue).confidential
      ? '(confidential issue)'
      : VISIBILITY_RANK[visibility] < VISIBILITY_RANK[visibilityOf(review)]
        ? `(${noun} in a${visibility === 'internal' ? 'n internal' : ' private'} project)`
        : null;
  const name = scope.path.split('/').pop() ?? scope.path;
  return {
    ref: `${name}${kind === 'issue' ? '#' : '!'}${item.iid}`,
    title: hidden ?? item.title,
    url: item.webUrl,
    author: hidden ? null : item.author.username,
  };
}

/** The review's own published issues: never counted as topics or proposals. */
function isReview(issue: Pick<Issue, 'labels' | 'description'>, config: BotConfig): boolean {
  return issue.labels.includes(config.labels.swir) || (markerKey(issue.description)?.startsWith('swir-') ?? false);
}

/** An issue or merge request of a project, as facts are asked for. */
function subjectOf(scope: ProjectScope, kind: 'issue' | 'merge_request', item: Issue | MergeRequest): Subject {
  return kind === 'issue' ? { kind, project: scope, issue: item as Issue } : { kind, project: scope, mergeRequest: item as MergeRequest };
}

interface ProjectWeek {
  scope: ProjectScope;
  /** Created in the week. */
  opened: Issue[];
  /** Closed issues updated since the week started: closed in the week or after it. */
  closedSince: Issue[];
}

/** The project the review is published in (`swir.project`). */
function reviewScope(input: CollectInput): ProjectScope {
  const scope = input.projects.find((p) => p.key === input.config.swir.project);
  if (!scope) throw new Error(`config: swir needs project "${input.config.swir.project}" under projects`);
  return scope;
}

async function projectWeek(input: CollectInput, scope: ProjectScope): Promise<ProjectWeek> {
  const { gateway, week } = input;
  // doc/api/issues.md: created_after/created_before and updated_after are inclusive; there is
  // no closed_after, and closing an issue updates it, so updated_after bounds the closed ones.
  // Issues only: tasks and incidents are not requests or proposals.
  const [opened, closedSince] = await Promise.all([
    collect(gateway.listIssues(scope.id, { state: 'all', createdAfter: week.start, createdBefore: week.end, orderBy: 'created_at', sort: 'asc', issueType: 'issue' })),
    collect(gateway.listIssues(scope.id, { state: 'closed', updatedAfter: week.start, orderBy: 'updated_at', sort: 'asc', issueType: 'issue' })),
  ]);
  // The review's own issues are not part of the week they describe (else publishing changes the figures).
  const notReview = (i: Issue) => !isReview(i, input.config);
  return { scope, opened: opened.filter(notReview), closedSince: closedSince.filter(notReview) };
}

async function topics(input: CollectInput): Promise<SwirFigures['topics']> {
  const { config, gateway, week } = input;
  const result: SwirFigures['topics'] = [];
  for (const label of config.swir.topicLabels) {
    const items: ItemRef[] = [];
    for (const scope of input.projects) {
      // Labelled now and touched since the week began; the label events say when it was added.
      const candidates: { kind: 'issue' | 'merge_request'; item: Issue | MergeRequest }[] = [];
      if (scope.config.issues) {
        for await (const issue of gateway.listIssues(scope.id, { state: 'all', labels: [label], updatedAfter: week.start, orderBy: 'created_at', sort: 'asc' })) {
          if (!isReview(issue, config)) candidates.push({ kind: 'issue', item: issue });
        }
      }
      for await (const mr of gateway.listMergeRequests(scope.id, { state: 'all', labels: [label], updatedAfter: week.start })) candidates.push({ kind: 'merge_request', item: mr });
      const added = await Promise.all(candidates.map(({ kind, item }) => input.facts.forSubject(subjectOf(scope, kind, item)).get('labelAddedAt')));
      candidates.forEach(({ kind, item }, i) => {
        if (added[i]!.times(label).some((at) => inWeek(at, week))) items.push(itemRef(scope, kind, item, reviewScope(input)));
      });
    }
    result.push({ label, topic: label.split('::').slice(1).join('::'), items });
  }
  return result;
}

async function requests(input: CollectInput, data: ProjectWeek, asOf: Date): Promise<{ figures: SwirFigures['requests']; dormant: SwirFigures['dormant'] }> {
  const { config, gateway, week } = input;
  const { scope } = data;
  const current = asOf.getTime() === input.now.getTime();
  const templates = config.templates.filter((t) => t.project === scope.key);
  const templateOf = (issue: Issue) => templates.find((t) => issue.labels.includes(`${config.labels.templatePrefix}${t.slug}`))?.name ?? 'Other';

  const closed = data.closedSince.filter((i) => inWeek(i.closedAt, week));
  // Open at the end of the week (or now): open now and created by then, or closed only after it.
  const openNow = await collect(gateway.listIssues(scope.id, { state: 'opened', createdBefore: week.end, orderBy: 'created_at', sort: 'asc', issueType: 'issue' }));
  const stillOpen = [...openNow, ...data.closedSince.filter((i) => i.createdAt <= week.end && i.closedAt !== null && i.closedAt > asOf)];

  const names = [...templates.map((t) => t.name), 'Other'];
  const byTemplate: TemplateRow[] = names
    .map((name) => {
      const template = templates.find((t) => t.name === name);
      const stillOpenCount = stillOpen.filter((i) => templateOf(i) === name).length;
      return {
        name,
        opened: data.opened.filter((i) => templateOf(i) === name).length,
        closed: closed.filter((i) => templateOf(i) === name).length,
        stillOpen: {
          count: stillOpenCount,
          url: current && template ? issueListUrl(scope.webUrl, { state: 'opened', labels: [`${config.labels.templatePrefix}${template.slug}`] }) : null,
        },
      };
    })
    .filter((row) => row.name !== 'Other' || row.opened + row.closed + row.stillOpen.count > 0);

  // First response, as the SLA job defines it, for the requests opened in the week, as of the cut-off: later notes do not count yet.
  const asOfCutOff = input.facts.at(asOf);
  const statuses = await Promise.all(data.opened.map((issue) => asOfCutOff.forSubject({ kind: 'issue', project: scope, issue }).get('firstResponse')));
  const sla = slaFigures(statuses);
  const pastTarget = statuses.filter((s) => s.state === 'breached' || (s.state === 'answered' && s.businessHours > s.target.hours)).length;

  const prefix = config.swir.dormantLabelPrefix;
  const dormantLabels = new Set<string>();
  for (const issue of [...stillOpen, ...closed]) for (const l of issue.labels) if (l.startsWith(prefix)) dormantLabels.add(l);
  const dormant = [...dormantLabels].sort().map((label) => {
    const open = stillOpen.filter((i) => i.labels.includes(label)).length;
    return {
      state: label.slice(prefix.length),
      label,
      open: { count: open, url: current ? issueListUrl(scope.webUrl, { state: 'opened', labels: [label] }) : null },
      closed: closed.filter((i) => i.labels.includes(label)).length,
    };
  });

  return {
    figures: {
      project: scope.path,
      url: scope.webUrl,
      opened: data.opened.length,
      closed: closed.length,
      stillOpen: { count: stillOpen.length, url: current ? issueListUrl(scope.webUrl, { state: 'opened' }) : null },
      byTemplate,
      answered: sla.answered,
      medianFirstResponseHours: sla.medianFirstResponseHours === null ? null : formatHours(sla.medianFirstResponseHours),
      pastTarget,
    },
    dormant,
  };
}

async function meta(input: CollectInput, data: ProjectWeek): Promise<SwirFigures['meta']> {
  const { config, gateway } = input;
  const { scope } = data;
  const prefix = config.labels.templatePrefix;
  const readinessLabel = `${prefix}${config.swir.readinessTemplate}`;
  const fresh = data.opened;
  const hasTemplate = (i: Issue) => i.labels.some((l) => l.startsWith(prefix) && l !== config.labels.templateNone);
  const activeNow = [];
  if (config.activeNow.project === scope.key) {
    for (const label of config.activeNow.labels) {
      let count = 0;
      for await (const _ of gateway.listIssues(scope.id, { state: 'opened', labels: [label] })) count += 1;
      activeNow.push({ label, count, limit: config.activeNow.limit, over: count > config.activeNow.limit, url: issueListUrl(scope.webUrl, { state: 'opened', labels: [label] }) });
    }
  }
  return {
    project: scope.path,
    proposals: fresh.filter((i) => !hasTemplate(i)).map((i) => itemRef(scope, 'issue', i, reviewScope(input))),
    readiness: fresh.filter((i) => i.labels.includes(readinessLabel)).map((i) => itemRef(scope, 'issue', i, reviewScope(input))),
    activeNow,
  };
}

async function workflowChanges(input: CollectInput): Promise<SwirFigures['workflowChanges']> {
  const { config, gateway, week } = input;
  const changes: (SwirFigures['workflowChanges'][number] & { mergedAt: number })[] = [];
  // The projects and paths whose merge requests need an approval artifact: Support's handbook pages and issue templates.
  for (const scope of input.projects) {
    const globs = scopeGlobs(config, scope.key);
    if (globs.length === 0) continue;
    // The REST API has no merged_after filter (doc/api/merge_requests.md): merging updates a merge request, so updated_after bounds the list.
    for await (const mr of gateway.listMergeRequests(scope.id, { state: 'merged', updatedAfter: week.start })) {
      if (!inWeek(mr.mergedAt, week)) continue;
      if (pathsInScope(globs, await gateway.listMergeRequestChangedPaths(scope.id, mr.iid)).length === 0) continue;
      const approval = mr.labels.includes(config.labels.approvalPresent) ? 'present' : mr.labels.includes(config.labels.approvalMissing) ? 'missing' : 'unknown';
      changes.push({ ...itemRef(scope, 'merge_request', mr, reviewScope(input)), approval, mergedAt: mr.mergedAt!.getTime() });
    }
  }
  // In the order they were merged.
  return changes.sort((a, b) => a.mergedAt - b.mergedAt).map(({ mergedAt: _, ...change }) => change);
}

async function waiting(input: CollectInput, asOf: Date): Promise<SwirFigures['waiting']> {
  const { config, gateway } = input;
  const label = config.labels.needsInfo;
  const items: SwirFigures['waiting']['items'] = [];
  const lists: SwirFigures['waiting']['lists'] = [];
  for (const scope of input.projects.filter((p) => p.config.issues)) {
    let any = false;
    for await (const issue of gateway.listIssues(scope.id, { state: 'opened', labels: [label], orderBy: 'created_at', sort: 'asc' })) {
      any = true;
      // Waiting since the label was last added (before the cut-off).
      const since = (await input.facts.forSubject({ kind: 'issue', project: scope, issue }).get('labelAddedAt')).last(label, asOf);
      if (!since) continue;
      if (asOf.getTime() - since.getTime() >= config.swir.waitingDays * DAY_MS)
        items.push({ ...itemRef(scope, 'issue', issue, reviewScope(input)), since: localDay(since, input.week.timezone) });
    }
    if (any) lists.push({ project: scope.path, url: issueListUrl(scope.webUrl, { state: 'opened', labels: [label] }) });
  }
  return { items: items.sort((a, b) => a.since.localeCompare(b.since) || a.ref.localeCompare(b.ref)), lists };
}

function perDay(week: IsoWeek, data: ProjectWeek[]): SwirFigures['perDay'] {
  return week.days.map((day, index) => ({
    day,
    label: `${WEEKDAYS[index]} ${day.slice(8)}`,
    opened: data.reduce((n, p) => n + p.opened.filter((i) => localDay(i.createdAt, week.timezone) === day).length, 0),
    closed: data.reduce((n, p) => n + p.closedSince.filter((i) => inWeek(i.closedAt, week) && localDay(i.closedAt!, week.timezone) === day).length, 0),
  }));
}

/** Every figure of the review for one week. */
export async function collectFigures(input: CollectInput): Promise<SwirFigures> {
  const { config, week } = input;
  const asOf = input.now < week.end ? input.now : week.end;
  const byKey = (key: string) => {
    const scope = input.projects.find((p) => p.key === key);
    if (!scope) throw new Error(`config: swir needs project "${key}" under projects`);
    return scope;
  };
  const weeks = await Promise.all(input.projects.filter((p) => p.config.issues).map((scope) => projectWeek(input, scope)));
  const weekOf = (key: string) => weeks.find((w) => w.scope.key === key) ?? { scope: byKey(key), opened: [], closedSince: [] };
  const requestFigures = await requests(input, weekOf(config.swir.requestsProject), asOf);
  return {
    week: { key: week.key, from: week.days[0]!, to: week.days[6]!, timezone: week.timezone, partial: input.now < week.end },
    topics: await topics(input),
    requests: requestFigures.figures,
    meta: await meta(input, weekOf(config.swir.project)),
    workflowChanges: await workflowChanges(input),
    dormant: requestFigures.dormant,
    waiting: await waiting(input, asOf),
    perDay: perDay(week, weeks),
  };
}
