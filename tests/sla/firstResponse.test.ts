import { describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/schema.js';
import type { AuthorAccount } from '../../src/facts/authorAccount.js';
import type { Issue } from '../../src/gitlab/types.js';
import type { IssueSubject } from '../../src/rules/types.js';
import { assessFirstResponse, clockByListData, clockOf, findFirstResponse } from '../../src/sla/firstResponse.js';
import { firstResponseTarget } from '../../src/sla/target.js';
import { buildNote, buildSubject, defaultConfig } from '../helpers/builders.js';
import { fillIn, shippedText } from '../templates/descriptions.js';

const contactRequestText = () =>
  fillIn(shippedText('Contact Request'), {
    Username: 'trial-runner-42',
    'Reason for contact': 'Their trial namespace runs crypto miners on shared runners.',
    Message: 'Your trial namespace was blocked for abusing shared runners; reply to this message to appeal.',
  });

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
  // Default config: UTC, Monday to Friday 9-17, at risk at 80%, 12 hours for requests to Support, no default.
  it('a Contact Request takes its template target', () => {
    const target = firstResponseTarget({ labels: ['template::contact-request'], createdAt: at('2026-11-16T09:00:00Z') }, defaultConfig);
    expect(target && { hours: target.hours, template: target.template, atRiskAt: target.atRiskAt.toISOString(), dueAt: target.dueAt.toISOString() }).toEqual({
      hours: 12,
      template: 'Contact Request',
      atRiskAt: '2026-11-17T10:36:00.000Z',
      dueAt: '2026-11-17T13:00:00.000Z',
    });
  });

  it.each([
    { name: 'an issue without a template (a team proposal)', labels: [] },
    { name: 'a template without a target (Indirect Feedback)', labels: ['template::indirect-feedback'] },
    { name: 'a template without a target (Support Readiness)', labels: ['template::support-readiness'] },
    { name: 'an unknown template label', labels: ['template::made-up'] },
    { name: 'template::none', labels: ['template::none'] },
  ])('$name has none: no project-wide default', ({ labels }) => {
    expect(firstResponseTarget({ labels, createdAt: at('2026-11-16T09:00:00Z') }, defaultConfig)).toBeUndefined();
  });

  it('reads the working hours in sla.timezone', () => {
    const config: BotConfig = { ...defaultConfig, sla: { ...defaultConfig.sla, timezone: 'America/New_York' } };
    // Monday 09:00 UTC is 04:00 in New York: the clock starts at 09:00 EST (14:00 UTC).
    const target = firstResponseTarget({ labels: ['template::contact-request'], createdAt: at('2026-11-16T09:00:00Z') }, config);
    expect(target?.dueAt.toISOString()).toBe('2026-11-17T18:00:00.000Z');
  });
});

describe('clockOf: the clock runs only on requests', () => {
  const person = { integration: false } as const;
  const contact = contactRequestText();
  const request = (issue: Partial<Issue> = {}, key = 'internal-requests') =>
    buildSubject(key, { labels: ['template::contact-request'], description: contact, title: 'Contact a user', author: { id: 30, username: 'sam-sales' }, ...issue });
  const withIgnored = { ...defaultConfig, sla: { ...defaultConfig.sla, ignoreAuthors: ['Zendesk-Integration'] } };

  it.each<{ name: string; subject: IssueSubject; account?: AuthorAccount; config?: BotConfig; why: RegExp | null }>([
    { name: 'a Contact Request from someone outside the team', subject: request(), why: null },
    { name: 'a Name Squatting Request from outside the team', subject: request({ labels: ['template::name-squatting-request'] }), why: null },
    { name: 'no template', subject: request({ labels: [] }), why: /no template with a first-response target/ },
    { name: 'a template without a target', subject: request({ labels: ['template::indirect-feedback'] }, 'feedback'), why: /no template with a first-response target/ },
    { name: 'written by a team member', subject: request({ author: { id: 31, username: 'bob' } }), why: /written by @bob of the Support team/ },
    {
      name: 'written by the bot (a bot user)',
      subject: request({ author: { id: 2, username: 'support-bot' } }),
      account: { integration: true, why: '@support-bot is the bot' },
      why: /is the bot/,
    },
    {
      name: 'written by a bot: true user',
      subject: request({ author: { id: 32, username: 'renovate' } }),
      account: { integration: true, why: '@renovate is a bot user' },
      why: /bot user/,
    },
    {
      name: 'written by a project access token',
      subject: request({ author: { id: 33, username: 'project_278964_bot_3a1f0c9d2b7e4f6a8c0d1e2f3a4b5c6d' } }),
      why: /project access token/,
    },
    {
      name: 'written by a group access token (numbered)',
      subject: request({ author: { id: 34, username: 'group_9970_bot_0f1e2d3c4b5a69788796a5b4c3d2e1f01' } }),
      why: /group access token/,
    },
    { name: 'written by an old-style access token user', subject: request({ author: { id: 35, username: 'project_12_bot1' } }), why: /project access token/ },
    { name: 'a person whose name only looks close', subject: request({ author: { id: 36, username: 'project_manager_bot' } }), why: null },
    { name: 'another person whose name only looks close', subject: request({ author: { id: 37, username: 'project_12_bott' } }), why: null },
    {
      name: 'written by a listed integration (any case)',
      subject: request({ author: { id: 38, username: 'zendesk-integration' } }),
      config: withIgnored,
      why: /listed in sla\.ignoreAuthors/,
    },
    { name: 'an unlisted author with the default config', subject: request({ author: { id: 38, username: 'zendesk-integration' } }), why: null },
    { name: 'labelled redirect::request-form', subject: request({ labels: ['template::contact-request', 'redirect::request-form'] }), why: /redirected to the request form/ },
    {
      name: 'a Contact Request asking to extend a trial',
      subject: request({
        description: fillIn(shippedText('Contact Request'), { Username: 'acme-user', 'Reason for contact': 'Please extend their trial by two weeks.', Message: 'Hello.' }),
      }),
      why: /redirected/,
    },
    {
      name: '"Contact user: trial namespace abusing shared runners" (its title only mentions a trial)',
      subject: request({ title: 'Contact user: trial namespace abusing shared runners' }),
      why: null,
    },
  ])('$name: $why', ({ subject, account, config, why }) => {
    const clock = clockOf(subject, { teamMembers: team, authorAccount: account ?? person }, config ?? defaultConfig);
    if (why === null) expect(clock).toMatchObject({ on: true, target: { template: expect.any(String) } });
    else expect(clock).toMatchObject({ on: false, why: expect.stringMatching(why) });
  });

  it('decides from list data what list data can tell, before any fact', () => {
    expect(clockByListData(request({ labels: [] }), defaultConfig).on).toBe(false);
    expect(clockByListData(request({ author: { id: 33, username: 'project_1_bot_ab' } }), defaultConfig).on).toBe(false);
    // The team and GitLab's bot flag need facts: list data leaves them on.
    expect(clockByListData(request({ author: { id: 31, username: 'bob' } }), defaultConfig).on).toBe(true);
  });
});

describe('assessFirstResponse', () => {
  const subject = buildSubject('internal-requests', { labels: ['template::contact-request'], createdAt: at('2026-11-16T09:00:00Z'), author: { id: 30, username: 'sam-sales' } });
  const facts = (notes = [buildNote({ author: { id: 1, username: 'bob' }, createdAt: at('2026-11-17T15:00:00Z') })]) => ({
    notes,
    teamMembers: team,
    botUsername: 'support-bot',
    authorAccount: { integration: false } as const,
  });

  it.each([
    { now: '2026-11-17T09:00:00Z', state: 'on-track' },
    { now: '2026-11-17T10:35:59Z', state: 'on-track' },
    { now: '2026-11-17T10:36:00Z', state: 'at-risk' },
    { now: '2026-11-17T12:59:59Z', state: 'at-risk' },
    { now: '2026-11-17T13:00:00Z', state: 'breached' },
  ])('unanswered at $now: $state', ({ now, state }) => {
    expect(assessFirstResponse(subject, facts([]), defaultConfig, at(now)).state).toBe(state);
  });

  it('an answer counts in business hours, late or not', () => {
    const status = assessFirstResponse(subject, facts(), defaultConfig, at('2026-11-30T12:00:00Z'));
    expect(status).toMatchObject({ state: 'answered', businessHours: 14 });
  });

  it('an issue off the clock stays off however late, and says why', () => {
    const own = { ...subject, issue: { ...subject.issue, author: { id: 31, username: 'bob' } } };
    expect(assessFirstResponse(own, facts([]), defaultConfig, at('2027-06-01T12:00:00Z'))).toEqual({ state: 'off-the-clock', why: 'written by @bob of the Support team' });
  });
});
