import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SANDBOX_TOKENS, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';

// Running the CLI as its own process, as a scheduled pipeline does: its memory is its own,
// and its logs go where a user's would (stderr, LOG_LEVEL=info unless a bench says otherwise).

/**
 * The shipped config (`config/support-bot.yml`) with the given edits, written to a temp file.
 * Every edit replaces one line of the shipped file and must match: a bench never silently
 * runs with the shipped value when it meant to change it.
 */
export function benchConfig(edits: Record<string, string> = {}): string {
  let text = readFileSync('config/support-bot.yml', 'utf8').replace(/messagesDir: \S+/, `messagesDir: ${JSON.stringify(resolve('config/messages'))}`);
  for (const [pattern, replacement] of Object.entries(edits)) {
    const re = new RegExp(pattern);
    if (!re.test(text)) throw new Error(`bench config: no line matches /${pattern}/ in config/support-bot.yml`);
    text = text.replace(re, replacement);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'support-bot-bench-')), 'support-bot.yml');
  writeFileSync(path, text);
  return path;
}

/**
 * GitLab.com's per-endpoint limits (note creation 60 a minute, issue creation 200) are the
 * rate-limit bench's subject; the latency and concurrency benches turn them off, so that
 * what they measure is the bot and not a minute's wait for the note limit.
 */
export const NO_ENDPOINT_LIMITS: Pick<SandboxOptions, 'endpointLimits'> = { endpointLimits: { notes_create: null, issues_create: null } };

/**
 * A `benchConfig` edit for benches whose sandbox has the per-endpoint limits off: the bot is
 * told so too (`gitlab.endpointLimits` 0), as an operator configures it for such an instance,
 * so it does not pace itself for limits that are not there.
 */
export const UNPACED: Record<string, string> = { 'gitlab:\\n': 'gitlab:\n  endpointLimits: { notesCreate: 0, issuesCreate: 0 }\n' };

/** The shipped config file itself. */
export const SHIPPED_CONFIG = resolve('config/support-bot.yml');

export interface CliRun {
  code: number | null;
  ms: number;
  maxRssMb: number;
  /** The last line of stdout (a job's summary). */
  summary: string;
  /** Lines of stderr (pino logs), without /usr/bin/time's line. */
  logLines: number;
}

/** `node dist/cli.js <args>` under /usr/bin/time, against the sandbox; rejects after `timeoutMs`. */
export function runCli(sandbox: Sandbox, args: string[], opts: { config?: string; logLevel?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    // A plain record: probot's types (bench/intakeProbot.ts) narrow ProcessEnv's LOG_LEVEL to pino's level names.
    const env: Record<string, string | undefined> = {
      ...process.env,
      GITLAB_URL: sandbox.url,
      GITLAB_TOKEN: SANDBOX_TOKENS.bot,
      LOG_LEVEL: opts.logLevel ?? 'info',
      SUPPORT_BOT_CONFIG: opts.config ?? SHIPPED_CONFIG,
    };
    const child = spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, 'dist/cli.js', ...args], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10 * 60_000);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (signal) return reject(new Error(`support-bot ${args.join(' ')} killed (${signal}) after ${Math.round(ms / 1000)} s`));
      const rss = Number(/maxrss_kb=(\d+)/.exec(err)?.[1] ?? NaN);
      const logLines = err.split('\n').filter((l) => l.startsWith('{')).length;
      resolvePromise({ code, ms, maxRssMb: Math.round(rss / 1024), summary: out.trim().split('\n').at(-1) ?? '', logLines });
    });
  });
}

/** Requests in the sandbox's log, by `METHOD /path-template` (ids and iids folded), most first. */
export function requestsByEndpoint(entries: readonly { method: string; path: string; status: number }[]): string[] {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const template = e.path
      .replace(/^\/api\/v4/, '')
      .replace(/\/projects\/[^/]+/, '/projects/:id')
      .replace(/\/groups\/[^/]+/, '/groups/:id')
      .replace(/\/\d+(?=\/|$)/g, '/:n');
    const key = `${e.method} ${template}${e.status >= 400 ? ` ${e.status}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
}
