import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { BotConfig } from '../../src/config/schema.js';
import { createDemoContext } from '../../src/demo/context.js';
import { activeNowLimitHit } from '../../src/demo/scenarios/activeNow.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { markerKey } from '../../src/engine/markers.js';
import { allRules } from '../../src/rules/index.js';
import type { Action } from '../../src/rules/actions.js';
import { activeNowLimit } from '../../src/rules/activeNowLimit.js';
import type { IssueBrief, IssueSubject, Trigger } from '../../src/rules/types.js';
import { buildContext, buildIssueTrigger, buildSubject, defaultConfig, evaluate } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep } from '../helpers/replay.js';

const [FOCUS, IN_PROGRESS, REVIEW] = defaultConfig.activeNow.labels as [string, string, string];
const PROJECT = defaultConfig.activeNow.project;
const withMode = (mode: 'revert' | 'comment'): BotConfig => ({ ...defaultConfig, activeNow: { ...defaultConfig.activeNow, mode } });

const brief = (iid: number, confidential = false): IssueBrief => ({ iid, title: `Initiative ${iid}`, webUrl: `https://gitlab.example.com/meta/-/issues/${iid}`, confidential });
/** A board column of `count` issues, oldest first, with iids 1..count. */
const column = (count: number): IssueBrief[] => Array.from({ length: count }, (_, i) => brief(i + 1));

/** A webhook in which `previous` labels became the issue's `current` ones. */
function labelUpdate(previous: string[], current: string[]): Trigger {
  return buildIssueTrigger('issue.update', ['labels'], { labelChange: { previous, current } });
}

function plan(subject: IssueSubject, board: Record<string, IssueBrief[]>, trigger: Trigger, config = defaultConfig): Action[] {
  const ctx = buildContext({ config, trigger, facts: { activeNow: board } });
  return evaluate(activeNowLimit, subject, ctx).map((r) => r.action);
}

/** What a plan changes besides re-rendering an existing note (`onlyIfExists`): labels, or a new note. */
const writesOf = (actions: Action[]): Action[] => actions.filter((a) => !(a.type === 'upsertNote' && a.onlyIfExists));
const REVERT = withMode('revert');

const noteOf = (actions: Action[]): string => {
  const note = actions.find((a) => a.type === 'upsertNote');
  return note?.type === 'upsertNote' ? note.body : '';
};

describe('active-now-limit', () => {
  describe.each(['revert', 'comment'] as const)('mode %s', (mode) => {
    const config = withMode(mode);

    it.each([5, 6])('leaves the issue alone when it makes the column %i: an earlier note is only re-rendered, naming no issue', (size) => {
      const subject = buildSubject(PROJECT, { iid: size, labels: [FOCUS] });
      for (const trigger of [labelUpdate([], [FOCUS]), { kind: 'job', job: 'sweep' } as const]) {
        const actions = plan(subject, { [FOCUS]: column(size) }, trigger, config);
        expect(writesOf(actions)).toEqual([]);
        expect(actions).toHaveLength(1);
        expect(noteOf(actions)).toContain('This issue is within the limit of 6 open issues per label');
        expect(noteOf(actions)).not.toMatch(/#\d|Initiative/);
      }
    });

    it('acts on the seventh issue that just got the label, listing the six', () => {
      // The newcomer is #3: older than most of the column, but it is the one that joined.
      const board = { [FOCUS]: [...column(7)] };
      const subject = buildSubject(PROJECT, { iid: 3, labels: [FOCUS, 'proposal'] });
      const actions = plan(subject, board, labelUpdate(['proposal'], [FOCUS, 'proposal']), config);
      if (mode === 'revert') expect(actions).toContainEqual({ type: 'removeLabels', labels: [FOCUS] });
      else expect(actions.some((a) => a.type === 'removeLabels' || a.type === 'addLabels')).toBe(false);
      const note = actions.filter((a) => a.type === 'upsertNote');
      expect(note).toHaveLength(1);
      const body = noteOf(actions);
      // Titles only where the bot keeps re-rendering the note: the issue stays on the board in comment mode.
      for (const iid of [1, 2, 4, 5, 6, 7]) expect(body).toContain(`[#${iid}](https://gitlab.example.com/meta/-/issues/${iid})${mode === 'comment' ? ` Initiative ${iid}` : '\n'}`);
      expect(body).not.toContain('[#3]');
      expect(body).toContain(`~"${FOCUS}" already has its limit of 6 open issues on the ['Active Now' board](https://gitlab.example.com/gitlab-com/support/${PROJECT}/-/boards)`);
      expect(body).toMatch(mode === 'revert' ? /, so I removed it from this issue\. These are the 6:/ : /: with this issue it has 7\. These are the 6:/);
      expect(body).not.toMatch(/removed it from this issue again/);
    });

    it('never touches an issue already among the six, even when the column is over', () => {
      const board = { [FOCUS]: column(7) };
      for (const iid of [1, 2, 3, 4, 5, 6]) {
        const subject = buildSubject(PROJECT, { iid, labels: [FOCUS] });
        expect(writesOf(plan(subject, board, { kind: 'job', job: 'sweep' }, config))).toEqual([]);
        // An unrelated label change on an issue that already had the label.
        expect(writesOf(plan(subject, board, labelUpdate([FOCUS], [FOCUS, 'workflow']), config))).toEqual([]);
      }
    });

    it('with label times (a column over its limit), holds back the issue labelled last, whichever delivery comes first', () => {
      // #7 got the label before #3: #3's delivery and #7's both see the column of seven.
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 16, 9, minute));
      const board = { [FOCUS]: column(7).map((b) => ({ ...b, labelledAt: at(b.iid === 3 ? 30 : b.iid) })) };
      const seventh = plan(buildSubject(PROJECT, { iid: 7, labels: [FOCUS] }), board, labelUpdate([], [FOCUS]), config);
      expect(writesOf(seventh)).toEqual([]);
      const third = plan(buildSubject(PROJECT, { iid: 3, labels: [FOCUS] }), board, labelUpdate([], [FOCUS]), config);
      expect(noteOf(third)).toContain(`~"${FOCUS}" already has its limit of 6`);
      for (const iid of [1, 2, 4, 5, 6, 7]) expect(noteOf(third)).toContain(`[#${iid}]`);
      // A reopened issue rejoins behind everyone, whenever it first got the label.
      const reopened = plan(buildSubject(PROJECT, { iid: 1, labels: [FOCUS] }), board, buildIssueTrigger('issue.reopen', []), config);
      expect(noteOf(reopened)).toContain(`~"${FOCUS}" already has its limit of 6`);
    });

    it('on a sweep, holds back the most recently created issues beyond the limit', () => {
      const board = { [REVIEW]: column(8) };
      const held = [7, 8].map((iid) => plan(buildSubject(PROJECT, { iid, labels: [REVIEW] }), board, { kind: 'job', job: 'sweep' }, config));
      for (const actions of held) expect(noteOf(actions)).toContain(`~"${REVIEW}" already has its limit`);
      if (mode === 'revert') for (const actions of held) expect(actions).toContainEqual({ type: 'removeLabels', labels: [REVIEW] });
    });
  });

  it('counts the newcomer even when the board list does not show it yet', () => {
    const subject = buildSubject(PROJECT, { iid: 40, labels: [IN_PROGRESS] });
    const actions = plan(subject, { [IN_PROGRESS]: column(6) }, buildIssueTrigger('issue.open'), REVERT);
    expect(actions).toContainEqual({ type: 'removeLabels', labels: [IN_PROGRESS] });
  });

  it('treats a reopened issue as joining the column, and a new one by its place as the newest', () => {
    const board = { [FOCUS]: column(7) };
    expect(plan(buildSubject(PROJECT, { iid: 2, labels: [FOCUS] }), board, buildIssueTrigger('issue.reopen'), REVERT)).toContainEqual({ type: 'removeLabels', labels: [FOCUS] });
    expect(plan(buildSubject(PROJECT, { iid: 7, labels: [FOCUS] }), board, buildIssueTrigger('issue.open'), REVERT)).toContainEqual({ type: 'removeLabels', labels: [FOCUS] });
    // A late or replayed `open` of an issue among the six leaves it alone.
    expect(writesOf(plan(buildSubject(PROJECT, { iid: 2, labels: [FOCUS] }), board, buildIssueTrigger('issue.open'), REVERT))).toEqual([]);
  });

  it('puts back the board label a scoped swap replaced, when that column has room', () => {
    const subject = buildSubject(PROJECT, { iid: 9, labels: [REVIEW] });
    const board = { [REVIEW]: [...column(6), brief(9)], [IN_PROGRESS]: column(5) };
    const actions = plan(subject, board, labelUpdate([IN_PROGRESS], [REVIEW]), REVERT);
    expect(actions).toContainEqual({ type: 'removeLabels', labels: [REVIEW] });
    expect(actions).toContainEqual({ type: 'addLabels', labels: [IN_PROGRESS] });
    expect(noteOf(actions)).toContain(`I put back ~"${IN_PROGRESS}"`);
    // A full column is not refilled.
    const full = plan(subject, { ...board, [IN_PROGRESS]: column(6) }, labelUpdate([IN_PROGRESS], [REVIEW]), REVERT);
    expect(full.some((a) => a.type === 'addLabels')).toBe(false);
  });

  it('uses the configured labels and limit, and neutralises titles it lists', () => {
    const config: BotConfig = { ...defaultConfig, activeNow: { ...defaultConfig.activeNow, labels: ['doing'], limit: 2, boardUrl: 'https://gitlab.example.com/meta/-/boards/7' } };
    const subject = buildSubject(PROJECT, { iid: 3, labels: ['doing'] });
    const board = { doing: [{ ...brief(1), title: '@all please /close' }, brief(2), brief(3)] };
    const actions = plan(subject, board, labelUpdate([], ['doing']), config);
    expect(writesOf(actions).map((a) => a.type)).toEqual(['upsertNote']);
    expect(noteOf(actions)).toContain("limit of 2 open issues on the ['Active Now' board](https://gitlab.example.com/meta/-/boards/7)");
    expect(noteOf(actions)).toContain('please');
    expect(noteOf(actions)).not.toMatch(/(^|[^A-Za-z0-9_])@all/);
    expect(plan(buildSubject(PROJECT, { iid: 3, labels: [FOCUS] }), { [FOCUS]: column(9) }, labelUpdate([], [FOCUS]), config)).toEqual([]);
  });

  it('runs only in the board project, on open issues, on label changes', () => {
    const board = { [FOCUS]: column(7) };
    expect(plan(buildSubject('feedback', { iid: 7, labels: [FOCUS] }), board, { kind: 'job', job: 'sweep' })).toEqual([]);
    expect(plan(buildSubject(PROJECT, { iid: 7, labels: [FOCUS], state: 'closed' }), board, { kind: 'job', job: 'sweep' })).toEqual([]);
    expect(plan(buildSubject(PROJECT, { iid: 7, labels: [FOCUS] }), board, buildIssueTrigger('issue.update', ['title']))).toEqual([]);
    expect(plan(buildSubject(PROJECT, { iid: 7, labels: ['other'] }), board, { kind: 'job', job: 'sweep' })).toEqual([]);
  });

  it('plans the same note for the same board, so a replay changes nothing', () => {
    const subject = buildSubject(PROJECT, { iid: 7, labels: [FOCUS] });
    const trigger = labelUpdate([], [FOCUS]);
    expect(plan(subject, { [FOCUS]: column(7) }, trigger)).toEqual(plan(subject, { [FOCUS]: column(7) }, trigger));
  });
});

describe('active-now-limit through webhooks and the sweep', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('the demo scenario: the seventh issue keeps the label (comment mode) and gets one note; replays and a sweep write nothing', async () => {
    expect(scenarios).toContain(activeNowLimitHit);
    stack = await startStack({ rules: allRules });
    const transcript: string[] = [];
    await activeNowLimitHit.run(createDemoContext(stack, 'out', (line) => transcript.push(line)));
    await stack.settle();
    const store = stack.sandbox.store;
    const meta = store.resolveProject(defaultConfig.projects[PROJECT]!.path as string)!;
    const extra = store.issues.find((i) => i.projectId === meta.id && i.title === 'One more initiative')!;
    const onBoard = store.issues.filter((i) => i.projectId === meta.id && i.labels.includes(IN_PROGRESS) && i !== extra);
    expect(onBoard.map((i) => i.title)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Initiative ${n}: improve a workflow`));
    expect(extra.labels).toContain(IN_PROGRESS);
    const notes = store.listNotes(extra).filter((n) => markerKey(n.body) === 'active-now-limit');
    expect(notes).toHaveLength(1);
    for (const issue of onBoard) expect(notes[0]!.body).toContain(`[#${issue.iid}](`);
    for (const issue of onBoard) expect(store.listNotes(issue).filter((n) => markerKey(n.body) === 'active-now-limit')).toEqual([]);
    expect(transcript.join('\n')).toMatch(/bot note \[active-now-limit\]/);

    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('a sweep catches a column that filled up while the bot was away, holding back the newest (revert mode)', async () => {
    const loaded = loadConfig(undefined, allRules);
    stack = await startStack({ rules: allRules, hooks: false, loaded: { ...loaded, config: { ...loaded.config, activeNow: { ...loaded.config.activeNow, mode: 'revert' } } } });
    const store = stack.sandbox.store;
    const meta = store.resolveProject(defaultConfig.projects[PROJECT]!.path as string)!;
    const author = store.findUserByUsername('dana')!;
    const created = Array.from({ length: 8 }, (_, n) =>
      store.createIssue(meta.id, { title: `Column item ${n + 1}`, description: 'Proposal.', authorId: author.id, labels: [FOCUS] }),
    );
    const first = await stack.runtime.bot.runJob('sweep');
    expect(first.writes).toBeGreaterThan(0);
    const labelled = created.map((i) => store.getIssue(meta.id, i.iid)!.labels.includes(FOCUS));
    expect(labelled).toEqual([true, true, true, true, true, true, false, false]);
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);
  });
});

describe('active-now-limit: confidential board issues', () => {
  it('never quotes the title of a confidential issue in its note: "(confidential issue)" and the link only', () => {
    const board = column(6).map((b, i) => (i === 2 ? { ...b, title: 'Secret customer ACME escalation', confidential: true } : b));
    const subject = buildSubject(PROJECT, { iid: 99, labels: [FOCUS] });
    const actions = plan(subject, { [FOCUS]: board }, labelUpdate([], [FOCUS]));
    const note = noteOf(actions);
    expect(note).not.toContain('ACME');
    expect(note).toContain('[#3](https://gitlab.example.com/meta/-/issues/3) (confidential issue)');
    expect(note).toContain('Initiative 1');
  });
});
