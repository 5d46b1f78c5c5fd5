import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { GitLabUnreachable } from '../../src/gitlab/errors.js';
import { JOBS } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { SANDBOX_TOKENS, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

// A GITLAB_URL where no GitLab answers (issue 19): exit 2 within 20 s, one line naming
// GITLAB_URL and the cause, no stack trace; GitLab lost mid-run: exit 1, one line.

let html: Server;
let closedPort: number;
let htmlPort: number;

beforeAll(async () => {
  html = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'));
  await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
  htmlPort = (html.address() as AddressInfo).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => new Promise((resolve) => html.close(resolve)));

describe('GitLab unreachable at GITLAB_URL: the CLI as a process', () => {
  const cases: [string, () => string, RegExp][] = [
    ['connection refused', () => `http://127.0.0.1:${closedPort}`, /connection refused by 127\.0\.0\.1:\d+$/],
    ['a DNS failure', () => 'http://gitlab.does-not-exist.invalid', /DNS lookup of gitlab\.does-not-exist\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)$/],
    ['a TLS error', () => `https://127.0.0.1:${htmlPort}`, /TLS error \(\w+\)/],
    ['a non-GitLab answer at /api/v4', () => `http://127.0.0.1:${htmlPort}`, /the answer at http:\/\/127\.0\.0\.1:\d+\/api\/v4\/\S+ is not GitLab's API \(HTTP 200, text\/html\)$/],
  ];

  it.each(cases)('%s: run sweep exits 2 quickly with one line naming GITLAB_URL and the cause', async (_name, url, cause) => {
    const started = performance.now();
    const result = await runCli(['run', 'sweep', '--dry-run'], { GITLAB_URL: url(), GITLAB_TOKEN: 'glpat-unreachable-test', LOG_LEVEL: 'info' });
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(2);
    expect(seconds).toBeLessThan(20);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`support-bot: cannot reach GitLab at ${url()} (GITLAB_URL, else gitlab.url): `);
    expect(lines[0]).toMatch(cause);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  // The sync commands too: the quick start runs `labels sync` right after `config validate --remote`.
  const syncs: [string, string[]][] = [
    ['labels sync', ['labels', 'sync']],
    ['templates sync', ['templates', 'sync', '--dry-run']],
    ['schedules sync', ['schedules', 'sync', '--project', 'acme/help/bot']],
  ];
  it.each(syncs.flatMap(([name, args]) => [cases[0]!, cases[3]!].map(([why, url, cause]) => [`${name}, ${why}`, args, url, cause] as const)))(
    '%s: exits 2 quickly with one line',
    async (_name, args, url, cause) => {
      const started = performance.now();
      const result = await runCli([...args], { GITLAB_URL: url(), GITLAB_TOKEN: 'glpat-unreachable-test' });
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect((performance.now() - started) / 1000).toBeLessThan(20);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toContain(`support-bot: cannot reach GitLab at ${url()} (GITLAB_URL, else gitlab.url): `);
      expect(result.stderr.trim()).toMatch(cause);
    },
  );

  it('config validate --remote says the same, exit 2', async () => {
    const result = await runCli(['config', 'validate', '--remote'], { GITLAB_URL: `http://127.0.0.1:${closedPort}`, GITLAB_TOKEN: 'glpat-unreachable-test' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^support-bot: cannot reach GitLab at http:\/\/127\.0\.0\.1:\d+ \(GITLAB_URL, else gitlab\.url\): connection refused/);
  });
});

describe('GitLab lost in the middle of a run', () => {
  it('stops the sweep with GitLabUnreachable (not first contact: exit 1) instead of trying every subject', async () => {
    const sandbox = await startSandbox({ seed: 'demo' });
    try {
      const base = loadConfig('config/support-bot.yml');
      const loaded = { ...base, config: { ...base.config, gitlab: { ...base.config.gitlab, retries: 2, retryBaseMs: 5, retryMaxMs: 10 } } };
      const runtime = createRuntime({
        log: silentLogger,
        loaded,
        dryRun: true,
        env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
      });
      // The first project answers; then every request's connection drops.
      await runtime.gateway.getProject('gitlab-com/support/support-team-meta');
      sandbox.faults.failNext(1000, 500, { dropConnection: true });
      const error = await JOBS.sweep(runtime, { out: { write: () => true } as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitLabUnreachable);
      expect((error as GitLabUnreachable).firstContact).toBe(false);
      expect((error as Error).message).toMatch(/^lost the connection to GitLab at http:\/\/127\.0\.0\.1:\d+ \(GITLAB_URL, else gitlab\.url\): .+; stopped$/);
      // One request and its retries, then nothing: every later call fails at once.
      expect(sandbox.requests.length).toBeLessThan(8);
    } finally {
      await sandbox.close();
    }
  });
});

describe('exit codes of an unreachable GitLab', () => {
  it('a wrong GITLAB_URL is 2, a connection lost mid-run is 1; each one line', async () => {
    const { guarded } = await import('../../src/commands/common.js');
    for (const [firstContact, code] of [
      [true, 2],
      [false, 1],
    ] as const) {
      let out = '';
      const stderr = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
      expect(await guarded(() => Promise.reject(new GitLabUnreachable('https://gitlab.example.com', 'connection refused', firstContact)), stderr)).toBe(code);
      expect(out.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('serve', () => {
  it('refuses a GITLAB_URL where another server answers (exit 2, one line); GitLab refusing connections is covered by "serve while GitLab is down"', async () => {
    const result = await runCli(['serve', '--port', '0'], {
      GITLAB_URL: `http://127.0.0.1:${htmlPort}`,
      GITLAB_TOKEN: 'glpat-unreachable-test',
      GITLAB_WEBHOOK_SECRET: 's3cret-s3cret',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("is not GitLab's API (HTTP 200, text/html)");
  });
});
