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

async function setUp(options: { dryRun?: boolean; now?: () => Date; answeredLabel?: string } = {}): Promise<{ s: Stack; runtime: Runtime; projectId: number }> {
  const s = await startStack({ rules: [firstResponseSla], hooks: false });
  stack = s;
  const { loaded } = s.runtime;
  const runtime = createRuntime({
    log: silentLogger,
    loaded: options.answeredLabel ? { ...loaded, config: { ...loaded.config, sla: { ...loaded.config.sla, answeredLabel: options.answeredLabel } } } : loaded,
    rules: [firstResponseSla],
    now: options.now ?? (() => NOW),
    dryRun: options.dryRun,
    env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
  });
  return { s, runtime, projectId: s.sandbox.store.resolveProject(PROJECT)!.id };
}

function contactRequest(s: Stack, projectId: number, title: string, createdAt: string) {
  const author = s.sandbox.store.findUserByUsername('sam-sales')!;
  return s.sandbox.store.createIssue(projectId, { title, description: 'd', authorId: author.id, labels: ['template::contact-request'], createdAt: new Date(createdAt) });
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
    expect(note!.body.match(/@gitlab-com\/support\b/g)).toHaveLength(1);
    expect(first.figures).toEqual({ atRisk: 1, breached: 1, answered: 1, medianFirstResponseHours: 2 });
    expect(first.summary).toMatch(/^sla: .*4 writes.*; first response: 1 at risk, 1 breached, 1 answered, median first response 2 business hours$/);
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

  it('keeps one note from at risk to breached: edited in place, the group mentioned once', async () => {
    let now = new Date('2026-11-17T11:00:00Z');
    const { s, runtime, projectId } = await setUp({ now: () => now });
    const issue = contactRequest(s, projectId, 'Contact a user about an expired token', '2026-11-16T09:00:00Z');
    await runSla(runtime, { out: sink });
    expect(s.sandbox.store.getIssue(projectId, issue.iid)!.labels).toContain(slaAtRisk);
    const posted = botNotes(s, projectId, issue.iid);

    now = new Date('2026-11-17T14:00:00Z');
    const before = writes(s);
    await runSla(runtime, { out: sink });
    const labels = s.sandbox.store.getIssue(projectId, issue.iid)!.labels;
    expect(labels).toContain(slaBreached);
    expect(labels).not.toContain(slaAtRisk);
    // One PUT for the label swap, one for the note: no new note, so no new mention.
    expect(writes(s) - before).toBe(2);
    const notes = botNotes(s, projectId, issue.iid);
    expect(notes.map((n) => n.id)).toEqual(posted.map((n) => n.id));
    expect(notes[0]!.body).toMatch(/12 business hours passed at 2026-11-17 13:00 UTC/);
    expect(notes[0]!.body.match(/@gitlab-com\/support\b/g)).toHaveLength(1);
  });

  it('with sla.answeredLabel, marks an answered issue once and reads its notes no more', async () => {
    const { s, runtime, projectId } = await setUp({ answeredLabel: 'sla::answered' });
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
    expect(lines.join('')).toMatch(new RegExp(`${PROJECT}#${issue.iid} breached \\(target 12 business hours, due 2026-11-17 13:00 UTC\\): would write`));
  });
});

describe('slaFigures', () => {
  const target = firstResponseTarget({ labels: [], createdAt: NOW }, defaultConfig);
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
