import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCESS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { client } from './helpers.js';

// Pipeline schedules as GitLab serves them: doc/api/pipeline_schedules.md,
// app/policies/ci/pipeline_schedule_policy.rb, lib/api/ci/pipeline_schedules.rb.

let sb: Sandbox;
let pid: number;
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' });
  const p = sb.store.createProject({ path_with_namespace: 'gitlab-com/support/schedules-home' });
  pid = p.id;
  // The bot is Maintainer through gitlab-com/support; alice is Developer there.
});
afterAll(() => sb.close());

const bot = () => client(sb, SANDBOX_TOKENS.bot);
const alice = () => client(sb, SANDBOX_TOKENS.member);

describe('pipeline schedules', () => {
  test('a short ref is stored and returned in full: main → refs/heads/main', async () => {
    const created = await alice().post(`/projects/${pid}/pipeline_schedules`, { description: 'd', ref: 'main', cron: '0 * * * *' });
    expect(created.status).toBe(201);
    expect(created.body.ref).toBe('refs/heads/main');
    const edited = await alice().put(`/projects/${pid}/pipeline_schedules/${created.body.id}`, { ref: 'stable' });
    expect(edited.body.ref).toBe('refs/heads/stable');
  });

  test('only the owner edits a schedule; a Maintainer must take ownership first; a Developer may not', async () => {
    const { body: schedule } = await alice().post(`/projects/${pid}/pipeline_schedules`, { description: 'owned', ref: 'main', cron: '0 * * * *' });
    const path = `/projects/${pid}/pipeline_schedules/${schedule.id}`;
    expect((await bot().put(path, { cron: '5 * * * *' })).status).toBe(403);
    // A Maintainer reads the variables; the Developer who does not own it does not.
    expect((await bot().get(path)).body.variables).toEqual([]);
    sb.store.addGroupMember(sb.store.findGroupByPath('gitlab-com/support')!.id, sb.store.findUserByUsername('chen')!.id, ACCESS.developer);
    sb.store.addToken('chen-token', sb.store.findUserByUsername('chen')!.id);
    const chen = client(sb, 'chen-token');
    expect((await chen.get(path)).body.variables).toBeUndefined();
    expect((await chen.post(`${path}/take_ownership`)).status).toBe(403);

    const taken = await bot().post(`${path}/take_ownership`);
    expect(taken.status).toBe(201);
    expect(taken.body.owner.username).toBe('support-bot');
    expect((await bot().put(path, { cron: '5 * * * *' })).body.cron).toBe('5 * * * *');
    expect((await alice().put(path, { cron: '6 * * * *' })).status).toBe(403);
  });

  test("schedule variables need the project's pipeline-variable role; new GitLab.com projects allow no one", async () => {
    expect(sb.store.getProject(pid)!.settings.pipelineVariablesMinimumOverrideRole).toBe('no_one_allowed');
    const { body: schedule } = await bot().post(`/projects/${pid}/pipeline_schedules`, { description: 'vars', ref: 'main', cron: '0 * * * *' });
    const vars = `/projects/${pid}/pipeline_schedules/${schedule.id}/variables`;
    expect((await bot().post(vars, { key: 'SUPPORT_BOT_JOB', value: 'sweep' })).status).toBe(403);
    expect((await bot().get(`/projects/${pid}`)).body.ci_pipeline_variables_minimum_override_role).toBe('no_one_allowed');
    expect((await alice().get(`/projects/${pid}`)).body.ci_pipeline_variables_minimum_override_role).toBeUndefined();

    expect((await bot().put(`/projects/${pid}`, { ci_pipeline_variables_minimum_override_role: 'maintainer' })).status).toBe(200);
    expect((await bot().post(vars, { key: 'SUPPORT_BOT_JOB', value: 'sweep' })).status).toBe(201);
    const { body: alicesSchedule } = await alice().post(`/projects/${pid}/pipeline_schedules`, { description: 'dev', ref: 'main', cron: '0 * * * *' });
    expect((await alice().post(`/projects/${pid}/pipeline_schedules/${alicesSchedule.id}/variables`, { key: 'K', value: 'v' })).status).toBe(403);
  });

  test('the owner or a Maintainer deletes a schedule', async () => {
    const { body: schedule } = await alice().post(`/projects/${pid}/pipeline_schedules`, { description: 'gone', ref: 'main', cron: '0 * * * *' });
    expect((await bot().del(`/projects/${pid}/pipeline_schedules/${schedule.id}`)).status).toBe(204);
    expect((await bot().get(`/projects/${pid}/pipeline_schedules/${schedule.id}`)).status).toBe(404);
  });
});
