import { resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What ships, as a file to run with node: the tsc build or the single-file bundle (tests/support/freshBuild.ts keeps both current). */
export const SHIPPED_CLI = { dist: resolve('dist/cli.js'), bundle: resolve('bundle/support-bot.mjs') } as const;

/** Which build to run, and from where (default: dist/cli.js from the checkout). */
export interface CliWhere {
  cli?: string;
  cwd?: string;
}

/** Environment for a CLI run: the machine's, minus anything GitLab-related, plus the overrides. */
export function cliEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const key of ['GITLAB_URL', 'GITLAB_TOKEN', 'GITLAB_WEBHOOK_SECRET', 'SUPPORT_BOT_CONFIG', 'PORT', 'TRIGGER_PAYLOAD']) delete env[key];
  return { ...env, ...overrides };
}

/** Runs the built CLI as a real process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000, where: CliWhere = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [where.cli ?? SHIPPED_CLI.dist, ...args], { env: cliEnv(env), cwd: where.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI command and resolves once a line of its stdout matches. */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
  where: CliWhere = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [where.cli ?? SHIPPED_CLI.dist, ...args], { env: cliEnv(env), cwd: where.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = stdout.match(ready);
      if (match) resolve({ child, match, output: () => stdout + stderr });
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${stdout}${stderr}`)));
  });
}
