import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SANDBOX_TOKENS, startSandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';

/**
 * Webhook intake: `support-bot serve` as its own process, autocannon POSTing ~5 KB
 * Issue Hook deliveries for a project the bot does not watch, so what is measured is
 * verify → read → parse → validate → 202 → queue, not GitLab.
 */
export async function benchIntake(seconds = 10, connections = 100): Promise<string> {
  const sandbox = await startSandbox({ seed: 'empty' });
  // Like DESIGN.md's Probot figures: the server pinned to one core (the load generator gets the other).
  const pinned = existsSync('/usr/bin/taskset');
  const command = pinned ? ['/usr/bin/taskset', ['-c', '1', process.execPath, 'dist/cli.js', 'serve', '--port', '0']] as const : [process.execPath, ['dist/cli.js', 'serve', '--port', '0']] as const;
  const child = spawn(command[0], [...command[1]], {
    env: { ...process.env, GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, GITLAB_WEBHOOK_SECRET: 'bench', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/);
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const payload = {
    object_kind: 'issue',
    event_type: 'issue',
    user: { id: 1, username: 'someone', name: 'Someone' },
    project: { id: 999, path_with_namespace: 'elsewhere/unwatched', web_url: 'http://x' },
    object_attributes: { id: 1, iid: 1, title: 'Load', description: 'x'.repeat(4800), state: 'opened', action: 'open', created_at: '2026-11-16 09:00:00 UTC', updated_at: '2026-11-16 09:00:00 UTC' },
    labels: [],
  };
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', 'x-gitlab-token': 'bench' },
    body: JSON.stringify(payload),
  });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  await sandbox.close();
  return line('webhook intake (serve, 5 KB body)', {
    server_core: pinned ? 'pinned' : 'shared',
    connections,
    seconds,
    req_per_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  });
}
