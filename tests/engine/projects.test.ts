import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ProjectRegistry } from '../../src/engine/projects.js';
import type { Project } from '../../src/gitlab/types.js';

// Issue 12 #8: a project made public is protected without a restart.

const config = parseConfig({ projects: { feedback: { path: 'g/feedback' } }, activeNow: { project: 'feedback' } });

function fakeGitLab(initial: Project['visibility']) {
  const state = { visibility: initial, reads: 0, fail: false };
  const gateway = {
    async getProject(): Promise<Project> {
      state.reads += 1;
      if (state.fail) throw new Error('GitLab is down');
      return { id: 7, pathWithNamespace: 'g/feedback', visibility: state.visibility, webUrl: 'https://gitlab.example/g/feedback' } as Project;
    },
  };
  return { state, gateway };
}

describe('ProjectRegistry', () => {
  it('re-reads visibility after gitlab.projectCacheSeconds, not once per process', async () => {
    let now = 0;
    const { state, gateway } = fakeGitLab('private');
    const registry = new ProjectRegistry(config, gateway, () => now);
    expect((await registry.resolve('feedback')).visibility).toBe('private');
    state.visibility = 'public';
    now += 59_000;
    expect((await registry.resolve('feedback')).visibility).toBe('private');
    expect(state.reads).toBe(1);
    now += 1_000;
    expect((await registry.resolve('feedback')).visibility).toBe('public');
    expect(state.reads).toBe(2);
  });

  it('believes a payload that says the project is public at once, with no API call', async () => {
    const { state, gateway } = fakeGitLab('private');
    const registry = new ProjectRegistry(config, gateway, () => 0);
    await registry.resolve('feedback');
    expect((await registry.resolve('feedback', { visibilityLevel: 20 })).visibility).toBe('public');
    // ...and remembers it for the rest of the cache time (a sweep in the same process sees it too).
    expect((await registry.resolve('feedback')).visibility).toBe('public');
    // A payload saying private does not lower what GitLab said.
    expect((await registry.resolve('feedback', { visibilityLevel: 0 })).visibility).toBe('public');
    expect(state.reads).toBe(1);
  });

  it('keeps the last answer when a re-read fails, and asks again next time', async () => {
    let now = 0;
    const { state, gateway } = fakeGitLab('public');
    const registry = new ProjectRegistry(config, gateway, () => now);
    await registry.resolve('feedback');
    state.fail = true;
    now += 61_000;
    expect((await registry.resolve('feedback')).visibility).toBe('public');
    state.fail = false;
    state.visibility = 'private';
    expect((await registry.resolve('feedback')).visibility).toBe('private');
    expect(state.reads).toBe(3);
  });

  it('a first read that fails is an error, not a guess', async () => {
    const { state, gateway } = fakeGitLab('public');
    state.fail = true;
    await expect(new ProjectRegistry(config, gateway).resolve('feedback')).rejects.toThrow('GitLab is down');
  });
});
