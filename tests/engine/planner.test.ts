import { describe, expect, it } from 'vitest';
import { FactsLoader } from '../../src/engine/facts.js';
import { planSubject } from '../../src/engine/planner.js';
import { ruleRunsOn } from '../../src/engine/runsOn.js';
import type { GitLabGateway, Issue, Note } from '../../src/gitlab/types.js';
import { issueRule, type BaseContext } from '../../src/rules/types.js';
import { buildContext, buildIssue, buildIssueTrigger, buildNote, buildSubject, defaultConfig } from '../helpers/builders.js';

/** A GitLab that serves notes, one board and the team, counting reads; `failNotes` makes every notes read fail. */
function fakeGateway(options: { failNotes?: boolean } = {}) {
  const reads: string[] = [];
  const gateway = {
    async *listNotes(ref: { iid: number }): AsyncIterable<Note> {
      reads.push(`notes ${ref.iid}`);
      if (options.failNotes) throw new Error('GET notes → 500');
      yield buildNote({ body: `note on ${ref.iid}` });
    },
    async *listIssues(_p: number, query: { labels?: string[] }): AsyncIterable<Issue> {
      reads.push(`board ${query.labels?.join(',')}`);
      yield buildIssue({ iid: 7, labels: query.labels ?? [] });
    },
    async *listTeamMembers(): AsyncIterable<{ id: number; username: string }> {
      yield { id: 9, username: 'sasha-support' };
    },
    async currentUser() {
      reads.push('user');
      return { id: 2, username: 'support-bot' };
    },
  } as unknown as GitLabGateway;
  return { gateway, reads };
}

const ctx: BaseContext = { ...buildContext(), trigger: { kind: 'job', job: 'sweep' } };
const seen: string[] = [];

const needsNotes = issueRule({
  key: 'needs-notes',
  description: 'test',
  runsOn: { events: {}, jobs: ['sweep'] },
  needs: ['notes'],
  applies: () => true,
  plan: (_s, c) => {
    seen.push(`needs-notes saw ${c.facts.notes.length}`);
    return [{ action: { type: 'addLabels', labels: ['n::yes'] }, reason: 'r' }];
  },
});

const notesOptional = issueRule({
  key: 'notes-optional',
  description: 'test',
  runsOn: { events: {}, jobs: ['sweep'] },
  optional: ['notes'],
  applies: () => true,
  plan: (_s, c) => [{ action: { type: 'addLabels', labels: [c.facts.notes ? 'o::with' : 'o::without'] }, reason: 'r' }],
});

const board = issueRule({
  key: 'board',
  description: 'test',
  runsOn: { events: {}, jobs: ['sweep'] },
  needs: ['activeNow'],
  applies: () => true,
  plan: () => [],
});

describe('planner and facts', () => {
  it('loads a fact two rules need once for the subject', async () => {
    const { gateway, reads } = fakeGateway();
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(buildSubject('internal-requests', { iid: 3 }));
    const plan = await planSubject(facts.subject, [needsNotes, notesOptional], ctx, facts);
    expect(reads).toEqual(['notes 3']);
    expect(plan.outcomes.map((o) => o.status)).toEqual(['planned', 'planned']);
  });

  it("a needed fact that failed is that rule's error, recorded once; a rule with it optional plans without it and says so", async () => {
    const { gateway } = fakeGateway({ failNotes: true });
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(buildSubject('internal-requests'));
    seen.length = 0;
    const plan = await planSubject(facts.subject, [needsNotes, notesOptional], ctx, facts);
    expect(seen).toEqual([]);
    expect(plan.outcomes).toEqual([
      { rule: 'needs-notes', status: 'error', actions: 0, error: 'fact "notes" could not be loaded: GET notes → 500' },
      { rule: 'notes-optional', status: 'planned', actions: 1, without: ['notes'] },
    ]);
    expect(plan.planned.map((p) => p.action)).toEqual([{ type: 'addLabels', labels: ['o::without'] }]);
  });

  it('reads a run-wide fact (the board) once for every subject of a run, and a subject fact (notes) per subject', async () => {
    const { gateway, reads } = fakeGateway();
    const loader = new FactsLoader({ config: defaultConfig, gateway });
    for (const iid of [1, 2, 3]) {
      const facts = loader.forSubject(buildSubject('support-team-meta', { iid }));
      await planSubject(facts.subject, [board, needsNotes], ctx, facts);
    }
    expect(reads.filter((r) => r.startsWith('board'))).toHaveLength(defaultConfig.activeNow.labels.length);
    expect(reads.filter((r) => r.startsWith('notes'))).toEqual(['notes 1', 'notes 2', 'notes 3']);
  });

  it('loads no fact for a rule that does not apply', async () => {
    const { gateway, reads } = fakeGateway();
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(buildSubject('internal-requests'));
    const plan = await planSubject(facts.subject, [{ ...needsNotes, applies: () => false }], ctx, facts);
    expect(reads).toEqual([]);
    expect(plan.outcomes[0]!.status).toBe('not-applicable');
  });
});

describe('runsOn: when a rule runs is declared once', () => {
  const rule = issueRule({
    key: 'watcher',
    description: 'test',
    runsOn: { events: { 'issue.open': 'always', 'issue.update': ['labels'] }, jobs: ['sla'] },
    applies: () => true,
    plan: () => [],
  });
  it.each([
    [buildIssueTrigger('issue.open'), true],
    [buildIssueTrigger('issue.update', ['labels', 'updated_at']), true],
    [buildIssueTrigger('issue.update', ['title']), false],
    [buildIssueTrigger('issue.update', []), false],
    [buildIssueTrigger('issue.close'), false],
    [{ kind: 'job', job: 'sla' } as const, true],
    [{ kind: 'job', job: 'sweep' } as const, false],
  ])('%#', (trigger, expected) => {
    expect(ruleRunsOn(rule, trigger)).toBe(expected);
  });

  it('a misspelt event or job key does not compile', () => {
    // @ts-expect-error -- 'issue.opened' is not an event key
    issueRule({ key: 'x', description: 'x', runsOn: { events: { 'issue.opened': 'always' }, jobs: [] }, applies: () => true, plan: () => [] });
    // @ts-expect-error -- no job named 'nightly' exists
    issueRule({ key: 'x', description: 'x', runsOn: { events: {}, jobs: ['nightly'] }, applies: () => true, plan: () => [] });
    // @ts-expect-error -- an issue rule cannot run on merge request events
    issueRule({ key: 'x', description: 'x', runsOn: { events: { 'merge_request.open': 'always' }, jobs: [] }, applies: () => true, plan: () => [] });
    // @ts-expect-error -- a fact that is not in the fact map
    issueRule({ key: 'x', description: 'x', runsOn: { events: {}, jobs: [] }, needs: ['weather'], applies: () => true, plan: () => [] });
    expect(true).toBe(true);
  });
});

describe('a note template that fails to render', () => {
  it('drops only the note: the protective actions still apply, and the outcome is the error', async () => {
    const { sensitiveData } = await import('../../src/rules/sensitiveData.js');
    const subject = buildSubject('support-team-meta', { description: 'token glpat-Ab3Ab3Ab3Ab3Ab3Ab3Ab3Ab3' }, { visibility: 'public' });
    const broken = {
      has: () => true,
      render: () => {
        throw new Error('missing helper "shout"');
      },
    };
    const { gateway } = fakeGateway();
    const facts = new FactsLoader({ config: defaultConfig, gateway }).forSubject(subject);
    const plan = await planSubject(subject, [sensitiveData], { ...ctx, render: broken }, facts);
    const types = plan.planned.map((p) => p.action.type);
    expect(types).toEqual(expect.arrayContaining(['setConfidential', 'setDescription', 'addLabels']));
    expect(types).not.toContain('upsertNote');
    expect(plan.outcomes[0]).toMatchObject({ rule: 'sensitive-data', status: 'error', error: 'note "sensitive-data" not rendered: missing helper "shout"' });
  });
});
