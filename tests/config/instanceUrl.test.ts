import { describe, expect, it } from 'vitest';
import { readEnv, SetupError } from '../../src/config/env.js';
import { configSchemaFor } from '../../src/config/schema.js';
import { allRules } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';

// A GitLab URL the gateway cannot use is an operator's mistake: exit 2 naming the variable or
// key, at once. Before, `GITLAB_URL=notaurl` exited 1 with only a JSON log line, and an
// `ftp://` URL or one ending in /api/v4 retried for minutes or read every project as 404.

describe('the GitLab instance URL', () => {
  it.each([
    ['notaurl', 'is not a URL'],
    ['ftp://gitlab.example.com', 'http(s)'],
    ['https://gitlab.example.com/api/v4', 'without /api/v4'],
    ['https://gitlab.example.com/api/v4/', 'without /api/v4'],
    ['https://gitlab.example.com/?x=1', 'query'],
    ['https://user:pw@gitlab.example.com', 'credentials'],
  ])('GITLAB_URL=%s is refused naming the variable', (value, words) => {
    expect(() => readEnv({ GITLAB_URL: value })).toThrow(SetupError);
    expect(() => readEnv({ GITLAB_URL: value })).toThrow(new RegExp(`^env: GITLAB_URL .*${words.replace(/[()/]/g, '\\$&')}`));
  });

  it.each(['https://gitlab.com', 'http://127.0.0.1:3080', 'https://example.com/gitlab', 'https://gitlab.example.com/'])('%s is accepted', (value) => {
    expect(readEnv({ GITLAB_URL: value }).gitlabUrl).toBe(value);
  });

  it('gitlab.url in the config gets the same check, naming the key', () => {
    const result = configSchemaFor(allRules).safeParse({ gitlab: { url: 'https://gitlab.example.com/api/v4' }, projects: { a: { path: 'g/p' } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toContainEqual(expect.stringMatching(/^gitlab\.url: .*without \/api\/v4/));
  });

  it('the CLI exits 2 with a one-line reason before any request', async () => {
    const result = await runCli(['run', 'sweep', '--dry-run'], { GITLAB_URL: 'notaurl', GITLAB_TOKEN: 'instance-url-test-token' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('support-bot: env: GITLAB_URL is not a URL, e.g. https://gitlab.example.com');
  });
});
