import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStack, STACK_WEBHOOK_SECRET } from '../src/demo/stack.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_TOKENS } from '../src/sandbox/index.js';
import { processTrigger } from '../src/demo/triggerRunner.js';
import { line, percentile } from './measure.js';

/**
 * One webhook handled two ways, against the same in-process sandbox and the shipped
 * rules: `serve` (already running and warm; delivery POST → Bot.handleEvent done) and
 * a pipeline trigger's job script (`node dist/cli.js handle-event` spawned → exit).
 * What GitLab adds on top of the trigger path (creating the pipeline, a runner picking
 * the job up, pulling the image, `npm ci`) is not in the sandbox and not measured here.
 */

const PROJECT = 'gitlab-com/support/internal-requests';

function issueOpenBody(sandbox: Sandbox, iid: number, username: string): Record<string, unknown> {
  const project = sandbox.store.resolveProject(PROJECT)!;
  const issue = sandbox.store.getIssue(project.id, iid)!;
  const user = sandbox.store.findUserByUsername(username)!;
  return {
    object_kind: 'issue',
    event_type: 'issue',
    user: { id: user.id, username: user.username, name: user.name },
    project: { id: project.id, path_with_namespace: PROJECT, web_url: `${sandbox.url}/${PROJECT}` },
    object_attributes: {
      id: issue.id,
      iid,
      title: issue.title,
      description: issue.description,
      state: 'opened',
      action: 'open',
      created_at: '2026-11-16 09:00:00 UTC',
      updated_at: '2026-11-16 09:00:00 UTC',
    },
    labels: [],
  };
}

function summarise(times: number[]): Record<string, number> {
  const sorted = [...times].sort((a, b) => a - b);
  return { median_ms: Math.round(percentile(sorted, 50)), p90_ms: Math.round(percentile(sorted, 90)), max_ms: Math.round(sorted.at(-1)!) };
}

export async function benchTrigger(runs = 20): Promise<string[]> {
  const done = new Map<number, () => void>();
  const stack = await startStack({
    hooks: false,
    onProcessed: (event) => done.get(event.iid)?.(),
  });
  const { sandbox } = stack;
  const project = sandbox.store.resolveProject(PROJECT)!;
  const bruno = sandbox.store.findUserByUsername('bruno')!;
  const newIssue = (i: number) => sandbox.store.createIssue(project.id, { title: `Latency ${i}`, description: 'Could someone look at this account?', authorId: bruno.id }).iid;
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-bench-trigger-'));
  const trigger = processTrigger({ env: { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, LOG_LEVEL: 'silent', SUPPORT_BOT_CONFIG: undefined } });
  const triggerNamed = processTrigger({
    env: { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, LOG_LEVEL: 'silent', SUPPORT_BOT_CONFIG: undefined, SUPPORT_BOT_USERNAME: 'support-bot' },
  });

  const server: number[] = [];
  const spawned: number[] = [];
  const ownEvent: number[] = [];
  let writesPerIssue = 0;
  let ownEventCalls = 0;
  try {
    for (let i = 0; i < runs; i += 1) {
      const viaServer = newIssue(i);
      const handled = new Promise<void>((resolve) => done.set(viaServer, resolve));
      const started = performance.now();
      await fetch(stack.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Issue Hook', 'x-gitlab-token': STACK_WEBHOOK_SECRET },
        body: JSON.stringify(issueOpenBody(sandbox, viaServer, 'bruno')),
      });
      await handled;
      server.push(performance.now() - started);

      const viaTrigger = newIssue(i);
      const file = join(dir, `open-${i}.json`);
      writeFileSync(file, JSON.stringify(issueOpenBody(sandbox, viaTrigger, 'bruno')));
      const writesBefore = sandbox.requests.filter((r) => r.method !== 'GET').length;
      const t0 = performance.now();
      const result = await trigger(file);
      spawned.push(performance.now() - t0);
      if (result.code !== 0) throw new Error(`handle-event exited ${result.code}: ${result.output}`);
      writesPerIssue = sandbox.requests.filter((r) => r.method !== 'GET').length - writesBefore;

      const own = join(dir, `own-${i}.json`);
      writeFileSync(own, JSON.stringify(issueOpenBody(sandbox, viaTrigger, 'support-bot')));
      const callsBefore = sandbox.requests.length;
      const t1 = performance.now();
      const ignored = await triggerNamed(own);
      ownEvent.push(performance.now() - t1);
      ownEventCalls += sandbox.requests.length - callsBefore;
      if (ignored.code !== 0) throw new Error(`handle-event exited ${ignored.code}: ${ignored.output}`);
    }
  } finally {
    await stack.close();
  }
  return [
    line('issue.open via serve (warm)', { runs, ...summarise(server), writes: writesPerIssue }),
    line('issue.open via handle-event process', { runs, ...summarise(spawned), writes: writesPerIssue }),
    line("bot's own event via handle-event", { runs, ...summarise(ownEvent), api_calls: ownEventCalls }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchTrigger()) console.log(l);
}
