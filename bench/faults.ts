import { startStack } from '../src/demo/stack.js';
import { JOBS } from '../src/jobs/index.js';
import { line } from './measure.js';

/**
 * A sweep through a GitLab that fails 10% of requests with 500/502 and rate-limits:
 * how many extra requests the retries cost, and whether the end state is right (a
 * second clean sweep must find nothing to write, and no issue may carry two bot notes).
 */
export async function benchFaults(issues = 300): Promise<string> {
  // The API throttle, not GitLab.com's per-endpoint note limit (see bench/sweep.ts).
  const stack = await startStack({ hooks: false, sandbox: { rateLimit: { limit: 200, windowMs: 1_000 }, endpointLimits: { notes_create: null, issues_create: null } } });
  const store = stack.sandbox.store;
  const project = store.resolveProject('gitlab-com/support/internal-requests')!;
  const author = store.findUserByUsername('bruno')!;
  for (let i = 0; i < issues; i += 1) store.createIssue(project.id, { title: `Request ${i}`, description: 'no template here', authorId: author.id });
  stack.sandbox.faults.setErrorRate(0.1, [500, 502], { seed: 42 });
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const started = performance.now();
  const faulty = await JOBS.sweep(stack.runtime, { out: sink });
  const ms = performance.now() - started;
  const statuses = stack.sandbox.requests.map((r) => r.status);
  stack.sandbox.faults.clear();
  const clean = await JOBS.sweep(stack.runtime, { out: sink });
  let duplicated = 0;
  for (let iid = 1; iid <= issues; iid += 1) {
    const notes = store.listNotes(store.getIssue(project.id, iid)!).filter((n) => n.body.includes('<!-- support-bot:'));
    const keys = notes.map((n) => /support-bot:([a-z0-9-]+)/.exec(n.body)?.[1]);
    if (new Set(keys).size !== keys.length) duplicated += 1;
  }
  await stack.close();
  return [
    line(`sweep ${issues} issues, 10% 5xx + 429s`, {
      seconds: (ms / 1000).toFixed(1),
      requests: statuses.length,
      http_5xx: statuses.filter((s) => s >= 500).length,
      http_429: statuses.filter((s) => s === 429).length,
      duplicated_notes: duplicated,
    }),
    `    faulty run: ${faulty.summary}`,
    `    clean rerun: ${clean.summary}`,
  ].join('\n');
}
