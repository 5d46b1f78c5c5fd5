import { describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/schema.js';
import { assessFirstResponse, findFirstResponse } from '../../src/sla/firstResponse.js';
import { firstResponseTarget } from '../../src/sla/target.js';
import { buildIssue, buildNote, defaultConfig } from '../helpers/builders.js';

const team = new Set(['bob', 'alice', 'support-bot']);
const author = { id: 10, username: 'alice' };
const at = (iso: string) => new Date(iso);

interface NoteSpec {
  username: string;
  system?: boolean;
  internal?: boolean;
}

describe('findFirstResponse', () => {
  it.each<{ name: string; notes: NoteSpec[]; expected: string | undefined }>([
    { name: 'a team member', notes: [{ username: 'bob' }], expected: 'bob' },
    { name: 'nobody: no notes', notes: [], expected: undefined },
    { name: 'not the author, even a team member', notes: [{ username: 'alice' }], expected: undefined },
    { name: 'not the bot, even a group member', notes: [{ username: 'support-bot' }], expected: undefined },
    { name: 'not a system note', notes: [{ username: 'bob', system: true }], expected: undefined },
    { name: 'not someone outside the team', notes: [{ username: 'sam-sales' }], expected: undefined },
    { name: 'an internal note by a team member', notes: [{ username: 'bob', internal: true }], expected: 'bob' },
    { name: 'the team member after the others', notes: [{ username: 'sam-sales' }, { username: 'alice' }, { username: 'support-bot' }, { username: 'bob' }], expected: 'bob' },
  ])('$name', ({ notes, expected }) => {
    const built = notes.map((n, i) => buildNote({ author: { id: 20 + i, username: n.username }, system: n.system ?? false, internal: n.internal ?? false }));
    expect(findFirstResponse({ author }, { notes: built, teamMembers: team, botUsername: 'support-bot' })?.author.username).toBe(expected);
  });

  it('takes the earliest by time, whatever the order of the list', () => {
    const late = buildNote({ author: { id: 1, username: 'bob' }, createdAt: at('2026-11-17T10:00:00Z') });
    const early = buildNote({ author: { id: 1, username: 'bob' }, createdAt: at('2026-11-16T10:00:00Z') });
    expect(findFirstResponse({ author }, { notes: [late, early], teamMembers: team, botUsername: 'support-bot' })).toBe(early);
  });
});

describe('firstResponseTarget', () => {
  // Default config: UTC, Monday to Friday 9-17, at risk at 80%, 80 hours by default, 12 for requests to Support.
  it.each([
    {
      name: 'a Contact Request takes its template target',
      labels: ['template::contact-request'],
      hours: 12,
      template: 'Contact Request',
      atRiskAt: '2026-11-17T10:36:00.000Z',
      dueAt: '2026-11-17T13:00:00.000Z',
    },
    {
      name: 'an issue without a template takes sla.firstResponseHours',
      labels: [],
      hours: 80,
      template: undefined,
      atRiskAt: '2026-11-25T17:00:00.000Z',
      dueAt: '2026-11-27T17:00:00.000Z',
    },
    {
      name: 'a template without a target takes the default',
      labels: ['template::indirect-feedback'],
      hours: 80,
      template: undefined,
      atRiskAt: '2026-11-25T17:00:00.000Z',
      dueAt: '2026-11-27T17:00:00.000Z',
    },
    {
      name: 'an unknown template label counts as none',
      labels: ['template::made-up'],
      hours: 80,
      template: undefined,
      atRiskAt: '2026-11-25T17:00:00.000Z',
      dueAt: '2026-11-27T17:00:00.000Z',
    },
  ])('$name', ({ labels, hours, template, atRiskAt, dueAt }) => {
    const target = firstResponseTarget({ labels, createdAt: at('2026-11-16T09:00:00Z') }, defaultConfig);
    expect({ hours: target.hours, template: target.template, atRiskAt: target.atRiskAt.toISOString(), dueAt: target.dueAt.toISOString() }).toEqual({
      hours,
      template,
      atRiskAt,
      dueAt,
    });
  });

  it('reads the working hours in sla.timezone', () => {
    const config: BotConfig = { ...defaultConfig, sla: { ...defaultConfig.sla, timezone: 'America/New_York' } };
    // Monday 09:00 UTC is 04:00 in New York: the clock starts at 09:00 EST (14:00 UTC).
    const target = firstResponseTarget({ labels: ['template::contact-request'], createdAt: at('2026-11-16T09:00:00Z') }, config);
    expect(target.dueAt.toISOString()).toBe('2026-11-17T18:00:00.000Z');
  });
});

describe('assessFirstResponse', () => {
  const issue = buildIssue({ labels: ['template::contact-request'], createdAt: at('2026-11-16T09:00:00Z') });
  const facts = (notes = [buildNote({ author: { id: 1, username: 'bob' }, createdAt: at('2026-11-17T15:00:00Z') })]) => ({ notes, teamMembers: team, botUsername: 'support-bot' });

  it.each([
    { now: '2026-11-17T09:00:00Z', state: 'on-track' },
    { now: '2026-11-17T10:35:59Z', state: 'on-track' },
    { now: '2026-11-17T10:36:00Z', state: 'at-risk' },
    { now: '2026-11-17T13:00:00Z', state: 'breached' },
  ])('unanswered at $now: $state', ({ now, state }) => {
    expect(assessFirstResponse(issue, facts([]), defaultConfig, at(now)).state).toBe(state);
  });

  it('an answer counts in business hours, late or not', () => {
    const status = assessFirstResponse(issue, facts(), defaultConfig, at('2026-11-30T12:00:00Z'));
    expect(status).toMatchObject({ state: 'answered', businessHours: 14 });
  });
});
