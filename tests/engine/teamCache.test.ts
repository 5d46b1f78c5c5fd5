import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('the Support team list', () => {
  it('is read once for many events, not once per event', async () => {
    const project = stack.sandbox.store.resolveProject('gitlab-com/support/support-team-meta')!;
    // Each reads as a vulnerability report, so sensitive-data asks who is on the team each time.
    for (const title of ['XSS in the first form', 'XSS in the second form', 'XSS in the third form']) {
      await fetch(`${stack.sandbox.url}/api/v4/projects/${project.id}/issues`, {
        method: 'POST',
        headers: { 'private-token': stack.tokenFor('dana'), 'content-type': 'application/json' },
        body: JSON.stringify({ title, description: 'A free-form proposal.' }),
      });
    }
    await stack.settle();
    const teamReads = stack.sandbox.requests.filter((r) => r.path.endsWith('/descendant_groups'));
    expect(teamReads).toHaveLength(1);
  });
});
