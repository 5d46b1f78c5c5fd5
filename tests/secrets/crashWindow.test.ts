import { afterEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { sensitiveData } from '../../src/rules/sensitiveData.js';
import { defaultConfig } from '../helpers/builders.js';
import { crashAfter, crashPoints } from '../helpers/crash.js';
import { expectNoWritesOnReplayAndSweep } from '../helpers/replay.js';
import { fake } from './fakeSecrets.js';

// Issue 21 case 1, "protect, then tell": the bot makes the issue confidential and redacts it
// (one PUT), posts its notice (POST), then redacts the comments (PUT per comment). A run killed
// at any point between those writes, or one whose POST failed past its retries, must leave
// GitLab in a state from which the next run (a webhook or the sweep) finishes the work: the
// notice posted exactly once, every secret gone, and nothing written by a third run.

const PROJECT = 'support-team-meta';
const LABEL = defaultConfig.labels.sensitiveData;
const SECRETS = [fake.glrt, fake.glpat, fake.gldt];

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function setUp(): Promise<{ stack: Stack; demo: DemoContext }> {
  stack = await startStack({ rules: [sensitiveData] });
  return { stack, demo: createDemoContext(stack, 'out', () => {}) };
}

/** An issue with a secret in its title, its description and a comment, written straight to the store (no webhook yet). */
function plantIssue(s: Stack) {
  const store = s.sandbox.store;
  const project = store.resolveProject(`gitlab-com/support/${PROJECT}`)!;
  const author = store.findUserByUsername('sam-sales')!;
  const issue = store.createIssue(project.id, { title: `Runner ${fake.glrt} fails`, description: `My token:\n\n    ${fake.glpat}\n\nThanks`, authorId: author.id });
  const comment = store.createNote(issue, { body: `also tried ${fake.gldt}`, authorId: author.id });
  return { project, issue, comment };
}

function expectFinished(s: Stack, issueId: { projectId: number; iid: number }) {
  const store = s.sandbox.store;
  const issue = store.getIssue(issueId.projectId, issueId.iid)!;
  const notes = store.listNotes(issue);
  const notices = notes.filter((n) => markerKey(n.body) === 'sensitive-data');
  expect(issue.confidential).toBe(true);
  expect(issue.labels).toContain(LABEL);
  expect(issue.title).toBe('Runner [REDACTED] fails');
  expect(issue.description).toBe('My token:\n\n    [REDACTED]\n\nThanks');
  expect(notices).toHaveLength(1);
  const notice = notices[0]!.body;
  // The title's kind is found again in GitLab's "changed title" note, the comment's in the comment or the notice's record.
  expect(notice).toContain('- a GitLab runner authentication token in the title: I replaced it with `[REDACTED]`.');
  expect(notice).toMatch(/in the description: I replaced it with `\[REDACTED\]`\./);
  expect(notice).toMatch(/- a GitLab deploy token in \[a comment\]\(.*#note_\d+\): I replaced it with `\[REDACTED\]`\./);
  expect(notice).toMatch(/GitLab keeps the old title/);
  expect(notice).toMatch(/GitLab keeps the old description/);
  for (const note of notes.filter((n) => !n.system)) for (const secret of SECRETS) expect(note.body).not.toContain(secret);
}

const RERUNS = ['sweep', 'webhook'] as const;

describe('sensitive-data: a run killed between protecting and telling is finished by the next one', () => {
  // Three writes: the issue's PUT, the notice's POST, the comment's PUT. Killed before any
  // write, the issue is as it was: only the sweep (or an event on its text) finds it again.
  const corpus = crashPoints(3).flatMap(({ allowed, mode }) => (allowed === 0 && mode === 'kill' ? (['sweep'] as const) : RERUNS).map((rerun) => ({ allowed, mode, rerun })));

  it.each(corpus)('after $allowed write(s), $mode, then a $rerun', async ({ allowed, mode, rerun }) => {
    const { stack: s, demo } = await setUp();
    const { project, issue } = plantIssue(s);
    const crash = crashAfter(s, allowed, mode);
    await s.runtime.bot.runJob('sweep');
    crash.heal();
    const after = s.sandbox.store.getIssue(project.id, issue.iid)!;
    if (allowed >= 1 || mode === 'post-fails') expect(after.confidential).toBe(true);
    if (rerun === 'sweep') await s.runtime.bot.runJob('sweep');
    else {
      // Any event on the issue will do: the author says thanks.
      await demo.comment('sam-sales', PROJECT, issue.iid, 'Thanks!');
      await demo.settle();
    }
    expectFinished(s, { projectId: project.id, iid: issue.iid });
    if (rerun === 'webhook') await expectNoWritesOnReplayAndSweep(s);
    else expect((await s.runtime.bot.runJob('sweep')).writes).toBe(0);
  });

  it('a webhook run killed after the PUT: the next event finishes it', async () => {
    const { stack: s, demo } = await setUp();
    const crash = crashAfter(s, 1, 'kill');
    const iid = await demo.openIssue('sam-sales', PROJECT, { title: `Runner ${fake.glrt} fails`, description: `My token:\n\n    ${fake.glpat}\n\nThanks` });
    await demo.settle();
    crash.heal();
    const project = s.sandbox.store.resolveProject(`gitlab-com/support/${PROJECT}`)!;
    const store = s.sandbox.store;
    expect(store.listNotes(store.getIssue(project.id, iid)!).filter((n) => markerKey(n.body) === 'sensitive-data')).toHaveLength(0);
    await demo.comment('sam-sales', PROJECT, iid, `and ${fake.gldt}`);
    await demo.settle();
    expectFinished(s, { projectId: project.id, iid });
  });

  it('an issue a person made confidential and labelled gets no notice the bot did not owe', async () => {
    const { stack: s } = await setUp();
    const store = s.sandbox.store;
    const project = store.resolveProject(`gitlab-com/support/${PROJECT}`)!;
    const author = store.findUserByUsername('sam-sales')!;
    const issue = store.createIssue(project.id, { title: 'Handled by hand', description: 'token [REDACTED]', authorId: author.id, confidential: true, labels: [LABEL] });
    expect((await s.runtime.bot.runJob('sweep')).writes).toBe(0);
    expect(store.listNotes(issue)).toHaveLength(0);
  });
});
