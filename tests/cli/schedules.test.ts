import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
});
afterAll(() => sandbox.close());

describe('support-bot schedules sync', () => {
  const env = () => ({ GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, CI_PROJECT_ID: 'gitlab-com/support/support-team-meta' });

  it('fails naming the setting to change when pipeline variables are off (GitLab.com default), leaving no schedule behind', async () => {
    const result = await runCli(['schedules', 'sync'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ci_pipeline_variables_minimum_override_role is "no_one_allowed"');
    expect(result.stderr).toContain('"Minimum role to use pipeline variables"');
    expect(sandbox.store.pipelineSchedules).toEqual([]);
  });

  it('creates one pipeline schedule per configured job, then changes nothing', async () => {
    sandbox.store.requireProject('gitlab-com/support/support-team-meta').settings.pipelineVariablesMinimumOverrideRole = 'maintainer';
    const writesBefore = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const dry = await runCli(['schedules', 'sync', '--dry-run'], env());
    expect(dry.code, dry.stderr).toBe(0);
    expect(sandbox.store.pipelineSchedules).toHaveLength(0);
    expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(dry.stdout).toContain('createPipelineSchedule');

    const first = await runCli(['schedules', 'sync'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('sweep: created schedule "*/30 * * * *" (UTC) on main');
    const schedules = sandbox.store.pipelineSchedules.map((s) => ({
      description: s.description,
      ref: s.ref,
      cron: s.cron,
      active: s.active,
      variables: s.variables.map((v) => `${v.key}=${v.value}`),
    }));
    // GitLab stores the full ref; the next run must still see nothing to change.
    expect(schedules).toEqual([
      { description: 'support-bot: sweep', ref: 'refs/heads/main', cron: '*/30 * * * *', active: true, variables: ['SUPPORT_BOT_JOB=sweep'] },
      { description: 'support-bot: sla', ref: 'refs/heads/main', cron: '0 7-18 * * 1-5', active: true, variables: ['SUPPORT_BOT_JOB=sla'] },
      { description: 'support-bot: dormant', ref: 'refs/heads/main', cron: '0 6 * * *', active: true, variables: ['SUPPORT_BOT_JOB=dormant'] },
      { description: 'support-bot: swir', ref: 'refs/heads/main', cron: '0 12 * * 1,5', active: true, variables: ['SUPPORT_BOT_JOB=swir'] },
    ]);

    const writes = sandbox.requests.filter((r) => r.method !== 'GET').length;
    const second = await runCli(['schedules', 'sync'], env());
    expect(second.stdout).toContain('0 changed');
    expect(sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it('says where the project comes from when none is given', async () => {
    const result = await runCli(['schedules', 'sync'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CI_PROJECT_ID');
  });
});
