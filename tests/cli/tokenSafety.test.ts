import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';

// Issue 12 #5: a token GitLab cannot take is refused at start-up (exit 2) without being
// echoed, and the token's value never reaches stderr or the logs, whatever the error.

const TOKEN = 'glpat-Echo3dBackByAProxy99';
const CLI_TIMEOUT = 90_000;
const payload = readFileSync('tests/fixtures/webhooks/issue.open.json', 'utf8');

/** A "GitLab" that answers every request 400 and quotes the token it received, as a misbehaving proxy might. */
let echo: Server;
let echoUrl: string;
beforeAll(async () => {
  echo = createServer((req, res) => {
    const token = String(req.headers['private-token'] ?? req.headers.authorization ?? '');
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `token ${token} is not valid for ${req.url}` }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

describe.concurrent('GITLAB_TOKEN', () => {
  it(
    'with a line break is refused at start-up with exit 2, by every command, without echoing it',
    async () => {
      const token = 'glpat-FirstHalfOfIt\nSecondHalfOfIt';
      const env = { GITLAB_TOKEN: token, GITLAB_URL: echoUrl };
      const results = await Promise.all([
        runCli(['run', 'sweep'], env, CLI_TIMEOUT),
        runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: payload }, CLI_TIMEOUT),
        runCli(['serve', '--port', '0'], { ...env, GITLAB_WEBHOOK_SECRET: 'secret' }, CLI_TIMEOUT),
      ]);
      for (const result of results) {
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain('env: GITLAB_TOKEN contains a line break (LF) at position 20 of 34');
        expect(result.stderr + result.stdout).not.toContain('FirstHalfOfIt');
        expect(result.stderr + result.stdout).not.toContain('SecondHalfOfIt');
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'never appears on stderr of run and handle-event, even when GitLab quotes it back in an error',
    async () => {
      const env = { GITLAB_TOKEN: TOKEN, GITLAB_URL: echoUrl };
      const [run, handle] = await Promise.all([runCli(['run', 'sweep'], env, CLI_TIMEOUT), runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: payload }, CLI_TIMEOUT)]);
      for (const result of [run, handle]) {
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('token [REDACTED] is not valid');
        expect(result.stderr + result.stdout).not.toContain(TOKEN);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    "never appears in serve's logs, at start-up or in a failed event",
    async ({ expect }) => {
      const { child, match, output } = await startCli(
        ['serve', '--port', '0'],
        { GITLAB_TOKEN: TOKEN, GITLAB_URL: echoUrl, GITLAB_WEBHOOK_SECRET: 'secret', LOG_LEVEL: 'info' },
        /listening on (\S+)/,
      );
      try {
        const body = JSON.parse(payload);
        body.project.path_with_namespace = 'gitlab-com/support/internal-requests';
        const response = await fetch(match[1]!, {
          method: 'POST',
          headers: { 'x-gitlab-token': 'secret', 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(202);
        await expect.poll(output, { timeout: 60_000 }).toContain('event failed');
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('close', resolve));
      }
      expect(output()).toContain('[REDACTED]');
      expect(output()).not.toContain(TOKEN);
    },
    CLI_TIMEOUT,
  );
});
