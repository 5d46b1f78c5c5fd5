import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { INTERNAL_REQUESTS, openRequest, setBotAdmin, writesOf } from '../dormant/helpers.js';

// `support-bot run dormant` as the scheduled pipeline runs it: a real process against a GitLab.

let sandbox: Sandbox;
let iid: number;
let allowRenameConfig: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  setBotAdmin(sandbox, true);
  iid = openRequest(sandbox, 'https://gitlab.com/coolname');
  const dir = mkdtempSync(join(tmpdir(), 'dormant-cli-'));
  allowRenameConfig = join(dir, 'support-bot.yml');
  const yaml = readFileSync('config/support-bot.yml', 'utf8').replace('allowRename: false', 'allowRename: true');
  writeFileSync(allowRenameConfig, yaml);
});
afterAll(() => sandbox.close());

const issue = () => sandbox.store.getIssue(sandbox.store.resolveProject(INTERNAL_REQUESTS)!.id, iid)!;

describe('support-bot run dormant', () => {
  it('a dry run with --apply-rename prints the rename with its reasons and writes nothing', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, SUPPORT_BOT_CONFIG: allowRenameConfig };
    const dry = await runCli(['run', 'dormant', '--dry-run', '--apply-rename'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('eligible namespaces will be released (dry run: planned only)');
    expect(dry.stdout).toMatch(/#\d+ \[dormant-namespace\] would write: rename user @coolname to @idlecoolname \(all four criteria hold; released with --apply-rename/);
    expect(dry.stdout).toMatch(/would write: issue #\d+: add ~"dormant::eligible".*close/);
    expect(dry.stdout.trim().split('\n').at(-1)).toMatch(
      /^dormant: \d+ projects, 1 issues seen, .*writes planned \(dry run\).*; requests: 1 eligible, 0 pending contact, 0 needs an administrator, 0 not eligible, 0 user not found$/,
    );
    expect(writesOf(sandbox)).toEqual([]);
  });

  it('without --apply-rename it labels and reports, renames nothing, then has nothing left to do', async () => {
    const env = { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, SUPPORT_BOT_CONFIG: allowRenameConfig };
    const real = await runCli(['run', 'dormant'], env);
    expect(real.code, real.stderr).toBe(0);
    expect(issue().labels).toContain('dormant::eligible');
    expect(issue().state).toBe('opened');
    expect(sandbox.store.findUserByUsername('coolname')).toBeDefined();
    const written = writesOf(sandbox).length;
    const again = await runCli(['run', 'dormant'], env);
    expect(again.stdout.trim().split('\n').at(-1)).toMatch(/^dormant: .*, 0 changed, 0 writes,/);
    expect(writesOf(sandbox).length).toBe(written);
  });

  it('--apply-rename belongs to the dormant job only', async () => {
    const result = await runCli(['run', 'sweep', '--apply-rename'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--apply-rename is for the dormant job only');
  });
});
