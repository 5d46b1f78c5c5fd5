import type { BotConfig } from '../config/schema.js';
import type { FactsLoader } from '../engine/facts.js';
import { scopeGlobs } from '../approvals/scope.js';
import type { GitLabGateway, Issue } from '../gitlab/types.js';
import type { FirstResponseStatus } from '../sla/firstResponse.js';
import { formatLocal } from '../sla/zonedTime.js';
import type { ProjectScope } from '../subjects.js';
import { ageText, itemRef, type ItemRef } from './items.js';
import { issueListUrl } from './links.js';
import { fromProject } from './unreadable.js';
import { localDay } from './week.js';

// The review's first section, "Needs attention": what a manager can act on, as lists with
// links and ages rather than counts. Read through the facts the rules read (first responses
// as of the cut-off, when a label was added), so the review and the jobs agree.

export interface SlaItem extends ItemRef {
  state: 'breached' | 'at-risk';
  /** The template whose target applies, or "no template". */
  template: string;
  age: string;
  /** When the target passed (breached) or passes (at risk), on the SLA's clock. */
  due: string;
}

export interface BoardColumn {
  label: string;
  url: string;
  items: (ItemRef & { since: string; age: string | null; lastActivity: string })[];
}

export interface NeedsAttention {
  sla: SlaItem[];
  approvalMissing: (ItemRef & { age: string })[];
  activeNow: BoardColumn[];
  waitingForAdmin: (ItemRef & { state: 'eligible' | 'needs-admin'; since: string; age: string })[];
  /** Nothing in any list. */
  empty: boolean;
}

export interface AttentionInput {
  config: BotConfig;
  gateway: Pick<GitLabGateway, 'listIssues' | 'listMergeRequests'>;
  facts: FactsLoader;
  projects: ProjectScope[];
  review: ProjectScope;
  /** The cut-off: the end of the week, or the run when the week is not over. */
  asOf: Date;
  timezone: string;
}

/**
 * Open requests (of `swir.requestsProject`, open at the cut-off) at risk of or past their
 * first-response target, as the `firstResponse` fact judged them at the cut-off (read with
 * the week's other first responses): breached first, each by its due time.
 */
export function slaAttention(input: AttentionInput, scope: ProjectScope, openRequests: readonly Issue[], firstResponses: ReadonlyMap<number, FirstResponseStatus>): SlaItem[] {
  const { config, asOf } = input;
  const items = openRequests.flatMap((issue) => {
    const status = firstResponses.get(issue.iid);
    if (status?.state !== 'breached' && status?.state !== 'at-risk') return [];
    return [
      {
        item: {
          ...itemRef(scope, 'issue', issue, input.review),
          state: status.state,
          template: status.target.template ?? 'no template',
          age: ageText(issue.createdAt, asOf),
          due: formatLocal(status.target.dueAt, config.sla.timezone),
        },
        dueAt: status.target.dueAt.getTime(),
      },
    ];
  });
  const rank = (s: SlaItem['state']) => (s === 'breached' ? 0 : 1);
  return items.sort((a, b) => rank(a.item.state) - rank(b.item.state) || a.dueAt - b.dueAt).map((x) => x.item);
}

/** Open merge requests in `approvals.scope` labelled `approval::missing`, oldest first. */
export async function approvalAttention(input: AttentionInput): Promise<NeedsAttention['approvalMissing']> {
  const { config } = input;
  const found: { item: NeedsAttention['approvalMissing'][number]; createdAt: number }[] = [];
  for (const scope of input.projects.filter((p) => scopeGlobs(config, p.key).length > 0)) {
    await fromProject(scope, async () => {
      for await (const mr of input.gateway.listMergeRequests(scope.id, { state: 'opened', labels: [config.labels.approvalMissing] })) {
        found.push({ item: { ...itemRef(scope, 'merge_request', mr, input.review), age: ageText(mr.createdAt, input.asOf) }, createdAt: mr.createdAt.getTime() });
      }
    });
  }
  return found.sort((a, b) => a.createdAt - b.createdAt).map((f) => f.item);
}

/**
 * The 'Active Now' board as it is at the run, per column: each issue (a confidential one
 * by its link only), in the column since its label was last added, and its last activity.
 */
export async function boardAttention(input: AttentionInput, scope: ProjectScope): Promise<BoardColumn[]> {
  const { config, asOf, timezone } = input;
  return fromProject(scope, async () => {
    const columns: BoardColumn[] = [];
    for (const label of config.activeNow.labels) {
      const issues: Issue[] = [];
      for await (const issue of input.gateway.listIssues(scope.id, { state: 'opened', labels: [label], orderBy: 'created_at', sort: 'asc' })) issues.push(issue);
      const added = await Promise.all(issues.map((issue) => input.facts.forSubject({ kind: 'issue', project: scope, issue }).get('labelAddedAt')));
      const items = issues.map((issue, i) => {
        const since = added[i]!.last(label) ?? issue.createdAt;
        return {
          ...itemRef(scope, 'issue', issue, input.review),
          since: localDay(since, timezone),
          // Moved into the column after the cut-off (a final week's board is read at the run): the date says it.
          age: since <= asOf ? ageText(since, asOf) : null,
          lastActivity: localDay(issue.updatedAt, timezone),
        };
      });
      columns.push({ label, url: issueListUrl(scope.webUrl, { state: 'opened', labels: [label] }), items });
    }
    return columns;
  });
}

/**
 * Open dormant-namespace requests only an administrator can take further: eligible ones
 * (the release is an administrator's `run dormant --apply-rename`) and those whose criteria
 * the bot's token cannot verify (`labels.dormantNeedsAdmin`).
 */
export async function adminAttention(input: AttentionInput, scope: ProjectScope, openRequests: readonly Issue[]): Promise<NeedsAttention['waitingForAdmin']> {
  const { config, asOf, timezone } = input;
  const states = [
    { state: 'eligible' as const, label: config.labels.dormantEligible },
    { state: 'needs-admin' as const, label: config.labels.dormantNeedsAdmin },
  ];
  const waiting = openRequests.flatMap((issue) => {
    const match = states.find((s) => issue.labels.includes(s.label));
    return match ? [{ issue, ...match }] : [];
  });
  const added = await fromProject(scope, () => Promise.all(waiting.map(({ issue }) => input.facts.forSubject({ kind: 'issue', project: scope, issue }).get('labelAddedAt'))));
  return waiting
    .map(({ issue, state, label }, i) => {
      const since = added[i]!.last(label, asOf) ?? issue.createdAt;
      return { ...itemRef(scope, 'issue', issue, input.review), state, since: localDay(since, timezone), age: ageText(since, asOf), at: since.getTime() };
    })
    .sort((a, b) => a.at - b.at)
    .map(({ at: _, ...item }) => item);
}
