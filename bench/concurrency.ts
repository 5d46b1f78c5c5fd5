import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';
import { benchConfig, NO_ENDPOINT_LIMITS, requestsByEndpoint, runCli, UNPACED } from './process.js';

/**
 * A first sweep over N issues that all need a change, with 100 ms of GitLab latency per
 * request: `gitlab.concurrency` at its shipped default (4) against 1 (one issue at a time),
 * in the same run, on identical sandboxes. `support-bot run sweep` runs as its own process
 * with LOG_LEVEL=info and the shipped config, except `bot.maxWritesPerRun`, lifted so that
 * every change is made (the shipped 500 would stop both runs half-way). Target: ≥ 3× faster.
 *
 * The issues: every shipped template filled in but not labelled yet (one PUT each), and
 * one in ten with its required sections empty (labels and a note: PUT, GET notes, POST,
 * GET notes), spread over the three issue projects.
 */

const PROJECTS = ['gitlab-com/support/internal-requests', 'gitlab-com/support/feedback', 'gitlab-com/support/support-team-meta'];
const LATENCY_MS = 100;

function templates(project: string): { filled: string; empty: string }[] {
  const dir = join('issue_templates', project.split('/').at(-1)!);
  return readdirSync(dir).map((file) => {
    const empty = readFileSync(join(dir, file), 'utf8');
    return { empty, filled: empty.replace(/<!--(?! template:)[\s\S]*?-->/g, 'Filled in by the requester.') };
  });
}

async function seeded(count: number): Promise<Sandbox> {
  const sandbox = await startSandbox({ seed: 'demo', latencyMs: LATENCY_MS, ...NO_ENDPOINT_LIMITS });
  const store = sandbox.store;
  const author = store.findUserByUsername('bruno')!;
  const byProject = PROJECTS.map((path) => ({ id: store.resolveProject(path)!.id, templates: templates(path) }));
  for (let i = 0; i < count; i += 1) {
    const project = byProject[i % byProject.length]!;
    const template = project.templates[Math.floor(i / byProject.length) % project.templates.length]!;
    store.createIssue(project.id, { title: `Request ${i}`, description: i % 10 === 9 ? template.empty : template.filled, authorId: author.id });
  }
  return sandbox;
}

interface SweepResult {
  seconds: number;
  summary: string;
  requests: number;
  writes: number;
  byEndpoint: string[];
}

async function sweep(count: number, concurrency: number): Promise<SweepResult> {
  const sandbox = await seeded(count);
  try {
    const config = benchConfig({ ...UNPACED, 'maxWritesPerRun: \\d+': 'maxWritesPerRun: 1000000', 'concurrency: 4\\n': `concurrency: ${concurrency}\n` });
    const run = await runCli(sandbox, ['run', 'sweep'], { config, timeoutMs: 15 * 60_000 });
    if (run.code !== 0) throw new Error(`sweep (concurrency ${concurrency}) exited ${run.code}: ${run.summary}`);
    return {
      seconds: run.ms / 1000,
      summary: run.summary,
      requests: sandbox.requests.length,
      writes: sandbox.requests.filter((r) => r.method !== 'GET').length,
      byEndpoint: requestsByEndpoint(sandbox.requests),
    };
  } finally {
    await sandbox.close();
  }
}

export async function benchConcurrency(count = 1_000): Promise<string[]> {
  const one = await sweep(count, 1);
  const four = await sweep(count, 4);
  const figures = (r: SweepResult) => ({ seconds: r.seconds.toFixed(1), requests: r.requests, writes: r.writes });
  return [
    line(`first sweep ${count} issues, concurrency 1`, figures(one)),
    `    ${one.summary}`,
    line(`first sweep ${count} issues, concurrency 4`, figures(four)),
    `    ${four.summary}`,
    `    requests by endpoint (concurrency 4): ${four.byEndpoint.join(', ')}`,
    line(`  ${LATENCY_MS} ms latency per request`, { speed_up: `${(one.seconds / four.seconds).toFixed(2)}× (target ≥ 3×)` }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchConcurrency(Number(process.argv[2] ?? 1_000))) console.log(l);
}
