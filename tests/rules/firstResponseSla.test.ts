import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/rules/actions.js';
import type { Note } from '../../src/gitlab/types.js';
import { firstResponseSla } from '../../src/rules/firstResponseSla.js';
import { buildContext, buildNote, buildSubject, defaultConfig, evaluate, type TestContext } from '../helpers/builders.js';
import { ruleRunsOn } from '../../src/engine/runsOn.js';
import type { BotConfig } from '../../src/config/schema.js';
import type { IssueSubject } from '../../src/rules/types.js';
import { assessFirstResponse } from '../../src/sla/firstResponse.js';
import type { AuthorAccount } from '../../src/facts/authorAccount.js';

// Default config: UTC, Monday to Friday 9-17, at risk at 80%. A Contact Request (12 business
// hours) opened Monday 2026-11-16 09:00 is at risk from Tuesday 10:36 and due Tuesday 13:00.
const { slaAtRisk, slaBreached } = defaultConfig.labels;
const OPENED = new Date('2026-11-16T09:00:00Z');
const team = new Set(['alice', 'bob', 'chen', 'support-bot']);
const REQUESTER = { id: 30, username: 'sam-sales' };

const contactRequest = (labels: string[] = [], state: 'opened' | 'closed' = 'opened', assignees: { id: number; username: string }[] = []) =>
  buildSubject('internal-requests', { labels: ['template::contact-request', ...labels], createdAt: OPENED, state, author: REQUESTER, assignees });

/** The rule's context as the engine gives it: the `firstResponse` fact assessed from these notes, the team and the author's account. */
const ctxFor = (subject: IssueSubject, now: string, notes: Note[] = [], config: BotConfig = defaultConfig, account: AuthorAccount = { integration: false }): TestContext => {
  const firstResponse = assessFirstResponse(subject, { notes, teamMembers: team, botUsername: 'support-bot', authorAccount: account }, config, new Date(now));
  return buildContext({ now: new Date(now), config, trigger: { kind: 'job', job: 'sla' }, facts: { firstResponse } });
};
const ctxAt = (now: string, notes: Note[] = []): TestContext => ctxFor(contactRequest(), now, notes);

const comment = (username: string, at: string, extra: Partial<Note> = {}) => buildNote({ author: { id: 50, username }, createdAt: new Date(at), ...extra });

function plan(now: string, notes: Note[] = [], labels: string[] = [], subject: IssueSubject = contactRequest(labels), config: BotConfig = defaultConfig): Action[] {
  return evaluate(firstResponseSla, subject, ctxFor(subject, now, notes, config)).map((r) => r.action);
}

const labelsAdded = (actions: Action[]) => actions.flatMap((a) => (a.type === 'addLabels' ? a.labels : []));
const labelsRemoved = (actions: Action[]) => actions.flatMap((a) => (a.type === 'removeLabels' ? a.labels : []));
const notes = (actions: Action[]) => actions.filter((a) => a.type === 'upsertNote');

describe('first-response-sla: applies (list data only)', () => {
  it.each([
    { name: 'a Contact Request just opened', now: '2026-11-16T09:05:00Z', labels: [], applies: false },
    { name: 'a Contact Request one second before it is at risk', now: '2026-11-17T10:35:59Z', labels: [], applies: false },
    { name: 'a Contact Request at risk', now: '2026-11-17T10:36:00Z', labels: [], applies: true },
    { name: 'a new issue that already carries the at-risk label (to clear it)', now: '2026-11-16T09:05:00Z', labels: [slaAtRisk], applies: true },
    { name: 'a new issue that already carries the breached label', now: '2026-11-16T09:05:00Z', labels: [slaBreached], applies: true },
  ])('$name: $applies', ({ now, labels, applies }) => {
    expect(firstResponseSla.applies(contactRequest(labels), ctxAt(now))).toBe(applies);
  });

  it.each([
    { name: 'a team proposal without a template, weeks later', subject: buildSubject('support-team-meta', { createdAt: OPENED, author: REQUESTER }) },
    {
      name: 'an Indirect Feedback issue (no target), weeks later',
      subject: buildSubject('feedback', { labels: ['template::indirect-feedback'], createdAt: OPENED, author: REQUESTER }),
    },
    { name: 'a Contact Request redirected to the request form', subject: contactRequest(['redirect::request-form']) },
    {
      name: 'a Contact Request filed by a project access token',
      subject: buildSubject('internal-requests', { labels: ['template::contact-request'], createdAt: OPENED, author: { id: 40, username: 'project_7_bot_5f2e' } }),
    },
  ])('never a candidate: $name', ({ subject }) => {
    expect(firstResponseSla.applies(subject, ctxAt('2026-12-30T12:00:00Z'))).toBe(false);
  });

  it('never applies to a closed issue, labelled or not', () => {
    expect(firstResponseSla.applies(contactRequest([slaBreached], 'closed'), ctxAt('2026-12-30T12:00:00Z'))).toBe(false);
  });

  it('runs on the sla job only and asks for the first-response status and the bot', () => {
    expect(ruleRunsOn(firstResponseSla, { kind: 'job', job: 'sla' })).toBe(true);
    expect(ruleRunsOn(firstResponseSla, { kind: 'job', job: 'sweep' })).toBe(false);
    expect(firstResponseSla.runsOn.events).toEqual({});
    expect([...(firstResponseSla.needs ?? [])].sort()).toEqual(['botUser', 'firstResponse']);
  });
});

describe('first-response-sla: plan', () => {
  it.each([
    { name: 'unanswered and at risk', now: '2026-11-17T11:00:00Z', notes: [], add: [slaAtRisk], remove: [slaBreached] },
    { name: 'unanswered past the target', now: '2026-11-17T13:00:00Z', notes: [], add: [slaBreached], remove: [slaAtRisk] },
    { name: 'only the author commented', now: '2026-11-17T14:00:00Z', notes: [comment('sam-sales', '2026-11-16T10:00:00Z')], add: [slaBreached], remove: [slaAtRisk] },
    { name: 'only the bot commented', now: '2026-11-17T14:00:00Z', notes: [comment('support-bot', '2026-11-16T10:00:00Z')], add: [slaBreached], remove: [slaAtRisk] },
    {
      name: 'only a system note by a team member',
      now: '2026-11-17T14:00:00Z',
      notes: [comment('bob', '2026-11-16T10:00:00Z', { system: true })],
      add: [slaBreached],
      remove: [slaAtRisk],
    },
    {
      name: 'only someone outside the team commented',
      now: '2026-11-17T14:00:00Z',
      notes: [comment('sam-sales', '2026-11-16T10:00:00Z')],
      add: [slaBreached],
      remove: [slaAtRisk],
    },
    { name: 'a team member answered', now: '2026-11-17T14:00:00Z', notes: [comment('bob', '2026-11-16T10:00:00Z')], add: [], remove: [slaAtRisk, slaBreached] },
  ])('$name', ({ now, notes: list, add, remove }) => {
    const actions = plan(now, list);
    expect(labelsAdded(actions)).toEqual(add);
    expect(labelsRemoved(actions)).toEqual(remove);
  });

  it('at risk: the label only, no note', () => {
    const actions = plan('2026-11-17T11:00:00Z');
    expect(notes(actions)).toEqual([]);
    expect(labelsAdded(actions)).toEqual([slaAtRisk]);
  });

  it.each([
    { name: 'no assignee, no sla.escalateTo: nobody', assignees: [], escalateTo: undefined, mentions: [] },
    { name: 'no assignee: the handle in sla.escalateTo', assignees: [], escalateTo: 'support-managers', mentions: ['@support-managers'] },
    { name: 'an assignee, not sla.escalateTo', assignees: [{ id: 51, username: 'chen' }], escalateTo: 'support-managers', mentions: ['@chen'] },
    {
      name: 'two assignees, each once',
      assignees: [
        { id: 51, username: 'chen' },
        { id: 52, username: 'dana' },
      ],
      escalateTo: undefined,
      mentions: ['@chen', '@dana'],
    },
    { name: 'the bot as the only assignee counts as none', assignees: [{ id: 2, username: 'support-bot' }], escalateTo: undefined, mentions: [] },
  ])('breached: one note that mentions $name', ({ assignees, escalateTo, mentions }) => {
    const config = { ...defaultConfig, sla: { ...defaultConfig.sla, escalateTo } };
    const upserts = notes(plan('2026-11-17T13:00:00Z', [], [], contactRequest([], 'opened', assignees), config));
    expect(upserts).toHaveLength(1);
    const note = upserts[0]!;
    if (note.type !== 'upsertNote') throw new Error('not a note');
    expect(note.key).toBe('first-response-sla');
    expect(note.onlyIfExists).toBeUndefined();
    expect(note.body.match(/@[\w./-]+/g) ?? []).toEqual(mentions);
    expect(note.body).toMatch(/\*\*Contact Request\*\* has no first response from Support yet: its first-response target of 12 business hours passed at 2026-11-17 13:00 UTC/);
    expect(note.body).not.toContain(`@${defaultConfig.sla.teamGroup}`);
  });

  it('keeps the note body identical from run to run in the same state', () => {
    const bodies = ['2026-11-17T13:00:00Z', '2026-11-18T16:00:00Z', '2027-02-01T09:00:00Z'].map((now) => {
      const note = notes(plan(now, [], [slaBreached]))[0];
      return note?.type === 'upsertNote' ? note.body : '';
    });
    expect(new Set(bodies).size).toBe(1);
  });

  it('edits an existing note, never creates one, once answered', () => {
    const upserts = notes(plan('2026-11-18T12:00:00Z', [comment('chen', '2026-11-17T15:00:00Z')], [slaBreached]));
    expect(upserts).toEqual([
      {
        type: 'upsertNote',
        key: 'first-response-sla',
        onlyIfExists: true,
        body: expect.stringMatching(/answered this issue after 14 business hours \(first-response target: 12 business hours\)/),
      },
    ]);
    const body = upserts[0]?.type === 'upsertNote' ? upserts[0].body : '';
    expect(body).not.toContain('@');
  });

  it('takes off a label that outlived a longer target (on track again)', () => {
    expect(plan('2026-11-16T10:00:00Z', [], [slaAtRisk])).toEqual([{ type: 'removeLabels', labels: [slaAtRisk, slaBreached] }]);
  });

  it('uses the configured labels', () => {
    const config = { ...defaultConfig, labels: { ...defaultConfig.labels, slaBreached: 'response::late', slaAtRisk: 'response::soon' } };
    const subject = contactRequest();
    const actions = firstResponseSla.plan(subject, { ...ctxAt('2026-11-17T14:00:00Z'), config }).map((r) => r.action);
    expect(labelsAdded(actions)).toEqual(['response::late']);
    expect(labelsRemoved(actions)).toEqual(['response::soon']);
  });

  it.each([
    {
      name: "a team member's own Contact Request",
      subject: buildSubject('internal-requests', { labels: ['template::contact-request', slaBreached], createdAt: OPENED, author: { id: 11, username: 'bob' } }),
    },
    { name: 'a redirected request', subject: contactRequest([slaAtRisk, 'redirect::request-form']) },
  ])('takes our labels off $name (off the clock), with no note', ({ subject }) => {
    const actions = plan('2026-11-20T12:00:00Z', [], [], subject);
    expect(actions).toEqual([{ type: 'removeLabels', labels: [slaAtRisk, slaBreached] }]);
  });

  it('takes our labels off an issue a bot user filed, with no note', () => {
    const subject = contactRequest([slaBreached]);
    const ctx = ctxFor(subject, '2026-11-20T12:00:00Z', [], defaultConfig, { integration: true, why: '@zd is a bot user' });
    expect(firstResponseSla.plan(subject, ctx).map((r) => r.action)).toEqual([{ type: 'removeLabels', labels: [slaAtRisk, slaBreached] }]);
  });

  describe('with sla.answeredLabel set', () => {
    const config = { ...defaultConfig, sla: { ...defaultConfig.sla, answeredLabel: 'sla::answered' } };
    const ctx = (now: string, list: Note[] = [], subject = contactRequest()) => ctxFor(subject, now, list, config);

    it('marks an answered issue, taking off the other labels', () => {
      const actions = firstResponseSla
        .plan(contactRequest([slaBreached]), ctx('2026-11-18T12:00:00Z', [comment('bob', '2026-11-17T15:00:00Z')], contactRequest([slaBreached])))
        .map((r) => r.action);
      expect(labelsAdded(actions)).toEqual(['sla::answered']);
      expect(labelsRemoved(actions)).toEqual([slaAtRisk, slaBreached]);
    });

    it('skips a marked issue on list data, however late it is', () => {
      expect(firstResponseSla.applies(contactRequest(['sla::answered']), ctx('2027-06-01T12:00:00Z'))).toBe(false);
      expect(firstResponseSla.applies(contactRequest(), ctx('2027-06-01T12:00:00Z'))).toBe(true);
    });

    it('adds no label when it is not configured', () => {
      expect(labelsAdded(plan('2026-11-18T12:00:00Z', [comment('bob', '2026-11-17T15:00:00Z')]))).toEqual([]);
    });
  });

  it('copes with odd notes: empty, huge, CRLF, quick actions', () => {
    const odd = [
      comment('sam-sales', '2026-11-16T10:00:00Z', { body: '' }),
      comment('sam-sales', '2026-11-16T10:01:00Z', { body: 'x'.repeat(200_000) }),
      comment('sam-sales', '2026-11-16T10:02:00Z', { body: '/label ~"sla::breached"\r\n@all\r\n' }),
    ];
    expect(labelsAdded(plan('2026-11-17T14:00:00Z', odd))).toEqual([slaBreached]);
  });
});
