import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/load.js';
import { startStack, STACK_WEBHOOK_SECRET, type Stack } from '../../src/demo/stack.js';
import { markerKey } from '../../src/engine/markers.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import type { IssueRule } from '../../src/rules/types.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { withBotUsername } from '../../src/trigger/botUsername.js';
import { inProcessTrigger } from '../../src/demo/triggerRunner.js';
import { webhookFixture } from '../helpers/fixtures.js';
import { greetRule } from '../helpers/testRules.js';
import { HEADER_FOR, payloadFor, seedIssue, type FixtureKey } from './payloads.js';

// handle-event's body, in-process, against the sandbox: the same Bot.handleEvent the
// server runs, so the same payload must end in the same issue state.

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'support-bot-handle-'));
let files = 0;

beforeAll(async () => {
  stack = await startStack({ rules: [greetRule], hooks: false });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.faults.clear());

/** Fewer, shorter retries, so a write that keeps failing gives up quickly. */
function withRetries(loaded: LoadedConfig, retries: number | undefined): LoadedConfig {
  if (retries === undefined) return loaded;
  return { ...loaded, config: { ...loaded.config, gitlab: { ...loaded.config.gitlab, retries, retryBaseMs: 1, retryMaxMs: 5 } } };
}

/** One pipeline: a fresh runtime (no cached user or projects), TRIGGER_PAYLOAD pointing at a file. */
function trigger(body: unknown, options: { username?: string; dryRun?: boolean; retries?: number; rules?: IssueRule[] } = {}) {
  files += 1;
  const file = join(dir, `payload-${files}.json`);
  writeFileSync(file, JSON.stringify(body));
  const loaded = withRetries(withBotUsername(stack.runtime.loaded, options.username), options.retries);
  const run = inProcessTrigger(() =>
    createRuntime({
      log: silentLogger,
      loaded,
      rules: options.rules ?? [greetRule],
      dryRun: options.dryRun,
      env: { gitlabUrl: stack.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
    }),
  );
  return run(file);
}

async function serve(key: FixtureKey, body: unknown): Promise<void> {
  const response = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-event': HEADER_FOR[key], 'x-gitlab-token': STACK_WEBHOOK_SECRET },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  await stack.settle();
}

/** What a reader of the issue sees, and the writes that touched it. */
function observe(iid: number) {
  const store = stack.sandbox.store;
  const project = store.resolveProject('gitlab-com/support/internal-requests')!;
  const issue = store.getIssue(project.id, iid)!;
  const notes = store
    .listNotes(issue)
    .filter((n) => markerKey(n.body) !== undefined)
    .map((n) => n.body);
  const writes = stack.sandbox.requests
    .filter((r) => r.method !== 'GET' && r.path.includes(`/issues/${iid}`))
    .map((r) => `${r.method} ${r.path.replace(`/issues/${iid}`, '/issues/:iid')}`);
  return { labels: [...issue.labels].sort(), state: issue.state, notes, writes };
}

const writeCount = () => stack.sandbox.requests.filter((r) => r.method !== 'GET').length;

describe('handle-event gives the server path’s result', () => {
  it.each(['issue.open', 'issue.update', 'note.issue'] as const)('%s: same labels, notes and writes', async (key) => {
    const viaServer = seedIssue(stack.sandbox, `Help with ${key}`);
    const viaTrigger = seedIssue(stack.sandbox, `Help with ${key}`);
    await serve(key, payloadFor(stack.sandbox, key, viaServer.iid));
    const run = await trigger(payloadFor(stack.sandbox, key, viaTrigger.iid));
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`handle-event: ${key} gitlab-com/support/internal-requests#${viaTrigger.iid} by @bruno (TRIGGER_PAYLOAD file `);
    expect(run.output).toMatch(/\[greet\] written: /);
    expect(run.output).toMatch(/handle-event: done: 2 writes, 0 rule errors, \d+ API requests, \d+ ms\n$/);
    const server = observe(viaServer.iid);
    expect(server.labels).toContain('seen::yes');
    expect(server.notes).toHaveLength(1);
    expect(observe(viaTrigger.iid)).toEqual(server);
  });

  it('merge_request.open: ignored by both, with no writes', async () => {
    const before = writeCount();
    await serve('merge_request.open', payloadFor(stack.sandbox, 'merge_request.open', 0));
    const run = await trigger(payloadFor(stack.sandbox, 'merge_request.open', 0));
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^handle-event: merge_request\.open gitlab-com\/support\/handbook!\d+ by @/);
    expect(run.output).toMatch(/handle-event: ignored: project gitlab-com\/support\/handbook is not configured \(\d+ API requests/);
    expect(writeCount()).toBe(before);
  });
});

describe('handle-event on an emoji reaction', () => {
  it('names the merge request a reaction is on as GitLab does (group/project!1)', async () => {
    const documented = webhookFixture('gitlab-docs/emoji') as Record<string, unknown> & { object_attributes: Record<string, unknown> };
    const { note: _note, issue: _issue, ...rest } = documented;
    const body = { ...rest, object_attributes: { ...documented.object_attributes, awardable_type: 'MergeRequest' }, merge_request: { id: 99, iid: 7 } };
    const run = await trigger(body);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^handle-event: emoji\.merge_request flightjs\/Flight!7 by @root/);
  });
});

describe('handle-event loop safety and idempotence', () => {
  it('makes zero API calls for the bot’s own event when bot.username is configured', async () => {
    const { iid } = seedIssue(stack.sandbox, 'bot own event');
    const before = stack.sandbox.requests.length;
    const run = await trigger(payloadFor(stack.sandbox, 'issue.update', iid, 'support-bot'), { username: 'support-bot' });
    expect(run.code).toBe(0);
    expect(run.output).toContain("handle-event: ignored: caused by the bot's own user @support-bot (0 API requests");
    expect(stack.sandbox.requests.length).toBe(before);
  });

  // GitLab usernames are case-insensitive (issue 21, case 15): however the operator writes it.
  it.each(['Support-Bot', 'SUPPORT-BOT', 'support-Bot'])('recognises @support-bot’s event with the username configured as %s, with zero API calls', async (username) => {
    const { iid } = seedIssue(stack.sandbox, `bot own event ${username}`);
    const before = stack.sandbox.requests.length;
    const run = await trigger(payloadFor(stack.sandbox, 'issue.update', iid, 'support-bot'), { username });
    expect(run.code).toBe(0);
    expect(run.output).toContain(`handle-event: ignored: caused by the bot's own user @${username} (0 API requests`);
    expect(stack.sandbox.requests.length).toBe(before);
  });

  it('makes exactly one call, GET /user, for the bot’s own event when the username is not configured', async () => {
    const { iid } = seedIssue(stack.sandbox, 'bot own event, unnamed');
    const before = stack.sandbox.requests.length;
    const run = await trigger(payloadFor(stack.sandbox, 'issue.update', iid, 'support-bot'));
    expect(run.code).toBe(0);
    expect(stack.sandbox.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/user']);
  });

  it('makes zero API calls, even without a configured username, for an event of a project it does not watch', async () => {
    // A group webhook sent to a trigger starts a pipeline for every project of the group.
    const before = stack.sandbox.requests.length;
    const run = await trigger(payloadFor(stack.sandbox, 'merge_request.open', 0));
    expect(run.output).toContain('handle-event: ignored: project gitlab-com/support/handbook is not configured (0 API requests');
    expect(stack.sandbox.requests.length).toBe(before);
  });

  it('makes zero writes when the same payload runs a second time', async () => {
    const { iid } = seedIssue(stack.sandbox, 'twice');
    const body = payloadFor(stack.sandbox, 'issue.open', iid);
    expect((await trigger(body)).code).toBe(0);
    const before = writeCount();
    const second = await trigger(body);
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/handle-event: done: 0 writes/);
    expect(writeCount()).toBe(before);
  });

  it('converges when an older payload arrives after a newer one: it reads the issue, not the payload', async () => {
    const { projectId, iid } = seedIssue(stack.sandbox, 'out of order');
    const stale = payloadFor(stack.sandbox, 'issue.open', iid);
    stack.sandbox.store.getIssue(projectId, iid)!.title = 'Renamed since';
    expect((await trigger(payloadFor(stack.sandbox, 'issue.update', iid))).code).toBe(0);
    const settled = observe(iid);
    const late = await trigger(stale);
    expect(late.output).toMatch(/handle-event: done: 0 writes/);
    expect(observe(iid)).toEqual(settled);
    expect(settled.notes[0]).toContain('this is "Renamed since"');
  });

  it('writes nothing on --dry-run and prints the writes it would send', async () => {
    const { iid } = seedIssue(stack.sandbox, 'dry');
    const before = writeCount();
    const run = await trigger(payloadFor(stack.sandbox, 'issue.open', iid), { dryRun: true });
    expect(run.code).toBe(0);
    // Each write with its reason; the comment in full, indented under its line.
    expect(run.output).toMatch(
      /dry run: 2 write\(s\) not sent\n {2}updateIssue .*\n {4}why: \[[a-z-,]+\] .+\n {2}createNote .*\n {4}why: \[[a-z-,]+\] .+\n {4}body:\n {6}<!-- support-bot:/,
    );
    expect(run.output).toMatch(/handle-event: done: 2 writes planned \(dry run\)/);
    expect(writeCount()).toBe(before);
  });
});

describe('handle-event re-plans the subjects whose notes quote the one that changed (quotedBy)', () => {
  it('prints their writes and counts them in its summary', async () => {
    const quoted = seedIssue(stack.sandbox, 'Quoted issue');
    const quoting = seedIssue(stack.sandbox, 'Quoting issue');
    // Runs on no event of its own: only as the rule of an issue that quotes the retitled one.
    const quotes: IssueRule = {
      ...greetRule,
      key: 'quotes',
      runsOn: { events: {}, jobs: [] },
      quotedBy: { events: { 'issue.update': ['title'] }, iids: () => [quoting.iid] },
      applies: () => true,
      plan: () => [{ action: { type: 'addLabels', labels: ['quoted::yes'] }, reason: 'quotes the retitled issue' }],
    };
    const body = payloadFor(stack.sandbox, 'issue.update', quoted.iid);
    body.changes = { title: { previous: 'Old title', current: 'Quoted issue' } };
    const run = await trigger(body, { rules: [quotes] });
    expect(run.code, run.output).toBe(0);
    expect(observe(quoting.iid).labels).toEqual(['quoted::yes']);
    expect(observe(quoted.iid).labels).toEqual([]);
    expect(run.output).toMatch(/\[quotes\] written: /);
    expect(run.output).toMatch(/handle-event: done: 1 writes, 0 rule errors/);
  });
});

describe('handle-event exit codes', () => {
  it('exits 1 when a write still fails after its retries', async () => {
    const { iid } = seedIssue(stack.sandbox, 'storm');
    stack.sandbox.faults.failNext(50, 500, { methods: ['PUT', 'POST'] });
    const run = await trigger(payloadFor(stack.sandbox, 'issue.open', iid), { retries: 1 });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/support-bot: .*500/);
  });

  it('exits 1 and names the rule when a rule raises an error, after the other rules’ writes', async () => {
    const { iid } = seedIssue(stack.sandbox, 'broken rule');
    const broken: IssueRule = {
      ...greetRule,
      key: 'broken',
      plan: () => {
        throw new Error('no heading found');
      },
    };
    const run = await trigger(payloadFor(stack.sandbox, 'issue.open', iid), { rules: [greetRule, broken] });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`gitlab-com/support/internal-requests#${iid} [broken] rule error: no heading found`);
    expect(run.output).toMatch(/handle-event: done: 2 writes, 1 rule errors/);
  });

  it('exits 2 naming the schema field of a payload that is JSON but not a webhook body', async () => {
    const body = payloadFor(stack.sandbox, 'issue.open', 1);
    delete body.object_attributes.iid;
    const run = await trigger(body);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/is not a webhook body the bot reads: object_attributes\.iid: /);
  });

  it('exits 0 with the reason for a kind of event the bot does not handle, before any API call', async () => {
    const before = stack.sandbox.requests.length;
    const run = await trigger({ object_kind: 'pipeline', object_attributes: {} });
    expect(run).toEqual({ code: 0, output: 'handle-event: ignored: object_kind "pipeline" is not handled (0 API requests)\n' });
    expect(stack.sandbox.requests.length).toBe(before);
  });
});
