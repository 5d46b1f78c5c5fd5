import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { SANDBOX_TOKENS } from '../../src/sandbox/index.js';
import { fake } from '../secrets/fakeSecrets.js';

// What a scheduled sweep asks GitLab, request by request (issue 12's "sweep over compliant
// issues" figure): the shipped config and rules, issues that already carry what the rules
// want. The run's fixed cost is asserted exactly, so a request added to every run shows here.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
const sink = { write: () => true } as unknown as NodeJS.WritableStream;

const PROJECTS = {
  meta: 'gitlab-com/support/support-team-meta',
  requests: 'gitlab-com/support/internal-requests',
  feedback: 'gitlab-com/support/feedback',
  handbook: 'gitlab-com/content-sites/handbook',
};

/** A shipped template, its comments filled in: the bot labels it and asks for nothing. */
function filled(file: string): string {
  return readFileSync(`issue_templates/${file}`, 'utf8').replace(/<!--(?! template:)[\s\S]*?-->/g, 'Filled in by the requester.');
}

/** Requests since the last reset as `METHOD <project>/<endpoint> [state]`, projects by their last path segment, in order. */
function requests(s: Stack): string[] {
  const names = new Map<string, string>();
  for (const path of Object.values(PROJECTS)) {
    const project = s.sandbox.store.resolveProject(path)!;
    const name = path.split('/').at(-1)!;
    names.set(String(project.id), name);
    names.set(encodeURIComponent(path), name);
  }
  return s.sandbox.requests.map((r) => {
    const path = r.path
      .replace(/^\/api\/v4/, '')
      .replace(/^\/projects\/([^/]+)/, (_m, id: string) => names.get(id) ?? id)
      .replace(/\/\d+(?=\/|$)/g, '/:n');
    const state = typeof r.query.state === 'string' ? ` ${r.query.state}` : '';
    return `${r.method} ${path}${state}`;
  });
}

/** A new runtime on the stack's sandbox, as each scheduled `run sweep` is a new process: nothing learned by an earlier run. */
function freshRun(s: Stack, loaded = s.runtime.loaded): Runtime {
  return createRuntime({
    log: silentLogger,
    loaded,
    env: { gitlabUrl: s.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
  });
}

/** The sandbox with one settled issue per shipped template (and a free-form proposal), and its request log emptied. */
async function settled(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const s = await startStack({ hooks: false, ...options });
  const { store } = s.sandbox;
  const author = store.findUserByUsername('bruno')!;
  const seed = (path: string, description: string) => store.createIssue(store.resolveProject(path)!.id, { title: 'Request', description, authorId: author.id });
  seed(PROJECTS.requests, filled('internal-requests/Contact Request.md'));
  seed(PROJECTS.feedback, filled('feedback/Indirect Feedback.md'));
  seed(PROJECTS.meta, filled('support-team-meta/Support Readiness.md'));
  seed(PROJECTS.meta, 'A free-form process proposal: rotate the on-call handover to Mondays.');
  await JOBS.sweep(s.runtime, { out: sink });
  s.sandbox.requests.length = 0;
  return s;
}

describe('a sweep over issues that need nothing', () => {
  it("makes no writes and does not ask for the bot's own user: no rule read a comment", async () => {
    stack = await settled();
    const result = await JOBS.sweep(freshRun(stack), { out: sink });
    expect(result.summary).toMatch(/0 changed, 0 writes/);
    expect(requests(stack).filter((r) => r.startsWith('GET /user'))).toEqual([]);
    expect(requests(stack).every((r) => r.startsWith('GET '))).toBe(true);
  });

  it('asks for it once when a rule must find its own note', async () => {
    stack = await settled();
    const { store } = stack.sandbox;
    const author = store.findUserByUsername('bruno')!;
    // Empty required sections: template-check posts a note, so it must tell its notes from people's.
    for (let i = 0; i < 2; i += 1)
      store.createIssue(store.resolveProject(PROJECTS.requests)!.id, {
        title: 'Empty',
        description: readFileSync('issue_templates/internal-requests/Contact Request.md', 'utf8'),
        authorId: author.id,
      });
    const result = await JOBS.sweep(freshRun(stack), { out: sink });
    expect(result.summary).toMatch(/2 changed/);
    expect(requests(stack).filter((r) => r === 'GET /user')).toEqual(['GET /user']);
  });
});

const TEMPLATE_READS = /\/repository\/(tree|files\/)/;

/** The requests besides the template reads (those run alongside the first issue's rules). */
function withoutTemplateReads(s: Stack): string[] {
  return requests(s).filter((r) => !TEMPLATE_READS.test(r));
}

/** Each project's templates, read once per run: its tree, then each configured template file. */
const TEMPLATE_READS_PER_RUN = [
  'GET feedback/repository/files/.gitlab%2Fissue_templates%2FIndirect%20Feedback.md',
  'GET feedback/repository/tree',
  'GET internal-requests/repository/files/.gitlab%2Fissue_templates%2FContact%20Request.md',
  'GET internal-requests/repository/files/.gitlab%2Fissue_templates%2FName%20Squatting%20Request.md',
  'GET internal-requests/repository/tree',
  'GET support-team-meta/repository/files/.gitlab%2Fissue_templates%2FSupport%20Readiness.md',
  'GET support-team-meta/repository/files/.gitlab%2Fissue_templates%2FSupport%20Shadow%20Program.md',
  'GET support-team-meta/repository/tree',
];

const ISSUES_SWEPT = ['opened', 'closed'];
const MERGE_REQUESTS_SWEPT = ['opened', 'closed', 'merged'];

/** A sweep's reads of one project, in order: the project, then its issue and merge request lists by state. */
function projectReads(key: string, issueStates: string[], mergeRequestStates: string[]): string[] {
  return [`GET ${key}`, ...issueStates.map((state) => `GET ${key}/issues ${state}`), ...mergeRequestStates.map((state) => `GET ${key}/merge_requests ${state}`)];
}

describe("a sweep's fixed cost per project", () => {
  it('with the shipped config: each project read once, open and recent closed issues where issue rules run, merge requests where approvals.scope reaches, recently closed and merged ones in public projects', async () => {
    stack = await settled();
    await JOBS.sweep(freshRun(stack), { out: sink });
    expect(
      requests(stack)
        .filter((r) => TEMPLATE_READS.test(r))
        .sort(),
    ).toEqual(TEMPLATE_READS_PER_RUN);
    expect(withoutTemplateReads(stack)).toEqual([
      ...projectReads('support-team-meta', ISSUES_SWEPT, MERGE_REQUESTS_SWEPT),
      ...projectReads('internal-requests', ISSUES_SWEPT, MERGE_REQUESTS_SWEPT),
      ...projectReads('feedback', ISSUES_SWEPT, MERGE_REQUESTS_SWEPT),
      ...projectReads('handbook', [], MERGE_REQUESTS_SWEPT),
    ]);
  });

  it('lists no closed issue in a private project (sensitive-data protects public ones) and no merge request of a private one outside approvals.scope', async () => {
    stack = await settled();
    const base = stack.runtime.loaded;
    const loaded = { ...base, config: { ...base.config, approvals: { ...base.config.approvals, scope: [{ project: 'handbook', paths: ['content/handbook/support/**'] }] } } };
    // Private on GitLab and not `public: true` in the config: sensitive-data does not apply there.
    stack.sandbox.store.resolveProject(PROJECTS.feedback)!.visibility = 'private';
    const result = await JOBS.sweep(freshRun(stack, loaded), { out: sink });
    expect(result.summary).toMatch(/0 writes/);
    // Public projects' merge requests are read for sensitive-data-merge-requests.
    expect(withoutTemplateReads(stack)).toEqual([
      ...projectReads('support-team-meta', ISSUES_SWEPT, MERGE_REQUESTS_SWEPT),
      ...projectReads('internal-requests', ISSUES_SWEPT, MERGE_REQUESTS_SWEPT),
      ...projectReads('feedback', ['opened'], []),
      ...projectReads('handbook', [], MERGE_REQUESTS_SWEPT),
    ]);
  });
});

describe('a private project made public (issue 12 #8)', () => {
  it('gets its recently closed issues read and protected by the next run', async () => {
    stack = await settled();
    const { store } = stack.sandbox;
    const feedback = store.resolveProject(PROJECTS.feedback)!;
    feedback.visibility = 'private';
    const closed = store.createIssue(feedback.id, { title: 'Runner broken', description: `token ${fake.glpat}`, state: 'closed', closedAt: store.now() });
    await JOBS.sweep(freshRun(stack), { out: sink });
    expect(requests(stack)).not.toContain('GET feedback/issues closed');
    expect(store.getIssue(feedback.id, closed.iid)!.confidential).toBe(false);

    feedback.visibility = 'public';
    stack.sandbox.requests.length = 0;
    await JOBS.sweep(freshRun(stack), { out: sink });
    expect(requests(stack)).toContain('GET feedback/issues closed');
    expect(store.getIssue(feedback.id, closed.iid)!.confidential).toBe(true);
    expect(store.getIssue(feedback.id, closed.iid)!.description).not.toContain(fake.glpat);
  });
});
