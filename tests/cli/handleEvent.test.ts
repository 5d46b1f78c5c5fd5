import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { deliverWebhooksAsTriggers, processTrigger } from '../../src/demo/triggerRunner.js';
import { runCli } from '../helpers/cli.js';
import { payloadFor, REQUESTS_PROJECT, seedIssue } from '../trigger/payloads.js';

// `support-bot handle-event` as the CI job runs it: the built CLI as its own process,
// against a sandbox on an ephemeral port, with the shipped config and rules.

let sandbox: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot };
});
afterAll(() => sandbox.close());

const dir = mkdtempSync(join(tmpdir(), 'support-bot-handle-event-'));
function payloadFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET').length;

describe('support-bot handle-event (process)', () => {
  it('is listed in --help', async () => {
    expect((await runCli(['--help'])).stdout).toContain('handle-event');
  });

  it('handles a payload file with the shipped rules, then makes zero writes on the same payload', async () => {
    const { iid } = seedIssue(sandbox, 'Please look at this account');
    const file = payloadFile('open.json', payloadFor(sandbox, 'issue.open', iid));
    const before = writes();
    const first = await runCli(['handle-event', '--payload', file], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`handle-event: issue.open ${REQUESTS_PROJECT}#${iid} by @bruno (--payload ${file})`);
    const written = Number(/handle-event: done: (\d+) writes, 0 rule errors/.exec(first.stdout)?.[1]);
    expect(written).toBeGreaterThan(0);
    expect(writes() - before).toBe(written);
    const again = await runCli(['handle-event', '--payload', file], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/handle-event: done: 0 writes/);
    expect(writes() - before).toBe(written);
  });

  it('makes zero API calls for the bot’s own event when SUPPORT_BOT_USERNAME names it', async () => {
    const { iid } = seedIssue(sandbox, 'Bot edits');
    const file = payloadFile('own.json', payloadFor(sandbox, 'issue.update', iid, 'support-bot'));
    const before = sandbox.requests.length;
    const run = await runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: file, SUPPORT_BOT_USERNAME: 'support-bot' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ignored: caused by the bot's own user @support-bot (0 API requests");
    expect(sandbox.requests.length).toBe(before);
    const unnamed = await runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: file });
    expect(unnamed.code).toBe(0);
    expect(sandbox.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/user']);
  });

  it('accepts TRIGGER_PAYLOAD holding the JSON itself', async () => {
    const run = await runCli(['handle-event', '--dry-run'], { ...env, TRIGGER_PAYLOAD: JSON.stringify(payloadFor(sandbox, 'merge_request.open', 0)) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(TRIGGER_PAYLOAD (inline JSON))');
  });

  it.each([
    ['no payload at all', () => [], /no payload: pass --payload FILE or set TRIGGER_PAYLOAD/],
    ['an unreadable file', () => ['--payload', join(dir, 'absent.json')], /cannot read the payload \(--payload .*absent\.json\): no such file/],
    [
      'truncated JSON',
      () => ['--payload', payloadFile('cut.json', JSON.stringify(payloadFor(sandbox, 'issue.open', 1)).slice(0, 300))],
      /not valid JSON at position 300 \(line 1 column 301 of 300 characters\), it looks truncated/,
    ],
    // The reason names the kind of problem, never the file's characters (the file may be any file: case 9 of issue 21).
    ['text that is not JSON', () => ['--payload', payloadFile('text.json', '<html>502 Bad Gateway</html>')], /not valid JSON \(28 characters\): unexpected character\n$/],
    ['JSON that fails the schema', () => ['--payload', payloadFile('schema.json', { object_kind: 'note', user: {} })], /not a webhook body the bot reads: user\.id: /],
  ])('exits 2 naming the problem: %s (before needing a token)', async (_name, args, reason) => {
    const run = await runCli(['handle-event', ...args()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the payload is good but GITLAB_TOKEN is missing', async () => {
    const run = await runCli(['handle-event', '--payload', payloadFile('ok.json', payloadFor(sandbox, 'issue.open', 1))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('GITLAB_TOKEN is not set');
  });
});

describe('the sandbox delivering webhooks as pipeline triggers', () => {
  it('runs handle-event per webhook: the issue gets handled, the bot’s own writes start runs that stop at zero API calls', async () => {
    const delivery = deliverWebhooksAsTriggers(sandbox, {
      projects: [REQUESTS_PROJECT],
      run: processTrigger({ env: { ...env, SUPPORT_BOT_USERNAME: 'support-bot', SUPPORT_BOT_CONFIG: undefined, LOG_LEVEL: 'warn' } }),
    });
    try {
      const token = 'trigger-test-chen';
      sandbox.store.addToken(token, sandbox.store.findUserByUsername('chen')!.id);
      const created = await fetch(`${sandbox.url}/api/v4/projects/${encodeURIComponent(REQUESTS_PROJECT)}/issues`, {
        method: 'POST',
        headers: { 'private-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Opened by Chen', description: 'hello' }),
      });
      const { iid } = (await created.json()) as { iid: number };
      await sandbox.flushWebhooks();
      const [first, ...caused] = delivery.runs;
      expect(first?.code, first?.output).toBe(0);
      expect(first!.output).toMatch(new RegExp(`handle-event: issue.open ${REQUESTS_PROJECT}#${iid} by @chen \\(TRIGGER_PAYLOAD file `));
      expect(first!.output).toMatch(/handle-event: done: [1-9]\d* writes/);
      expect(caused.length).toBeGreaterThan(0);
      for (const run of caused) expect(run.output).toContain("ignored: caused by the bot's own user @support-bot (0 API requests");
    } finally {
      delivery.detach();
    }
  });
});
