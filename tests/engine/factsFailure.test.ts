import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';

// A fact that cannot be read (here: the team group does not exist on this GitLab)
// must not stop the rules that can do without it.

let stack: Stack;
beforeAll(async () => {
  const base = loadConfig();
  const loaded = { ...base, config: { ...base.config, sla: { ...base.config.sla, teamGroup: 'no-such/group' } } };
  stack = await startStack({ loaded });
});
afterAll(() => stack.close());

describe('facts that fail to load', () => {
  it('leave the other rules working: the template is checked and the token redacted', async () => {
    const token = stack.tokenFor('sam-sales');
    const project = stack.sandbox.store.resolveProject('gitlab-com/support/support-team-meta')!;
    const secret = `glpat-${'Ab3'.repeat(7)}`;
    const response = await fetch(`${stack.sandbox.url}/api/v4/projects/${project.id}/issues`, {
      method: 'POST',
      headers: { 'private-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Runner fails', description: `my token is ${secret}` }),
    });
    const { iid } = (await response.json()) as { iid: number };
    await stack.settle();
    const issue = stack.sandbox.store.getIssue(project.id, iid)!;
    expect(issue.confidential).toBe(true);
    expect(issue.description).not.toContain(secret);
    expect(issue.labels).toEqual(expect.arrayContaining(['sensitive-data', 'template::none']));
  });
});
