import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Job names gitlab-ci-local lists for a pipeline with the given variables. With `schema`, it
 * also checks the file against GitLab's CI JSON schema and exits non-zero (so this throws) if
 * it fails: that costs ~1 s of CPU a run and does not depend on the variables, so one test
 * asks for it and the others do not.
 */
async function jobsFor(variables: Record<string, string>, { schema = false } = {}): Promise<string[]> {
  const args = ['--list', `--json-schema-validation=${schema}`, ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  const { stdout } = await run('node_modules/.bin/gitlab-ci-local', args, { timeout: 60_000 });
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^name\s+description\s+stage/.test(l));
  expect(header, stdout).toBeGreaterThanOrEqual(0);
  return lines
    .slice(header + 1)
    .map((l) => l.split(/\s+/)[0]!)
    .filter(Boolean);
}

// Each gitlab-ci-local run is a process that reads the git worktree: ~5 s on a loaded two-core machine.
describe('.gitlab-ci.yml (parsed by gitlab-ci-local)', { timeout: 60_000 }, () => {
  it('runs the chosen job alone on a scheduled pipeline', async () => {
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'sweep' })).toEqual(['sweep']);
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'sla' })).toEqual(['sla']);
  });

  it('runs the dormant job alone on its schedule', async () => {
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'dormant' })).toEqual(['dormant']);
  });
  it('runs swir alone on its schedule', async () => {
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'swir' })).toEqual(['swir']);
  }, 60_000);

  it('runs handle-event alone on a pipeline trigger carrying a webhook, and nowhere else', async () => {
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'trigger', TRIGGER_PAYLOAD: '/builds/tmp/TRIGGER_PAYLOAD' })).toEqual(['handle-event']);
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'trigger' })).toEqual([]);
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'merge_request_event' })).not.toContain('handle-event');
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'sweep' })).not.toContain('handle-event');
  });

  it("passes GitLab's CI JSON schema, and runs the tests and check-mr on a merge request pipeline", async () => {
    expect(await jobsFor({ CI_PIPELINE_SOURCE: 'merge_request_event' }, { schema: true })).toEqual(['test', 'check-mr']);
  });
});
