import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';
import { requestsByEndpoint, runCli } from './process.js';

/**
 * A scheduled sweep where there is nothing to do: N open issues that already carry every
 * label the rules want and need no note. Measured: GitLab requests per 1,000 issues
 * (target ≤ 10.5), writes (target 0) and the peak RSS of `support-bot run sweep` as its
 * own process (target ≤ 150 MB), with the shipped config and LOG_LEVEL=info. Anchors in
 * the same run: the floor of one list request per 100 issues, and the peak RSS of
 * `support-bot --help` (Node plus the CLI, doing nothing).
 */

const PROJECTS = ['gitlab-com/support/internal-requests', 'gitlab-com/support/feedback', 'gitlab-com/support/support-team-meta'];
const AUTHORS = ['alice', 'bruno', 'chen', 'dana', 'sam-sales'];

/** Each shipped template of a project filled in, plus a free-form issue where templates are optional. */
function filledDescriptions(project: string): string[] {
  const dir = join('issue_templates', project.split('/').at(-1)!);
  const texts = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8').replace(/<!--(?! template:)[\s\S]*?-->/g, 'Filled in by the requester.'));
  if (project.endsWith('support-team-meta')) texts.push('A free-form process proposal: rotate the on-call handover to Mondays.');
  return texts;
}

/**
 * The settled state of each kind of issue, as the bot itself leaves it: one prototype per
 * description is swept in-process until the bot has nothing left to do, and the N issues
 * copy the prototypes' labels. The measured run then proves they are compliant (0 writes).
 */
export async function settledPrototypes(): Promise<{ project: string; description: string; labels: string[] }[]> {
  const { startStack } = await import('../src/demo/stack.js');
  const { JOBS } = await import('../src/jobs/index.js');
  const stack = await startStack({ hooks: false });
  const store = stack.sandbox.store;
  const author = store.findUserByUsername('bruno')!;
  const made = PROJECTS.flatMap((path) => filledDescriptions(path).map((description) => ({ path, issue: store.createIssue(store.resolveProject(path)!.id, { title: 'Prototype', description, authorId: author.id }) })));
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  await JOBS.sweep(stack.runtime, { out: sink });
  const writesBefore = stack.runtime.gateway.stats.writes();
  await JOBS.sweep(stack.runtime, { out: sink });
  if (stack.runtime.gateway.stats.writes() !== writesBefore) throw new Error('sweep-compliant: the prototypes did not settle in one sweep');
  const prototypes = made.map(({ path, issue }) => {
    if (store.listNotes(issue).some((n) => n.body.includes('<!-- support-bot:'))) throw new Error(`sweep-compliant: a prototype in ${path} got a bot note, so it is not compliant`);
    return { project: path, description: issue.description, labels: [...issue.labels] };
  });
  await stack.close();
  return prototypes;
}

async function seedCompliant(count: number): Promise<Sandbox> {
  const prototypes = await settledPrototypes();
  const sandbox = await startSandbox({ seed: 'demo' });
  const store = sandbox.store;
  const authors = AUTHORS.map((u) => store.findUserByUsername(u)!);
  for (let i = 0; i < count; i += 1) {
    const p = prototypes[i % prototypes.length]!;
    store.createIssue(store.resolveProject(p.project)!.id, { title: `Request ${i}`, description: p.description, labels: p.labels, authorId: authors[i % authors.length]!.id });
  }
  return sandbox;
}

interface CompliantRun {
  count: number;
  requests: number;
  writes: number;
  maxRssMb: number;
  idleRssMb: number;
  seconds: number;
  summary: string;
  logLines: number;
  byEndpoint: string[];
}

async function sweepCompliant(count: number): Promise<CompliantRun> {
  const sandbox = await seedCompliant(count);
  try {
    // Anchor: the same CLI doing nothing.
    const idle = await runCli(sandbox, ['--help']);
    sandbox.requests.length = 0;
    const run = await runCli(sandbox, ['run', 'sweep']);
    if (run.code !== 0) throw new Error(`sweep exited ${run.code}: ${run.summary}`);
    return {
      count,
      requests: sandbox.requests.length,
      writes: sandbox.requests.filter((r) => r.method !== 'GET').length,
      maxRssMb: run.maxRssMb,
      idleRssMb: idle.maxRssMb,
      seconds: run.ms / 1000,
      summary: run.summary,
      logLines: run.logLines,
      byEndpoint: requestsByEndpoint(sandbox.requests),
    };
  } finally {
    await sandbox.close();
  }
}

/** The main size, and a smaller one in the same run: their difference separates the cost per issue from the cost per run. */
export async function benchSweepCompliant(count = 10_000, anchor = 1_000): Promise<string[]> {
  const small = await sweepCompliant(anchor);
  const big = await sweepCompliant(count);
  const perIssue = (big.requests - small.requests) / (big.count - small.count);
  const fixed = big.requests - perIssue * big.count;
  const lines: string[] = [];
  for (const run of [small, big]) {
    lines.push(
      line(`sweep ${run.count} compliant issues`, {
        requests_per_1000: `${((run.requests / run.count) * 1000).toFixed(2)}${run === big ? ' (target ≤ 10.5)' : ''}`,
        requests: run.requests,
        writes: `${run.writes}${run === big ? ' (target 0)' : ''}`,
        max_rss_mb: `${run.maxRssMb}${run === big ? ' (target ≤ 150)' : ''}`,
        seconds: run.seconds.toFixed(1),
      }),
      `    ${run.summary}; ${run.logLines} log lines at info`,
      `    requests by endpoint: ${run.byEndpoint.join(', ')}`,
    );
  }
  lines.push(
    line('  per issue vs per run', {
      per_1000_issues: `${(perIssue * 1000).toFixed(2)} (floor: one list page per 100 issues = 10.0)`,
      per_run: Math.round(fixed),
      idle_cli_rss_mb: `${big.idleRssMb} (\`support-bot --help\`)`,
    }),
  );
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchSweepCompliant(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 1_000))) console.log(l);
}
