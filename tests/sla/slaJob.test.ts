import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { formatSlaFigures, runSla, slaFigures } from '../../src/jobs/sla.js';
import { JOBS } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { firstResponseSla } from '../../src/rules/firstResponseSla.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import type { FirstResponseStatus } from '../../src/sla/firstResponse.js';
import { firstResponseTarget } from '../../src/sla/target.js';
import { defaultConfig } from '../helpers/builders.js';

// Default config: UTC, Monday to Friday 9-17. A Contact Request has 12 business hours and is
// at risk after 9.6. The job runs on Wednesday 2026-11-18 at 12:00 UTC.
const NOW = new Date('2026-11-18T12:00:00Z');
const PROJECT = 'gitlab-com/support/internal-requests';
const { slaAtRisk, slaBreached } = defaultConfig.labels;
const sink = { write: () => true } as unknown as NodeJS.WritableStream;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type SlaOptions = Partial<Runtime['loaded']['config']['sla']>;

async function setUp(options: { dryRun?: boolean; now?: () => Date; sla?: SlaOptions } = {}): Promise<{ s: Stack; runtime: Runtime; projectId: number }> {
  const s = await startStack({ rules: [firstResponseSla], hooks: false });
  stack = s;
  const { loaded } = s.runtime;
  const runtime = createRuntime({
    log: silentLogger,
    loaded: { ...loaded, config: { ...loaded.config, sla: { ...loaded.config.sla, ...options.sla } } },
    rules: [firstResponseSla],
    now: options.now ?? (() => NOW),
    dryRun: options.dryRun,
    env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
  });
  return { s, runtime, projectId: s.sandbox.store.resolveProject(PROJECT)!.id };
}

function contactRequest(s: Stack, projectId: number, title: string, createdAt: string, extra: { author?: string; labels?: string[]; assignees?: string[] } = {}) {
  const { store } = s.sandbox;
  const author = store.findUserByUsername(extra.author ?? 'sam-sales') ?? store.createUser({ username: extra.author! });
  const assigneeIds = (extra.assignees ?? []).map((u) => store.findUserByUsername(u)!.id);
  return store.createIssue(projectId, {
    title,
    description: 'd',
    authorId: author.id,
    labels: ['template::contact-request', ...(extra.labels ?? [])],
    assigneeIds,
    createdAt: new Date(createdAt),
  });
}

function answer(s: Stack, projectId: number, iid: number, username: string, at: string) {
  const user = s.sandbox.store.findUserByUsername(username)!;
  s.sandbox.store.createNote(s.sandbox.store.getIssue(projectId, iid)!, { body: 'Looking into it.', authorId: user.id, createdAt: new Date(at) });
}

const writes = (s: Stack) => s.sandbox.requests.filter((r) => r.method !== 'GET').length;
const notesRead = (s: Stack, iid: number) => s.sandbox.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/issues/${iid}/notes`)).length;
const botNotes = (s: Stack, projectId: number, iid: number) =>
  s.sandbox.store.listNotes(s.sandbox.store.getIssue(projectId, iid)!).filter((n) => s.sandbox.store.getUser(n.authorId)?.username === 'support-bot');

describe('run sla against the sandbox', () => {
  it('labels a breached issue once, makes zero writes the second time, and clears the labels after a team answer', async () => {
    const { s, runtime, projectId } = await setUp();
    const breached = contactRequest(s, projectId, 'Contact a user about their pipeline minutes', '2026-11-16T09:00:00Z');
    const atRisk = contactRequest(s, projectId, 'Contact a user about a blocked account', '2026-11-17T09:00:00Z');
    const fresh = contactRequest(s, projectId, 'Contact a user about a namespace', '2026-11-17T13:00:00Z');
    const answered = contactRequest(s, projectId, 'Contact a user about spam', '2026-11-16T09:00:00Z');
    answer(s, projectId, answered.iid, 'bruno', '2026-11-16T11:00:00Z');

    const first = await runSla(runtime, { out: sink });
    expect(first.failed).toBe(false);
    expect(s.sandbox.store.getIssue(projectId, breached.iid)!.labels).toContain(slaBreached);
    expect(s.sandbox.store.getIssue(projectId, atRisk.iid)!.labels).toContain(slaAtRisk);
    expect(s.sandbox.store.getIssue(projectId, fresh.iid)!.labels).not.toContain(slaAtRisk);
    const [note] = botNotes(s, projectId, breached.iid);
    expect(botNotes(s, projectId, breached.iid)).toHaveLength(1);
    // No assignee and no sla.escalateTo: nobody is mentioned, the label carries it.
    expect(note!.body).not.toContain('@');
    expect(botNotes(s, projectId, atRisk.iid)).toEqual([]);
    expect(first.figures).toEqual({ atRisk: 1, breached: 1, answered: 1, medianFirstResponseHours: 2 });
    expect(first.summary).toMatch(/^sla: .*3 writes.*; first response: 1 at risk, 1 breached, 1 answered, median first response 2 business hours$/);
    // Cheap before costly: the issue too young to be at risk had its notes read by nobody.
    expect(notesRead(s, fresh.iid)).toBe(0);
    // Once to plan, once after posting to make sure no other run posted the same note at once.
    expect(notesRead(s, breached.iid)).toBe(2);

    const before = writes(s);
    const second = await runSla(runtime, { out: sink });
    expect(writes(s)).toBe(before);
    expect(second.summary).toMatch(/0 changed, 0 writes/);
    expect(botNotes(s, projectId, breached.iid)[0]!.updatedAt).toEqual(note!.updatedAt);

    answer(s, projectId, breached.iid, 'chen', '2026-11-18T11:00:00Z');
    const third = await runSla(runtime, { out: sink });
    const labels = s.sandbox.store.getIssue(projectId, breached.iid)!.labels;
    expect(labels).not.toContain(slaBreached);
    expect(labels).not.toContain(slaAtRisk);
    const edited = botNotes(s, projectId, breached.iid);
    expect(edited).toHaveLength(1);
    expect(edited[0]!.body).toMatch(/answered this issue after 18 business hours/);
    expect(edited[0]!.body).not.toContain('@');
    expect(third.figures).toMatchObject({ breached: 0, answered: 2, medianFirstResponseHours: 10 });

    const settled = writes(s);
    await runSla(runtime, { out: sink });
    expect(writes(s)).toBe(settled);
  });

  it('at risk: the label only; at the breach one note, mentioning the assignee (not sla.escalateTo); still one note later', async () => {
    let now = new Date('2026-11-17T11:00:00Z');
    const { s, runtime, projectId } = await setUp({ now: () => now, sla: { escalateTo: 'maria-manager' } });
    const issue = contactRequest(s, projectId, 'Contact a user about an expired token', '2026-11-16T09:00:00Z', { assignees: ['chen'] });
    await runSla(runtime, { out: sink });
    expect(s.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain(slaAtRisk);
    expect(botNotes(s, projectId, issue.iid)).toEqual([]);

    now = new Date('2026-11-17T14:00:00Z');
    const before = writes(s);
    await runSla(runtime, { out: sink });
    const labels = s.sandbox.store.getIssue(projectId, issue.iid)!.labels;
    expect(labels).toContain(slaBreached);
    expect(labels).not.toContain(slaAtRisk);
    // One PUT for the label swap, one POST for the note.
    expect(writes(s) - before).toBe(2);
    const notes = botNotes(s, projectId, issue.iid);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toMatch(
      /^@chen this \*\*Contact Request\*\* has no first response from Support yet: its first-response target of 12 business hours passed at 2026-11-17 13:00 UTC/m,
    );
    expect(notes[0]!.body.match(/@[\w./-]+/g)).toEqual(['@chen']);

    now = new Date('2026-11-19T14:00:00Z');
    const settled = writes(s);
    await runSla(runtime, { out: sink });
    expect(writes(s)).toBe(settled);
  });

  it('without an assignee, the breach note mentions sla.escalateTo once', async () => {
    const { s, runtime, projectId } = await setUp({ sla: { escalateTo: '@maria-manager' } });
    const issue = contactRequest(s, projectId, 'Contact a user about a phishing page', '2026-11-16T09:00:00Z');
    await runSla(runtime, { out: sink });
    const notes = botNotes(s, projectId, issue.iid);
    expect(notes.map((n) => n.body.match(/@[\w./-]+/g))).toEqual([['@maria-manager']]);
  });

  it("puts only requests on the clock: not the team's, an integration's, a bot's, an access token's or a redirected one", async () => {
    const { s, runtime, projectId } = await setUp({ sla: { ignoreAuthors: ['zendesk-integration'] } });
    const { store } = s.sandbox;
    store.createUser({ username: 'zendesk-integration', name: 'Zendesk' });
    store.createUser({ username: 'ssat-bot', name: 'SSAT', bot: true });
    store.createUser({ username: 'project_1_bot_0123456789abcdef0123456789abcdef', name: 'Internal Requests bot', bot: true });
    const old = '2026-11-09T09:00:00Z';
    const offTheClock = {
      team: contactRequest(s, projectId, 'Contact a user: team member', old, { author: 'bruno' }),
      listed: contactRequest(s, projectId, 'Contact a user: listed integration', old, { author: 'zendesk-integration' }),
      botUser: contactRequest(s, projectId, 'Contact a user: bot user', old, { author: 'ssat-bot' }),
      token: contactRequest(s, projectId, 'Contact a user: project access token', old, { author: 'project_1_bot_0123456789abcdef0123456789abcdef' }),
      theBot: contactRequest(s, projectId, 'Contact a user: the bot', old, { author: 'support-bot' }),
      redirected: contactRequest(s, projectId, 'Contact a user: redirected', old, { labels: ['redirect::request-form'] }),
      untemplated: store.createIssue(projectId, {
        title: 'A proposal',
        description: 'Let us try something.',
        authorId: store.findUserByUsername('sam-sales')!.id,
        createdAt: new Date(old),
      }),
    };
    const request = contactRequest(s, projectId, 'Contact a user: a request', old);

    const result = await runSla(runtime, { out: sink });
    expect(result.figures).toEqual({ atRisk: 0, breached: 1, answered: 0, medianFirstResponseHours: null });
    expect(store.getIssue(projectId, request.iid)!.labels).toContain(slaBreached);
    for (const [name, issue] of Object.entries(offTheClock)) {
      const labels = store.getIssue(projectId, issue.iid)!.labels;
      expect({ name, labels: labels.filter((l) => l.startsWith('sla::')), notes: botNotes(s, projectId, issue.iid).length }).toEqual({ name, labels: [], notes: 0 });
      // Off the clock on what is known before any comment is read.
      expect(notesRead(s, issue.iid)).toBe(0);
    }
    // GitLab's bot flag is read once per author that names and the team could not settle.
    const userReads = s.sandbox.requests.filter((r) => r.method === 'GET' && /\/users\/\d+$/.test(r.path)).map((r) => r.path);
    const idOf = (u: string) => store.findUserByUsername(u)!.id;
    expect(userReads.sort()).toEqual([`/api/v4/users/${idOf('sam-sales')}`, `/api/v4/users/${idOf('ssat-bot')}`].sort());
  });

  it('takes the labels off a request once it is redirected, without a note', async () => {
    const { s, runtime, projectId } = await setUp();
    const issue = contactRequest(s, projectId, 'Contact a user about a namespace', '2026-11-16T09:00:00Z');
    await runSla(runtime, { out: sink });
    expect(s.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain(slaBreached);
    const notesBefore = botNotes(s, projectId, issue.iid).length;
    s.sandbox.store.getIssue(projectId, issue.iid)!.labels.push('redirect::request-form');
    await runSla(runtime, { out: sink });
    const labels = s.sandbox.store.getIssue(projectId, issue.iid)!.labels;
    expect(labels).not.toContain(slaBreached);
    expect(labels).not.toContain(slaAtRisk);
    expect(botNotes(s, projectId, issue.iid)).toHaveLength(notesBefore);
  });

  it('with sla.answeredLabel, marks an answered issue once and reads its notes no more', async () => {
    const { s, runtime, projectId } = await setUp({ sla: { answeredLabel: 'sla::answered' } });
    const issue = contactRequest(s, projectId, 'Contact a user about 2FA', '2026-11-16T09:00:00Z');
    await runSla(runtime, { out: sink });
    answer(s, projectId, issue.iid, 'dana', '2026-11-18T10:00:00Z');
    const third = await runSla(runtime, { out: sink });
    expect(s.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain('sla::answered');
    expect(s.sandbox.store.getIssue(projectId, issue.iid)!.labels).not.toContain(slaBreached);
    expect(third.figures.answered).toBe(1);
    const reads = notesRead(s, issue.iid);
    const before = writes(s);
    await runSla(runtime, { out: sink });
    expect(notesRead(s, issue.iid)).toBe(reads);
    expect(writes(s)).toBe(before);
  });

  it('is registered as `run sla` and plans without writing in a dry run', async () => {
    const { s, runtime, projectId } = await setUp({ dryRun: true });
    const issue = contactRequest(s, projectId, 'Contact a user about SSO', '2026-11-16T09:00:00Z');
    const lines: string[] = [];
    const out = { write: (chunk: string) => lines.push(chunk) > 0 } as unknown as NodeJS.WritableStream;
    const result = await JOBS.sla(runtime, { out });
    expect(writes(s)).toBe(0);
    expect(result.summary).toMatch(/2 writes planned \(dry run\)/);
    expect(lines.join('')).toMatch(new RegExp(`${PROJECT}#${issue.iid} breached \\(target 12 business hours, passed 2026-11-17 13:00 UTC\\): would write`));
  });
});

describe('slaFigures', () => {
  const target = firstResponseTarget({ labels: ['template::contact-request'], createdAt: NOW }, defaultConfig)!;
  const answered = (businessHours: number): FirstResponseStatus => ({ target, state: 'answered', businessHours, response: {} as never });
  it.each([
    { name: 'nothing assessed', statuses: [], expected: { atRisk: 0, breached: 0, answered: 0, medianFirstResponseHours: null } },
    { name: 'an odd count of answers', statuses: [answered(5), answered(1), answered(30)], expected: { atRisk: 0, breached: 0, answered: 3, medianFirstResponseHours: 5 } },
    { name: 'an even count of answers', statuses: [answered(4), answered(1)], expected: { atRisk: 0, breached: 0, answered: 2, medianFirstResponseHours: 2.5 } },
    {
      name: 'states counted apart',
      statuses: [
        { target, state: 'breached' },
        { target, state: 'breached' },
        { target, state: 'at-risk' },
        { target, state: 'on-track' },
        { state: 'off-the-clock', why: 'written by @bob of the Support team' },
      ] as FirstResponseStatus[],
      expected: { atRisk: 1, breached: 2, answered: 0, medianFirstResponseHours: null },
    },
  ])('$name', ({ statuses, expected }) => {
    expect(slaFigures(statuses)).toEqual(expected);
  });

  it('reads as one phrase for the summary line', () => {
    expect(formatSlaFigures({ atRisk: 0, breached: 0, answered: 0, medianFirstResponseHours: null })).toBe('first response: 0 at risk, 0 breached, 0 answered, no median yet');
  });
});
