import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoContext } from '../../src/demo/context.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { markerKey } from '../../src/engine/markers.js';
import { requestFormRedirect } from '../../src/rules/requestFormRedirect.js';
import { templateCheck } from '../../src/rules/templateCheck.js';
import { defaultConfig } from '../helpers/builders.js';
import { expectNoWritesOnReplayAndSweep as expectNoWritesOnReplay } from '../helpers/replay.js';
import { filledTemplate, fillIn } from './descriptions.js';

// The template rules end to end: GitLab (sandbox) → webhook → bot → GitLab, then
// replays and sweeps that must find nothing left to write.

let stack: Stack;
let demo: DemoContext;
const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;

beforeEach(async () => {
  stack = await startStack({ rules: [templateCheck, requestFormRedirect] });
  demo = createDemoContext(stack, 'out', () => {});
});
afterEach(async () => {
  await stack.close();
});

const issue = (key: string, iid: number) => {
  const store = stack.sandbox.store;
  const found = store.getIssue(store.resolveProject(demo.projectPath(key))!.id, iid)!;
  const botNotes = store.listNotes(found).filter((n) => markerKey(n.body) !== undefined);
  return { labels: found.labels, botNotes };
};
const expectNoWritesOnReplayAndSweep = () => expectNoWritesOnReplay(stack, (event) => event.kind === 'issue');

describe('template flow through webhooks', () => {
  it('asks for the missing section in one note, then turns that same note to complete', async () => {
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Please contact a user', description: filledTemplate(contact, ['Message']) });
    await demo.settle();
    const first = issue('internal-requests', iid);
    expect(first.labels).toEqual(expect.arrayContaining(['template::contact-request', 'triage::needs-info']));
    expect(first.botNotes).toHaveLength(1);
    expect(first.botNotes[0]!.body).toContain('**Message**');
    await expectNoWritesOnReplayAndSweep();

    await demo.editIssue('sam-sales', 'internal-requests', iid, { description: fillIn(filledTemplate(contact, ['Message']), { Message: 'Please answer ticket 123.' }) });
    await demo.settle();
    const second = issue('internal-requests', iid);
    expect(second.labels).toContain('triage::ready');
    expect(second.labels).not.toContain('triage::needs-info');
    expect(second.botNotes.map((n) => n.id)).toEqual([first.botNotes[0]!.id]);
    expect(second.botNotes[0]!.body).toContain('every required section');
    await expectNoWritesOnReplayAndSweep();
  });

  it('labels a complete-at-birth issue ready without any note', async () => {
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Contact', description: filledTemplate(contact) });
    await demo.settle();
    expect(issue('internal-requests', iid)).toEqual({ labels: expect.arrayContaining(['template::contact-request', 'triage::ready']), botNotes: [] });
    await expectNoWritesOnReplayAndSweep();
  });

  it('sweep gives the same result as the webhook for an issue it never heard of', async () => {
    const store = stack.sandbox.store;
    const project = store.resolveProject(demo.projectPath('internal-requests'))!;
    const author = store.findUserByUsername('sam-sales')!;
    const missed = store.createIssue(project.id, { title: 'Missed', description: filledTemplate(contact, ['Message']), authorId: author.id });
    const viaHook = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Heard', description: filledTemplate(contact, ['Message']) });
    await demo.settle();
    await stack.runtime.bot.runJob('sweep');
    const a = issue('internal-requests', missed.iid);
    const b = issue('internal-requests', viaHook);
    expect([...a.labels].sort()).toEqual([...b.labels].sort());
    expect(a.botNotes.map((n) => n.body)).toEqual(b.botNotes.map((n) => n.body));
  });

  it('no template in a project that requires one: template::none and links to its templates', async () => {
    const iid = await demo.openIssue('sam-sales', 'feedback', { title: 'A customer was unhappy', description: 'They said the reply was slow.' });
    await demo.settle();
    const found = issue('feedback', iid);
    expect(found.labels).toContain('template::none');
    expect(found.botNotes).toHaveLength(1);
    expect(found.botNotes[0]!.body).toContain('/-/issues/new?issuable_template=Indirect%20Feedback');
    await expectNoWritesOnReplayAndSweep();
  });

  it('redirects a trial extension to the request form', async () => {
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Extend the trial for ACME', description: 'They need two more weeks.' });
    await demo.settle();
    const found = issue('internal-requests', iid);
    expect(found.labels).toEqual(expect.arrayContaining(['redirect::request-form', 'template::none']));
    expect(found.botNotes.map((n) => markerKey(n.body))).toEqual(['request-form-redirect']);
    await expectNoWritesOnReplayAndSweep();
  });
});
