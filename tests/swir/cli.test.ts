import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

// `support-bot run swir` as the Friday pipeline runs it: a real process against a GitLab.
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  dir = mkdtempSync(join(tmpdir(), 'swir-cli-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET').length;
const reviews = () => sandbox.store.issues.filter((i) => i.title === 'Support Week in Review 2026-W13');

describe('support-bot run swir', () => {
  it('--dry-run writes only the file, then a real run publishes once and a second run writes nothing', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot };
    const dry = await runCli(['run', 'swir', '--week', '2026-W13', '--dry-run', '--output', `${dir}/out/`], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(writes()).toBe(0);
    expect(readFileSync(join(dir, 'out', 'swir-2026-W13.md'), 'utf8')).toMatch(/^# Support Week in Review 2026-W13\n/);
    expect(dry.stdout).toContain('would publish: project');
    expect(dry.stdout).toMatch(/swir: 2026-W13 \(2026-03-23 to 2026-03-29 UTC, final\), issue would publish, .*1 writes planned \(dry run\), \d+ API requests/);

    const real = await runCli(['run', 'swir', '--week', '2026-W13'], env);
    expect(real.code).toBe(0);
    expect(reviews()).toHaveLength(1);
    expect(real.stdout).toMatch(/issue published, .*1 writes, \d+ API requests/);
    const again = await runCli(['run', 'swir', '--week', '2026-W13'], env);
    expect(again.stdout).toMatch(/issue unchanged, .*0 writes/);
    expect(reviews()).toHaveLength(1);
    expect(existsSync(join(dir, 'swir-2026-W13.md'))).toBe(false);
  }, 60_000);

  it('exits 2 with a reason for a bad --week, and for --week on another job', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot };
    const bad = await runCli(['run', 'swir', '--week', '2026-48'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--week: expected an ISO week like "2026-W48" \(got "2026-48"\)/);
    const other = await runCli(['run', 'sla', '--week', '2026-W13'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/run sla: --week and --output are options of "run swir" only/);
  }, 60_000);

  it('with a plain 403 on one project: names it, publishes the rest and exits 1 (not "GitLab refused the token")', async () => {
    const own = await startSandbox({ seed: 'demo' });
    try {
      const feedback = own.store.resolveProject('gitlab-com/support/feedback')!;
      own.faults.failNext(1000, 403, { pathPattern: new RegExp(`^/projects/${feedback.id}/`) });
      const result = await runCli(['run', 'swir', '--week', '2026-W13'], { GITLAB_URL: own.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).not.toContain('refused the token');
      expect(result.stdout).toMatch(/swir: 2026-W13 \(2026-03-23 to 2026-03-29 UTC, final\) \(1 unreadable: gitlab-com\/support\/feedback \(403\)\), issue published/);
      const [published] = own.store.issues.filter((i) => i.title === 'Support Week in Review 2026-W13');
      expect(published!.description).toContain('GitLab did not let the bot read gitlab-com/support/feedback (403)');
    } finally {
      await own.close();
    }
  }, 60_000);
});
