import { describe, expect, it } from 'vitest';
import { WriteBudget } from '../../src/engine/budget.js';
import { Executor, type OwnedIssue } from '../../src/engine/executor.js';
import { DryRunWriter } from '../../src/engine/writer.js';
import type { Issue, IssueQuery, IssueUpdate, Note } from '../../src/gitlab/types.js';
import { silentLogger } from '../../src/logger.js';
import { buildIssue } from '../helpers/builders.js';
import { gitlabPort } from '../helpers/gitlabPort.js';

// Executor.upsertIssue: one issue per key, created once, edited only when its content,
// title or labels differ; the stamp line is written with a change and never compared.

class IssueTracker {
  issues: Issue[] = [];
  calls: string[] = [];
  async *listNotes(): AsyncIterable<Note> {}
  async *listCommitStatuses(): AsyncIterable<never> {}
  async *listAwardEmoji(): AsyncIterable<never> {}
  async *listIssues(_p: number | string, query: IssueQuery = {}): AsyncIterable<Issue> {
    this.calls.push(`listIssues search=${query.search} state=${query.state}`);
    yield* this.issues.filter((i) => !query.search || `${i.title}\n${i.description}`.includes(query.search));
  }
  async createIssue(projectId: number, input: { title: string; description?: string; labels?: string[] }): Promise<Issue> {
    this.calls.push(`createIssue ${input.title}`);
    const issue = buildIssue({ projectId, iid: this.issues.length + 1, title: input.title, description: input.description ?? '', labels: input.labels ?? [] });
    this.issues.push(issue);
    return issue;
  }
  async updateIssue(_p: number, iid: number, update: IssueUpdate): Promise<Issue> {
    this.calls.push(`updateIssue #${iid} ${Object.keys(update).join(',')}`);
    const issue = this.issues.find((i) => i.iid === iid)!;
    if (update.description !== undefined) issue.description = update.description;
    if (update.title !== undefined) issue.title = update.title;
    if (update.addLabels) issue.labels = [...issue.labels, ...update.addLabels];
    return issue;
  }
  async updateMergeRequest(): Promise<never> {
    throw new Error('unused');
  }
  async renameUser(): Promise<never> {
    throw new Error('unused');
  }
  async createNote(): Promise<never> {
    throw new Error('unused');
  }
  async updateNote(): Promise<never> {
    throw new Error('unused');
  }
  async deleteNote(): Promise<void> {}
  async setCommitStatus(): Promise<void> {}
}

const report = (description: string, stamp = 'on Friday'): OwnedIssue => ({
  projectId: 7,
  key: 'swir-2026-w48',
  title: 'Support Week in Review 2026-W48',
  description,
  labels: ['SWIR'],
  stamp: { created: `Generated ${stamp}.`, updated: `Regenerated ${stamp}.` },
});

function executor(tracker: IssueTracker, options: { budget?: WriteBudget; dryRun?: boolean; writer?: DryRunWriter } = {}) {
  return new Executor({
    reader: tracker,
    writer: options.writer ?? gitlabPort(tracker),
    dryRun: options.dryRun,
    bot: async () => ({ id: 1, username: 'support-bot' }),
    budget: options.budget ?? new WriteBudget(),
    log: silentLogger,
  });
}

describe('Executor.upsertIssue', () => {
  it('creates the issue once, then writes nothing while the content is the same, whatever the stamp says', async () => {
    const tracker = new IssueTracker();
    const first = await executor(tracker).upsertIssue('swir', report('3 opened'), 'weekly');
    expect(first.change.outcome).toBe('written');
    expect(tracker.issues).toHaveLength(1);
    expect(tracker.issues[0]!.description).toBe('<!-- support-bot:swir-2026-w48 -->\n3 opened\n\n<!-- support-bot:stamp -->\nGenerated on Friday.\n');
    expect(tracker.issues[0]!.labels).toEqual(['SWIR']);

    tracker.calls = [];
    const second = await executor(tracker).upsertIssue('swir', report('3 opened', 'on Saturday'), 'weekly');
    expect(second.change.outcome).toBe('unchanged');
    expect(tracker.calls).toEqual(['listIssues search=Support Week in Review 2026-W48 state=all']);
  });

  it('edits the same issue when the content changed, stamping it, and puts back a removed label', async () => {
    const tracker = new IssueTracker();
    await executor(tracker).upsertIssue('swir', report('3 opened'), 'weekly');
    tracker.issues[0]!.labels = ['template::none'];
    const edited = await executor(tracker).upsertIssue('swir', report('4 opened', 'on Monday'), 'weekly');
    expect(edited.change).toMatchObject({ outcome: 'written', detail: 'issue #1 "Support Week in Review 2026-W48": rewrite description, add ~"SWIR"' });
    expect(tracker.issues).toHaveLength(1);
    expect(tracker.issues[0]!.description).toContain('4 opened\n\n<!-- support-bot:stamp -->\nRegenerated on Monday.');
    expect(tracker.issues[0]!.labels).toEqual(['template::none', 'SWIR']);
  });

  it('adopts an issue with the exact title that has no marker (made by hand) rather than opening a second one', async () => {
    const tracker = new IssueTracker();
    tracker.issues.push(buildIssue({ projectId: 7, iid: 1, title: 'Support Week in Review 2026-W48', description: 'notes by hand', labels: [] }));
    await executor(tracker).upsertIssue('swir', report('3 opened'), 'weekly');
    expect(tracker.issues).toHaveLength(1);
    expect(tracker.issues[0]!.description).toContain('<!-- support-bot:swir-2026-w48 -->\n3 opened');
  });

  it('in a dry run records the write as would-write and sends nothing', async () => {
    const tracker = new IssueTracker();
    const writer = new DryRunWriter();
    const result = await executor(tracker, { dryRun: true, writer }).upsertIssue('swir', report('3 opened'), 'weekly');
    expect(result.change.outcome).toBe('would-write');
    expect(tracker.issues).toHaveLength(0);
    expect(writer.writes.map((w) => w.method)).toEqual(['createIssue']);
  });

  it('respects the write budget', async () => {
    const tracker = new IssueTracker();
    const budget = new WriteBudget(0);
    const result = await executor(tracker, { budget }).upsertIssue('swir', report('3 opened'), 'weekly');
    expect(result.change.outcome).toBe('skipped');
    expect(tracker.issues).toHaveLength(0);
  });
});
