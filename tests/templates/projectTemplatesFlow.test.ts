import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { markerKey } from '../../src/engine/markers.js';
import { requestFormRedirect } from '../../src/rules/requestFormRedirect.js';
import { templateCheck } from '../../src/rules/templateCheck.js';
import { repositoryTemplatePath } from '../../src/templates/projectTemplates.js';
import { defaultConfig } from '../helpers/builders.js';
import { filledTemplate, shippedText } from './descriptions.js';

// The projects' templates are the truth (issue 19): the bot follows a template the team
// changed in the project, with no config change, and falls back to its own copy, with a
// warning, where the project has none.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
const REQUESTS = 'gitlab-com/support/internal-requests';

function captureLog(): { log: pino.Logger; lines: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()).msg), done()) });
  return { log: pino({ level: 'warn' }, stream), lines: () => lines };
}

async function api(s: Stack, username: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${s.sandbox.url}/api/v4${path}`, {
    method,
    headers: { 'private-token': s.tokenFor(username), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.json();
}

function botNotes(s: Stack, iid: number): string[] {
  const { store } = s.sandbox;
  const issue = store.getIssue(store.resolveProject(REQUESTS)!.id, iid)!;
  return store
    .listNotes(issue)
    .filter((n) => markerKey(n.body) !== undefined)
    .map((n) => n.body);
}

describe("the project's own templates", () => {
  it('a section the team adds to the template in the project, through a merged merge request, is required from then on, with no config change', async () => {
    stack = await startStack({ rules: [templateCheck, requestFormRedirect] });
    const demo = createDemoContext(stack, 'out', () => {});
    const before = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Contact a user', description: filledTemplate(contact) });
    await demo.settle();
    expect(stack.sandbox.store.getIssue(stack.sandbox.store.resolveProject(REQUESTS)!.id, before)!.labels).toContain('triage::ready');

    // The team improves the template in GitLab: a new required section, merged through a merge request.
    const project = encodeURIComponent(REQUESTS);
    const improved = `${shippedText(contact.name)}\n## Ticket link\n\n<!-- The Zendesk ticket this is about. -->\n`;
    await api(stack, 'maria-manager', 'POST', `/projects/${project}/repository/commits`, {
      branch: 'ticket-link',
      start_branch: 'main',
      commit_message: 'Contact Request: ask for the ticket',
      actions: [{ action: 'update', file_path: repositoryTemplatePath(contact.name), content: improved }],
    });
    const mr = await api(stack, 'maria-manager', 'POST', `/projects/${project}/merge_requests`, {
      source_branch: 'ticket-link',
      target_branch: 'main',
      title: 'Ask for the ticket',
    });
    await api(stack, 'maria-manager', 'PUT', `/projects/${project}/merge_requests/${mr.iid}/merge`);
    await demo.settle();

    // The same answers as before no longer complete the request: the new section is asked for.
    const after = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Contact another user', description: filledTemplate(contact) });
    await demo.settle();
    const { store } = stack.sandbox;
    expect(store.getIssue(store.resolveProject(REQUESTS)!.id, after)!.labels).toEqual(expect.arrayContaining(['template::contact-request', 'triage::needs-info']));
    const notes = botNotes(stack, after);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('**Ticket link**');
    expect(notes[0]).not.toContain('**Message**');
  });

  it('a project without the template file is checked against the shipped copy, with a warning naming the file', async () => {
    const { log, lines } = captureLog();
    stack = await startStack({ rules: [templateCheck, requestFormRedirect], log, projectTemplates: false });
    const demo = createDemoContext(stack, 'out', () => {});
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Contact a user', description: filledTemplate(contact, ['Message']) });
    await demo.settle();
    const { store } = stack.sandbox;
    expect(store.getIssue(store.resolveProject(REQUESTS)!.id, iid)!.labels).toEqual(expect.arrayContaining(['template::contact-request', 'triage::needs-info']));
    expect(botNotes(stack, iid)[0]).toContain('**Message**');
    expect(lines()).toContain(
      `warning: projects.internal-requests (${REQUESTS}) has no .gitlab/issue_templates/Contact Request.md: "Contact Request" is checked against the bot's shipped copy (\`npx support-bot templates sync\` proposes it)`,
    );
  });
});
