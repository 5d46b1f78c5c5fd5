import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleProject } from './sampleProject.js';

// This project's own .gitlab-ci.yml, which includes its components at the same commit, expanded
// by gitlab-ci-local in a copy of the project (each run is a process of a few seconds).

const ownPipeline = { '.gitlab-ci.yml': readFileSync('.gitlab-ci.yml', 'utf8'), 'config/support-bot.yml': 'x: 1\n', 'README.md': 'x\n' };
const unchanged = new SampleProject(ownPipeline);
const configChange = new SampleProject(ownPipeline, ['config/support-bot.yml']);
afterAll(() => [unchanged, configChange].forEach((p) => p.remove()));

const BOT_JOBS = ['sweep', 'sla', 'dormant', 'swir', 'handle-event', 'check-mr'];

describe('.gitlab-ci.yml (parsed by gitlab-ci-local)', { timeout: 120_000 }, () => {
  it('runs the chosen job alone on a scheduled pipeline, and handle-event alone on a trigger carrying a webhook', async () => {
    expect(await unchanged.jobs({ CI_PIPELINE_SOURCE: 'schedule', SUPPORT_BOT_JOB: 'swir' })).toEqual(['swir']);
    expect(await unchanged.jobs({ CI_PIPELINE_SOURCE: 'trigger', TRIGGER_PAYLOAD: '/builds/tmp/TRIGGER_PAYLOAD' })).toEqual(['handle-event']);
    expect(await unchanged.jobs({ CI_PIPELINE_SOURCE: 'trigger' })).toEqual([]);
  });

  it("passes GitLab's CI JSON schema; a merge request runs the tests, and check-mr only when it changes what the bot ships", async () => {
    expect(await configChange.jobs({ CI_PIPELINE_SOURCE: 'merge_request_event' }, { schema: true })).toEqual(['check-mr', 'test']);
    expect(await unchanged.jobs({ CI_PIPELINE_SOURCE: 'merge_request_event' })).toEqual(['test']);
  });

  it('on a semantic-version tag: tests, image, npm package and the Catalog release; no release on other tags', async () => {
    expect(await unchanged.jobs({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: '1.2.3' }, { schema: true })).toEqual(['test', 'container-image', 'npm-package', 'release']);
    const otherTag = await unchanged.jobs({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2' });
    for (const job of ['container-image', 'npm-package', 'release']) expect(otherTag).not.toContain(job);
  });

  it('runs no npm ci and no clone in the bot jobs: they run the image', async () => {
    const merged = await unchanged.merged();
    for (const name of BOT_JOBS) {
      const job = merged[name]!;
      expect((job.image as { name: string }).name).toBe('$CI_REGISTRY_IMAGE:latest');
      expect(job.variables).toMatchObject({ GIT_STRATEGY: 'none' });
      expect(JSON.stringify([job.before_script, job.script])).not.toMatch(/\bnpm\b|\bnpx\b/);
    }
    expect(merged.default).toBeUndefined();
  });

  it('builds and pushes the image with the tag as its version, and publishes the package to the project registry', async () => {
    const merged = await unchanged.merged({ CI_COMMIT_TAG: '1.2.3' });
    const image = (merged['container-image']!.script as string[]).join('\n');
    expect(image).toContain('docker build --pull --tag "$CI_REGISTRY_IMAGE:$CI_COMMIT_TAG"');
    expect(image).toContain('docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_TAG"');
    expect(merged['container-image']!.services).toEqual([{ name: 'docker:28.5-dind' }]);
    expect((merged['npm-package']!.script as string[]).join('\n')).toContain('npm publish --registry "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages/npm/"');
    expect(merged.release!.release).toMatchObject({ tag_name: '$CI_COMMIT_TAG' });
  });
});
