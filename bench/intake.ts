import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { SANDBOX_TOKENS, startSandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';

/**
 * Webhook intake, side by side in the same run: `support-bot serve` and Probot 14's
 * webhook middleware with a no-op handler (`bench/intakeProbot.ts`), each as its own
 * process pinned to the same core (`taskset -c 1`), production logging (LOG_LEVEL=info),
 * autocannon with 100 connections and the same ~5 KB body. Rounds alternate between the
 * two so both see the same machine load. support-bot's deliveries are Issue Hooks for a
 * project it does not watch, so what is measured is verify → read → parse → validate →
 * 202 → queue → "ignored", not GitLab. Besides requests/s and latency, each server's CPU
 * time per 1,000 requests (from /proc) is printed: on a machine shared with other work the
 * wall-clock figures move with the load, the CPU cost per request much less.
 */

const SECRET = 'bench';
const PINNED = existsSync('/usr/bin/taskset');

const payload = {
  object_kind: 'issue',
  event_type: 'issue',
  user: { id: 1, username: 'someone', name: 'Someone' },
  project: { id: 999, path_with_namespace: 'elsewhere/unwatched', web_url: 'http://x' },
  object_attributes: {
    id: 1,
    iid: 1,
    title: 'Load',
    description: 'x'.repeat(4800),
    state: 'opened',
    action: 'open',
    created_at: '2026-11-16 09:00:00 UTC',
    updated_at: '2026-11-16 09:00:00 UTC',
  },
  labels: [],
};
const BODY = JSON.stringify(payload);

interface Target {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  headers: Record<string, string>;
}

/** CPU seconds (user + system) a process has used, from /proc: a cost per request that other load on the machine does not inflate. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(target: Target): Promise<{ url: string; cpu: () => number; stop: () => Promise<void> }> {
  const [command, args] = PINNED ? ['/usr/bin/taskset', ['-c', '1', process.execPath, ...target.args]] : [process.execPath, target.args];
  // Logs go to /dev/null through a pipe-free fd: written (the cost is real), not kept.
  const child = spawn(command, args, { env: { ...process.env, ...target.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/);
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`${target.name} exited ${code}: ${out}`)));
  });
  return {
    url,
    cpu: () => cpuSeconds(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

async function load(url: string, headers: Record<string, string>, seconds: number, connections: number, cpu: () => number = () => NaN) {
  const cpuBefore = cpu();
  const result = await autocannon({ url, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json', ...headers }, body: BODY });
  const cpuMsPer1k = ((cpu() - cpuBefore) * 1000 * 1000) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, cpuMsPer1k };
}

export async function benchIntake(seconds = 5, connections = 100, rounds = 2): Promise<string[]> {
  const sandbox = await startSandbox({ seed: 'empty' });
  const signature = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
  const targets: Target[] = [
    {
      name: 'support-bot serve',
      args: ['dist/cli.js', 'serve', '--port', '0'],
      env: { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, GITLAB_WEBHOOK_SECRET: SECRET },
      headers: { 'x-gitlab-event': 'Issue Hook', 'x-gitlab-token': SECRET },
    },
    {
      name: 'probot 14 middleware',
      args: ['dist-bench/bench/intakeProbot.js'],
      env: { WEBHOOK_SECRET: SECRET },
      headers: { 'x-github-event': 'issues', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': signature },
    },
  ];
  const results = new Map<string, Awaited<ReturnType<typeof load>>[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const server = await start(target);
      // A short warm-up so both are measured with compiled code.
      await load(server.url, target.headers, 1, connections);
      results.get(target.name)!.push(await load(server.url, target.headers, seconds, connections, server.cpu));
      await server.stop();
    }
  }
  await sandbox.close();

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = targets.map((t) => {
    const runs = results.get(t.name)!;
    return {
      name: t.name,
      cpuMsPer1k: mean(runs.map((r) => r.cpuMsPer1k)),
      rps: mean(runs.map((r) => r.rps)),
      p50: mean(runs.map((r) => r.p50)),
      p99: mean(runs.map((r) => r.p99)),
      non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
      errors: runs.reduce((a, r) => a + r.errors, 0),
      runs,
    };
  });
  const [bot, probot] = summary as [(typeof summary)[number], (typeof summary)[number]];
  const lines = summary.map((s) =>
    line(`intake: ${s.name}`, {
      server_core: PINNED ? 'pinned' : 'shared',
      log: 'info',
      connections,
      rounds: `${rounds}x${seconds}s`,
      req_per_s: Math.round(s.rps),
      p50_ms: s.p50.toFixed(1),
      p99_ms: s.p99.toFixed(1),
      per_round_req_per_s: s.runs.map((r) => Math.round(r.rps)).join('/'),
      cpu_ms_per_1k_req: s.cpuMsPer1k.toFixed(0),
      non_2xx: s.non2xx,
      errors: s.errors,
    }),
  );
  const ratio = bot.rps / probot.rps;
  // Requests per CPU-second of the server process: the same comparison, unaffected by other work on the machine.
  const cpuRatio = probot.cpuMsPer1k / bot.cpuMsPer1k;
  lines.push(
    line('intake: support-bot vs probot', {
      ratio: `${ratio.toFixed(2)}x`,
      cpu_ratio: `${cpuRatio.toFixed(2)}x`,
      target_ratio: '>=1.0x',
      ratio_met: ratio >= 1 ? 'yes' : 'NO',
      p99_ms: bot.p99.toFixed(1),
      target_p99_ms: '<25',
      p99_met: bot.p99 < 25 ? 'yes' : 'NO',
    }),
  );
  return lines;
}
