import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { redactedSecret } from '../../src/demo/scenarios/secrets.js';
import { scenarios } from '../../src/demo/scenarios/index.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { allRules } from '../../src/rules/index.js';
import { defaultConfig } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep } from '../helpers/replay.js';
import { fake } from './fakeSecrets.js';

// sensitive-data end to end: GitLab (sandbox) → webhook → bot → GitLab, with every
// rule on and debug logging captured, then replays and a sweep that find nothing to do.

let stack: Stack;
let demo: DemoContext;
let logLines: string[];
const transcript: string[] = [];

beforeEach(async () => {
  logLines = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) });
  stack = await startStack({ rules: allRules, log });
  transcript.length = 0;
  demo = createDemoContext(stack, 'out', (line) => transcript.push(line));
});
afterEach(async () => {
  await stack.close();
});

const project = () => stack.sandbox.store.resolveProject(demo.projectPath('support-team-meta'))!;
const state = (iid: number) => {
  const store = stack.sandbox.store;
  const issue = store.getIssue(project().id, iid)!;
  return { issue, botNotes: store.listNotes(issue).filter((n) => markerKey(n.body) === 'sensitive-data') };
};
describe('sensitive-data through webhooks, with every rule on', () => {
  it('the demo scenario: a pasted token is redacted, the issue confidential, labelled and answered once', async () => {
    expect(scenarios).toContain(redactedSecret);
    await redactedSecret.run(demo);
    await demo.settle();
    const iid = stack.sandbox.store.issues.find((i) => i.projectId === project().id && i.title.startsWith('Runner registration'))!.iid;
    const { issue, botNotes } = state(iid);
    expect(issue.confidential).toBe(true);
    expect(issue.labels).toContain(defaultConfig.labels.sensitiveData);
    expect(issue.description).toContain('--token [REDACTED]\n```\n\nThe rest of the log looks normal.');
    expect(issue.description).not.toMatch(/glpat-/);
    expect(botNotes).toHaveLength(1);
    expect(botNotes[0]!.body).toMatch(/^\*\*Revoke and rotate it now\.\*\*/m);
    expect(transcript.join('\n')).toMatch(/the description now reads: gitlab-runner register --url https:\/\/gitlab.com --token \[REDACTED\]/);
    expect(logLines.join('\n')).not.toMatch(/glpat-/);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('a token in a comment: confidential and labelled, the comment redacted (the bot is a Maintainer), and the token in no bot note or log line', async () => {
    const iid = await demo.openIssue('sam-sales', 'support-team-meta', { title: 'Deploy token question', description: 'How do I use a deploy token?' });
    await demo.settle();
    expect(state(iid).issue.confidential).toBe(false);
    await demo.comment('sam-sales', 'support-team-meta', iid, `Like this?\n\n    docker login -u me -p ${fake.gldt} registry.gitlab.com`);
    await demo.settle();
    const { issue, botNotes } = state(iid);
    expect(issue.confidential).toBe(true);
    expect(issue.description).toBe('How do I use a deploy token?');
    expect(botNotes).toHaveLength(1);
    expect(botNotes[0]!.body).toMatch(/a GitLab deploy token in \[a comment\]\(.*#note_\d+\): I replaced it with `\[REDACTED\]`\./);
    expect(botNotes[0]!.body).not.toMatch(/Maintainer/);
    const comment = stack.sandbox.store.listNotes(issue).find((n) => n.authorId === stack.sandbox.store.findUserByUsername('sam-sales')!.id)!;
    expect(comment.body).toBe('Like this?\n\n    docker login -u me -p [REDACTED] registry.gitlab.com');
    for (const note of stack.sandbox.store.listNotes(issue)) expect(note.body).not.toContain(fake.gldt);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(fake.gldt);
    await expectNoWritesOnReplayAndSweep(stack);
  });

  it('the sweep protects an issue no webhook told it about, and a project that is not public is left alone', async () => {
    const store = stack.sandbox.store;
    const author = store.findUserByUsername('sam-sales')!;
    const missed = store.createIssue(project().id, { title: 'Stored XSS in wiki titles', description: 'Steps to reproduce follow.', authorId: author.id });
    const internal = store.resolveProject(demo.projectPath('internal-requests'))!;
    internal.visibility = 'private';
    const elsewhere = store.createIssue(internal.id, { title: 'Token', description: fake.glpat, authorId: author.id });
    await stack.runtime.bot.runJob('sweep');
    expect(state(missed.iid).issue.confidential).toBe(true);
    expect(state(missed.iid).botNotes[0]!.body).toMatch(/Responsible Disclosure Policy/);
    expect(store.getIssue(internal.id, elsewhere.iid)!.description).toBe(fake.glpat);
    expect(store.getIssue(internal.id, elsewhere.iid)!.confidential).toBe(false);
    expect((await stack.runtime.bot.runJob('sweep')).writes).toBe(0);
  });
});
