import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestGateway } from '../../src/gitlab/gateway.js';
import { createRenderer } from '../../src/render/renderer.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

// GitLab runs quick actions in notes posted through the API. A bot note that quotes user text
// (with the `quote` helper, src/render/neutralize.ts) must not run the user's /close or /label.

let sandbox: Sandbox;
let gateway: RestGateway;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  gateway = new RestGateway({ url: sandbox.url, token: SANDBOX_TOKENS.bot, concurrency: 1, retry: { retries: 0, baseMs: 1, maxMs: 10 }, slowDownBelow: 0.1, timeoutMs: 5_000 });
});
afterAll(() => sandbox.close());

const userText = 'Please help\n/close\n\r/label ~bug\n  /confidential\n/assign @bruno\n/unlabel ~triage::new';

describe('a bot note quoting user text', () => {
  it('runs none of the quick actions the text holds, and keeps the text', async () => {
    const project = sandbox.store.requireProject('gitlab-com/support/feedback');
    sandbox.store.ensureLabel(project.id, 'bug');
    const issue = sandbox.store.createIssue(project.id, { title: 'Quoted', labels: ['triage::new'] });
    const render = createRenderer({ reply: 'You wrote:\n\n{{quote text}}\n\n<!-- support-bot:reply -->' });

    const note = await gateway.createNote({ projectId: project.id, kind: 'issue', iid: issue.iid }, render.render('reply', { text: userText }));
    expect(sandbox.store.getIssue(project.id, issue.iid)).toMatchObject({ state: 'opened', labels: ['triage::new'], confidential: false, assigneeIds: [] });
    expect(note.body.replace(/\u200b/g, '')).toContain(userText);

    // The same text unquoted would have acted: the sandbox runs quick actions as GitLab does.
    await gateway.createNote({ projectId: project.id, kind: 'issue', iid: issue.iid }, `You wrote:\n\n${userText}`);
    // (A line that starts with CR or spaces is no command, in GitLab as here.)
    expect(sandbox.store.getIssue(project.id, issue.iid)).toMatchObject({ state: 'closed', labels: [], assigneeIds: [sandbox.store.findUserByUsername('bruno')!.id] });
  });
});
