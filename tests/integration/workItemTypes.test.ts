import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { JOBS } from '../../src/jobs/index.js';
import { useDemoStack } from '../helpers/demo.js';

// Tasks, incidents and test cases are work items the issues API and Issue Hooks carry too
// (doc/api/issues.md `issue_type`; webhook_events.md, "Work item events": object_kind
// work_item). They are not requests to triage: the template, request-form and SLA rules
// leave them alone. A secret pasted in one on a public tracker is still protected.

let stack: Stack;
let demo: DemoContext;
useDemoStack({}, (started, actors) => {
  stack = started;
  demo = actors;
});

const issue = (key: string, iid: number) => stack.sandbox.store.getIssue(stack.sandbox.store.resolveProject(`gitlab-com/support/${key}`)!.id, iid)!;
const botNotes = (key: string, iid: number) => stack.sandbox.store.listNotes(issue(key, iid)).filter((n) => n.body.includes('<!-- support-bot:'));

describe('work item types', () => {
  it('a task without a template in a templates-required project gets no template note and no triage label', async () => {
    const deliveriesBefore = stack.sandbox.deliveries.length;
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Call the customer about their trial', issue_type: 'task' });
    await demo.settle();
    const hook = stack.sandbox.deliveries.slice(deliveriesBefore).find((d) => (d.body as { object_kind?: string }).object_kind === 'work_item');
    expect(hook).toMatchObject({ status: 202 });
    expect(issue('internal-requests', iid).labels).toEqual([]);
    expect(botNotes('internal-requests', iid)).toEqual([]);
  });

  it('the same text as an issue is triaged, so the type is what keeps the task out', async () => {
    const iid = await demo.openIssue('sam-sales', 'internal-requests', { title: 'Call the customer about their trial' });
    await demo.settle();
    expect(issue('internal-requests', iid).labels).toEqual(expect.arrayContaining(['template::none', 'redirect::request-form']));
    expect(botNotes('internal-requests', iid)).not.toEqual([]);
  });

  it('a token pasted in a task on a public tracker is redacted and the task made confidential', async () => {
    const iid = await demo.openIssue('sam-sales', 'support-team-meta', { title: 'Rotate the runner', description: 'use glpat-abcdefghij0123456789 for now', issue_type: 'task' });
    await demo.settle();
    const task = issue('support-team-meta', iid);
    expect(task.confidential).toBe(true);
    expect(task.description).not.toContain('glpat-abcdefghij0123456789');
    expect(task.labels).toContain('sensitive-data');
    expect(task.labels.some((l) => l.startsWith('template::'))).toBe(false);
  });

  it('a sweep leaves an untriaged task alone too', async () => {
    const store = stack.sandbox.store;
    const project = store.resolveProject('gitlab-com/support/feedback')!;
    const task = store.createIssue(project.id, { title: 'Follow up with Acme', issueType: 'task', authorId: store.findUserByUsername('dana')!.id });
    await JOBS.sweep(stack.runtime, { out: { write: () => true } as unknown as NodeJS.WritableStream });
    expect(store.getIssue(project.id, task.iid)!.labels).toEqual([]);
    expect(store.listNotes(task).filter((n) => n.body.includes('<!-- support-bot:'))).toEqual([]);
  });
});
