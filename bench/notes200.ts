import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../src/sandbox/index.js';
import { line } from './measure.js';
import { benchConfig, requestsByEndpoint, runCli, UNPACED } from './process.js';
import { PROJECTS_NEEDING_NOTES } from './rateLimit.js';

/**
 * Issue 21, case 10: 200 note writes under GitLab.com's note limit, 60 a minute per user,
 * whose 429 carries no Retry-After and no RateLimit-* header (lib/api/helpers/rate_limiter.rb).
 * The sandbox keeps GitLab.com's values (its default); `support-bot run sweep` runs as its own
 * process with the shipped config (paced at 60 notes a minute) and the write budget lifted,
 * over 200 issues that each need one note (a template with its required sections empty).
 * Targets: every note written, 0 duplicates, 429s under 5% of requests; a rerun writes nothing.
 * About 3½ minutes: GitLab allows 60 notes a minute, so 200 cannot take less than 3.
 */

const NOTES = 200;
const NOTE_MARKER = '<!-- support-bot:template-check';

/** `paced`: the shipped config (60 notes a minute); otherwise `notesCreate: 0`, the bot before it paced itself (issue 21's "before"). */
async function notesUnderLimit(count: number, paced: boolean): Promise<string[]> {
  const sandbox = await startSandbox({ seed: 'demo' });
  try {
    const store = sandbox.store;
    const author = store.findUserByUsername('bruno')!;
    for (let i = 0; i < count; i += 1) {
      const { project, template } = PROJECTS_NEEDING_NOTES[i % PROJECTS_NEEDING_NOTES.length]!;
      store.createIssue(store.resolveProject(project)!.id, { title: `Request ${i}`, description: readFileSync(template, 'utf8'), authorId: author.id });
    }
    const config = benchConfig({ 'maxWritesPerRun: \\d+': 'maxWritesPerRun: 1000000', ...(paced ? {} : UNPACED) });
    const run = await runCli(sandbox, ['run', 'sweep'], { config, timeoutMs: 15 * 60_000 });
    const log = [...sandbox.requests];
    const rerun = await runCli(sandbox, ['run', 'sweep'], { config, timeoutMs: 5 * 60_000 });
    const rerunWrites = sandbox.requests.slice(log.length).filter((r) => r.method !== 'GET' && r.status < 400).length;
    const perIssue = store.issues.map((issue) => store.listNotes(issue).filter((n) => n.body.includes(NOTE_MARKER)).length);
    const refused = log.filter((r) => r.status === 429).length;
    const notePosts = log.filter((r) => r.method === 'POST' && r.path.endsWith('/notes'));
    const minutes = run.ms / 60_000;
    return [
      line(`${count} note writes, GitLab.com's 60 notes/min, 429 without headers, ${paced ? 'paced (shipped config)' : 'not paced (notesCreate: 0, before)'}`, {
        exit: String(run.code),
        seconds: (run.ms / 1000).toFixed(1),
        notes_per_min: (perIssue.reduce((a, b) => a + b, 0) / minutes).toFixed(1),
        notes_written: `${perIssue.filter((n) => n >= 1).length}/${count} (target ${count})`,
        duplicated: `${perIssue.filter((n) => n > 1).length} (target 0)`,
        http_429: `${refused}/${log.length} requests = ${((refused / log.length) * 100).toFixed(1)}% (target < 5%)`,
        note_posts: notePosts.length,
        rerun_writes: `${rerunWrites} (target 0)`,
      }),
      `    ${run.summary}`,
      `    rerun: ${rerun.summary}`,
      `    requests by endpoint: ${requestsByEndpoint(log).join(', ')}`,
    ];
  } finally {
    await sandbox.close();
  }
}

export async function benchNotes200(count = NOTES): Promise<string[]> {
  return [...(await notesUnderLimit(count, false)), ...(await notesUnderLimit(count, true))];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchNotes200(Number(process.argv[2] ?? NOTES))) console.log(l);
}
