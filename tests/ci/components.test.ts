import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleProject } from './sampleProject.js';

// The CI/CD components in templates/, included with inputs in sample projects and expanded by
// gitlab-ci-local (each run is a process: a few seconds on a loaded two-core machine).

const BOT_PROJECT = `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/support-bot@$CI_COMMIT_SHA
    inputs:
      image: registry.example.com/support/support-bot
      image_version: 1.4.2
      stage: automation
      dry_run: true
      bot_username: support-bot
stages: [automation]
`;

const WATCHED_PROJECT = `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/check-mr@$CI_COMMIT_SHA
    inputs:
      image: registry.example.com/support/support-bot
      image_version: 1.4.2
      paths: ['content/handbook/support/**/*']
      set_status: true
stages: [test]
`;

const projects: SampleProject[] = [];
const sample = (files: Record<string, string>, changed: string[] = []) => {
  const project = new SampleProject(files, changed);
  projects.push(project);
  return project;
};
afterAll(() => projects.forEach((p) => p.remove()));

const MR = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' };

describe('templates/support-bot.yml in the bot’s project', { timeout: 120_000 }, () => {
  const project = sample({ '.gitlab-ci.yml': BOT_PROJECT });

  it("runs the scheduled job the schedule names, alone, and handle-event alone on a trigger carrying a webhook; passes GitLab's CI JSON schema", async () => {
    expect(await project.jobs({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'sweep' }, { schema: true })).toEqual(['sweep']);
    expect(await project.jobs({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'dormant' })).toEqual(['dormant']);
    expect(await project.jobs({ CI_PIPELINE_SOURCE: 'trigger', TRIGGER_PAYLOAD: '/builds/tmp/TRIGGER_PAYLOAD' })).toEqual(['handle-event']);
    expect(await project.jobs({ CI_PIPELINE_SOURCE: 'trigger' })).toEqual([]);
  });

  it('runs the image at the given version in the given stage, with no clone and no npm', async () => {
    const merged = await project.merged();
    for (const name of ['sweep', 'sla', 'dormant', 'swir', 'handle-event']) {
      const job = merged[name]!;
      expect(job.image).toEqual({ name: 'registry.example.com/support/support-bot:1.4.2', entrypoint: [''] });
      expect(job.stage).toBe('automation');
      expect(job.variables).toMatchObject({ GIT_STRATEGY: 'none', SUPPORT_BOT_USERNAME: 'support-bot', SUPPORT_BOT_DRY_RUN_INPUT: 'true' });
      const scripts = [...(job.before_script as string[]), ...(job.script as string[])].join('\n');
      expect(scripts).toMatch(/^support-bot (run|handle-event)/m);
      expect(scripts).not.toMatch(/\bnpm\b|\bnpx\b|git clone/);
    }
    expect(merged['handle-event']!.resource_group).toBe('support-bot-trigger');
    expect(merged.sweep!.resource_group).toBe('support-bot-$SUPPORT_BOT_JOB');
  });

  // Issue 21, case 15: a schedule's SUPPORT_BOT_DRY_RUN=0 or false (and SUPPORT_BOT_APPLY_RENAME=0)
  // turned the flag on, since the scripts test `${VAR:+--dry-run}`: the job's own shell lines,
  // run in bash with `support-bot` printing its arguments.
  it('reads SUPPORT_BOT_DRY_RUN and SUPPORT_BOT_APPLY_RENAME as off when 0, false, no or off', async () => {
    const job = (await project.merged())['dormant']!;
    const lines = [...(job.before_script as string[]), ...(job.script as string[])].join('\n');
    const argsWith = (env: Record<string, string>) =>
      execFileSync('bash', ['-ec', `support-bot() { echo "$*"; }\n${lines}`], {
        env: { PATH: process.env['PATH'] ?? '', SUPPORT_BOT_DRY_RUN_INPUT: 'false', ...env },
        encoding: 'utf8',
      }).trim();
    expect(argsWith({})).toBe('run dormant');
    for (const off of ['0', 'false', 'FALSE', 'no', 'off', '']) expect(argsWith({ SUPPORT_BOT_DRY_RUN: off, SUPPORT_BOT_APPLY_RENAME: off }), off).toBe('run dormant');
    for (const on of ['1', 'true', 'yes']) expect(argsWith({ SUPPORT_BOT_DRY_RUN: on, SUPPORT_BOT_APPLY_RENAME: on }), on).toBe('run dormant --dry-run --apply-rename');
    expect(argsWith({ SUPPORT_BOT_DRY_RUN_INPUT: 'true' })).toBe('run dormant --dry-run');
  });
});

describe('templates/check-mr.yml in a watched project', { timeout: 120_000 }, () => {
  it('starts check-mr on a merge request that changes a scope path', async () => {
    const project = sample({ '.gitlab-ci.yml': WATCHED_PROJECT, 'README.md': 'x\n' }, ['content/handbook/support/workflows/new.md']);
    expect(await project.jobs(MR, { schema: true })).toEqual(['check-mr']);
    const job = (await project.merged(MR))['check-mr']!;
    expect(job.image).toEqual({ name: 'registry.example.com/support/support-bot:1.4.2', entrypoint: [''] });
    expect(job.variables).toMatchObject({ GIT_STRATEGY: 'none', SUPPORT_BOT_SET_STATUS: 'true' });
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"', changes: { paths: ['content/handbook/support/**/*'] } }]);
    expect((job.script as string[]).join('\n')).not.toMatch(/\bnpm\b|\bnpx\b/);
  });

  it('starts no job on a merge request out of scope, nor outside merge request pipelines', async () => {
    const project = sample({ '.gitlab-ci.yml': WATCHED_PROJECT, 'README.md': 'x\n' }, ['content/handbook/marketing/page.md']);
    expect(await project.jobs(MR)).toEqual([]);
    expect(await project.jobs({ CI_PIPELINE_SOURCE: 'push' })).toEqual([]);
  });
});
