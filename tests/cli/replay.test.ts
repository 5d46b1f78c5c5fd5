import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { webhookFixture } from '../helpers/fixtures.js';
import { runCli, startCli } from '../helpers/cli.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
});
afterAll(() => sandbox.close());

describe('support-bot replay', () => {
  it('delivers a saved body to serve with GitLab headers; the same key again is a duplicate', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, GITLAB_WEBHOOK_SECRET: 'replay-secret' };
    const { child, match } = await startCli(['serve', '--port', '0'], env, /listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/);
    try {
      const project = sandbox.store.resolveProject('gitlab-com/support/internal-requests')!;
      const issue = sandbox.store.createIssue(project.id, { title: 'Replayed', description: 'no template' });
      const body = webhookFixture('issue.open');
      body.project.id = project.id;
      body.object_attributes.iid = issue.iid;
      const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'delivery.json');
      writeFileSync(file, JSON.stringify(body));
      const first = await runCli(['replay', file, '--url', match[1]!, '--idempotency-key', 'k-1'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/replay: Issue Hook → .*: 202 \{"status":"accepted"/);
      const again = await runCli(['replay', file, '--url', match[1]!, '--idempotency-key', 'k-1'], env);
      expect(again.stdout).toContain('{"status":"duplicate"}');
      const wrongSecret = await runCli(['replay', file, '--url', match[1]!], { ...env, GITLAB_WEBHOOK_SECRET: 'nope' });
      expect(wrongSecret.code).toBe(1);
      expect(wrongSecret.stdout).toContain(': 401 ');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a body that is not a webhook it knows', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'push.json');
    writeFileSync(file, JSON.stringify({ object_kind: 'push' }));
    const result = await runCli(['replay', file], { GITLAB_WEBHOOK_SECRET: 'replay-test-secret' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an issue, note or merge request webhook body');
  });

  it('says why it could not deliver when no server listens at the URL (not just "fetch failed")', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'issue.json');
    writeFileSync(file, JSON.stringify(webhookFixture('issue.open')));
    const result = await runCli(['replay', file, '--url', `http://127.0.0.1:${port}/webhook`], { GITLAB_WEBHOOK_SECRET: 'replay-test-secret' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`support-bot: replay: cannot POST to http://127.0.0.1:${port}/webhook: ECONNREFUSED (is \`npx support-bot serve\` running there?)`);
  });
});
