import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { useDemoStack } from '../helpers/demo.js';

// GitLab keeps an issue description of at most 1,048,576 characters (doc/api/issues.md) and
// answers a longer one with 400. A secret shorter than the replacement makes a redacted
// description longer than the original: at the limit, that PUT — which also makes the issue
// confidential — would fail, and the secret would stay public.

let stack: Stack;
let demo: DemoContext;
useDemoStack({}, (started, actors) => {
  stack = started;
  demo = actors;
});

describe('a description at GitLab’s length limit', () => {
  it('is still redacted and the issue made confidential', async () => {
    const secret = 'https://deploy:pw12345@example.com/repo.git';
    const filler = 'log line\n'.repeat(Math.floor((1_048_576 - secret.length - 1) / 9));
    const description = `${filler}${secret}\n`.padEnd(1_048_576, '.');
    expect(description.length).toBe(1_048_576);
    const iid = await demo.openIssue('sam-sales', 'support-team-meta', { title: 'Deploy fails', description });
    await demo.settle();
    const store = stack.sandbox.store;
    const issue = store.getIssue(store.resolveProject('gitlab-com/support/support-team-meta')!.id, iid)!;
    expect(issue.confidential).toBe(true);
    expect(issue.labels).toContain('sensitive-data');
    expect(issue.description).not.toContain('pw12345');
    expect(issue.description.length).toBeLessThanOrEqual(1_048_576);
  });
});

describe('a secret in the title', () => {
  it('is redacted in the title, within GitLab’s 255 characters, and the issue made confidential', async () => {
    const title = `${'Runner fails '.repeat(17)}https://deploy:pw12345@example.com`.slice(0, 255);
    const iid = await demo.openIssue('sam-sales', 'support-team-meta', { title, description: 'Registration fails.' });
    await demo.settle();
    const store = stack.sandbox.store;
    const issue = store.getIssue(store.resolveProject('gitlab-com/support/support-team-meta')!.id, iid)!;
    expect(issue.confidential).toBe(true);
    expect(issue.title).not.toContain('pw12345');
    expect(issue.title.length).toBeLessThanOrEqual(255);
    const note = store.listNotes(issue).find((n) => n.body.includes('support-bot:sensitive-data'))!;
    expect(note.body).toMatch(/in the title: I replaced it with/);
  });
});
