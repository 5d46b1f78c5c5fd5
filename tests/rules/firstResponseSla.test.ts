import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/rules/actions.js';
import type { Note } from '../../src/gitlab/types.js';
import { firstResponseSla } from '../../src/rules/firstResponseSla.js';
import { buildContext, buildNote, buildSubject, defaultConfig, evaluate, type TestContext } from '../helpers/builders.js';
import { ruleRunsOn } from '../../src/engine/runsOn.js';

// Default config: UTC, Monday to Friday 9-17, at risk at 80%. A Contact Request (12 business
// hours) opened Monday 2026-11-16 09:00 is at risk from Tuesday 10:36 and due Tuesday 13:00.
const { slaAtRisk, slaBreached } = defaultConfig.labels;
const OPENED = new Date('2026-11-16T09:00:00Z');
const team = new Set(['alice', 'bob', 'chen', 'support-bot']);
const GROUP_MENTION = `@${defaultConfig.sla.teamGroup}`;

const contactRequest = (labels: string[] = [], state: 'opened' | 'closed' = 'opened') =>
  buildSubject('internal-requests', { labels: ['template::contact-request', ...labels], createdAt: OPENED, state });

const ctxAt = (now: string, notes: Note[] = []): TestContext => buildContext({ now: new Date(now), trigger: { kind: 'job', job: 'sla' }, facts: { notes, teamMembers: team } });

const comment = (username: string, at: string, extra: Partial<Note> = {}) => buildNote({ author: { id: 50, username }, createdAt: new Date(at), ...extra });

function plan(now: string, notes: Note[] = [], labels: string[] = []): Action[] {
  const subject = contactRequest(labels);
  const ctx = ctxAt(now, notes);
  return evaluate(firstResponseSla, subject, ctx).map((r) => r.action);
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
    { name: 'untemplated, at 64 business hours less a second', now: '2026-11-25T16:59:59Z', applies: false },
    { name: 'untemplated, at 64 business hours (80% of 80)', now: '2026-11-25T17:00:00Z', applies: true },
  ])('$name: $applies', ({ now, applies }) => {
    expect(firstResponseSla.applies(buildSubject('feedback', { createdAt: OPENED }), ctxAt(now))).toBe(applies);
  });

  it('never applies to a closed issue, labelled or not', () => {
    expect(firstResponseSla.applies(contactRequest([slaBreached], 'closed'), ctxAt('2026-12-30T12:00:00Z'))).toBe(false);
  });

  it('runs on the sla job only and asks for notes and team members', () => {
    expect(ruleRunsOn(firstResponseSla, { kind: 'job', job: 'sla' })).toBe(true);
    expect(ruleRunsOn(firstResponseSla, { kind: 'job', job: 'sweep' })).toBe(false);
    expect(firstResponseSla.runsOn.events).toEqual({});
    expect([...(firstResponseSla.needs ?? [])].sort()).toEqual(['botUser', 'notes', 'teamMembers']);
  });
});

describe('first-response-sla: plan', () => {
  it.each([
    { name: 'unanswered and at risk', now: '2026-11-17T11:00:00Z', notes: [], add: [slaAtRisk], remove: [slaBreached] },
    { name: 'unanswered past the target', now: '2026-11-17T13:00:00Z', notes: [], add: [slaBreached], remove: [slaAtRisk] },
    { name: 'only the author (a team member) commented', now: '2026-11-17T14:00:00Z', notes: [comment('alice', '2026-11-16T10:00:00Z')], add: [slaBreached], remove: [slaAtRisk] },
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

  it.each([
    { state: 'at risk', now: '2026-11-17T11:00:00Z', text: /target for a \*\*Contact Request\*\* is 12 business hours, reached at 2026-11-17 13:00 UTC/ },
    { state: 'breached', now: '2026-11-17T13:00:00Z', text: /target for a \*\*Contact Request\*\* of 12 business hours passed at 2026-11-17 13:00 UTC/ },
  ])('leaves one note mentioning the team group once when $state', ({ now, text }) => {
    const upserts = notes(plan(now));
    expect(upserts).toHaveLength(1);
    const note = upserts[0]!;
    if (note.type !== 'upsertNote') throw new Error('not a note');
    expect(note.key).toBe('first-response-sla');
    expect(note.onlyIfExists).toBeUndefined();
    expect(note.body.split(GROUP_MENTION)).toHaveLength(2);
    expect(note.body).toMatch(text);
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

  it('uses the configured labels and group', () => {
    const config = {
      ...defaultConfig,
      labels: { ...defaultConfig.labels, slaBreached: 'response::late', slaAtRisk: 'response::soon' },
      sla: { ...defaultConfig.sla, teamGroup: 'acme/helpdesk' },
    };
    const subject = contactRequest();
    const ctx = { ...ctxAt('2026-11-17T14:00:00Z'), config };
    const actions = firstResponseSla.plan(subject, ctx).map((r) => r.action);
    expect(labelsAdded(actions)).toEqual(['response::late']);
    expect(labelsRemoved(actions)).toEqual(['response::soon']);
    const note = notes(actions)[0];
    expect(note?.type === 'upsertNote' && note.body).toContain('@acme/helpdesk ');
  });

  describe('with sla.answeredLabel set', () => {
    const config = { ...defaultConfig, sla: { ...defaultConfig.sla, answeredLabel: 'sla::answered' } };
    const ctx = (now: string, list: Note[] = []) => ({ ...ctxAt(now, list), config });

    it('marks an answered issue, taking off the other labels', () => {
      const actions = firstResponseSla.plan(contactRequest([slaBreached]), ctx('2026-11-18T12:00:00Z', [comment('bob', '2026-11-17T15:00:00Z')])).map((r) => r.action);
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
