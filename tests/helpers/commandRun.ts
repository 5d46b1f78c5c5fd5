import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

export interface CommandRun {
  sandbox: Sandbox;
  /** Everything the command printed on stdout and stderr since the test (or the last reset) began. */
  output: string;
}

/**
 * A command run in-process against a fresh demo sandbox for each test: the environment
 * points at it with the bot's token and the shipped config, stdout and stderr are captured.
 */
export function commandAgainstSandbox(): CommandRun {
  const run = { output: '' } as CommandRun;
  beforeEach(async () => {
    run.sandbox = await startSandbox({ seed: 'demo' });
    run.output = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((run.output += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((run.output += String(chunk)), true));
    vi.stubEnv('GITLAB_URL', run.sandbox.url);
    vi.stubEnv('GITLAB_TOKEN', SANDBOX_TOKENS.bot);
    vi.stubEnv('SUPPORT_BOT_CONFIG', 'config/support-bot.yml');
    vi.stubEnv('LOG_LEVEL', 'silent');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await run.sandbox.close();
  });
  return run;
}

/** The shipped config with `bot.maxWritesPerRun` set to `maxWrites`, in a file of its own; its path. */
export function shippedConfigWithBudget(maxWrites: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'support-bot-budget-')), 'support-bot.yml');
  const shipped = readFileSync('config/support-bot.yml', 'utf8');
  const budgeted = shipped.replace('  maxWritesPerRun: 500\n', `  maxWritesPerRun: ${maxWrites}\n`);
  if (budgeted === shipped) throw new Error('config/support-bot.yml no longer sets bot.maxWritesPerRun as this helper expects');
  writeFileSync(file, budgeted);
  return file;
}
