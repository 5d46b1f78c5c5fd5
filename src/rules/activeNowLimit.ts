import { z } from 'zod';
import { labelName, projectKey } from '../config/fields.js';
import { configSection } from '../config/section.js';
import { issueRule, type BaseContext, type IssueBrief, type IssueSubject, type RuleContext, type RuleResult, type Trigger } from './types.js';

const activeNowSchema = z.strictObject({
  project: projectKey.default('support-team-meta'),
  labels: z.array(labelName).min(1).default(['Active Now::Focus', 'Active Now::In Progress', 'Active Now::Review']),
  limit: z.number().int().min(1).default(6),
  /**
   * `comment` (default): the issue over the limit keeps its label and gets a note; managers
   * review the board weekly, and a bot undoing a manager's move surprises. `revert` also
   * removes the label.
   */
  mode: z.enum(['revert', 'comment']).default('comment'),
  /** The board the notes link to; default: the project's boards page (`<project>/-/boards`). */
  boardUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** This rule's section of the config file, `activeNow:`. */
export const activeNowConfig = configSection('activeNow', activeNowSchema, { projectKeys: ['project'] });

declare module '../config/schema.js' {
  interface RuleConfigs {
    activeNow: z.output<typeof activeNowSchema>;
  }
}

const NOTE_KEY = 'active-now-limit';

interface LabelChange {
  added: Set<string>;
  removed: Set<string>;
}

/**
 * What this trigger did to the issue's labels. A reopened issue rejoins the board with
 * every label it has; an update says so in GitLab's `changes`. A new issue needs no
 * help: it is the newest, so the board's order already puts it last (and a late or
 * replayed `open` of an issue long on the board does not push it out). A sweep knows nothing.
 */
function labelChange(trigger: Trigger, labels: readonly string[]): LabelChange & { rejoined: boolean } {
  const none = { added: new Set<string>(), removed: new Set<string>(), rejoined: false };
  if (trigger.kind !== 'event' || trigger.event.kind !== 'issue') return none;
  const { event } = trigger;
  if (event.key === 'issue.reopen') return { added: new Set(labels), removed: new Set(), rejoined: true };
  // GitLab's `open` payload carries `changes` too (labels from none to the initial set): only an update's count.
  if (event.key !== 'issue.update' || !event.labelChange) return none;
  const previous = new Set(event.labelChange.previous);
  const current = new Set(event.labelChange.current);
  return { added: new Set([...current].filter((l) => !previous.has(l))), removed: new Set([...previous].filter((l) => !current.has(l))), rejoined: false };
}

interface LimitHit {
  label: string;
  /** The issues that keep their place: the first `limit` on the board, this one excluded. */
  current: IssueBrief[];
  /** Board size with this issue. */
  count: number;
}

/** The column in the order its issues got the label (ties as listed, oldest first). */
function byLabelTime(board: readonly IssueBrief[]): IssueBrief[] {
  return board
    .map((b, i) => ({ b, i }))
    .sort((x, y) => x.b.labelledAt!.getTime() - y.b.labelledAt!.getTime() || x.i - y.i)
    .map(({ b }) => b);
}

/**
 * Where this issue stands among the label's open issues. A reopened issue rejoins behind
 * everyone already there. Otherwise the order in which the issues got the label decides
 * (read from label events when the column is over its limit), so of two issues labelled at
 * the same moment, the one labelled last is held back however the deliveries are ordered;
 * without label times, the issue that just got the label queues last, and a sweep holds
 * back the most recently created.
 */
function limitHit(subject: IssueSubject, label: string, board: readonly IssueBrief[], change: LabelChange & { rejoined: boolean }, limit: number): LimitHit | undefined {
  // The board carries label times for a column over its limit.
  const timed = board.length > 0 && board.every((b) => b.labelledAt);
  const ordered = timed ? byLabelTime(board) : board;
  const others = ordered.filter((b) => b.iid !== subject.issue.iid);
  const listed = ordered.findIndex((b) => b.iid === subject.issue.iid);
  const last = change.rejoined || listed < 0 || (!timed && change.added.has(label));
  const position = last ? others.length : listed;
  if (position < limit) return undefined;
  return { label, current: others.slice(0, limit), count: others.length + 1 };
}

/** A board label the same change replaced (scoped labels swap), put back when its column has room. */
function labelToRestore(change: LabelChange, ctx: RuleContext<'activeNow', never, never>, boardOf: (label: string) => readonly IssueBrief[], iid: number): string | undefined {
  const { labels, limit } = ctx.config.activeNow;
  return labels.find((label) => change.removed.has(label) && boardOf(label).filter((b) => b.iid !== iid).length < limit);
}

/**
 * A board issue as the note names it. A confidential one is named by its link only. In
 * revert mode the issue leaves the board, so the bot stops re-rendering its note: titles,
 * which can turn confidential later, stay out of it (GitLab shows a reference's title to
 * the readers allowed to see it).
 */
function describeBoardIssue(brief: IssueBrief, quoteTitles: boolean): { iid: number; url: string; title: string; confidential: boolean } {
  return { iid: brief.iid, url: brief.webUrl, title: brief.confidential || !quoteTitles ? '' : brief.title, confidential: brief.confidential };
}

/** The board's columns this issue is in. */
function columnsOf(iid: number, board: Readonly<Record<string, readonly IssueBrief[]>>): (readonly IssueBrief[])[] {
  return Object.values(board).filter((column) => column.some((b) => b.iid === iid));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An open issue that has left the board (no board label now) whose comment-mode note may
 * still quote the board of its day: on the webhook that took its last board label off, and
 * in a sweep when it has comments and changed within `bot.closedIssuesWindowDays` (the
 * window the sweep reads closed issues in), so a missed webhook is caught without reading
 * the comments of every issue of the project. In revert mode the note says the bot removed
 * the label and names no title: it is left as it is.
 */
function leftBoard(subject: IssueSubject, ctx: Pick<BaseContext, 'config' | 'trigger' | 'now'>): boolean {
  const { labels, mode } = ctx.config.activeNow;
  if (mode === 'revert' || subject.issue.labels.some((l) => labels.includes(l))) return false;
  const { trigger } = ctx;
  if (trigger.kind === 'job') return subject.issue.userNotesCount > 0 && ctx.now.getTime() - subject.issue.updatedAt.getTime() <= ctx.config.bot.closedIssuesWindowDays * DAY_MS;
  const { removed } = labelChange(trigger, subject.issue.labels);
  return labels.some((l) => removed.has(l));
}

/** The board the notes link to: `activeNow.boardUrl`, else the project's boards page. */
export function boardUrlOf(subject: IssueSubject, boardUrl: string | undefined): string {
  return boardUrl ?? `${subject.project.webUrl.replace(/\/+$/, '')}/-/boards`;
}

export const activeNowLimit = issueRule({
  key: 'active-now-limit',
  description:
    "Keeps each 'Active Now' board label to its limit of open issues: comments on the issue over it (linking the board) and, in revert mode, removes the label; its note is re-rendered against the current board",
  config: activeNowConfig,
  messages: {
    'active-now-limit': [
      {
        limit: 6,
        revert: true,
        left: false,
        restored: 'Active Now::Focus',
        board: 'https://gitlab.example/g/p/-/boards',
        hits: [
          {
            label: 'Active Now::Focus',
            count: 7,
            current: [
              { iid: 1, title: 'An issue', url: 'https://gitlab.example/g/p/-/issues/1', confidential: false },
              { iid: 2, title: '', url: 'https://gitlab.example/g/p/-/issues/2', confidential: true },
            ],
          },
        ],
      },
      // Comment mode over two columns at once, nothing put back.
      {
        limit: 1,
        revert: false,
        left: false,
        restored: '',
        board: 'https://gitlab.example/g/p/-/boards',
        hits: [
          { label: 'Active Now::Focus', count: 2, current: [{ iid: 1, title: 'An issue', url: 'https://gitlab.example/g/p/-/issues/1', confidential: false }] },
          { label: 'Active Now::Review', count: 2, current: [{ iid: 3, title: 'Another', url: 'https://gitlab.example/g/p/-/issues/3', confidential: false }] },
        ],
      },
      // An earlier note re-rendered once the issue is within the limit, or has left the board.
      { limit: 6, revert: false, left: false, restored: '', board: 'https://gitlab.example/g/p/-/boards', hits: [] },
      { limit: 6, revert: false, left: true, restored: '', board: 'https://gitlab.example/g/p/-/boards', hits: [] },
    ],
  },
  runsOn: {
    events: { 'issue.open': 'always', 'issue.reopen': 'always', 'issue.update': ['labels'] },
    jobs: ['sweep'],
    projects: (project, config) => project.key === config.activeNow.project,
  },
  // Notes on held-back issues quote the titles of the issues in their columns: when one is
  // retitled or made confidential, the other issues of its columns are re-planned at once
  // (each note is re-rendered, or left alone where there is none), not at the next sweep.
  quotedBy: {
    events: { 'issue.update': ['title', 'confidential'] },
    iids: (subject, facts) => columnsOf(subject.issue.iid, facts.activeNow).flatMap((column) => column.map((b) => b.iid)),
  },
  needs: ['activeNow'],
  labels: (config) => config.activeNow.labels.map((label, i) => ({ label, from: `activeNow.labels[${i}]` })),
  applies: (subject, ctx) => subject.issue.state === 'opened' && (subject.issue.labels.some((l) => ctx.config.activeNow.labels.includes(l)) || leftBoard(subject, ctx)),
  plan(subject, ctx) {
    const { labels: boardLabels, limit, mode, boardUrl } = ctx.config.activeNow;
    const boardOf = (label: string) => ctx.facts.activeNow[label] ?? [];
    const change = labelChange(ctx.trigger, subject.issue.labels);
    const hits = boardLabels
      .filter((label) => subject.issue.labels.includes(label))
      .map((label) => limitHit(subject, label, boardOf(label), change, limit))
      .filter((hit): hit is LimitHit => hit !== undefined);
    const board = boardUrlOf(subject, boardUrl);
    if (leftBoard(subject, ctx)) {
      const body = ctx.render.render('active-now-limit', { limit, revert: false, left: true, restored: '', board, hits: [] });
      return [{ action: { type: 'upsertNote', key: NOTE_KEY, body, onlyIfExists: true }, reason: "no longer on the 'Active Now' board" }];
    }
    if (hits.length === 0) {
      // A note from when the issue was held back is re-rendered against today's board:
      // it names no issue any more, so a title that has turned confidential since leaves it.
      const body = ctx.render.render('active-now-limit', { limit, revert: false, left: false, restored: '', board, hits: [] });
      return [{ action: { type: 'upsertNote', key: NOTE_KEY, body, onlyIfExists: true }, reason: `within the 'Active Now' limit of ${limit}` }];
    }

    const revert = mode === 'revert';
    const reason = hits.map((h) => `~"${h.label}" has ${h.count} open issues, over its limit of ${limit}`).join('; ');
    const results: RuleResult[] = [];
    let restored: string | undefined;
    if (revert) {
      results.push({ action: { type: 'removeLabels', labels: hits.map((h) => h.label) }, reason });
      restored = labelToRestore(change, ctx, boardOf, subject.issue.iid);
      if (restored) results.push({ action: { type: 'addLabels', labels: [restored] }, reason: `put back ~"${restored}", which the same change replaced and which has room` });
    }
    const body = ctx.render.render('active-now-limit', {
      limit,
      revert,
      left: false,
      restored: restored ?? '',
      board,
      hits: hits.map((h) => ({ ...h, current: h.current.map((b) => describeBoardIssue(b, !revert)) })),
    });
    // Reverted, the issue leaves the board and this rule's reach: the note goes first, so a run
    // killed before the label goes leaves an issue still over the limit, which the next run finishes.
    results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body, ...(revert ? { first: true } : {}) }, reason });
    return results;
  },
});
