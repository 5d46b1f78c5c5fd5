import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { WriteBudget } from '../../src/engine/budget.js';
import { Executor } from '../../src/engine/executor.js';
import type { GitLabPort } from '../../src/engine/ports.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { DEMO_PROJECTS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { repositoryTemplatePath } from '../../src/templates/projectTemplates.js';
import { fileActions, SYNC_BRANCH, syncTemplates } from '../../src/templates/sync.js';
import { client } from '../sandbox/helpers.js';

describe('fileActions', () => {
  const wanted = [
    { filePath: 'a.md', content: 'A' },
    { filePath: 'b.md', content: 'B' },
    { filePath: 'c.md', content: 'C' },
  ];
  it('creates what is absent, updates what differs, leaves what is equal', () => {
    const current = new Map([
      ['a.md', null],
      ['b.md', 'old B'],
      ['c.md', 'C'],
    ]);
    expect(fileActions(wanted, current)).toEqual([
      { action: 'create', filePath: 'a.md', content: 'A' },
      { action: 'update', filePath: 'b.md', content: 'B' },
    ]);
  });
});

describe('templates sync against the sandbox: one merge request per project', () => {
  let sandbox: Sandbox;
  const loaded = loadConfig('config/support-bot.yml');
  const runtimeFor = (dryRun = false): Runtime =>
    createRuntime({ log: silentLogger, loaded, dryRun, env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined } });
  const sync = (runtime: Runtime) => syncTemplates({ config: loaded.config, catalog: shippedTemplates, gateway: runtime.gateway, executor: runtime.bot.executor() });
  const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
  const file = (projectPath: string, name: string, ref?: string) => {
    const project = sandbox.store.resolveProject(projectPath)!;
    return sandbox.store.getFile(project.id, ref ?? project.defaultBranch, repositoryTemplatePath(name));
  };
  const openRequests = (projectPath: string) => sandbox.store.mergeRequests.filter((m) => m.projectId === sandbox.store.resolveProject(projectPath)!.id && m.state === 'opened');

  beforeEach(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('first sync: one commit on its own branch and one merge request per project; the default branch is untouched', async () => {
    const results = await sync(runtimeFor());
    expect(results.map((r) => [r.projectKey, r.error, r.committed.map((a) => `${a.action} ${a.filePath}`), r.mergeRequest?.opened])).toEqual([
      ['support-team-meta', undefined, ['create .gitlab/issue_templates/Support Readiness.md', 'create .gitlab/issue_templates/Support Shadow Program.md'], true],
      ['internal-requests', undefined, ['create .gitlab/issue_templates/Contact Request.md', 'create .gitlab/issue_templates/Name Squatting Request.md'], true],
      ['feedback', undefined, ['create .gitlab/issue_templates/Indirect Feedback.md'], true],
    ]);
    expect(writes().map((r) => `${r.method} ${r.path.replace(/^\/api\/v4\/projects\/[^/]+/, '')}`)).toEqual([
      ...Array.from({ length: 3 }, () => ['POST /repository/commits', 'POST /merge_requests']).flat(),
    ]);
    for (const path of [DEMO_PROJECTS.supportTeamMeta, DEMO_PROJECTS.internalRequests, DEMO_PROJECTS.feedback]) {
      expect(openRequests(path).map((m) => [m.sourceBranch, m.targetBranch])).toEqual([[SYNC_BRANCH, 'main']]);
    }
    expect(file(DEMO_PROJECTS.internalRequests, 'Contact Request')).toBeUndefined();
    expect(file(DEMO_PROJECTS.internalRequests, 'Contact Request', SYNC_BRANCH)).toBe(shippedTemplates.get('Contact Request')!.text);
    expect(openRequests(DEMO_PROJECTS.feedback)[0]!.description).toContain('visible artifact of approval');
  });

  it('a rerun with nothing new makes zero writes; so does one after the merge requests were merged', async () => {
    await sync(runtimeFor());
    const before = writes().length;
    const again = await sync(runtimeFor());
    expect(again.every((r) => r.committed.length === 0 && r.mergeRequest?.opened === false && !r.error)).toBe(true);
    expect(writes()).toHaveLength(before);
    for (const mr of [...sandbox.store.mergeRequests]) {
      const member = client(sandbox, SANDBOX_TOKENS.member);
      expect((await member.put(`/projects/${mr.projectId}/merge_requests/${mr.iid}/merge`)).status).toBe(200);
    }
    const merged = writes().length;
    const afterMerge = await sync(runtimeFor());
    expect(afterMerge.every((r) => r.diffs.length === 0 && r.mergeRequest === undefined)).toBe(true);
    expect(writes()).toHaveLength(merged);
  });

  it('a shipped template that changes later is committed to the same branch; the open merge request is kept', async () => {
    await sync(runtimeFor());
    const feedback = sandbox.store.resolveProject(DEMO_PROJECTS.feedback)!;
    sandbox.store.setFile(feedback.id, SYNC_BRANCH, repositoryTemplatePath('Indirect Feedback'), 'edited on the branch\n');
    const results = await sync(runtimeFor());
    expect(results.flatMap((r) => r.committed.map((a) => `${r.projectKey}: ${a.action} ${a.filePath}`))).toEqual(['feedback: update .gitlab/issue_templates/Indirect Feedback.md']);
    expect(openRequests(DEMO_PROJECTS.feedback)).toHaveLength(1);
    expect(file(DEMO_PROJECTS.feedback, 'Indirect Feedback', SYNC_BRANCH)).toBe(shippedTemplates.get('Indirect Feedback')!.text);
  });

  it('a 409 from another run opening the merge request first is taken as that merge request', async () => {
    const runtime = runtimeFor();
    const racing = {
      ...runtime.writer,
      commitFiles: runtime.writer.commitFiles.bind(runtime.writer),
      createMergeRequest: async (projectId: number, input: Parameters<typeof runtime.writer.createMergeRequest>[1]) => {
        await runtime.gateway.createMergeRequest(projectId, input);
        return runtime.gateway.createMergeRequest(projectId, input);
      },
    };
    // The executor's handlers, budget and outcomes, with the racing port in place of GitLab's.
    const executor = new Executor({
      reader: runtime.gateway,
      writer: racing as GitLabPort,
      bot: () => runtime.gateway.currentUser(),
      budget: new WriteBudget(),
      log: silentLogger,
    });
    const results = await syncTemplates({ config: loaded.config, catalog: shippedTemplates, gateway: runtime.gateway, executor });
    expect(results.every((r) => !r.error && r.mergeRequest?.opened === false)).toBe(true);
    expect(openRequests(DEMO_PROJECTS.feedback)).toHaveLength(1);
  });

  it('dry run shows the diff and writes nothing', async () => {
    const results = await sync(runtimeFor(true));
    expect(results.flatMap((r) => r.committed)).toHaveLength(5);
    const diff = results.find((r) => r.projectKey === 'feedback')!.diffs[0]!;
    expect(diff).toContain('+++ b/.gitlab/issue_templates/Indirect Feedback.md');
    expect(diff).toContain('+## Customer');
    expect(writes()).toHaveLength(0);
  });

  it('a project that fails is reported and the others still sync', async () => {
    sandbox.faults.failNext(1, 403, { methods: ['POST'] });
    const results = await sync(runtimeFor());
    expect(results[0]!.error).toBeDefined();
    expect(results.slice(1).every((r) => !r.error && r.mergeRequest?.opened)).toBe(true);
    expect(openRequests(DEMO_PROJECTS.supportTeamMeta)).toHaveLength(0);
  });
});
