import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { seedIssueWithDelivery } from '../helpers/fixtures.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
});
afterAll(() => sandbox.close());

const tmp = mkdtempSync(join(tmpdir(), 'support-bot-cli-'));

describe('support-bot CLI', () => {
  it('lists its commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'run', 'check-mr', 'sandbox', 'demo', 'config']) expect(result.stdout).toContain(command);
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const unknownJob = await runCli(['run', 'nope'], { GITLAB_TOKEN: 't' });
    expect(unknownJob.code).toBe(2);
    expect(unknownJob.stderr).toContain('unknown job "nope"');
  });

  it('validates the default config and names the key of a broken one', async () => {
    const ok = await runCli(['config', 'validate']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: .*support-bot\.yml \(4 projects, \d+ templates\)/);
    const broken = join(tmp, 'broken.yml');
    writeFileSync(broken, 'projects:\n  feedback:\n    path: ""\n    extra: 1\n');
    const bad = await runCli(['config', 'validate', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('projects.feedback.path');
    expect(bad.stderr).toContain('extra');
  });

  it('says which variable is missing', async () => {
    const result = await runCli(['run', 'sweep']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GITLAB_TOKEN is not set');
  });

  it('exits 2 when GitLab refuses the token', async () => {
    const result = await runCli(['run', 'sweep'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: 'glpat-not-a-real-token-0123456789', LOG_LEVEL: 'trace' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GitLab refused the token \(401\)/);
    expect(result.stdout + result.stderr).not.toContain('glpat-not-a-real-token');
  });

  it('runs the sweep against a GitLab and ends with one summary line; a dry run writes nothing', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot };
    const feedback = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const issue = sandbox.store.createIssue(feedback.id, { title: 'Customer said something', description: 'No template used.' });
    const requests = sandbox.store.resolveProject('gitlab-com/support/internal-requests')!;
    const untemplated = sandbox.store.createIssue(requests.id, { title: 'Please help', description: 'No template here either.' });
    const writesBefore = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const dry = await runCli(['run', 'sweep', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/sweep: 4 projects, \d+ issues seen, .* API requests/);
    // A dry run says "would write", never "written", and gives each change's reason.
    expect(dry.stdout).toContain(`gitlab-com/support/feedback#${issue.iid} [template-check] would write: issue #${issue.iid}: add ~"template::none" (no template recognised)`);
    expect(dry.stdout).not.toMatch(/\] written:/);
    // Issue 19: the comment it would post is printed in full, indented under its write, with why.
    const note = new RegExp(
      `\\n  createNote project ${requests.id} issue #${untemplated.iid}\\n    why: \\[template-check\\] templates are required in this project\\n    body:\\n((?:      .*\\n|\\n)+)`,
    ).exec(dry.stdout);
    expect(note, dry.stdout).not.toBeNull();
    expect(note![1]).toMatch(/^ {6}<!-- support-bot:template-check -->\n/);
    for (const template of ['Contact Request', 'Name Squatting Request']) expect(note![1]).toMatch(new RegExp(`^ {6}.*\\[${template}\\]\\(http`, 'm'));
    expect(note![1]).not.toContain('…');
    expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    const real = await runCli(['run', 'sweep'], env);
    expect(real.code).toBe(0);
    expect(real.stdout.trim().split('\n').at(-1)).toMatch(/^sweep: 4 projects/);
  });

  it('serves webhooks, refuses a wrong token and stops cleanly on SIGTERM', async () => {
    const { child, match } = await startCli(
      ['serve', '--port', '0'],
      { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, GITLAB_WEBHOOK_SECRET: 's3cret' },
      /listening on (http:\/\/127\.0\.0\.1:\d+)\/webhook as @support-bot/,
    );
    const base = match[1]!;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const refused = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'x-gitlab-token': 'nope', 'x-gitlab-event': 'Issue Hook' }, body: '{}' });
    expect(refused.status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('on SIGTERM finishes every accepted delivery, also one whose body was still arriving, then exits 0', async () => {
    const { child, match, output } = await startCli(
      ['serve', '--port', '0'],
      { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, GITLAB_WEBHOOK_SECRET: 's3cret', LOG_LEVEL: 'info' },
      /listening on (http:\/\/127\.0\.0\.1:(\d+))\/webhook/,
    );
    const feedback = sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const headers = { 'x-gitlab-token': 's3cret', 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' };
    const delivery = (title: string) => {
      const seeded = seedIssueWithDelivery(sandbox.store, feedback.id, title);
      seeded.payload.project.path_with_namespace = feedback.pathWithNamespace;
      return seeded;
    };
    sandbox.faults.setLatency(150);
    try {
      const queued = Array.from({ length: 3 }, (_, i) => delivery(`Queued at SIGTERM ${i}`));
      for (const { payload } of queued) {
        const answer = await fetch(`${match[1]}/webhook`, { method: 'POST', headers, body: JSON.stringify(payload) });
        expect(answer.status).toBe(202);
      }
      // A delivery whose body is half sent when the signal comes.
      const late = delivery('Body arriving at SIGTERM');
      const text = JSON.stringify(late.payload);
      const lateAnswer = new Promise<number | undefined>((resolve, reject) => {
        const req = request({ port: Number(match[2]), method: 'POST', path: '/webhook', headers: { ...headers, 'content-length': Buffer.byteLength(text) } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        req.write(text.slice(0, 50));
        setTimeout(() => req.end(text.slice(50)), 2_500);
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 100));
      child.kill('SIGTERM');
      expect(await lateAnswer).toBe(202);
      expect(await exited).toBe(0);
      for (const { issue } of [...queued, late]) expect(sandbox.store.getIssue(feedback.id, issue.iid)!.labels).toContain('template::none');
      // Stopped only after the last delivery's work.
      const log = output();
      expect(log.lastIndexOf('"msg":"stopped"')).toBeGreaterThan(log.lastIndexOf('"msg":"event processed"'));
    } finally {
      sandbox.faults.setLatency(0);
    }
  });

  it('refuses to serve without a webhook secret', async () => {
    const result = await runCli(['serve'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GITLAB_WEBHOOK_SECRET');
  });

  it('exits 2 from the demo on a broken config, instead of hanging on its started sandbox', async () => {
    const broken = join(tmp, 'demo-broken.yml');
    writeFileSync(broken, 'bogus: 1\n');
    const result = await runCli(['demo', '--out', join(tmp, 'never')], { SUPPORT_BOT_CONFIG: broken }, 20_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bogus: unknown key');
  });

  it('runs the demo end to end and writes the transcript', async () => {
    const out = join(tmp, 'out');
    const result = await runCli(['demo', '--out', out], {}, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('GitLab sandbox at http://127.0.0.1:');
    expect(readFileSync(join(out, 'demo-transcript.md'), 'utf8')).toContain('# support-bot demo transcript');
    // The whole demo, every scenario: the bot pinged no group (its sandbox runs in the child process, out of the suite's guard).
    expect(result.stdout).toContain('Group mentions by the bot: none.');
  });
});

describe('serve while GitLab is down', () => {
  it('still starts and accepts deliveries', async () => {
    const { child, match } = await startCli(
      ['serve', '--port', '0'],
      { GITLAB_URL: 'http://127.0.0.1:9', GITLAB_TOKEN: 'x', GITLAB_WEBHOOK_SECRET: 's3cret', SUPPORT_BOT_CONFIG: fastRetryConfig() },
      /listening on (http:\/\/127\.0\.0\.1:\d+)\/webhook/,
    );
    expect((await fetch(`${match[1]}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

/** The default config with short retries, so a GitLab that is down is given up on quickly. */
function fastRetryConfig(): string {
  const path = join(tmp, 'fast-retry.yml');
  const text = readFileSync('config/support-bot.yml', 'utf8').replace('retries: 5', 'retries: 1\n  retryBaseMs: 10\n  retryMaxMs: 50');
  writeFileSync(path, text);
  return path;
}
