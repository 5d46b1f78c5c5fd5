import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exchange } from '../src/gitlab/transport.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { line, percentile } from './measure.js';
import { benchConfig, NO_ENDPOINT_LIMITS, requestsByEndpoint, UNPACED } from './process.js';

/**
 * Event → bot note. Issues are opened through the sandbox's API at a steady rate in a
 * project whose template makes the bot answer (a Contact Request with its required
 * sections left empty); each event is delivered over HTTP, with GitLab's headers, to
 * `support-bot serve` running as its own process with the shipped config and rules,
 * production retry settings and LOG_LEVEL=info (its log goes to a file). Measured from
 * the moment the issue exists in the sandbox to the moment the bot's note does. Nothing
 * may be lost: exactly one bot note per issue.
 *
 * Anchor in the same run: issues opened one at a time (each waits for its note), the
 * latency of the path with no load.
 *
 * GitLab delivers each event from its own background job, many at once: events go out as
 * they happen (`parallel`). The sandbox's project hooks deliver one at a time per hook
 * (`in-order`): `npm run bench -- latency in-order` measures that too.
 */

const PROJECT = 'gitlab-com/support/internal-requests';
const AUTHORS = ['alice', 'bruno', 'chen', 'dana', 'sam-sales'];
const NOTE_MARKER = '<!-- support-bot:template-check';
const WARM_UP = 5;
const SECRET = 'bench-webhook-secret';

export type Delivery = 'in-order' | 'parallel';

interface RateResult {
  label: string;
  issues: number;
  sorted: number[];
  notes: number;
  duplicated: number;
  missing: number;
  logLines: number;
  serveCpuSeconds: number;
  /** This process: the sandbox (GitLab) and the deliveries, for the same window. */
  gitlabCpuSeconds: number;
  /** The bot's API requests while measuring, by endpoint. */
  byEndpoint: string[];
}

/** `support-bot serve` on an ephemeral loopback port; resolves with its webhook URL. */
async function startServe(sandbox: Sandbox, logFile: string): Promise<{ child: ChildProcess; url: string; logFd: number }> {
  const logFd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      pathToFileURL('dist-bench/bench/loopback.js').href,
      'dist/cli.js',
      'serve',
      '--port',
      '0',
    ],
    {
      env: {
        ...process.env,
        GITLAB_URL: sandbox.url,
        GITLAB_TOKEN: SANDBOX_TOKENS.bot,
        GITLAB_WEBHOOK_SECRET: SECRET,
        LOG_LEVEL: 'info',
        SUPPORT_BOT_CONFIG: benchConfig(UNPACED),
      },
      stdio: ['ignore', 'pipe', logFd],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code}; see ${logFile}`)));
  });
  return { child, url, logFd };
}

/** CPU seconds a process has used so far (/proc/<pid>/stat: utime + stime in ticks); NaN off Linux. */
function cpuSeconds(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function stopServe(child: ChildProcess): Promise<void> {
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGTERM');
  await closed;
}

async function openIssues(rate: number | 'serial', count: number, label: string, delivery: Delivery): Promise<RateResult> {
  const logFile = join(mkdtempSync(join(tmpdir(), 'support-bot-bench-latency-')), 'serve.log');
  const sandbox = await startSandbox({ seed: 'demo', ...NO_ENDPOINT_LIMITS });
  const serve = await startServe(sandbox, logFile);
  const { store } = sandbox;
  const project = store.resolveProject(PROJECT)!;
  const description = readFileSync('issue_templates/internal-requests/Contact Request.md', 'utf8');
  const tokens = AUTHORS.map((username, i) => {
    const token = `bench-latency-${i}`;
    store.addToken(token, store.findUserByUsername(username)!.id);
    return token;
  });

  const inFlight = new Set<Promise<unknown>>();
  if (delivery === 'in-order') {
    sandbox.addProjectHook(PROJECT, { url: serve.url, token: SECRET });
  } else {
    sandbox.onWebhook(({ headers, body, projectId }) => {
      if (projectId !== project.id) return;
      const post = exchange(new URL(serve.url), {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'X-Gitlab-Token': SECRET, 'X-Gitlab-Webhook-UUID': randomUUID() },
        body: JSON.stringify(body),
        timeoutMs: 30_000,
      });
      inFlight.add(post);
      void post.finally(() => inFlight.delete(post)).catch(() => undefined);
    });
  }

  // When the issue exists in GitLab, and when the bot's note does (by issue id).
  const opened = new Map<number, number>();
  const noted = new Map<number, number>();
  let measuring = false;
  let allNoted: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allNoted = resolve));
  const createIssue = store.createIssue.bind(store);
  store.createIssue = (projectId, input) => {
    const issue = createIssue(projectId, input);
    opened.set(issue.id, performance.now());
    return issue;
  };
  const createNote = store.createNote.bind(store);
  store.createNote = (issuable, input) => {
    const note = createNote(issuable, input);
    if (input.body.includes(NOTE_MARKER) && !noted.has(issuable.id)) {
      noted.set(issuable.id, performance.now());
      if (measuring && noted.size === count) allNoted();
    }
    return note;
  };

  const open = async (i: number): Promise<void> => {
    const res = await exchange(new URL(`${sandbox.url}/api/v4/projects/${project.id}/issues`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'private-token': tokens[Math.abs(i) % tokens.length]! },
      body: JSON.stringify({ title: `Please contact a user (${label} ${i})`, description }),
      timeoutMs: 30_000,
    });
    if (res.status !== 201) throw new Error(`creating issue ${i}: ${res.status} ${res.text}`);
  };
  const openAndWait = async (i: number): Promise<void> => {
    const before = noted.size;
    await open(i);
    const deadline = performance.now() + 10_000;
    while (noted.size === before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  };
  const quiet = async (): Promise<void> => {
    for (let round = 0; round < 20; round += 1) {
      await sandbox.flushWebhooks();
      await Promise.allSettled([...inFlight]);
      if (inFlight.size === 0) break;
    }
  };

  try {
    // A running server is warm: its first events (GET /user, the project, JIT) are not measured.
    for (let i = 0; i < WARM_UP; i += 1) await openAndWait(-1 - i);
    await quiet();
    opened.clear();
    noted.clear();
    measuring = true;
    const requestsBefore = sandbox.requests.length;
    const cpuBefore = cpuSeconds(serve.child);
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    if (rate === 'serial') {
      for (let i = 0; i < count; i += 1) await openAndWait(i);
    } else {
      // A steady rate: issue i is opened at started + i / rate, whatever the earlier ones are doing.
      const requests: Promise<void>[] = [];
      for (let i = 0; i < count; i += 1) {
        const wait = started + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        requests.push(open(i));
      }
      await Promise.all(requests);
    }
    if (noted.size < count) await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
    // Whatever the bot's own writes cause (their events, a late retry) lands before counting.
    await quiet();
    await new Promise((r) => setTimeout(r, 1_000));
    await quiet();

    const latencies: number[] = [];
    for (const [id, t] of opened) {
      const n = noted.get(id);
      if (n !== undefined) latencies.push(n - t);
    }
    let notes = 0;
    let duplicated = 0;
    for (const issue of store.issues.filter((i) => i.projectId === project.id && opened.has(i.id))) {
      const ours = store.listNotes(issue).filter((n) => n.body.includes(NOTE_MARKER)).length;
      notes += ours;
      if (ours > 1) duplicated += 1;
    }
    const serveCpuSeconds = cpuSeconds(serve.child) - cpuBefore;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const gitlabCpuSeconds = (benchCpu.user + benchCpu.system) / 1e6;
    const botRequests = sandbox.requests.slice(requestsBefore).filter((r) => !/^\/api\/v4\/projects\/\d+\/issues$/.test(r.path) || r.method !== 'POST');
    await stopServe(serve.child);
    const logLines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length;
    return {
      label,
      issues: opened.size,
      sorted: latencies.sort((a, b) => a - b),
      notes,
      duplicated,
      missing: opened.size - latencies.length,
      logLines,
      serveCpuSeconds,
      gitlabCpuSeconds,
      byEndpoint: requestsByEndpoint(botRequests),
    };
  } finally {
    if (serve.child.exitCode === null) await stopServe(serve.child);
    closeSync(serve.logFd);
    await sandbox.close();
  }
}

function format(r: RateResult, target: boolean): string {
  return `${line(`event → note, ${r.label}`, {
    issues: r.issues,
    p50_ms: Math.round(percentile(r.sorted, 50)),
    p95_ms: `${Math.round(percentile(r.sorted, 95))}${target ? ' (target < 1000)' : ''}`,
    max_ms: Math.round(r.sorted.at(-1) ?? NaN),
    notes: `${r.notes}${target ? ` (target ${r.issues})` : ''}`,
    duplicated: r.duplicated,
    missing: r.missing,
    serve_cpu_ms_per_issue: Math.round((r.serveCpuSeconds * 1000) / r.issues),
    serve_log_lines: r.logLines,
    sandbox_cpu_ms_per_issue: Math.round((r.gitlabCpuSeconds * 1000) / r.issues),
  })}\n    bot requests per issue: ${r.byEndpoint.map((e) => e.replace(/^(\d+)/, (n) => (Number(n) / r.issues).toFixed(2))).join(', ')}`;
}

export async function benchLatency(count = 200, rates = [20, 100], serial = 20, deliveries: Delivery[] = ['parallel']): Promise<string[]> {
  const lines: string[] = [];
  for (const delivery of deliveries) {
    lines.push(format(await openIssues('serial', serial, `${delivery}, one at a time (anchor)`, delivery), false));
    for (const rate of rates) lines.push(format(await openIssues(rate, count, `${delivery}, ${rate}/s`, delivery), true));
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const deliveries = process.argv.slice(3).filter((a): a is Delivery => a === 'parallel' || a === 'in-order');
  for (const l of await benchLatency(Number(process.argv[2] ?? 200), undefined, undefined, deliveries.length ? deliveries : undefined)) console.log(l);
}
