import { describe, expect, it, vi } from 'vitest';
import { templatesSyncCommand } from '../../src/commands/templates.js';
import { DEMO_PROJECTS } from '../../src/sandbox/index.js';
import { commandAgainstSandbox, shippedConfigWithBudget } from '../helpers/commandRun.js';

// The command in-process: environment in, stdout lines and an exit code out.

const run = commandAgainstSandbox();

describe('support-bot templates sync', () => {
  it('--dry-run prints what it would commit and the diff indented under it, exits 0 and writes nothing', async () => {
    expect(await templatesSyncCommand({ dryRun: true })).toBe(0);
    expect(run.output).toContain(`${DEMO_PROJECTS.internalRequests}: would commit 2 file(s) to support-bot/issue-templates; would open a merge request into main`);
    expect(run.output).toContain('  create .gitlab/issue_templates/Contact Request.md');
    expect(run.output).toContain('    +++ b/.gitlab/issue_templates/Contact Request.md');
    expect(run.output).toContain('    +## Username');
    expect(run.sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('opens one merge request per project, then a rerun names them and writes nothing', async () => {
    expect(await templatesSyncCommand({ dryRun: false })).toBe(0);
    expect(run.output).toMatch(new RegExp(`${DEMO_PROJECTS.feedback}: committed 1 file\\(s\\) to support-bot/issue-templates; opened merge request !\\d+ `));
    const writes = run.sandbox.requests.filter((r) => r.method !== 'GET').length;
    run.output = '';
    expect(await templatesSyncCommand({ dryRun: false })).toBe(0);
    expect(run.output.trim().split('\n')).toHaveLength(3);
    expect(run.output).toMatch(new RegExp(`${DEMO_PROJECTS.feedback}: branch support-bot/issue-templates already holds them; merge request !\\d+ `));
    expect(run.sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(writes);
  });

  it('--dry-run lists the branch commit and the merge request it would open, each with its reason and the description in full', async () => {
    expect(await templatesSyncCommand({ dryRun: true })).toBe(0);
    const requests = run.sandbox.store.resolveProject(DEMO_PROJECTS.internalRequests)!;
    expect(run.output).toContain(
      `  commitFiles project ${requests.id} branch support-bot/issue-templates message="Sync issue templates from support-bot: Contact Request, Name Squatting Request" startBranch="main" files=["create .gitlab/issue_templates/Contact Request.md","create .gitlab/issue_templates/Name Squatting Request.md"]\n    why: [templates-sync] the shipped "Contact Request", "Name Squatting Request" differ from main\n`,
    );
    expect(run.output).toMatch(
      new RegExp(
        `\\n  createMergeRequest project ${requests.id} sourceBranch="support-bot/issue-templates" targetBranch="main" title="Update the Support issue templates"\\n    why: \\[templates-sync\\] .+\\n    description:\\n      support-bot proposes .+\\n\\n      - add \`.gitlab/issue_templates/Contact Request.md\`\\n`,
      ),
    );
  });

  it('keeps to bot.maxWritesPerRun: over it a project waits for the next run, which goes on from there', async () => {
    vi.stubEnv('SUPPORT_BOT_CONFIG', shippedConfigWithBudget(1));
    const writes = () => run.sandbox.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^\/api\/v4\/projects\/[^/]+/, '')}`);
    expect(await templatesSyncCommand({ dryRun: false }), run.output).toBe(0);
    expect(writes()).toEqual(['POST /repository/commits']);
    expect(run.output).toContain(
      `${DEMO_PROJECTS.internalRequests}: skipped over the write budget (bot.maxWritesPerRun; run it again): commit 2 file(s) to support-bot/issue-templates (new, from main)`,
    );
    expect(run.sandbox.store.mergeRequests).toHaveLength(0);
    expect(await templatesSyncCommand({ dryRun: false }), run.output).toBe(0);
    expect(writes()).toEqual(['POST /repository/commits', 'POST /merge_requests']);
  });

  it('exits 1 when a project cannot be synced', async () => {
    run.sandbox.faults.failNext(1, 404, { methods: ['GET'] });
    expect(await templatesSyncCommand({ dryRun: false })).toBe(1);
    expect(run.output).toMatch(/failed:/);
  });

  it('exits 2 without a token', async () => {
    vi.stubEnv('GITLAB_TOKEN', '');
    expect(await templatesSyncCommand({ dryRun: true })).toBe(2);
    expect(run.output).toContain('GITLAB_TOKEN');
  });
});
