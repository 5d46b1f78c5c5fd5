import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { DEMO_PROJECTS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { shippedTemplates } from '../../src/templates/shipped.js';
import { fileActions, repositoryTemplatePath, syncTemplates } from '../../src/templates/sync.js';

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

describe('templates sync against the sandbox', () => {
  let sandbox: Sandbox;
  const loaded = loadConfig('config/support-bot.yml');
  const runtimeFor = (dryRun = false): Runtime =>
    createRuntime({ log: silentLogger, loaded, dryRun, env: { gitlabUrl: sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined } });
  const sync = (runtime: Runtime) => syncTemplates({ config: loaded.config, catalog: shippedTemplates, gateway: runtime.gateway, writer: runtime.writer });
  const commitRequests = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/repository/commits'));
  const file = (projectPath: string, name: string) => {
    const project = sandbox.store.resolveProject(projectPath)!;
    return sandbox.store.getFile(project.id, project.defaultBranch, repositoryTemplatePath(name));
  };

  beforeEach(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('first sync creates every template in one commit per project', async () => {
    const results = await sync(runtimeFor());
    expect(results.map((r) => [r.projectKey, r.error, r.actions.map((a) => `${a.action} ${a.filePath}`)])).toEqual([
      ['support-team-meta', undefined, ['create .gitlab/issue_templates/Support Readiness.md', 'create .gitlab/issue_templates/Support Shadow Program.md']],
      ['internal-requests', undefined, ['create .gitlab/issue_templates/Contact Request.md', 'create .gitlab/issue_templates/Name Squatting Request.md']],
      ['feedback', undefined, ['create .gitlab/issue_templates/Indirect Feedback.md']],
    ]);
    expect(commitRequests()).toHaveLength(3);
    expect(file(DEMO_PROJECTS.internalRequests, 'Contact Request')).toBe(shippedTemplates.get('Contact Request')!.text);
  });

  it('second sync writes nothing', async () => {
    await sync(runtimeFor());
    const before = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const results = await sync(runtimeFor());
    expect(results.every((r) => r.actions.length === 0 && !r.error)).toBe(true);
    expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });

  it('a file changed in the repository gets one update commit, for that file only', async () => {
    await sync(runtimeFor());
    const feedback = sandbox.store.resolveProject(DEMO_PROJECTS.feedback)!;
    sandbox.store.setFile(feedback.id, feedback.defaultBranch, repositoryTemplatePath('Indirect Feedback'), 'edited by hand\n');
    const results = await sync(runtimeFor());
    expect(results.flatMap((r) => r.actions.map((a) => `${r.projectKey}: ${a.action} ${a.filePath}`))).toEqual(['feedback: update .gitlab/issue_templates/Indirect Feedback.md']);
    expect(commitRequests()).toHaveLength(4);
    expect(file(DEMO_PROJECTS.feedback, 'Indirect Feedback')).toBe(shippedTemplates.get('Indirect Feedback')!.text);
  });

  it('dry run lists the files that would change and commits nothing', async () => {
    const results = await sync(runtimeFor(true));
    expect(results.flatMap((r) => r.actions)).toHaveLength(5);
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    expect(file(DEMO_PROJECTS.feedback, 'Indirect Feedback')).toBeUndefined();
  });

  it('a project that fails is reported and the others still sync', async () => {
    const meta = sandbox.store.resolveProject(DEMO_PROJECTS.supportTeamMeta)!;
    sandbox.faults.failNext(1, 403, { methods: ['POST'] });
    const results = await sync(runtimeFor());
    expect(results[0]!.error).toBeDefined();
    expect(results.slice(1).every((r) => !r.error && r.actions.length > 0)).toBe(true);
    expect(sandbox.store.getFile(meta.id, meta.defaultBranch, repositoryTemplatePath('Support Readiness'))).toBeUndefined();
  });
});
