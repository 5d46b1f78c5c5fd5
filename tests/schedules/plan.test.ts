import { describe, expect, it } from 'vitest';
import { planSchedules } from '../../src/schedules/plan.js';

const desired = { jobs: { sweep: '*/30 * * * *', sla: '0 7-18 * * 1-5' }, timezone: 'UTC', ref: 'main' };
const ours = (id: number, job: string, cron: string, value = job) => ({
  id,
  description: `support-bot: ${job}`,
  ref: 'main',
  cron,
  cronTimezone: 'UTC',
  active: true,
  variables: [{ key: 'SUPPORT_BOT_JOB', value }],
});

describe('planSchedules', () => {
  it('creates a schedule per job when none exist, leaving others alone', () => {
    const other = { id: 9, description: 'nightly build', ref: 'main', cron: '0 0 * * *', cronTimezone: 'UTC', active: true };
    expect(planSchedules(desired, [other]).map((c) => [c.kind, c.job])).toEqual([
      ['create', 'sweep'],
      ['create', 'sla'],
    ]);
  });

  it('changes nothing when every schedule matches', () => {
    expect(planSchedules(desired, [ours(1, 'sweep', '*/30 * * * *'), ours(2, 'sla', '0 7-18 * * 1-5')])).toEqual([]);
  });

  it('compares branch refs by name: GitLab returns refs/heads/main for main (doc/api/pipeline_schedules.md)', () => {
    const stored = (id: number, job: string, cron: string) => ({ ...ours(id, job, cron), ref: 'refs/heads/main' });
    expect(planSchedules(desired, [stored(1, 'sweep', '*/30 * * * *'), stored(2, 'sla', '0 7-18 * * 1-5')])).toEqual([]);
    expect(planSchedules({ ...desired, ref: 'stable' }, [stored(1, 'sweep', '*/30 * * * *')])[0]).toMatchObject({ fields: { ref: 'stable' } });
  });

  it('updates only the fields and variable that differ', () => {
    const changes = planSchedules(desired, [{ ...ours(1, 'sweep', '0 * * * *'), active: false }, ours(2, 'sla', '0 7-18 * * 1-5', 'sweep')]);
    expect(changes).toEqual([
      { kind: 'update', job: 'sweep', scheduleId: 1, fields: { cron: '*/30 * * * *', active: true }, setVariable: null },
      { kind: 'update', job: 'sla', scheduleId: 2, fields: {}, setVariable: 'update' },
    ]);
  });
});
