import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli, SHIPPED_CLI, startCli, type CliWhere } from '../helpers/cli.js';

// Issue 22: bundle/support-bot.mjs alone, copied into an empty directory (no node_modules, no
// config/, no issue_templates/ anywhere above it), runs every command. tests/support/freshBuild.ts
// rebuilds it first when a source is newer.

const HANDBOOK = 'gitlab-com/content-sites/handbook';
const REQUESTS = 'gitlab-com/support/internal-requests';
let sandbox: Sandbox;
let dir: string;
let where: CliWhere;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'support-bot-bundle-'));
  copyFileSync(SHIPPED_CLI.bundle, join(dir, 'support-bot.mjs'));
  where = { cli: join(dir, 'support-bot.mjs'), cwd: dir };
  sandbox = await startSandbox({ seed: 'demo' });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const gitlab = () => ({ GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });

function issueBody(username: string, iid: number) {
  const project = sandbox.store.requireProject(REQUESTS);
  const user = sandbox.store.findUserByUsername(username)!;
  return {
    object_kind: 'issue',
    event_type: 'issue',
    user: { id: user.id, username: user.username, name: user.name },
    project: { id: project.id, path_with_namespace: REQUESTS },
    object_attributes: {
      id: iid + 1000,
      iid,
      title: 't',
      description: 'd',
      state: 'opened',
      action: 'open',
      created_at: '2026-11-16 09:00:00 UTC',
      updated_at: '2026-11-16 09:00:00 UTC',
    },
    labels: [],
  };
}

describe('bundle/support-bot.mjs from an empty directory', { timeout: 90_000 }, () => {
  it('holds nothing but itself there', () => {
    expect(readdirSync(dir)).toEqual(['support-bot.mjs']);
  });

  it('prints the package version', async () => {
    const result = await runCli(['--version'], {}, 30_000, where);
    expect(result.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('validates the default config it carries, and a broken one on disk with exit 2', async () => {
    const ok = await runCli(['config', 'validate'], {}, 30_000, where);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: .*support-bot\.mjs[/\\]config[/\\]support-bot\.yml \(4 projects, 5 templates\)/);
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'bogus: 1\n');
    const bad = await runCli(['config', 'validate', broken], {}, 30_000, where);
    rmSync(broken);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bogus: unknown key');
  });

  it('runs a scheduled job with the message templates it carries (dry run: nothing written)', async () => {
    const writes = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const result = await runCli(['run', 'sweep', '--dry-run'], gitlab(), 60_000, where);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^sweep: 4 projects/);
    expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it("handles the bot's own event with no API call, and another user's event against GitLab", async () => {
    const own = join(dir, 'own.json');
    writeFileSync(own, JSON.stringify(issueBody('support-bot', 1)));
    const requests = sandbox.requests.length;
    const ignored = await runCli(['handle-event', '--payload', own], { ...gitlab(), SUPPORT_BOT_USERNAME: 'support-bot' }, 30_000, where);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(ignored.stdout).toContain("ignored: caused by the bot's own user @support-bot (0 API requests");
    expect(sandbox.requests.length).toBe(requests);

    const project = sandbox.store.requireProject(REQUESTS);
    const bruno = sandbox.store.findUserByUsername('bruno')!;
    const issue = sandbox.store.createIssue(project.id, { title: 'From the bundle', description: 'Could someone look at this account?', authorId: bruno.id });
    const theirs = join(dir, 'theirs.json');
    writeFileSync(theirs, JSON.stringify(issueBody('bruno', issue.iid)));
    const handled = await runCli(['handle-event'], { ...gitlab(), TRIGGER_PAYLOAD: theirs }, 30_000, where);
    rmSync(own);
    rmSync(theirs);
    expect(handled.code, handled.stdout + handled.stderr).toBe(0);
    expect(handled.stdout).toMatch(/handle-event: done: [1-9]\d* writes/);
  });

  it('checks a merge request as a merge request pipeline runs it', async () => {
    const project = sandbox.store.requireProject(HANDBOOK);
    const authorId = sandbox.store.findUserByUsername('bruno')!.id;
    const mr = sandbox.store.createMergeRequest(project.id, { title: 'Change the workflow', authorId, changes: [{ new_path: 'content/handbook/support/workflows/x.md' }] });
    const result = await runCli(['check-mr'], { ...gitlab(), CI_PROJECT_ID: String(project.id), CI_MERGE_REQUEST_IID: String(mr.iid) }, 30_000, where);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no approval artifact');
  });

  it('serves webhooks with /healthz and stops on SIGTERM', async () => {
    const { child, match } = await startCli(
      ['serve', '--port', '0'],
      { ...gitlab(), GITLAB_WEBHOOK_SECRET: 's3cret' },
      /listening on (http:\/\/127\.0\.0\.1:\d+)\/webhook as @support-bot/,
      where,
    );
    expect((await fetch(`${match[1]}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('runs the demo end to end', async () => {
    const result = await runCli(['demo', '--out', join(dir, 'out')], {}, 90_000, where);
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('GitLab sandbox at http://127.0.0.1:');
  });
});
