import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue 22: the README is a front page of at most 15 KB, its quick start for one's own group
// before the reference material (issue 19), everything else in docs/ behind links that resolve.

const readme = readFileSync('README.md', 'utf8');
const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);

describe('README.md', () => {
  it('is at most 15 KB', () => {
    expect(statSync('README.md').size).toBeLessThanOrEqual(15_000);
  });

  it('opens with the two commands and a quick start for your own group, before install and the documentation', () => {
    expect(headings.slice(0, 2)).toEqual(['Two commands', 'Quick start for your own group']);
    expect(headings.indexOf('Documentation')).toBeGreaterThan(headings.indexOf('Quick start for your own group'));
  });

  it("says the shipped default is GitLab Support's own setup, and goes init, validate --remote, labels sync, a dry run, then live", () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    expect(quickStart).toContain("GitLab Support's own setup");
    const steps = ['support-bot init --group', 'support-bot config validate --remote', 'support-bot labels sync', 'support-bot run sweep --dry-run', 'support-bot run sweep  '];
    const at = steps.map((step) => quickStart.indexOf(step));
    expect(
      at.every((i) => i >= 0),
      `steps at ${at.join(', ')}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('links only to files that exist', () => {
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !existsSync(t))).toEqual([]);
  });
});
