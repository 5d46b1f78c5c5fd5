import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';
import { benchConfig, UNPACED } from './process.js';

/** Issue descriptions like a team's: shipped templates, some filled in, some not, some free-form. */
function descriptions(): string[] {
  const texts: string[] = [];
  for (const dir of readdirSync('issue_templates', { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join('issue_templates', dir.name))) {
      const template = readFileSync(join('issue_templates', dir.name, file), 'utf8');
      texts.push(template, template.replace(/<!--(?! template:)[\s\S]*?-->/g, 'Filled in by the requester.'));
    }
  }
  texts.push('A free-form proposal without a template.');
  return texts;
}

function seed(sandbox: Sandbox, count: number): void {
  const store = sandbox.store;
  const projects = ['gitlab-com/support/support-team-meta', 'gitlab-com/support/internal-requests', 'gitlab-com/support/feedback'].map((p) => store.resolveProject(p)!);
  const authors = ['alice', 'bruno', 'chen', 'dana', 'sam-sales'].map((u) => store.findUserByUsername(u)!);
  const texts = descriptions();
  for (let i = 0; i < count; i += 1) {
    store.createIssue(projects[i % projects.length]!.id, {
      title: `Request ${i}`,
      description: texts[i % texts.length],
      authorId: authors[i % authors.length]!.id,
    });
  }
}

interface SweepRun {
  ms: number;
  maxRssMb: number;
  summary: string;
}

/** The default config with the per-run write budget lifted, so a first sweep over every issue is measured whole (the sandbox's note limit is off, and the bot knows). */
function unlimitedConfig(): string {
  return benchConfig({ ...UNPACED, 'maxWritesPerRun: \\d+': 'maxWritesPerRun: 1000000' });
}

const BENCH_CONFIG = unlimitedConfig();

/** `support-bot run sweep` as its own process (so its memory is its own), timed by /usr/bin/time. */
function runSweep(sandbox: Sandbox): Promise<SweepRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, 'dist/cli.js', 'run', 'sweep'], {
      env: { ...process.env, GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, LOG_LEVEL: 'silent', SUPPORT_BOT_CONFIG: BENCH_CONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = Number(/maxrss_kb=(\d+)/.exec(err)?.[1] ?? NaN);
      const summary = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 && code !== 1) reject(new Error(`sweep exited ${code}: ${err}`));
      else resolve({ ms, maxRssMb: Math.round(rss / 1024), summary });
    });
  });
}

export async function benchSweep(sizes = [1_000, 10_000]): Promise<string[]> {
  const lines: string[] = [];
  for (const size of sizes) {
    // Measures the bot, not GitLab.com's 60 notes a minute (which alone would make a first
    // sweep that comments on 1,000 issues take 17 minutes): the note limit is off here.
    const sandbox = await startSandbox({ seed: 'demo', endpointLimits: { notes_create: null, issues_create: null } });
    seed(sandbox, size);
    const first = await runSweep(sandbox);
    const writesAfterFirst = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const second = await runSweep(sandbox);
    const secondWrites = sandbox.requests.filter((r) => r.method !== 'GET').length - writesAfterFirst;
    lines.push(
      line(`sweep ${size} issues, first run`, {
        seconds: (first.ms / 1000).toFixed(1),
        issues_per_s: Math.round(size / (first.ms / 1000)),
        max_rss_mb: first.maxRssMb,
        writes: writesAfterFirst,
      }),
      line(`sweep ${size} issues, second run`, { seconds: (second.ms / 1000).toFixed(1), max_rss_mb: second.maxRssMb, writes: secondWrites }),
      `    ${first.summary}`,
      `    ${second.summary}`,
    );
    await sandbox.close();
  }
  return lines;
}
