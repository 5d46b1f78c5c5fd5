import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import type { Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { allRules } from '../../src/rules/index.js';
import { configProblems, stackPerTest } from '../helpers/perTest.js';

// Per-rule switches (issue 19): `rules.<rule-key>.enabled` and `rules.<rule-key>.projects`,
// one entry for every rule in `allRules`, decided by the engine (src/engine/runsOn.ts).

const shippedRaw = (): Record<string, unknown> => parse(readFileSync('config/support-bot.yml', 'utf8')) as Record<string, unknown>;

const problems = (raw: unknown) => configProblems(() => parseConfig(raw, 'test.yml'));

describe('rules.<rule-key> in the config file', () => {
  it('has a switch for every rule, on and unlimited by default', () => {
    const { config } = loadConfig('config/support-bot.yml');
    expect(Object.keys(config.rules).sort()).toEqual(allRules.map((r) => r.key).sort());
    for (const rule of allRules) expect(config.rules[rule.key]).toEqual({ enabled: true });
  });

  it('names an unknown rule by its key, with the rules there are', () => {
    expect(problems({ ...shippedRaw(), rules: { foo: { enabled: false } } })).toEqual([`rules.foo: unknown rule (rules: ${allRules.map((r) => r.key).join(', ')})`]);
  });

  it('names a project key that is not configured, an empty list and an unknown setting', () => {
    expect(problems({ ...shippedRaw(), rules: { 'template-check': { projects: ['feedback', 'nowhere'] } } })).toEqual([
      'rules.template-check.projects[1]: unknown project "nowhere" (known: support-team-meta, internal-requests, feedback, handbook)',
    ]);
    expect(problems({ ...shippedRaw(), rules: { 'template-check': { projects: [] } } })).toEqual([
      'rules.template-check.projects: expected at least one project key (to turn the rule off, set enabled: false)',
    ]);
    expect(problems({ ...shippedRaw(), rules: { 'sensitive-data': { enable: false } } })).toEqual(['rules.sensitive-data.enable: unknown key']);
  });
});

describe('a switched-off or limited rule over the sandbox', () => {
  const start = stackPerTest();

  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const writes = (s: Stack) => s.sandbox.requests.filter((r) => r.method !== 'GET');

  /** Issues without a template in two projects that require one: template-check labels and comments on each. */
  async function sweepWith(rules: Record<string, unknown>): Promise<Stack> {
    const base = loadConfig('config/support-bot.yml');
    const loaded = { ...base, config: parseConfig({ ...shippedRaw(), rules }, 'test.yml') };
    const s = await start({ rules: allRules, hooks: false, loaded });
    const author = s.sandbox.store.findUserByUsername('dana')!;
    for (const path of ['gitlab-com/support/internal-requests', 'gitlab-com/support/feedback']) {
      const project = s.sandbox.store.resolveProject(path)!;
      s.sandbox.store.createIssue(project.id, { title: 'Help please', description: 'Something is wrong.', authorId: author.id });
    }
    await JOBS.sweep(s.runtime, { out: sink });
    return s;
  }

  it('with every rule on, template-check writes in both projects (the baseline)', async () => {
    const stack = await sweepWith({});
    const projects = new Set(writes(stack).map((r) => r.path.split('/')[4]));
    expect(projects.size).toBe(2);
  });

  it('rules.template-check.enabled: false makes no write anywhere', async () => {
    const stack = await sweepWith({ 'template-check': { enabled: false } });
    expect(writes(stack)).toEqual([]);
  });

  it('rules.template-check.projects: [feedback] writes only there', async () => {
    const stack = await sweepWith({ 'template-check': { projects: ['feedback'] } });
    const feedback = stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!;
    const requests = stack.sandbox.store.resolveProject('gitlab-com/support/internal-requests')!;
    expect(writes(stack).length).toBeGreaterThan(0);
    expect(writes(stack).every((r) => r.path.includes(`/projects/${feedback.id}/`))).toBe(true);
    expect(stack.sandbox.store.getIssue(requests.id, 1)!.labels).toEqual([]);
    expect(stack.sandbox.store.getIssue(feedback.id, 1)!.labels).toContain('template::none');
  });
});
