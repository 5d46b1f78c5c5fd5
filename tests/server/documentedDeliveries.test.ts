import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { inProcessTrigger } from '../../src/demo/triggerRunner.js';
import { markerKey } from '../../src/engine/markers.js';
import { silentLogger } from '../../src/logger.js';
import { mergeRequestRule } from '../../src/rules/types.js';
import { createRuntime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { DOC_FIXTURES, docFixture, type DocFixture } from '../events/gitlabDocsFixtures.js';
import { useDemoStack } from '../helpers/demo.js';
import { greetRule } from '../helpers/testRules.js';
import { REQUESTS_PROJECT } from '../trigger/payloads.js';
import { gitlabHeaders } from './gitlabHeaders.js';

// Every documented example payload (tests/events/gitlabDocsFixtures.ts names the doc and the
// heading of each), plus the variants the same docs describe in words, driven from outside
// both ways GitLab delivers them: POSTed to a running `serve` (the real listener, the real bot,
// the sandbox as GitLab) with the headers GitLab sends, and run by `handle-event` as a
// pipeline trigger does, with TRIGGER_PAYLOAD holding the trigger request's parameters
// (app/services/ci/pipeline_trigger_service.rb: the body plus `id`, `ref` and `variables`).
// An event the bot handles is pointed at a subject that exists in the sandbox and must be
// written to (a label and, on issues, a note); every other one is acknowledged and changes nothing.

const seenMergeRequestRule = mergeRequestRule({
  key: 'seen-mr',
  description: 'test rule: labels every open merge request an event is about',
  runsOn: {
    events: {
      'merge_request.open': 'always',
      'merge_request.update': 'always',
      'merge_request.approved': 'always',
      'note.merge_request': 'always',
      'emoji.merge_request': 'always',
    },
    jobs: [],
  },
  applies: (subject) => subject.mergeRequest.state === 'opened',
  plan: () => [{ action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'every open merge request is seen' }],
});

interface Delivery {
  name: string;
  header: string;
  expect: DocFixture['expect'];
  body: () => Record<string, any>;
}

const documented: Delivery[] = DOC_FIXTURES.map((f) => ({ name: `${f.file} (${f.doc}, ${f.section})`, header: f.header, expect: f.expect, body: () => docFixture(f.file) }));

/** Deliveries the docs describe in words on top of an example (webhook_events.md, the section named). */
const described: Delivery[] = [
  {
    // "Work item events": confidential issues come with event_type confidential_issue.
    name: 'a confidential issue (Confidential Issue Hook)',
    header: 'Confidential Issue Hook',
    expect: 'issue.open',
    body: () => ({ ...docFixture('issue'), event_type: 'confidential_issue' }),
  },
  // "Work item events": every other work item type is object_kind work_item; a group hook's epic has no project.
  ...(['Task', 'Incident', 'Epic'] as const).map((type): Delivery => ({
    name: type === 'Epic' ? 'an epic on a group hook (no project)' : `a ${type} (object_kind work_item)`,
    header: 'Issue Hook',
    expect: type === 'Epic' ? 'ignored' : 'issue.open',
    body: () => {
      const body = docFixture('issue');
      const workItem = { ...body, object_kind: 'work_item', event_type: 'work_item', object_attributes: { ...body.object_attributes, type } };
      return type === 'Epic' ? { ...workItem, project: null } : workItem;
    },
  })),
  {
    // "Comment events": internal notes come as confidential_note.
    name: 'an internal note on an issue (Confidential Note Hook)',
    header: 'Confidential Note Hook',
    expect: 'note.issue',
    body: () => {
      const body = docFixture('note.issue');
      return { ...body, event_type: 'confidential_note', object_attributes: { ...body.object_attributes, internal: true, confidential: true } };
    },
  },
  ...(['close', 'reopen', 'update'] as const).map((action): Delivery => ({
    name: `an issue ${action}`,
    header: 'Issue Hook',
    expect: `issue.${action}`,
    body: () => {
      const body = docFixture('issue');
      return { ...body, object_attributes: { ...body.object_attributes, action, state: action === 'close' ? 'closed' : 'opened' } };
    },
  })),
  ...(['update', 'approved', 'unapproved', 'approval', 'unapproval', 'merge', 'close'] as const).map((action): Delivery => ({
    name: `a merge request ${action}`,
    header: 'Merge Request Hook',
    expect: `merge_request.${action}`,
    body: () => {
      const body = docFixture('merge_request');
      return { ...body, object_attributes: { ...body.object_attributes, action } };
    },
  })),
  ...(['MergeRequest', 'Issue', 'Snippet'] as const).map((on): Delivery => ({
    // "Emoji events": awardable_type is the object reacted to.
    name: `an emoji reaction on a ${on}`,
    header: 'Emoji Hook',
    expect: on === 'MergeRequest' ? 'emoji.merge_request' : 'ignored',
    body: () => {
      const body = docFixture('emoji');
      const { note: _note, ...rest } = body;
      return { ...rest, object_attributes: { ...body.object_attributes, awardable_type: on }, ...(on === 'MergeRequest' ? { merge_request: { id: 0, iid: 0 } } : {}) };
    },
  })),
];

const DELIVERIES = [...documented, ...described];

/** Secrets the captured logs must never hold. */
const WRONG_TOKEN = 'not-the-webhook-secret-4711';
const logged: string[] = [];
const capture = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, next) {
      logged.push(chunk.toString());
      next();
    },
  }),
);

let stack: Stack;
useDemoStack({ rules: [greetRule, seenMergeRequestRule], hooks: false, log: capture }, (started) => {
  stack = started;
});

const project = () => stack.sandbox.store.resolveProject(REQUESTS_PROJECT)!;
const apiRequests = () => stack.sandbox.requests.length;

/** The subject a handled delivery is about, created in the sandbox, and the body pointed at it. */
function pointAtNewSubject(delivery: Delivery): { body: Record<string, any>; labels: () => string[]; greetings: () => number } {
  const store = stack.sandbox.store;
  const { id: projectId } = project();
  const author = store.findUserByUsername('bruno')!;
  const body = delivery.body();
  body.user = { ...body.user, id: author.id, username: author.username, name: author.name };
  body.project = { ...body.project, id: projectId, path_with_namespace: REQUESTS_PROJECT };
  if (body.project_id !== undefined) body.project_id = projectId;
  const onIssue = delivery.expect.startsWith('issue.') || delivery.expect === 'note.issue';
  if (onIssue) {
    const issue = store.createIssue(projectId, { title: `About ${delivery.name}`, description: 'Please help.', authorId: author.id });
    if (delivery.expect === 'note.issue') body.issue = { ...body.issue, id: issue.id, iid: issue.iid, project_id: projectId };
    else body.object_attributes = { ...body.object_attributes, id: issue.id, iid: issue.iid, project_id: projectId };
    const read = () => store.getIssue(projectId, issue.iid)!;
    return { body, labels: () => read().labels, greetings: () => store.listNotes(read()).filter((n) => markerKey(n.body) === 'greet').length };
  }
  const mr = store.createMergeRequest(projectId, { title: `About ${delivery.name}`, authorId: author.id, sourceBranch: `topic-${mrCount++}` });
  if (delivery.expect === 'note.merge_request' || delivery.expect === 'emoji.merge_request')
    body.merge_request = { ...body.merge_request, id: mr.id, iid: mr.iid, target_project_id: projectId };
  else body.object_attributes = { ...body.object_attributes, id: mr.id, iid: mr.iid, target_project_id: projectId };
  return { body, labels: () => store.getMergeRequest(projectId, mr.iid)!.labels, greetings: () => 0 };
}
let mrCount = 0;

const payloadDir = mkdtempSync(join(tmpdir(), 'support-bot-documented-'));
let payloadFiles = 0;

/** One pipeline started by the webhook sent to a trigger URL: a fresh runtime, TRIGGER_PAYLOAD a file of the trigger request's parameters. */
function runTrigger(body: Record<string, any>) {
  const file = join(payloadDir, `payload-${++payloadFiles}.json`);
  writeFileSync(file, JSON.stringify({ ...body, id: String(project().id), ref: 'main', variables: {} }));
  const run = inProcessTrigger(() =>
    createRuntime({
      log: silentLogger,
      loaded: stack.runtime.loaded,
      rules: [greetRule, seenMergeRequestRule],
      env: { gitlabUrl: stack.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
    }),
  );
  return run(file);
}

const post = (body: string, headers: Record<string, string>) => fetch(stack.webhookUrl, { method: 'POST', headers, body });

describe('every documented delivery, sent to serve and to handle-event', () => {
  it('covers every documented example and every work item, comment, merge request and reaction variant the docs describe', () => {
    expect(documented).toHaveLength(DOC_FIXTURES.length);
    const handled = new Set(DELIVERIES.map((d) => d.expect));
    for (const key of [
      'issue.open',
      'issue.update',
      'issue.close',
      'issue.reopen',
      'note.issue',
      'note.merge_request',
      'merge_request.open',
      'merge_request.merge',
      'emoji.merge_request',
    ])
      expect(handled).toContain(key);
  });

  it.each(DELIVERIES.filter((d) => d.expect === 'ignored'))('$name ($header): 202 ignored by serve, ignored by handle-event, no GitLab call', async (delivery) => {
    const before = apiRequests();
    const served = await post(JSON.stringify(delivery.body()), gitlabHeaders(delivery.header, STACK_WEBHOOK_SECRET));
    expect(served.status).toBe(202);
    expect(await served.json()).toMatchObject({ status: 'ignored' });
    await stack.settle();
    const run = await runTrigger(delivery.body());
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^handle-event: ignored: .* \(0 API requests\)\n$/);
    expect(apiRequests()).toBe(before);
  });

  it.each(DELIVERIES.filter((d) => d.expect !== 'ignored'))('$name ($header): serve and handle-event both handle it as $expect and write', async (delivery) => {
    const viaServe = pointAtNewSubject(delivery);
    const key = crypto.randomUUID();
    const served = await post(JSON.stringify(viaServe.body), gitlabHeaders(delivery.header, STACK_WEBHOOK_SECRET, key, stack.sandbox.url));
    expect(served.status).toBe(202);
    expect(await served.json()).toEqual({ status: 'accepted', id: key });
    await stack.settle();

    const viaTrigger = pointAtNewSubject(delivery);
    const run = await runTrigger(viaTrigger.body);
    expect(run.code, run.output).toBe(0);
    expect(run.output.split('\n')[0]).toMatch(new RegExp(`^handle-event: ${delivery.expect.replace('.', '\\.')} ${REQUESTS_PROJECT}[#!]\\d+ by @bruno `));

    const onOpenIssue = (delivery.expect.startsWith('issue.') && delivery.expect !== 'issue.close') || delivery.expect === 'note.issue';
    const onOpenMergeRequest = ['merge_request.open', 'merge_request.update', 'merge_request.approved', 'note.merge_request', 'emoji.merge_request'].includes(delivery.expect);
    for (const subject of [viaServe, viaTrigger]) {
      // The rules only run on what they asked for; the others are handled and write nothing.
      expect(subject.labels().includes('seen::yes')).toBe(onOpenIssue || onOpenMergeRequest);
      expect(subject.greetings()).toBe(onOpenIssue ? 1 : 0);
    }
    if (onOpenIssue || onOpenMergeRequest) expect(run.output).toMatch(/handle-event: done: [1-9]\d* writes, 0 rule errors/);
  });
});

describe('what GitLab never sends, and a token it does not hold', () => {
  const body = () => JSON.stringify(docFixture('issue'));

  it('refuses a wrong or missing X-Gitlab-Token with 401 before reading the body, and calls GitLab for nothing', async () => {
    const before = apiRequests();
    expect((await post(body(), gitlabHeaders('Issue Hook', WRONG_TOKEN))).status).toBe(401);
    const { 'x-gitlab-token': _token, ...noToken } = gitlabHeaders('Issue Hook', STACK_WEBHOOK_SECRET);
    expect((await post(body(), noToken)).status).toBe(401);
    expect(apiRequests()).toBe(before);
  });

  it('answers 400 to an authentic body that is not JSON, without quoting it', async () => {
    const response = await post(`{"object_kind":"issue","secret":"${'s'.repeat(20)}"`, gitlabHeaders('Issue Hook', STACK_WEBHOOK_SECRET));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('sss');
  });

  it('answers 400 to an authentic delivery without X-Gitlab-Event (GitLab sends it with every delivery)', async () => {
    const { 'x-gitlab-event': _event, ...headers } = gitlabHeaders('Issue Hook', STACK_WEBHOOK_SECRET);
    const response = await post(body(), headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining('X-Gitlab-Event') });
  });

  it.each([
    ['Note Hook', 'issue'],
    ['Merge Request Hook', 'note.issue'],
    ['Issue Hook', 'merge_request'],
  ])('acknowledges a %s whose object_kind says otherwise (%s) with 202 invalid and handles neither', async (header, file) => {
    const before = apiRequests();
    const response = await post(JSON.stringify(docFixture(file)), gitlabHeaders(header, STACK_WEBHOOK_SECRET));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'invalid', reason: expect.stringContaining('does not match X-Gitlab-Event') });
    await stack.settle();
    expect(apiRequests()).toBe(before);
  });

  it('logged every delivery of this file without a secret: not the webhook secret, not a wrong token, not the bot token', () => {
    const text = logged.join('');
    expect(text).toMatch(/rejected: X-Gitlab-Token/);
    expect(text).toMatch(/event processed/);
    for (const secret of [STACK_WEBHOOK_SECRET, WRONG_TOKEN, SANDBOX_TOKENS.bot]) expect(text).not.toContain(secret);
  });
});
