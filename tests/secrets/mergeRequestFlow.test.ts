import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { sensitiveDataMergeRequests } from '../../src/rules/sensitiveDataMergeRequests.js';
import { defaultConfig } from '../helpers/builders.js';
import { crashAfter, crashPoints } from '../helpers/crash.js';
import { expectNoWritesOnReplayAndSweep } from '../helpers/replay.js';
import { fake } from './fakeSecrets.js';

// Issue 21 case 5 end to end: a token in a public merge request's title, description or
// comment, caught by webhook and by the sweep. In the sandbox the bot is a Maintainer of
// support-team-meta (through its group: it edits comments) and a Developer of the handbook
// (it may not: the notice says so).

const LABEL = defaultConfig.labels.sensitiveData;
const SECRETS = [fake.glpat, fake.gldt, fake.glptt, fake.glft];
let stack: Stack | undefined;
let logLines: string[] = [];
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function setUp(): Promise<{ s: Stack; demo: DemoContext }> {
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  stack = await startStack({ rules: [sensitiveDataMergeRequests], log: pino({ level: 'debug' }, sink) });
  return { s: stack, demo: createDemoContext(stack, 'out', () => {}) };
}

function state(s: Stack, key: string, iid: number) {
  const store = s.sandbox.store;
  const project = store.resolveProject(key === 'handbook' ? 'gitlab-com/content-sites/handbook' : `gitlab-com/support/${key}`)!;
  const mr = store.getMergeRequest(project.id, iid)!;
  const notes = store.listNotes(mr);
  return { project, mr, notes, notices: notes.filter((n) => markerKey(n.body) === 'sensitive-data') };
}

/** No secret in anything the bot wrote or logged (people's comments it could not edit aside). */
function expectNeverRepeated(s: Stack, key: string, iid: number): void {
  const { notices } = state(s, key, iid);
  for (const secret of SECRETS) {
    for (const notice of notices) expect(notice.body).not.toContain(secret);
    for (const line of logLines) expect(line).not.toContain(secret);
  }
}

describe('sensitive-data on merge requests, over the sandbox', () => {
  it('webhook: a token in the description and then in a comment (Developer: the comment is named, not edited)', async () => {
    const { s, demo } = await setUp();
    await demo.pushFiles('bruno', 'handbook', 'ci-token', { 'content/ci.md': '# CI\n' }, 'Add CI page');
    const iid = await demo.openMergeRequest('bruno', 'handbook', {
      sourceBranch: 'ci-token',
      title: `CI with ${fake.glpat}`,
      description: `Set\n\n    export TOKEN=${fake.gldt}\n`,
    });
    await demo.settle();
    let now = state(s, 'handbook', iid);
    expect(now.mr.title).toBe('CI with [REDACTED]');
    expect(now.mr.description).toBe('Set\n\n    export TOKEN=[REDACTED]\n');
    expect(now.mr.labels).toContain(LABEL);
    expect(now.notices).toHaveLength(1);
    expect(now.notices[0]!.body).toMatch(/anyone who can see this merge request/);
    await demo.commentOnMergeRequest('sam-sales', 'handbook', iid, `mine is ${fake.glptt}`);
    await demo.settle();
    now = state(s, 'handbook', iid);
    expect(now.notices).toHaveLength(1);
    expect(now.notices[0]!.body).toContain('- a GitLab personal, project or group access token in the title');
    expect(now.notices[0]!.body).toMatch(/- a GitLab pipeline trigger token in \[a comment\]\(.*#note_\d+\): please edit or delete that comment yourself\./);
    expect(now.notices[0]!.body).toMatch(/the bot needs the Maintainer role/);
    expectNeverRepeated(s, 'handbook', iid);
    await expectNoWritesOnReplayAndSweep(s);
  });

  it('webhook: a comment on a merge request where the bot is a Maintainer is redacted', async () => {
    const { s, demo } = await setUp();
    await demo.pushFiles('bruno', 'support-team-meta', 'docs', { 'docs.md': '# Docs\n' }, 'Docs');
    const iid = await demo.openMergeRequest('bruno', 'support-team-meta', { sourceBranch: 'docs', title: 'Docs' });
    await demo.settle();
    expect(state(s, 'support-team-meta', iid).notices).toHaveLength(0);
    await demo.commentOnMergeRequest('sam-sales', 'support-team-meta', iid, `feed: ${fake.glft} ok?`);
    await demo.settle();
    const now = state(s, 'support-team-meta', iid);
    expect(now.notes.find((n) => n.body.startsWith('feed:'))!.body).toBe('feed: [REDACTED] ok?');
    expect(now.notices[0]!.body).toMatch(/- a GitLab feed token in \[a comment\]\(.*\): I replaced it with `\[REDACTED\]`\./);
    for (const note of now.notes) expect(note.body).not.toContain(fake.glft);
    expectNeverRepeated(s, 'support-team-meta', iid);
    await expectNoWritesOnReplayAndSweep(s);
  });

  it('the sweep finds what no webhook told it, in open merge requests of public projects only', async () => {
    const { s } = await setUp();
    const store = s.sandbox.store;
    const meta = store.resolveProject('gitlab-com/support/support-team-meta')!;
    const author = store.findUserByUsername('sam-sales')!;
    const missed = store.createMergeRequest(meta.id, { title: `Token ${fake.gldt}`, authorId: author.id });
    const clean = store.createMergeRequest(meta.id, { title: 'Clean', authorId: author.id });
    store.createNote(clean, { body: `and ${fake.glpat}`, authorId: author.id });
    const internal = store.resolveProject('gitlab-com/support/internal-requests')!;
    internal.visibility = 'private';
    const elsewhere = store.createMergeRequest(internal.id, { title: `Token ${fake.gldt}`, authorId: author.id });
    await s.runtime.bot.runJob('sweep');
    expect(store.getMergeRequest(meta.id, missed.iid)!.title).toBe('Token [REDACTED]');
    expect(store.listNotes(clean).find((n) => n.authorId === author.id)!.body).toBe('and [REDACTED]');
    expect(store.getMergeRequest(internal.id, elsewhere.iid)!.title).toBe(`Token ${fake.gldt}`);
    expect((await s.runtime.bot.runJob('sweep')).writes).toBe(0);
  });

  it('the sweep reads recently closed and merged merge requests too (a secret on a merged one stays public), not those closed before bot.closedIssuesWindowDays', async () => {
    const { s } = await setUp();
    const store = s.sandbox.store;
    const meta = store.resolveProject('gitlab-com/support/support-team-meta')!;
    const author = store.findUserByUsername('sam-sales')!;
    const longAgo = new Date(store.now().getTime() - (defaultConfig.bot.closedIssuesWindowDays + 1) * 86_400_000);
    const old = store.createMergeRequest(meta.id, { title: `Old ${fake.gldt}`, authorId: author.id, state: 'closed', createdAt: longAgo });
    old.updatedAt = longAgo;
    const merged = store.createMergeRequest(meta.id, { title: 'Merged', description: `key ${fake.glpat}`, authorId: author.id, state: 'merged' });
    const closed = store.createMergeRequest(meta.id, { title: 'Closed', authorId: author.id, state: 'closed' });
    store.createNote(closed, { body: `feed ${fake.glft}`, authorId: author.id });
    const summary = await s.runtime.bot.runJob('sweep');
    expect(summary.ruleErrors).toBe(0);
    expect(store.getMergeRequest(meta.id, merged.iid)!.description).toBe('key [REDACTED]');
    expect(state(s, 'support-team-meta', merged.iid).notices).toHaveLength(1);
    expect(store.listNotes(closed).find((n) => n.authorId === author.id)!.body).toBe('feed [REDACTED]');
    expect(store.getMergeRequest(meta.id, closed.iid)!.labels).toContain(LABEL);
    // Outside the window: not listed, so not read (the webhook on its closing was the time to act).
    expect(store.getMergeRequest(meta.id, old.iid)!.title).toBe(`Old ${fake.gldt}`);
    expectNeverRepeated(s, 'support-team-meta', merged.iid);
    expect((await s.runtime.bot.runJob('sweep')).writes).toBe(0);
  });

  describe('a run killed between its writes is finished by the next one', () => {
    // PUT merge request (title, description, label), POST notice, PUT comment.
    const corpus = crashPoints(3).flatMap(({ allowed, mode }) =>
      (allowed === 0 && mode === 'kill' ? (['sweep'] as const) : (['sweep', 'webhook'] as const)).map((rerun) => ({ allowed, mode, rerun })),
    );
    it.each(corpus)('after $allowed write(s), $mode, then a $rerun', async ({ allowed, mode, rerun }) => {
      const { s, demo } = await setUp();
      const store = s.sandbox.store;
      const meta = store.resolveProject('gitlab-com/support/support-team-meta')!;
      const author = store.findUserByUsername('sam-sales')!;
      const planted = store.createMergeRequest(meta.id, { title: `Use ${fake.gldt}`, description: `key ${fake.glpat}`, authorId: author.id });
      store.createNote(planted, { body: `or ${fake.glft}`, authorId: author.id });
      const crash = crashAfter(s, allowed, mode);
      await s.runtime.bot.runJob('sweep');
      crash.heal();
      if (rerun === 'sweep') await s.runtime.bot.runJob('sweep');
      else {
        await demo.commentOnMergeRequest('sam-sales', 'support-team-meta', planted.iid, 'Thanks!');
        await demo.settle();
      }
      const { mr, notes, notices } = state(s, 'support-team-meta', planted.iid);
      expect(mr.title).toBe('Use [REDACTED]');
      expect(mr.description).toBe('key [REDACTED]');
      expect(mr.labels).toContain(LABEL);
      expect(notices).toHaveLength(1);
      expect(notices[0]!.body).toContain('- a GitLab deploy token in the title: I replaced it with `[REDACTED]`.');
      expect(notices[0]!.body).toMatch(/in the description: I replaced it with/);
      expect(notices[0]!.body).toMatch(/- a GitLab feed token in \[a comment\]\(.*\): I replaced it with/);
      for (const note of notes.filter((n) => !n.system)) for (const secret of SECRETS) expect(note.body).not.toContain(secret);
      expect((await s.runtime.bot.runJob('sweep')).writes).toBe(0);
    });
  });
});
