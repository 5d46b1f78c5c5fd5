import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/load.js';

function problems(text: string): string[] {
  try {
    parseConfigText(text, 'test.yml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('loads the default config with the real project paths', () => {
    const { config } = loadConfig('config/support-bot.yml');
    expect(config.projects['internal-requests']?.path).toBe('gitlab-com/support/internal-requests');
    expect(config.projects['support-team-meta']?.path).toBe('gitlab-com/support/support-team-meta');
    expect(config.projects.feedback?.path).toBe('gitlab-com/support/feedback');
  });

  it('the shipped config leaves bot.messagesDir out: copied anywhere, it loads with the shipped templates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipped-config-'));
    try {
      copyFileSync('config/support-bot.yml', join(dir, 'support-bot.yml'));
      const { config, render } = loadConfig(join(dir, 'support-bot.yml'));
      expect(config.bot.messagesDir).toBeUndefined();
      expect(render!.render('request-form-redirect', { formUrl: 'https://form.example/', matched: ['trial'], template: '' })).toContain('https://form.example/');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts numeric project ids', () => {
    expect(problems('projects:\n  feedback:\n    path: 42\nactiveNow:\n  project: feedback\n')).toEqual([]);
  });

  it('takes a quoted id as the id, and still refuses a name without its group', () => {
    expect(parseConfigText('projects:\n  feedback:\n    path: "42"\nactiveNow:\n  project: feedback\n', 'test.yml').projects.feedback?.path).toBe(42);
    expect(problems('projects:\n  feedback:\n    path: "feedback"\nactiveNow:\n  project: feedback\n')).toEqual([
      expect.stringMatching(/^projects\.feedback\.path: expected a full project path/),
    ]);
  });

  it('names an unknown key', () => {
    expect(problems('projects:\n  feedback:\n    path: a/b\n    colour: red\nactiveNow:\n  project: feedback\n')).toEqual(['projects.feedback.colour: unknown key']);
    expect(problems('gitlab:\n  bogus: 1\n  also: 2\n')).toEqual(expect.arrayContaining(['gitlab.bogus: unknown key', 'gitlab.also: unknown key']));
  });

  it('names a wrong type and an empty project path', () => {
    const found = problems('gitlab:\n  retries: lots\nprojects:\n  feedback:\n    path: ""\n');
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^gitlab\.retries: /), expect.stringMatching(/^projects\.feedback\.path: /)]));
  });

  it('checks that templates point at configured projects', () => {
    const text = ['projects:', '  feedback:', '    path: a/b', 'activeNow:', '  project: feedback', 'templates:', '  - name: X', '    slug: x', '    project: nowhere'].join('\n');
    expect(problems(text)).toEqual(['templates[0].project: unknown project "nowhere" (known: feedback)']);
  });

  it('reports broken YAML without throwing anything else', () => {
    expect(problems('projects: [unclosed')[0]).toMatch(/^YAML: /);
  });

  it('a missing file named by the user is "not found"; one from SUPPORT_BOT_CONFIG says where the path came from', () => {
    expect(() => loadConfig('/nonexistent/support-bot.yml')).toThrow(/^config \/nonexistent\/support-bot\.yml: not found$/);
    const before = process.env.SUPPORT_BOT_CONFIG;
    process.env.SUPPORT_BOT_CONFIG = '/nonexistent/env.yml';
    try {
      expect(() => loadConfig()).toThrow('config /nonexistent/env.yml: not found (the path SUPPORT_BOT_CONFIG gives)');
    } finally {
      if (before === undefined) delete process.env.SUPPORT_BOT_CONFIG;
      else process.env.SUPPORT_BOT_CONFIG = before;
    }
  });
});
