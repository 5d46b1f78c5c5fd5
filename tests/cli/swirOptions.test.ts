import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSwirOptions } from '../../src/commands/swirOptions.js';
import { SetupError } from '../../src/config/env.js';
import { runCli } from '../helpers/cli.js';

// Issue 21, case 15: `run swir --week` out of range and `--output` naming a directory are
// refused before anything runs, with the reason (exit 2), never a week of 1900 or a raw EISDIR.

const dir = mkdtempSync(join(tmpdir(), 'support-bot-swir-options-'));
mkdirSync(join(dir, 'reports'));
writeFileSync(join(dir, 'review.md'), 'old');

function refusal(options: { week?: string; output?: string }): string | undefined {
  try {
    checkSwirOptions(options);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SetupError);
    return (error as Error).message;
  }
}

describe('--week', () => {
  it.each([
    ['0000-W01', /out of range/],
    ['0001-W01', /out of range/],
    ['1899-W52', /out of range/],
    ['1969-W01', /out of range/],
    ['2026-W00', /2026 has weeks 01 to 53/],
    ['2026-W54', /2026 has weeks 01 to 53/],
    ['2025-W53', /2025 has weeks 01 to 52/],
    ['2026-W1', /expected an ISO week like "2026-W48"/],
    ['20260-W01', /expected an ISO week/],
    ['-001-W01', /expected an ISO week/],
    ['2026-48', /expected an ISO week/],
    ['', /expected an ISO week/],
  ])('%s is refused', (week, reason) => {
    expect(refusal({ week })).toMatch(reason);
  });

  it.each(['1970-W01', '2026-W01', '2026-W53', '2020-W53', '9999-W52'])('%s is a week', (week) => {
    expect(refusal({ week })).toBeUndefined();
  });
});

describe('--output', () => {
  it('an existing directory without a trailing "/" is refused with what to write instead', () => {
    expect(refusal({ output: join(dir, 'reports') })).toBe(`--output: "${join(dir, 'reports')}" is a directory; end it with "/" to write swir-<week>.md into it, or name a file`);
    expect(refusal({ output: dir })).toMatch(/is a directory/);
  });

  it.each([join(dir, 'reports/'), join(dir, 'review.md'), join(dir, 'new', 'review.md'), join(dir, 'fresh/')])('%s is fine', (output) => {
    expect(refusal({ output })).toBeUndefined();
  });

  it('empty is refused', () => {
    expect(refusal({ output: '' })).toMatch(/expected a file/);
  });
});

describe('the CLI', () => {
  it('exits 2 naming the option, before reading GitLab', async () => {
    const week = await runCli(['run', 'swir', '--week', '0000-W01'], { GITLAB_TOKEN: 'x', GITLAB_URL: 'http://127.0.0.1:9' });
    expect(week.code).toBe(2);
    expect(week.stderr).toMatch(/--week: "0000-W01" is out of range/);
    const output = await runCli(['run', 'swir', '--week', '2026-W10', '--output', join(dir, 'reports')], { GITLAB_TOKEN: 'x', GITLAB_URL: 'http://127.0.0.1:9' });
    expect(output.code).toBe(2);
    expect(output.stderr).toMatch(/--output: .* is a directory/);
    expect(output.stderr).not.toMatch(/EISDIR/);
  }, 60_000);
});
