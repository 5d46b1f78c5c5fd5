import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { templatesSyncCommand } from '../../src/commands/templates.js';
import { DEMO_PROJECTS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

// The command in-process: environment in, stdout lines and an exit code out.

let sandbox: Sandbox;
let output: string;

beforeEach(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  output = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((output += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((output += String(chunk)), true));
  vi.stubEnv('GITLAB_URL', sandbox.url);
  vi.stubEnv('GITLAB_TOKEN', SANDBOX_TOKENS.bot);
  vi.stubEnv('SUPPORT_BOT_CONFIG', 'config/support-bot.yml');
  vi.stubEnv('LOG_LEVEL', 'silent');
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await sandbox.close();
});

describe('support-bot templates sync', () => {
  it('--dry-run prints what it would commit and the diff indented under it, exits 0 and writes nothing', async () => {
    expect(await templatesSyncCommand({ dryRun: true })).toBe(0);
    expect(output).toContain(`${DEMO_PROJECTS.internalRequests}: would commit 2 file(s) to support-bot/issue-templates; would open a merge request into main`);
    expect(output).toContain('  create .gitlab/issue_templates/Contact Request.md');
    expect(output).toContain('    +++ b/.gitlab/issue_templates/Contact Request.md');
    expect(output).toContain('    +## Username');
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('opens one merge request per project, then a rerun names them and writes nothing', async () => {
    expect(await templatesSyncCommand({ dryRun: false })).toBe(0);
    expect(output).toMatch(new RegExp(`${DEMO_PROJECTS.feedback}: committed 1 file\\(s\\) to support-bot/issue-templates; opened merge request !\\d+ `));
    const writes = sandbox.requests.filter((r) => r.method !== 'GET').length;
    output = '';
    expect(await templatesSyncCommand({ dryRun: false })).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(3);
    expect(output).toMatch(new RegExp(`${DEMO_PROJECTS.feedback}: branch support-bot/issue-templates already holds them; merge request !\\d+ `));
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(writes);
  });

  it('--dry-run lists the branch commit and the merge request it would open, each with its reason and the description in full', async () => {
    expect(await templatesSyncCommand({ dryRun: true })).toBe(0);
    const requests = sandbox.store.resolveProject(DEMO_PROJECTS.internalRequests)!;
    expect(output).toContain(
      `  commitFiles project ${requests.id} branch support-bot/issue-templates message="Sync issue templates from support-bot: Contact Request, Name Squatting Request" startBranch="main" files=["create .gitlab/issue_templates/Contact Request.md","create .gitlab/issue_templates/Name Squatting Request.md"]\n    why: [templates-sync] the shipped "Contact Request", "Name Squatting Request" differ from main\n`,
    );
    expect(output).toMatch(
      new RegExp(
        `\\n  createMergeRequest project ${requests.id} sourceBranch="support-bot/issue-templates" targetBranch="main" title="Update the Support issue templates"\\n    why: \\[templates-sync\\] .+\\n    description:\\n      support-bot proposes .+\\n\\n      - add \`.gitlab/issue_templates/Contact Request.md\`\\n`,
      ),
    );
  });

  it('keeps to bot.maxWritesPerRun: over it a project waits for the next run, which goes on from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-budget-'));
    const file = join(dir, 'support-bot.yml');
    const shipped = readFileSync('config/support-bot.yml', 'utf8');
    writeFileSync(file, shipped.replace('  messagesDir: messages\n  maxWritesPerRun: 500\n', `  messagesDir: ${resolve('config/messages')}\n  maxWritesPerRun: 1\n`));
    vi.stubEnv('SUPPORT_BOT_CONFIG', file);
    const writes = () => sandbox.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^\/api\/v4\/projects\/[^/]+/, '')}`);
    expect(await templatesSyncCommand({ dryRun: false }), output).toBe(0);
    expect(writes()).toEqual(['POST /repository/commits']);
    expect(output).toContain(
      `${DEMO_PROJECTS.internalRequests}: skipped over the write budget (bot.maxWritesPerRun; run it again): commit 2 file(s) to support-bot/issue-templates (new, from main)`,
    );
    expect(sandbox.store.mergeRequests).toHaveLength(0);
    expect(await templatesSyncCommand({ dryRun: false }), output).toBe(0);
    expect(writes()).toEqual(['POST /repository/commits', 'POST /merge_requests']);
  });

  it('exits 1 when a project cannot be synced', async () => {
    sandbox.faults.failNext(1, 404, { methods: ['GET'] });
    expect(await templatesSyncCommand({ dryRun: false })).toBe(1);
    expect(output).toMatch(/failed:/);
  });

  it('exits 2 without a token', async () => {
    vi.stubEnv('GITLAB_TOKEN', '');
    expect(await templatesSyncCommand({ dryRun: true })).toBe(2);
    expect(output).toContain('GITLAB_TOKEN');
  });
});
