import { afterEach, describe, expect, it } from 'vitest';
import { configuredRules, loadConfig } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { greetRule } from '../helpers/testRules.js';

// Issue 21, case 3: a note POST that GitLab applies only after the bot's request timed out
// and the bot looked for it (and, not finding it, posted again) leaves two notes. Later runs
// converge on the oldest, as they do when a webhook and a sweep post at once.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const TIMEOUT_MS = 300;

async function stackWithShortTimeout(): Promise<Stack> {
  const base = loadConfig(undefined, configuredRules([greetRule]));
  const loaded = { ...base, config: { ...base.config, gitlab: { ...base.config.gitlab, timeoutMs: TIMEOUT_MS } } };
  return startStack({ rules: [greetRule], hooks: false, loaded });
}

const greetings = (s: Stack, projectId: number, iid: number) =>
  s.sandbox.store.listNotes(s.sandbox.store.getIssue(projectId, iid)!).filter((n) => n.body.includes('support-bot:greet'));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

describe('a note POST applied after the timeout and the re-check', () => {
  it('leaves two notes for one run; the next run keeps the oldest and deletes the other', async () => {
    stack = await stackWithShortTimeout();
    const project = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const author = stack.sandbox.store.findUserByUsername('dana')!;
    const issue = stack.sandbox.store.createIssue(project.id, { title: 'Slow GitLab', authorId: author.id });
    // The first POST hangs past the timeout and the look that follows it, then lands.
    stack.sandbox.faults.failNext(1, 500, { methods: ['POST'], pathPattern: /\/notes$/, applyAfterMs: 4 * TIMEOUT_MS });

    await JOBS.sweep(stack.runtime, { out: sink });
    await until(() => greetings(stack!, project.id, issue.iid).length === 2);
    const [oldest] = greetings(stack, project.id, issue.iid).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);

    const second = await JOBS.sweep(stack.runtime, { out: sink });
    expect(greetings(stack, project.id, issue.iid).map((n) => n.id)).toEqual([oldest!.id]);
    expect(second.summary).toMatch(/1 changed/);
    const third = await JOBS.sweep(stack.runtime, { out: sink });
    expect(third.summary).toMatch(/0 changed, 0 writes/);
  });
});
