import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';
import { benchConfig, NO_ENDPOINT_LIMITS, requestsByEndpoint, runCli, UNPACED } from './process.js';
import { settledPrototypes } from './sweepCompliant.js';

/**
 * A sweep under GitLab.com's limits: the authenticated API throttle at 20 requests/s and
 * note creation at 60 per minute (GitLab.com's per-endpoint limit). N issues, of which
 * one in ten needs a note (a template with its required sections empty: labels and a note)
 * and the rest are compliant. `support-bot run sweep` runs as its own process with the
 * shipped config (its 500-write budget covers the 2 writes of each of 200 issues) and
 * LOG_LEVEL=info. Targets: every change made, 429s under 5% of requests, no duplicate note;
 * a second sweep right after proves the end state (0 writes).
 *
 * Anchor in the same run: the same sweep on the same issues without any limit.
 *
 * Note creation at 60/min makes 200 notes take over three minutes. `scale` shortens the
 * note window (60 per 60 s / scale) to try the bench quickly; the recorded figure uses 1.
 */

export const PROJECTS_NEEDING_NOTES = [
  { project: 'gitlab-com/support/internal-requests', template: 'issue_templates/internal-requests/Contact Request.md' },
  { project: 'gitlab-com/support/internal-requests', template: 'issue_templates/internal-requests/Name Squatting Request.md' },
  { project: 'gitlab-com/support/feedback', template: 'issue_templates/feedback/Indirect Feedback.md' },
];
const API_LIMIT = { limit: 20, windowMs: 1_000 };
const NOTES_PER_WINDOW = 60;

async function seeded(count: number, limited: boolean, scale: number): Promise<Sandbox> {
  const noteWindowMs = 60_000 / scale;
  const endpointLimits = limited ? { endpointLimits: { notes_create: { limit: NOTES_PER_WINDOW, windowMs: noteWindowMs } } } : NO_ENDPOINT_LIMITS;
  const sandbox = await startSandbox({ seed: 'demo', rateLimit: limited ? API_LIMIT : null, ...endpointLimits });
  const store = sandbox.store;
  const author = store.findUserByUsername('bruno')!;
  const prototypes = await settledPrototypes();
  for (let i = 0; i < count; i += 1) {
    if (i % 10 === 9) {
      const { project, template } = PROJECTS_NEEDING_NOTES[Math.floor(i / 10) % PROJECTS_NEEDING_NOTES.length]!;
      store.createIssue(store.resolveProject(project)!.id, { title: `Request ${i}`, description: readFileSync(template, 'utf8'), authorId: author.id });
    } else {
      const p = prototypes[i % prototypes.length]!;
      store.createIssue(store.resolveProject(p.project)!.id, { title: `Request ${i}`, description: p.description, labels: p.labels, authorId: author.id });
    }
  }
  return sandbox;
}

interface LimitedRun {
  seconds: number;
  requests: number;
  http429: number;
  notes429: number;
  summary: string;
  rerunWrites: number;
  rerunSummary: string;
  notes: number;
  duplicated: number;
  withoutNote: number;
  byEndpoint: string[];
}

async function sweepUnder(count: number, limited: boolean, scale: number): Promise<LimitedRun> {
  const sandbox = await seeded(count, limited, scale);
  try {
    // Limited: the shipped config, which paces notes at GitLab.com's 60 a minute (a shortened window only makes GitLab's side looser).
    const config = benchConfig(limited ? {} : UNPACED);
    const run = await runCli(sandbox, ['run', 'sweep'], { config, timeoutMs: 12 * 60_000 });
    if (run.code !== 0) throw new Error(`sweep exited ${run.code}: ${run.summary}`);
    const log = [...sandbox.requests];
    const rerun = await runCli(sandbox, ['run', 'sweep'], { config, timeoutMs: 5 * 60_000 });
    const rerunWrites = sandbox.requests.slice(log.length).filter((r) => r.method !== 'GET' && r.status < 400).length;
    let notes = 0;
    let duplicated = 0;
    let withoutNote = 0;
    const store = sandbox.store;
    for (const issue of store.issues) {
      const ours = store.listNotes(issue).filter((n) => n.body.includes('<!-- support-bot:template-check')).length;
      notes += ours;
      if (ours > 1) duplicated += 1;
      if (ours === 0 && issue.labels.includes('triage::needs-info')) withoutNote += 1;
    }
    return {
      seconds: run.ms / 1000,
      requests: log.length,
      http429: log.filter((r) => r.status === 429).length,
      notes429: log.filter((r) => r.status === 429 && r.method === 'POST' && r.path.endsWith('/notes')).length,
      summary: run.summary,
      rerunWrites,
      rerunSummary: rerun.summary,
      notes,
      duplicated,
      withoutNote,
      byEndpoint: requestsByEndpoint(log),
    };
  } finally {
    await sandbox.close();
  }
}

export async function benchRateLimit(count = 2_000, scale = 1): Promise<string[]> {
  const free = await sweepUnder(count, false, scale);
  const limited = await sweepUnder(count, true, scale);
  const needing = Math.floor(count / 10);
  const noteLimit = `${NOTES_PER_WINDOW}/${60 / scale} s`;
  return [
    line(`sweep ${count} issues, no limits (anchor)`, { seconds: free.seconds.toFixed(1), requests: free.requests, notes: free.notes }),
    line(`sweep ${count} issues, 20 req/s + notes ${NOTES_PER_WINDOW}/${60 / scale} s`, {
      seconds: limited.seconds.toFixed(1),
      requests: limited.requests,
      http_429: `${limited.http429} = ${((limited.http429 / limited.requests) * 100).toFixed(1)}% (target < 5%; ${limited.notes429} on note POSTs, from the throttle or the note limit)`,
      notes: `${limited.notes} (target ${needing})`,
      duplicated: `${limited.duplicated} (target 0)`,
      needs_info_without_note: limited.withoutNote,
      rerun_writes: `${limited.rerunWrites} (target 0)`,
    }),
    `    note limit: ${noteLimit}; API limit ${API_LIMIT.limit}/${API_LIMIT.windowMs / 1000} s`,
    `    ${limited.summary}`,
    `    rerun: ${limited.rerunSummary}`,
    `    requests by endpoint: ${limited.byEndpoint.join(', ')}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchRateLimit(Number(process.argv[2] ?? 2_000), Number(process.argv[3] ?? 1))) console.log(l);
}
