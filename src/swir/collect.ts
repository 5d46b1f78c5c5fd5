import type { BotConfig } from '../config/schema.js';
import { scopeGlobs } from '../approvals/scope.js';
import { markerKey } from '../engine/markers.js';
import type { FactsLoader } from '../engine/facts.js';
import { collect } from '../gitlab/collect.js';
import type { GitLabGateway, Issue, MergeRequest } from '../gitlab/types.js';
import { formatHours } from '../sla/businessHours.js';
import type { FirstResponseStatus } from '../sla/firstResponse.js';
import { firstResponseTarget } from '../sla/target.js';
import { slaFigures } from '../jobs/sla.js';
import type { ProjectScope, Subject } from '../subjects.js';
import { adminAttention, approvalAttention, boardAttention, slaAttention, type AttentionInput, type NeedsAttention } from './attention.js';
import { itemRef, type ItemRef } from './items.js';
import { issueListUrl } from './links.js';
import { describeUnreadable, fromProject, ProjectUnreadable, type UnreadableProject } from './unreadable.js';
import { inWeek, localDay, type IsoWeek } from './week.js';

// The figures of one Support Week in Review, read from GitLab with date filters and
// streamed pages: issues created in the week (`created_after`/`created_before`), closed
// issues updated since it started (`updated_after`: closing updates an issue), label
// filters for topics, the board and waiting issues, and one read per candidate only where
// the list cannot tell. What is read per item goes through the facts the rules read (when
// a label was added, first responses with the team and the bot): one reading of each.

export type Reader = Pick<GitLabGateway, 'listIssues' | 'listMergeRequests'>;

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
  /** Configured projects that could not even be resolved: named in the review, left out. */
  unreadable?: readonly UnreadableProject[];
}

export type { ItemRef } from './items.js';

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
  /** Configured projects GitLab would not let the bot read: named at the top, their figures missing. */
  unreadable: UnreadableProject[];
  needsAttention: NeedsAttention;
  topics: { label: string; topic: string; items: ItemRef[] }[];
  /** Null when `swir.requestsProject` could not be read. */
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
  } | null;
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
  const [opened, closedSince] = await fromProject(scope, () =>
    Promise.all([
      collect(gateway.listIssues(scope.id, { state: 'all', createdAfter: week.start, createdBefore: week.end, orderBy: 'created_at', sort: 'asc', issueType: 'issue' })),
      collect(gateway.listIssues(scope.id, { state: 'closed', updatedAfter: week.start, orderBy: 'updated_at', sort: 'asc', issueType: 'issue' })),
    ]),
  );
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
      await fromProject(scope, async () => {
        // Labelled now and touched since the week began; the label events say when it was added.
        const candidates: { kind: 'issue' | 'merge_request'; item: Issue | MergeRequest }[] = [];
        if (scope.config.issues) {
          for await (const issue of gateway.listIssues(scope.id, { state: 'all', labels: [label], updatedAfter: week.start, orderBy: 'created_at', sort: 'asc' })) {
            if (!isReview(issue, config)) candidates.push({ kind: 'issue', item: issue });
          }
        }
        for await (const mr of gateway.listMergeRequests(scope.id, { state: 'all', labels: [label], updatedAfter: week.start }))
          candidates.push({ kind: 'merge_request', item: mr });
        const added = await Promise.all(candidates.map(({ kind, item }) => input.facts.forSubject(subjectOf(scope, kind, item)).get('labelAddedAt')));
        candidates.forEach(({ kind, item }, i) => {
          if (added[i]!.times(label).some((at) => inWeek(at, week))) items.push(itemRef(scope, kind, item, reviewScope(input)));
        });
      });
    }
    result.push({ label, topic: label.split('::').slice(1).join('::'), items });
  }
  return result;
}

interface RequestsWeek {
  figures: NonNullable<SwirFigures['requests']>;
  dormant: SwirFigures['dormant'];
  /** The requests open at the cut-off. */
  stillOpen: Issue[];
  /** First-response statuses at the cut-off, by iid: the requests opened in the week and those open old enough to be at risk. */
  firstResponses: ReadonlyMap<number, FirstResponseStatus>;
}

async function requests(input: CollectInput, data: ProjectWeek, asOf: Date): Promise<RequestsWeek> {
  const { config, gateway, week } = input;
  const { scope } = data;
  const current = asOf.getTime() === input.now.getTime();
  const templates = config.templates.filter((t) => t.project === scope.key);
  const templateOf = (issue: Issue) => templates.find((t) => issue.labels.includes(`${config.labels.templatePrefix}${t.slug}`))?.name ?? 'Other';

  const closed = data.closedSince.filter((i) => inWeek(i.closedAt, week));
  // Open at the end of the week (or now): open now and created by then, or closed only after it.
  const openNow = await fromProject(scope, () =>
    collect(gateway.listIssues(scope.id, { state: 'opened', createdBefore: week.end, orderBy: 'created_at', sort: 'asc', issueType: 'issue' })),
  );
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

  // First response, as the SLA job defines it, as of the cut-off (later notes do not count yet): for the
  // requests opened in the week, and for those still open old enough to be at risk (Needs attention). One read each.
  const asOfCutOff = input.facts.at(asOf);
  const assessed = [
    ...new Map(
      [
        ...data.opened,
        ...stillOpen.filter((i) => {
          const target = firstResponseTarget(i, config);
          return target !== undefined && target.atRiskAt <= asOf;
        }),
      ].map((i) => [i.iid, i]),
    ).values(),
  ];
  const all = await fromProject(scope, () => Promise.all(assessed.map((issue) => asOfCutOff.forSubject({ kind: 'issue', project: scope, issue }).get('firstResponse'))));
  const firstResponses = new Map(assessed.map((issue, i) => [issue.iid, all[i]!]));
  const statuses = data.opened.map((issue) => firstResponses.get(issue.iid)!);
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
    stillOpen,
    firstResponses,
  };
}

function meta(input: CollectInput, data: ProjectWeek, board: NeedsAttention['activeNow']): SwirFigures['meta'] {
  const { config } = input;
  const { scope } = data;
  const prefix = config.labels.templatePrefix;
  const readinessLabel = `${prefix}${config.swir.readinessTemplate}`;
  const fresh = data.opened;
  const hasTemplate = (i: Issue) => i.labels.some((l) => l.startsWith(prefix) && l !== config.labels.templateNone);
  const { limit } = config.activeNow;
  return {
    project: scope.path,
    proposals: fresh.filter((i) => !hasTemplate(i)).map((i) => itemRef(scope, 'issue', i, reviewScope(input))),
    readiness: fresh.filter((i) => i.labels.includes(readinessLabel)).map((i) => itemRef(scope, 'issue', i, reviewScope(input))),
    activeNow: board.map((column) => ({ label: column.label, count: column.items.length, limit, over: column.items.length > limit, url: column.url })),
  };
}

async function workflowChanges(input: CollectInput): Promise<SwirFigures['workflowChanges']> {
  const { config, gateway, week } = input;
  const changes: (SwirFigures['workflowChanges'][number] & { mergedAt: number })[] = [];
  // The projects and paths whose merge requests need an approval artifact: Support's handbook pages and issue templates.
  for (const scope of input.projects) {
    if (scopeGlobs(config, scope.key).length === 0) continue;
    await fromProject(scope, async () => {
      // The REST API has no merged_after filter (doc/api/merge_requests.md): merging updates a merge request, so updated_after bounds the list.
      for await (const mr of gateway.listMergeRequests(scope.id, { state: 'merged', updatedAfter: week.start })) {
        if (!inWeek(mr.mergedAt, week)) continue;
        // In scope as the approval rule decides it, past GitLab's diff limits too: one fact for both.
        if (!(await input.facts.forSubject(subjectOf(scope, 'merge_request', mr)).get('approvalScope')).inScope) continue;
        const approval = mr.labels.includes(config.labels.approvalPresent) ? 'present' : mr.labels.includes(config.labels.approvalMissing) ? 'missing' : 'unknown';
        changes.push({ ...itemRef(scope, 'merge_request', mr, reviewScope(input)), approval, mergedAt: mr.mergedAt!.getTime() });
      }
    });
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
    await fromProject(scope, async () => {
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
    });
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

/** Every figure of the review, from the projects it can read; the first project GitLab refuses is thrown as `ProjectUnreadable`. */
async function collectReadable(input: CollectInput, unreadable: UnreadableProject[]): Promise<SwirFigures> {
  const { config, week } = input;
  const asOf = input.now < week.end ? input.now : week.end;
  const readable = (key: string) => input.projects.find((p) => p.key === key);
  const review = reviewScope(input);
  const weeks = await Promise.all(input.projects.filter((p) => p.config.issues).map((scope) => projectWeek(input, scope)));
  const weekOf = (scope: ProjectScope) => weeks.find((w) => w.scope.key === scope.key) ?? { scope, opened: [], closedSince: [] };
  const attention: AttentionInput = { config, gateway: input.gateway, facts: input.facts, projects: input.projects, review, asOf, timezone: week.timezone };

  const requestsScope = readable(config.swir.requestsProject);
  const requestsWeek = requestsScope ? await requests(input, weekOf(requestsScope), asOf) : null;
  const boardScope = readable(config.activeNow.project);
  const board = boardScope ? await boardAttention(attention, boardScope) : [];
  const needsAttention: Omit<NeedsAttention, 'empty'> = {
    sla: requestsScope && requestsWeek ? slaAttention(attention, requestsScope, requestsWeek.stillOpen, requestsWeek.firstResponses) : [],
    approvalMissing: await approvalAttention(attention),
    activeNow: board,
    waitingForAdmin: requestsScope && requestsWeek ? await adminAttention(attention, requestsScope, requestsWeek.stillOpen) : [],
  };
  return {
    week: { key: week.key, from: week.days[0]!, to: week.days[6]!, timezone: week.timezone, partial: input.now < week.end },
    unreadable,
    needsAttention: {
      ...needsAttention,
      empty: needsAttention.sla.length + needsAttention.approvalMissing.length + needsAttention.waitingForAdmin.length === 0 && board.every((c) => c.items.length === 0),
    },
    topics: await topics(input),
    requests: requestsWeek?.figures ?? null,
    meta: meta(input, weekOf(review), review.key === config.activeNow.project ? board : []),
    workflowChanges: await workflowChanges(input),
    dormant: requestsWeek?.dormant ?? [],
    waiting: await waiting(input, asOf),
    perDay: perDay(week, weeks),
  };
}

/**
 * Every figure of the review for one week. A project GitLab refuses (a plain 403, a 404, a
 * 5xx after retries) is named and left out, and the figures are read again without it, so
 * what the review shows is exactly the projects it could read. The review's own project
 * must be readable: without it there is nothing to publish in.
 */
export async function collectFigures(input: CollectInput): Promise<SwirFigures> {
  const unreadable = [...(input.unreadable ?? [])];
  const order = Object.keys(input.config.projects);
  for (;;) {
    const projects = input.projects.filter((p) => !unreadable.some((u) => u.key === p.key));
    if (!projects.some((p) => p.key === input.config.swir.project)) {
      const lost = unreadable.find((u) => u.key === input.config.swir.project);
      throw new Error(
        `swir: ${lost ? describeUnreadable(lost) : input.config.swir.project}, the project the review is published in (swir.project), could not be read: nothing published`,
      );
    }
    try {
      return await collectReadable(
        { ...input, projects },
        [...unreadable].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key)),
      );
    } catch (error) {
      if (!(error instanceof ProjectUnreadable) || unreadable.some((u) => u.key === error.project.key)) throw error;
      unreadable.push(error.project);
    }
  }
}
