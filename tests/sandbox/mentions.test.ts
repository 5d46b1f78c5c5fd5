import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentionedHandles, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { neutralize } from '../../src/render/neutralize.js';
import { client } from './helpers.js';

// The sandbox records the mentions GitLab would notify (src/sandbox/mentions.ts): the test
// suite's guard against group pings reads them.

describe('mentionedHandles', () => {
  it.each([
    ['@alice please look', ['alice']],
    ['cc @gitlab-com/support/managers.', ['gitlab-com/support/managers']],
    ['@all hands', ['all']],
    ['@alice and @ALICE and @bob', ['alice', 'bob']],
    ['mail me at alice@example.com', []],
    ['`@alice` in code', []],
    ['```\n@alice in a block\n```\n@bob', ['bob']],
    ['~~~ sh\n@alice\n~~~', []],
    ['<!-- @alice hidden -->@bob', ['bob']],
    [neutralize('quoted: @alice and @gitlab-com/support'), []],
    ['@ alone, @-dash, @.dot', []],
    ['(@dana)', ['dana']],
  ])('%j → %j', (text, handles) => {
    expect(mentionedHandles(text)).toEqual(handles);
  });
});

describe('the mentions a sandbox records', () => {
  let sb: Sandbox;
  let pid: number;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 'demo' });
    pid = sb.store.requireProject('gitlab-com/support/feedback').id;
  });
  afterAll(() => sb.close());

  it('a new issue and note notify each user, group and @all; an edit only the mentions it adds; unknown handles nobody', async () => {
    const alice = client(sb, SANDBOX_TOKENS.member);
    const issue = await alice.post(`/projects/${pid}/issues`, { title: 'Ask @bruno', description: 'cc @gitlab-com/support and @nobody-here' });
    expect(issue.status).toBe(201);
    const ref = `gitlab-com/support/feedback#${issue.body.iid}`;
    const since = (n: number) => sb.store.mentions.slice(n).map((m) => [m.byUsername, m.handle, m.kind, m.where]);
    expect(since(0)).toEqual([
      ['alice', 'bruno', 'user', ref],
      ['alice', 'gitlab-com/support', 'group', ref],
    ]);
    const n = sb.store.mentions.length;
    await alice.put(`/projects/${pid}/issues/${issue.body.iid}`, { description: 'cc @gitlab-com/support and @chen' });
    expect(since(n)).toEqual([['alice', 'chen', 'user', ref]]);
    const m = sb.store.mentions.length;
    const note = await alice.post(`/projects/${pid}/issues/${issue.body.iid}/notes`, { body: '@all see above, @dana' });
    expect(since(m)).toEqual([
      ['alice', 'all', 'all', `${ref} note ${note.body.id}`],
      ['alice', 'dana', 'user', `${ref} note ${note.body.id}`],
    ]);
    const k = sb.store.mentions.length;
    await alice.put(`/projects/${pid}/issues/${issue.body.iid}/notes/${note.body.id}`, { body: '@all see above, @dana and @gitlab-com/support/managers' });
    expect(since(k)).toEqual([['alice', 'gitlab-com/support/managers', 'group', `${ref} note ${note.body.id}`]]);
  });
});
