import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NamespaceFacts, OwnedOrEmptyProject } from '../../src/facts/dormantNamespace.js';
import type { Note } from '../../src/gitlab/types.js';
import { dormantNamespace, dormantNamespaceRule } from '../../src/rules/dormantNamespace.js';
import type { IssueSubject, RuleResult } from '../../src/rules/types.js';
import { intentLine, readIntent, type ReleaseIntent } from '../../src/dormant/releaseIntent.js';
import { nameSquattingRequest } from '../dormant/helpers.js';
import { UsernameSet } from '../../src/gitlab/usernames.js';
import { buildContext, buildIssueTrigger, buildNote, buildSubject, defaultConfig, evaluate, runs, type TestContext } from '../helpers/builders.js';

const NOW = new Date('2026-11-18T12:00:00Z');
const JOB = { kind: 'job', job: 'dormant' } as const;

const subjectFor = (namespace = 'coolname', labels = ['template::name-squatting-request']) =>
  buildSubject('internal-requests', { description: nameSquattingRequest(namespace), labels });

type UserFacts = Extract<NamespaceFacts, { kind: 'user' }>;

/** A dormant user: nothing for two years, no projects, idle name free. */
function user(overrides: Partial<UserFacts> = {}): UserFacts {
  return {
    kind: 'user',
    namespace: 'coolname',
    user: { id: 77, username: 'coolname', webUrl: 'https://gitlab.com/coolname', state: 'active' },
    lastActivityOn: { ok: true, value: new Date('2024-11-01T00:00:00Z') },
    latestEvent: { ok: true, value: { at: new Date('2024-10-30T10:00:00Z'), action: 'pushed to', targetType: null } },
    ownedProjects: { ok: true, value: [] },
    contributedProjects: { ok: true, value: [] },
    idleName: { ok: true, value: { name: 'idlecoolname', numbered: false } },
    ...overrides,
  };
}

function project(overrides: Partial<OwnedOrEmptyProject> = {}): OwnedOrEmptyProject {
  return {
    id: 5,
    pathWithNamespace: 'coolname/old',
    webUrl: 'https://gitlab.com/coolname/old',
    visibility: 'public',
    lastActivityAt: new Date('2023-01-01T00:00:00Z'),
    archived: false,
    emptyRepo: true,
    openIssuesCount: 0,
    statistics: { commitCount: 0, repositorySize: 0, storageSize: 0 },
    ...overrides,
  };
}

/** The Support team (sla.teamGroup): contact attempts count when they, or the bot, record them. */
const SUPPORT_TEAM = new UsernameSet(['chen', 'bob']);

const attempt = (day: string, author = 'chen'): Note =>
  buildNote({ body: `Contact attempt: emailed the user (${day})`, author: { id: 3, username: author }, createdAt: new Date(`${day}T09:00:00Z`) });
/** Four attempts within the window, the last on 2026-11-10. */
const fourAttempts = ['2026-11-01', '2026-11-04', '2026-11-07', '2026-11-10'].map((d) => attempt(d));

function context(facts: NamespaceFacts, notes: Note[] = fourAttempts, overrides: Partial<TestContext> = {}): TestContext {
  const given = overrides.facts ?? { dormantNamespace: facts, notes, tokenIsAdmin: true };
  return buildContext({ now: NOW, trigger: JOB, ...overrides, facts: { teamMembers: SUPPORT_TEAM, ...given } });
}

const labelsAdded = (results: RuleResult[]) => results.flatMap((r) => (r.action.type === 'addLabels' ? r.action.labels : []));
const note = (results: RuleResult[]) => results.find((r) => r.action.type === 'upsertNote')?.action as { body: string; onlyIfExists?: boolean } | undefined;
/** The status cell of a criterion row in the report table. */
const status = (results: RuleResult[], criterion: RegExp) =>
  note(results)!
    .body.split('\n')
    .find((l) => l.startsWith('|') && criterion.test(l))
    ?.split('|')[2]
    ?.trim();

describe('dormant-namespace: when it runs', () => {
  it.each([
    { name: 'open', trigger: buildIssueTrigger('issue.open'), expected: true },
    { name: 'description edited', trigger: buildIssueTrigger('issue.update', ['description']), expected: true },
    { name: 'title edited only', trigger: buildIssueTrigger('issue.update', ['title']), expected: false },
    { name: 'a comment', trigger: { kind: 'event', event: { ...(buildIssueTrigger('issue.open') as { event: object }).event, key: 'note.issue' } }, expected: true },
    { name: 'the dormant job', trigger: JOB, expected: true },
    { name: 'the sweep', trigger: { kind: 'job', job: 'sweep' }, expected: false },
  ])('$name: $expected', ({ trigger, expected }) => {
    expect(runs(dormantNamespace, subjectFor(), buildContext({ trigger: trigger as TestContext['trigger'] }))).toBe(expected);
  });

  it.each([
    { name: 'labelled request', subject: subjectFor(), expected: true },
    { name: 'unlabelled, recognised by its marker (issue.open)', subject: subjectFor('coolname', []), expected: true },
    {
      name: 'closed request',
      subject: buildSubject('internal-requests', { description: nameSquattingRequest('x'), labels: ['template::name-squatting-request'], state: 'closed' }),
      expected: false,
    },
    { name: 'a Contact Request', subject: buildSubject('internal-requests', { description: '## Username\n\nx\n', labels: ['template::contact-request'] }), expected: false },
    { name: 'another project', subject: buildSubject('feedback', { description: nameSquattingRequest('x') }), expected: false },
  ])('applies to a $name: $expected', ({ subject, expected }) => {
    expect(runs(dormantNamespace, subject, buildContext({ trigger: JOB }))).toBe(expected);
  });
});

describe('dormant-namespace: the four criteria', () => {
  it('all four hold: eligible, with evidence, and what a release would do', () => {
    const results = evaluate(dormantNamespace, subjectFor(), context(user()));
    expect(labelsAdded(results)).toEqual(['dormant::eligible']);
    const body = note(results)!.body;
    expect(body).toContain('**eligible for release**');
    expect(body).toMatch(/No data \| pass \| 0 owned projects/);
    expect(body).toMatch(/No activity for 6 months \| pass \| last activity 2024-11-01 \(last_activity_on\)/);
    expect(body).toMatch(/4 failed contact attempts within 14 days \| pass \| 4 attempts from 2026-11-01 to 2026-11-10/);
    expect(body).toContain('would be renamed to `idlecoolname`');
    expect(body).toContain('Missing now: `dormant.allowRename` is false');
    expect(results.some((r) => r.action.type === 'renameUser' || r.action.type === 'setState')).toBe(false);
  });

  // now = 2026-11-18: six months earlier is 2026-05-18.
  it.each([
    { name: 'exactly six months ago', day: '2026-05-18', expected: 'pass' },
    { name: 'one day less than six months ago', day: '2026-05-19', expected: 'fail' },
    { name: 'yesterday', day: '2026-11-17', expected: 'fail' },
  ])('activity $name ($day): $expected', ({ day, expected }) => {
    const facts = user({ lastActivityOn: { ok: true, value: new Date(`${day}T00:00:00Z`) }, latestEvent: { ok: true, value: null } });
    const notes = ['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04'].map((d) => attempt(d));
    expect(status(evaluate(dormantNamespace, subjectFor(), context(facts, notes)), /No activity/)).toBe(expected);
  });

  it('a contribution event within six months fails criterion 2 even when last_activity_on is old', () => {
    const facts = user({ latestEvent: { ok: true, value: { at: new Date('2026-09-01T10:00:00Z'), action: 'opened', targetType: 'Issue' } } });
    const results = evaluate(dormantNamespace, subjectFor(), context(facts));
    expect(status(results, /No activity/)).toBe('fail');
    expect(note(results)!.body).toContain('active on 2026-09-01 (contribution event "opened")');
    expect(labelsAdded(results)).toEqual(['dormant::not-eligible']);
  });

  it.each([
    { name: 'the 4th attempt on the 14th day', days: ['2026-11-01', '2026-11-05', '2026-11-09', '2026-11-14'], expected: 'pass' },
    { name: 'the 4th attempt on the 15th day', days: ['2026-10-20', '2026-10-25', '2026-10-30', '2026-11-03'], expected: 'pending' },
    { name: 'three attempts', days: ['2026-11-01', '2026-11-04', '2026-11-07'], expected: 'pending' },
    { name: 'four attempts', days: ['2026-11-01', '2026-11-04', '2026-11-07', '2026-11-08'], expected: 'pass' },
    { name: 'four attempts after an incomplete earlier series', days: ['2026-09-01', '2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'], expected: 'pass' },
  ])('$name: $expected', ({ days, expected }) => {
    const now = new Date('2026-11-16T12:00:00Z');
    const results = evaluate(
      dormantNamespace,
      subjectFor(),
      context(
        user(),
        days.map((d) => attempt(d)),
        { now },
      ),
    );
    expect(status(results, /contact attempts/)).toBe(expected);
    expect(labelsAdded(results)).toEqual([expected === 'pass' ? 'dormant::eligible' : 'dormant::pending-contact']);
  });

  it('the 15th-day series says its window closed and a new series is needed', () => {
    const notes = ['2026-10-20', '2026-10-25', '2026-10-30', '2026-11-03'].map((d) => attempt(d));
    const body = note(evaluate(dormantNamespace, subjectFor(), context(user(), notes)))!.body;
    expect(body).toContain('the window from 2026-10-20 closed on 2026-11-02 with 3 of 4 attempts: a new series of 4 within 14 days is needed');
  });

  it('an open window says how many attempts and when it closes', () => {
    const notes = ['2026-11-10', '2026-11-12'].map((d) => attempt(d));
    const results = evaluate(dormantNamespace, subjectFor(), context(user(), notes));
    expect(note(results)!.body).toContain('2 of 4 contact attempts; the window closes on 2026-11-23');
  });

  it('no attempts yet: pending, naming the prefix', () => {
    expect(note(evaluate(dormantNamespace, subjectFor(), context(user(), [])))!.body).toContain(
      '0 of 4 contact attempts: none recorded yet (comments starting with "Contact attempt:")',
    );
  });

  it.each([
    {
      name: 'an event after the first attempt',
      facts: user({
        latestEvent: { ok: true, value: { at: new Date('2026-11-02T10:00:00Z'), action: 'commented on', targetType: 'Note' } },
        lastActivityOn: { ok: true, value: new Date('2024-01-01T00:00:00Z') },
      }),
      notes: fourAttempts,
      expected: 'fail',
    },
    {
      name: 'an event before the first attempt',
      facts: user({
        latestEvent: { ok: true, value: { at: new Date('2026-10-31T10:00:00Z'), action: 'commented on', targetType: 'Note' } },
        lastActivityOn: { ok: true, value: new Date('2024-01-01T00:00:00Z') },
      }),
      notes: fourAttempts,
      expected: 'pass',
    },
    {
      name: 'a reply from the user on the request',
      facts: user(),
      notes: [...fourAttempts, buildNote({ body: 'Please keep my name', author: { id: 77, username: 'coolname' }, createdAt: new Date('2026-11-05T10:00:00Z') })],
      expected: 'fail',
    },
  ])('$name: contact criterion $expected', ({ facts, notes, expected }) => {
    expect(status(evaluate(dormantNamespace, subjectFor(), context(facts, notes)), /contact attempts/)).toBe(expected);
  });

  it("only comments starting with the prefix count, not the bot's own report, and the prefix is configurable", () => {
    const notes = [
      ...['2026-11-01', '2026-11-04', '2026-11-07'].map((d) => attempt(d)),
      buildNote({ body: 'I will make a contact attempt: tomorrow', createdAt: new Date('2026-11-08T09:00:00Z') }),
      buildNote({
        body: '<!-- support-bot:dormant-namespace -->\nContact attempt: quoted in the report',
        author: { id: 2, username: 'support-bot' },
        createdAt: new Date('2026-11-08T09:00:00Z'),
      }),
    ];
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), notes)), /contact attempts/)).toBe('pending');
    const config = { ...defaultConfig, dormant: { ...defaultConfig.dormant, contactPrefix: 'Tried:' } };
    const tried = ['2026-11-01', '2026-11-04', '2026-11-07', '2026-11-08'].map((d) => buildNote({ body: `tried: email ${d}`, createdAt: new Date(`${d}T09:00:00Z`) }));
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), tried, { config })), /contact attempts/)).toBe('pass');
  });

  it("an attempt recorded through the bot's own account counts (an administrator token a Support engineer also uses)", () => {
    const notes = [
      ...['2026-11-01', '2026-11-04', '2026-11-07'].map((d) => attempt(d)),
      buildNote({ body: 'Contact attempt: fourth e-mail', author: { id: 2, username: 'support-bot' }, createdAt: new Date('2026-11-08T09:00:00Z') }),
    ];
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), notes)), /contact attempts/)).toBe('pass');
  });

  // How Support engineers write the line, and what only looks like it (tests/rules: a corpus, not one example).
  const FOURTH = new Date('2026-11-08T09:00:00Z');
  it.each([
    ['Contact attempt: e-mailed the primary address', true],
    ['contact attempt: emailed', true],
    ['CONTACT ATTEMPT: emailed', true],
    ['  Contact attempt:   emailed', true],
    ['Contact  attempt: emailed', true],
    ['**Contact attempt:** e-mailed, no reply', true],
    ['**Contact attempt**: e-mailed, no reply', true],
    ['*Contact attempt:* e-mailed', true],
    ['_Contact attempt:_ e-mailed', true],
    ['__Contact attempt__: e-mailed', true],
    ['- Contact attempt: e-mailed', true],
    ['* Contact attempt: e-mailed', true],
    ['4. Contact attempt: e-mailed', true],
    ['Contact attempt 4: e-mailed the secondary address', true],
    ['Contact attempt #4: e-mailed', true],
    ['Contact attempt (4): e-mailed', true],
    ['**Contact attempt 4:** e-mailed', true],
    ['**Contact attempt #4**: e-mailed', true],
    ['Contact attempt:\n\ne-mailed the primary address, no reply.', true],
    ['> Contact attempt: e-mailed (quoting the template)', false],
    ['I will make a contact attempt: tomorrow', false],
    ['Next contact attempt: Monday', false],
    ['Contact attempts: none so far', false],
    ['Contact attempted: no', false],
    ['`Contact attempt:` is the format to use', false],
    ['~~Contact attempt:~~ wrong request', false],
    ['```\nContact attempt: e-mailed\n```', false],
    ['Re: Contact attempt: e-mailed', false],
  ])('%j counts as the fourth attempt: %s', (body, counts) => {
    const notes = [...['2026-11-01', '2026-11-04', '2026-11-07'].map((d) => attempt(d)), buildNote({ body, author: { id: 3, username: 'chen' }, createdAt: FOURTH })];
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), notes)), /contact attempts/)).toBe(counts ? 'pass' : 'pending');
  });

  it('attempts count only when Support recorded them: a comment in that form by anyone else is named as not counted', () => {
    const outsider = (d: string, username: string) => buildNote({ body: 'Contact attempt: e-mailed', author: { id: 9, username }, createdAt: new Date(`${d}T09:00:00Z`) });
    const forged = ['2026-11-01', '2026-11-04', '2026-11-07', '2026-11-08'].map((d) => outsider(d, 'wants-the-name'));
    const results = evaluate(dormantNamespace, subjectFor(), context(user(), forged));
    expect(status(results, /contact attempts/)).toBe('pending');
    expect(labelsAdded(results)).toEqual(['dormant::pending-contact']);
    expect(note(results)!.body).toContain(
      '0 of 4 contact attempts: none recorded yet (comments starting with "Contact attempt:"); 4 comments in that form by `wants-the-name`, outside the Support team, not counted',
    );

    const mixed = [...['2026-11-01', '2026-11-04', '2026-11-07'].map((d) => attempt(d)), outsider('2026-11-08', 'Mallory')];
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), mixed)), /contact attempts/)).toBe('pending');
    // Team membership is by username, as GitLab compares them: in any case.
    const anyCase = [...['2026-11-01', '2026-11-04', '2026-11-07'].map((d) => attempt(d)), outsider('2026-11-08', 'CHEN')];
    expect(status(evaluate(dormantNamespace, subjectFor(), context(user(), anyCase)), /contact attempts/)).toBe('pass');
  });

  it.each([
    { name: 'no owned project', projects: [], noData: 'pass', active: 'pass' },
    { name: 'an empty, old project', projects: [project()], noData: 'pass', active: 'pass' },
    {
      name: 'a project with commits',
      projects: [project({ emptyRepo: false, statistics: { commitCount: 12, repositorySize: 4096, storageSize: 4096 } })],
      noData: 'fail',
      active: 'pass',
    },
    { name: 'a project with open issues', projects: [project({ openIssuesCount: 2 })], noData: 'fail', active: 'pass' },
    { name: 'a project with closed issues only', projects: [project({ closedIssues: true })], noData: 'fail', active: 'pass' },
    { name: 'a project whose issues the token may not list', projects: [project({ closedIssues: null })], noData: 'cannot verify', active: 'pass' },
    { name: 'a project active 3 months ago', projects: [project({ lastActivityAt: new Date('2026-08-18T00:00:00Z') })], noData: 'pass', active: 'fail' },
    { name: 'a project whose statistics are hidden', projects: [project({ statistics: null })], noData: 'cannot verify', active: 'pass' },
  ])('$name: no data $noData, no active project $active', ({ projects, noData, active }) => {
    const results = evaluate(dormantNamespace, subjectFor(), context(user({ ownedProjects: { ok: true, value: projects } })));
    expect(status(results, /No data/)).toBe(noData);
    expect(status(results, /Owns no active project/)).toBe(active);
    expect(labelsAdded(results)).toEqual([noData === 'pass' && active === 'pass' ? 'dormant::eligible' : 'dormant::not-eligible']);
  });
});

describe('dormant-namespace: evidence', () => {
  it('names the projects with data and what is in them, counted', () => {
    const projects = [
      project({ emptyRepo: false, statistics: { commitCount: 12, repositorySize: 4096, storageSize: 4096 } }),
      project({ pathWithNamespace: 'coolname/tracker', openIssuesCount: 1 }),
    ];
    const body = note(evaluate(dormantNamespace, subjectFor(), context(user({ ownedProjects: { ok: true, value: projects } }))))!.body;
    expect(body).toContain('No data | fail | 2 owned projects; with data: `coolname/old` (12 commits, 4 KiB stored), `coolname/tracker` (1 open issue)');
    expect(body).toContain('**Next:** Not eligible, a criterion fails: no data. The bot checks again daily.');
  });
});

describe('dormant-namespace: what the token cannot read is never a pass', () => {
  it.each([
    { name: 'events refused (403)', facts: user({ latestEvent: { ok: false, why: 'GET users/77/events answered 403' } }), criteria: [/No activity/] },
    {
      name: 'owned projects refused (403)',
      facts: user({ ownedProjects: { ok: false, why: 'GET users/77/projects answered 403' } }),
      criteria: [/No data/, /Owns no active project/],
    },
    {
      name: 'the user lookup refused (403)',
      facts: { kind: 'unreadable', namespace: 'coolname', why: 'GET users answered 403' } as NamespaceFacts,
      criteria: [/No data/, /No activity/, /contact attempts/, /Owns no active project/],
    },
  ])('an administrator token, $name: cannot verify, not eligible', ({ facts, criteria }) => {
    const results = evaluate(dormantNamespace, subjectFor(), context(facts, fourAttempts, { facts: { dormantNamespace: facts, notes: fourAttempts, tokenIsAdmin: true } }));
    for (const c of criteria) expect(status(results, c)).toBe('cannot verify');
    expect(labelsAdded(results)).toEqual(['dormant::not-eligible']);
    expect(results.some((r) => r.action.type === 'renameUser')).toBe(false);
  });

  it("without the tokenIsAdmin fact the token counts as not an administrator's", () => {
    const results = evaluate(dormantNamespace, subjectFor(), context(user(), fourAttempts, { facts: { dormantNamespace: user(), notes: fourAttempts } }));
    expect(status(results, /No data/)).toBe('cannot verify');
    expect(labelsAdded(results)).toEqual(['dormant::needs-admin']);
  });
});

// Issue 18: with the usual non-administrator token, the first report says at once that an
// administrator must check, instead of waiting two weeks for contact attempts that cannot
// lead to a release. Both sides of each boundary: the token, a failing criterion, what it cannot see.
describe('dormant-namespace: a token that cannot verify the criteria (needs-admin)', () => {
  const nonAdmin = user({ lastActivityOn: { ok: false, why: 'last_activity_on is shown to administrators only' } });
  const withData = user({ ownedProjects: { ok: true, value: [project({ openIssuesCount: 2 })] }, lastActivityOn: nonAdmin.lastActivityOn });
  const recent = user({
    latestEvent: { ok: true, value: { at: new Date('2026-10-01T10:00:00Z'), action: 'pushed to', targetType: null } },
    lastActivityOn: nonAdmin.lastActivityOn,
  });
  it.each([
    { name: 'non-administrator, no attempts yet (the first report)', facts: nonAdmin, admin: false, notes: [], label: 'dormant::needs-admin', unverified: 3 },
    { name: 'non-administrator, four attempts', facts: nonAdmin, admin: false, notes: fourAttempts, label: 'dormant::needs-admin', unverified: 3 },
    { name: 'administrator, no attempts yet', facts: user(), admin: true, notes: [], label: 'dormant::pending-contact', unverified: 0 },
    { name: 'administrator, four attempts', facts: user(), admin: true, notes: fourAttempts, label: 'dormant::eligible', unverified: 0 },
    { name: 'non-administrator, a visible project with data (a criterion fails)', facts: withData, admin: false, notes: [], label: 'dormant::not-eligible', unverified: 2 },
    { name: 'non-administrator, active a month ago (a criterion fails)', facts: recent, admin: false, notes: [], label: 'dormant::not-eligible', unverified: 2 },
    {
      name: 'non-administrator, the user hidden from it',
      facts: { kind: 'unreadable', namespace: 'coolname', why: 'the path is taken, but by no user or group this token can see' } as NamespaceFacts,
      admin: false,
      notes: [],
      label: 'dormant::needs-admin',
      unverified: 4,
    },
  ])('$name: $label', ({ facts, admin, notes, label, unverified }) => {
    const results = evaluate(dormantNamespace, subjectFor(), context(facts, notes, { facts: { dormantNamespace: facts, notes, tokenIsAdmin: admin } }));
    expect(labelsAdded(results)).toEqual([label]);
    const body = note(results)!.body;
    expect(body.split('\n').filter((l) => /\| cannot verify \|/.test(l))).toHaveLength(unverified);
    if (label === 'dormant::needs-admin') {
      expect(body).toContain(`**needs an administrator: ${unverified} of 4 criteria cannot be verified with this token**`);
      expect(body).toContain(`An administrator must check the ${unverified} criteria marked "cannot verify"`);
      expect(body).toContain('contact attempts alone cannot lead to a release');
      expect(body).not.toContain('Waiting for contact attempts');
      expect(results.find((r) => r.action.type === 'addLabels')!.reason).toBe(
        `\`coolname\`: needs an administrator: ${unverified} of 4 criteria cannot be verified with this token`,
      );
    }
    expect(results.find((r) => r.action.type === 'removeLabels')!.action).toEqual({
      type: 'removeLabels',
      labels: ['dormant::eligible', 'dormant::not-eligible', 'dormant::pending-contact', 'dormant::needs-admin', 'dormant::user-not-found'].filter((l) => l !== label),
    });
  });

  it('the shipped Name Squatting Request template explains the `Contact attempt:` line with an example, in a comment requesters see', () => {
    const template = readFileSync('issue_templates/internal-requests/Name Squatting Request.md', 'utf8');
    const header = template.slice(0, template.indexOf('## Requested namespace'));
    expect(header).toContain('starts with "Contact attempt:", one comment per attempt');
    expect(header).toMatch(/^ {2}Contact attempt: e-mailed the account's primary address, no reply\.$/m);
  });

  it('explains the `Contact attempt:` line with an example while attempts still matter, and not once they are complete', () => {
    const waiting = note(evaluate(dormantNamespace, subjectFor(), context(user(), [])))!.body;
    expect(waiting).toContain('a member of the Support team adds a comment to this request that starts with `Contact attempt:`, one comment per attempt, for example:');
    expect(waiting).toContain("```\nContact attempt: e-mailed the account's primary address, no reply.\n```");
    const complete = note(evaluate(dormantNamespace, subjectFor(), context(user(), fourAttempts)))!.body;
    expect(complete).not.toContain('Recording a contact attempt');
    const config = { ...defaultConfig, dormant: { ...defaultConfig.dormant, contactPrefix: 'Tried:' } };
    expect(note(evaluate(dormantNamespace, subjectFor(), context(user(), [], { config })))!.body).toContain('```\nTried: e-mailed');
  });
});

describe('dormant-namespace: namespaces that are not a dormant user', () => {
  it.each([
    {
      name: 'a user that does not exist',
      facts: { kind: 'not-found', namespace: 'ghost' } as NamespaceFacts,
      label: 'dormant::user-not-found',
      text: 'No user or group has the namespace `ghost`',
    },
    {
      name: 'a group',
      facts: { kind: 'group', namespace: 'acme', webUrl: 'https://gitlab.com/groups/acme', public: true } as NamespaceFacts,
      label: 'dormant::not-eligible',
      text: '[`acme`](https://gitlab.com/groups/acme): **a group, not a user**',
    },
    // Issue 21 #7: a private group only the bot can see is neither linked nor called a group.
    {
      name: 'a private group the bot is a member of',
      facts: { kind: 'group', namespace: 'acme-internal', webUrl: 'https://gitlab.com/groups/acme-internal', public: false } as NamespaceFacts,
      label: 'dormant::not-eligible',
      text: "**Dormant namespace check** for `acme-internal`: **not a user's namespace**",
    },
  ])('$name: $label', ({ facts, label, text }) => {
    const results = evaluate(dormantNamespace, subjectFor(), context(facts));
    expect(labelsAdded(results)).toEqual([label]);
    expect(note(results)!.body).toContain(text);
    expect(results.find((r) => r.action.type === 'removeLabels')!.action).toEqual({
      type: 'removeLabels',
      labels: ['dormant::eligible', 'dormant::not-eligible', 'dormant::pending-contact', 'dormant::needs-admin', 'dormant::user-not-found'].filter((l) => l !== label),
    });
    if (facts.kind === 'group' && !facts.public) {
      expect(note(results)!.body).not.toMatch(/group|https:/);
    }
  });

  it('no namespace in the request: every dormant label goes, an earlier note is only edited', () => {
    const results = evaluate(dormantNamespace, subjectFor(''), context({ kind: 'none' }));
    expect(labelsAdded(results)).toEqual([]);
    expect(note(results)!.onlyIfExists).toBe(true);
  });

  it("links the account's page from the report's first line, as evidence a reader can follow", () => {
    const results = evaluate(dormantNamespace, subjectFor(), context(user()));
    expect(note(results)!.body).toContain('**Dormant namespace check** for [`coolname`](https://gitlab.com/coolname): **');
    const group = evaluate(dormantNamespace, subjectFor('gitlab-com'), context({ kind: 'group', namespace: 'gitlab-com', webUrl: null, public: true }));
    expect(note(group)!.body).toContain('**Dormant namespace check** for `gitlab-com`: **a group, not a user**');
  });

  it('a namespace section the bot cannot read: the note says what it read and why, since template-check counts the section as filled', () => {
    const unreadable = { text: 'https://github.com/@coolname', why: 'a URL on github.com, not on gitlab.com' };
    const results = evaluate(dormantNamespace, subjectFor('https://github.com/@coolname'), context({ kind: 'none', unreadable }));
    expect(labelsAdded(results)).toEqual([]);
    const posted = note(results)!;
    expect(posted.onlyIfExists).toBe(false);
    expect(posted.body).toContain('**Dormant namespace check**: **no namespace to check**');
    expect(posted.body).toContain('"https://github.com/@\u200Bcoolname" is a URL on github.com, not on gitlab.com. Write the username alone');
  });
});

describe('dormant-namespace: the release', () => {
  const allowed = { ...defaultConfig, dormant: { ...defaultConfig.dormant, allowRename: true } };
  const releasing = dormantNamespaceRule({ applyRename: true });

  it('with --apply-rename, allowRename and an administrator token: rename first, record it, close', () => {
    const results = evaluate(releasing, subjectFor(), context(user(), fourAttempts, { config: allowed }));
    expect(results[0]!.action).toMatchObject({ type: 'renameUser', userId: 77, from: 'coolname', to: 'idlecoolname', intent: { key: 'dormant-namespace-release' } });
    expect(results.map((r) => r.action.type)).toEqual(['renameUser', 'addLabels', 'removeLabels', 'upsertNote', 'upsertNote', 'setState']);
    expect(note(results)!.body).toContain('**Released:** `coolname` was renamed to `idlecoolname` on 2026-11-18');
    // The record is a note of its own, which later reports never edit.
    const record = results.find((r) => r.action.type === 'upsertNote' && r.action.key === 'dormant-namespace-release')!.action as { body: string };
    expect(record.body).toContain('`coolname` was renamed to `idlecoolname` on 2026-11-18: the namespace `coolname` is free');
  });

  it('a taken idle name: the numbered variant, reported', () => {
    const facts = user({ idleName: { ok: true, value: { name: 'idlecoolname1', numbered: true } } });
    const results = evaluate(releasing, subjectFor(), context(facts, fourAttempts, { config: allowed }));
    expect(results[0]!.action).toMatchObject({ type: 'renameUser', to: 'idlecoolname1' });
    expect(note(results)!.body).toContain('(`idlecoolname` was taken)');
  });

  it.each([
    { name: 'without --apply-rename', rule: dormantNamespace, config: allowed, admin: true, trigger: JOB, missing: null },
    { name: 'allowRename false', rule: releasing, config: defaultConfig, admin: true, trigger: JOB, missing: '`dormant.allowRename` is false' },
    { name: 'a non-administrator token', rule: releasing, config: allowed, admin: false, trigger: JOB, missing: null },
    { name: 'a webhook', rule: releasing, config: allowed, admin: true, trigger: buildIssueTrigger('issue.update', ['description']), missing: null },
  ])('$name: no rename, no close', ({ rule, config, admin, trigger, missing }) => {
    const results = evaluate(rule, subjectFor(), context(user(), fourAttempts, { config, trigger, facts: { dormantNamespace: user(), notes: fourAttempts, tokenIsAdmin: admin } }));
    expect(results.some((r) => r.action.type === 'renameUser' || r.action.type === 'setState')).toBe(false);
    if (missing) expect(note(results)!.body).toContain(missing);
  });
});

// Issue 21 #2: a release an earlier run started (its intent written before the rename).
describe('dormant-namespace: finishing an interrupted release', () => {
  const intent: ReleaseIntent = {
    userId: 77,
    from: 'coolname',
    to: 'idlecoolname',
    numbered: false,
    wanted: 'idlecoolname',
    day: '2026-11-17',
    namespace: 'coolname',
    profileUrl: 'https://gitlab.com/coolname',
    criteria: [{ name: 'No data', status: 'pass', evidence: '0 owned projects' }],
  };
  const closedSubject = buildSubject('internal-requests', {
    description: nameSquattingRequest('coolname'),
    labels: ['template::name-squatting-request', 'dormant::eligible'],
    state: 'closed',
  });
  const notFound = { kind: 'not-found', namespace: 'coolname' } as NamespaceFacts;
  const plan = (subject: IssueSubject, current: string | null, facts: NamespaceFacts = notFound) =>
    evaluate(
      dormantNamespace,
      subject,
      context(facts, fourAttempts, { facts: { dormantNamespace: facts, notes: fourAttempts, tokenIsAdmin: true, dormantRelease: { intent, current } } }),
    );
  const record = (results: RuleResult[]) =>
    (results.find((r) => r.action.type === 'upsertNote' && r.action.key === 'dormant-namespace-release')?.action as { body: string } | undefined)?.body;

  it.each([
    { name: 'open, renamed', subject: subjectFor(), current: 'idlecoolname', finished: true },
    { name: 'closed, renamed (killed before the notes)', subject: closedSubject, current: 'idlecoolname', finished: true },
    { name: 'open, renamed with another case', subject: subjectFor(), current: 'IdleCoolname', finished: false },
    { name: 'open, still the old name', subject: subjectFor(), current: 'coolname', finished: false },
    { name: 'closed, still the old name (closed by hand)', subject: closedSubject, current: 'coolname', finished: false },
  ])('$name: finished $finished', ({ subject, current, finished }) => {
    const results = plan(subject, current, current === 'coolname' ? user() : notFound);
    if (finished) {
      expect(results.map((r) => r.action.type)).toEqual(['addLabels', 'removeLabels', 'upsertNote', 'upsertNote', 'setState']);
      expect(labelsAdded(results)).toEqual(['dormant::eligible']);
      // Dated the day the release started, with the evidence it was made on.
      expect(record(results)).toContain('`coolname` was renamed to `idlecoolname` on 2026-11-17: the namespace `coolname` is free');
      expect(note(results)!.body).toContain('**Released:** `coolname` was renamed to `idlecoolname` on 2026-11-17');
      expect(note(results)!.body).toContain('No data | pass | 0 owned projects');
      expect(results.some((r) => r.action.type === 'renameUser')).toBe(false);
    } else {
      expect(results.some((r) => r.action.type === 'setState')).toBe(false);
      if (subject.issue.state === 'opened') expect(record(results)).toContain('**Release not completed.**');
    }
  });

  it.each([
    { current: 'coolname', text: 'the account still has the name `coolname`' },
    { current: 'someone-else', text: 'the account is now `someone-else`, not `idlecoolname`' },
    { current: null, text: 'the account no longer exists' },
  ])('not renamed as intended ($current): the record says what happened, never "released"', ({ current, text }) => {
    const results = plan(subjectFor(), current, current === 'coolname' ? user() : notFound);
    expect(record(results)).toContain(text);
    expect(record(results)).not.toContain('Namespace released');
  });

  it('with --apply-rename and the old name still in place, the release is made again (intent rewritten, rename, record)', () => {
    const allowed = { ...defaultConfig, dormant: { ...defaultConfig.dormant, allowRename: true } };
    const results = evaluate(
      dormantNamespaceRule({ applyRename: true }),
      subjectFor(),
      context(user(), fourAttempts, {
        config: allowed,
        facts: { dormantNamespace: user(), notes: fourAttempts, tokenIsAdmin: true, dormantRelease: { intent, current: 'coolname' } },
      }),
    );
    expect(results.map((r) => r.action.type)).toEqual(['renameUser', 'addLabels', 'removeLabels', 'upsertNote', 'upsertNote', 'setState']);
    expect(record(results)).toContain('**Namespace released.**');
  });

  it('the intent rides in the record as one hidden line, read back exactly; anything else is no intent', () => {
    const line = intentLine({ ...intent, criteria: [{ name: 'x', status: 'pass', evidence: 'ends with --> and `code`' }] });
    expect(line).toMatch(/^<!-- support-bot-release-intent [A-Za-z0-9_-]+ -->$/);
    expect(readIntent(`**Releasing**\n\n${line}`)).toEqual({ ...intent, criteria: [{ name: 'x', status: 'pass', evidence: 'ends with --> and `code`' }] });
    for (const body of ['**Namespace released.**', '<!-- support-bot-release-intent e30 -->', '<!-- support-bot-release-intent !!! -->', line.replace('intent ', 'intent x')]) {
      expect(readIntent(body), body).toBeNull();
    }
  });
});
