import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WriteBudget } from '../../src/engine/budget.js';
import { Executor } from '../../src/engine/executor.js';
import { RestGateway } from '../../src/gitlab/gateway.js';
import { silentLogger } from '../../src/logger.js';
import { syncSchedules } from '../../src/schedules/sync.js';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { PipelineScheduleRec, ProjectRec } from '../../src/sandbox/index.js';

// schedules sync against GitLab's schedule permissions (app/policies/ci/pipeline_schedule_policy.rb):
// only the owner edits a schedule, Maintainers may take ownership, and schedule variables
// need the project's pipeline-variable permission.

let sandbox: Sandbox;
let gateway: RestGateway;
let project: ProjectRec;
const desired = { jobs: { sweep: '*/30 * * * *' }, timezone: 'UTC', ref: 'main' };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  gateway = new RestGateway({ url: sandbox.url, token: SANDBOX_TOKENS.bot, concurrency: 2, retry: { retries: 0, baseMs: 1, maxMs: 10 }, slowDownBelow: 0.1, timeoutMs: 5_000 });
});
afterAll(() => sandbox.close());

let n = 0;
beforeEach(() => {
  project = sandbox.store.createProject({ path_with_namespace: `gitlab-com/support/bot-home-${++n}`, settings: { pipelineVariablesMinimumOverrideRole: 'developer' } });
});

function scheduleOwnedBy(username: string, overrides: Partial<PipelineScheduleRec> = {}): PipelineScheduleRec {
  const now = sandbox.store.now();
  const rec: PipelineScheduleRec = {
    id: sandbox.store.nextId('pipeline_schedule'),
    projectId: project.id,
    description: 'support-bot: sweep',
    ref: 'refs/heads/main',
    cron: '0 * * * *',
    cronTimezone: 'UTC',
    active: true,
    ownerId: sandbox.store.findUserByUsername(username)!.id,
    createdAt: now,
    updatedAt: now,
    variables: [],
    ...overrides,
  };
  sandbox.store.pipelineSchedules.push(rec);
  return rec;
}

// Writes go through an executor over the real gateway, as the command's do.
const executor = (budget = new WriteBudget()) => new Executor({ reader: gateway, writer: gateway, bot: () => gateway.currentUser(), budget, log: silentLogger });
const sync = async (budget?: WriteBudget) => syncSchedules(gateway, executor(budget), await gateway.getProject(project.id), desired);

describe('syncSchedules', () => {
  it('takes ownership of a schedule someone else owns (the bot is Maintainer) before changing it', async () => {
    const schedule = scheduleOwnedBy('alice', { variables: [{ key: 'SUPPORT_BOT_JOB', value: 'sweep', variableType: 'env_var' }] });
    const report = await sync();
    expect(report.lines).toEqual([`sweep: updated schedule ${schedule.id} (cron)`]);
    expect(schedule).toMatchObject({ cron: '*/30 * * * *', ownerId: sandbox.store.findUserByUsername('support-bot')!.id });
  });

  it('keeps to the write budget (issue 17): it stops after it, the new schedule inactive, and the next run finishes', async () => {
    const stopped = await sync(new WriteBudget(1));
    expect(stopped.lines).toEqual([
      expect.stringMatching(/^stopped over the write budget \(bot\.maxWritesPerRun\) before: set SUPPORT_BOT_JOB=sweep on schedule \d+; run it again$/),
    ]);
    const schedule = sandbox.store.pipelineSchedules.find((s) => s.projectId === project.id)!;
    expect(schedule).toMatchObject({ active: false, variables: [] });
    expect((await sync()).lines).toEqual([`sweep: updated schedule ${schedule.id} (active, SUPPORT_BOT_JOB)`]);
    expect(schedule).toMatchObject({ active: true, variables: [expect.objectContaining({ key: 'SUPPORT_BOT_JOB', value: 'sweep' })] });
  });

  it('leaves a matching schedule with its owner', async () => {
    const schedule = scheduleOwnedBy('alice', { cron: '*/30 * * * *', variables: [{ key: 'SUPPORT_BOT_JOB', value: 'sweep', variableType: 'env_var' }] });
    expect((await sync()).changed).toBe(0);
    expect(schedule.ownerId).toBe(sandbox.store.findUserByUsername('alice')!.id);
  });

  it('says who owns the schedule and which role the bot needs when it may not take ownership (Developer)', async () => {
    const developerHome = sandbox.store.createProject({ path_with_namespace: `elsewhere/bot-home-${n}`, settings: { pipelineVariablesMinimumOverrideRole: 'developer' } });
    sandbox.store.addProjectMember(developerHome.id, sandbox.store.findUserByUsername('support-bot')!.id, ACCESS.developer);
    project = developerHome;
    const schedule = scheduleOwnedBy('alice');
    await expect(sync()).rejects.toThrow(`belongs to @alice, and only its owner may change it. Give @support-bot the Maintainer role in elsewhere/bot-home-${n}`);
    expect(schedule.cron).toBe('0 * * * *');
  });

  it('deactivates an existing schedule whose SUPPORT_BOT_JOB it may not set, and names the setting', async () => {
    project.settings.pipelineVariablesMinimumOverrideRole = 'no_one_allowed';
    const schedule = scheduleOwnedBy('support-bot', { cron: '*/30 * * * *' });
    await expect(sync()).rejects.toThrow('ci_pipeline_variables_minimum_override_role is "no_one_allowed"');
    expect(schedule).toMatchObject({ active: false, variables: [] });
  });

  it('creates a schedule inactive and activates it only once SUPPORT_BOT_JOB is set', async () => {
    await sync();
    const created = sandbox.store.pipelineSchedules.filter((s) => s.projectId === project.id);
    expect(created.map((s) => ({ active: s.active, variables: s.variables.map((v) => v.value) }))).toEqual([{ active: true, variables: ['sweep'] }]);
    const writes = sandbox.requests
      .filter((r) => r.method !== 'GET' && r.path.includes(`/projects/${project.id}/`))
      .map((r) => `${r.method} ${r.path.replace(/^.*pipeline_schedules/, '')}`);
    expect(writes).toEqual(['POST ', `POST /${created[0]!.id}/variables`, `PUT /${created[0]!.id}`]);
  });
});
