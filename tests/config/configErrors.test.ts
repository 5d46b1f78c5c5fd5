import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';

// Issue 12 #4 and #12: every config problem is exit 2, from `config validate` and from
// every command, and the message names the key. Every command loads its config with
// `loadConfig`, which the in-process cases exercise; the CLI cases show the exit codes.

// With its own copy of the message templates beside it (the shipped config uses the bundled ones).
const DEFAULT_CONFIG = readFileSync('config/support-bot.yml', 'utf8').replace('\nbot:\n', '\nbot:\n  messagesDir: messages\n');
const CLI_TIMEOUT = 90_000;

/** A copy of the shipped config and messages in a temporary directory, changed by `edit`. */
function configDir(edit: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-config-'));
  writeFileSync(join(dir, 'support-bot.yml'), DEFAULT_CONFIG);
  cpSync('config/messages', join(dir, 'messages'), { recursive: true });
  edit(dir);
  return join(dir, 'support-bot.yml');
}

function problemsOf(config: string): string[] {
  try {
    loadConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const BOMB = [
  'x:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

describe('config problems found at load time, naming the key', () => {
  it('a messagesDir that does not exist', () => {
    expect(problemsOf(configDir((dir) => rmSync(join(dir, 'messages'), { recursive: true })))).toEqual([expect.stringMatching(/^bot\.messagesDir .*does not exist/)]);
  });

  it('a message template a rule renders that is missing', () => {
    expect(problemsOf(configDir((dir) => rmSync(join(dir, 'messages', 'sensitive-data.hbs'))))).toEqual([
      expect.stringMatching(/^bot\.messagesDir .*sensitive-data\.hbs is missing \(rule sensitive-data renders it\)/),
    ]);
  });

  it('a template with a Handlebars syntax error', () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'template-complete.hbs'), 'Thanks {{#if template}}{{template}}'));
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^bot\.messagesDir .*template-complete\.hbs: /)]);
  });

  it('a template that calls an unknown helper', () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'sla-answered.hbs'), 'After {{shout elapsed}} hours'));
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^bot\.messagesDir .*sla-answered\.hbs line 1: unknown helper "shout"/)]);
  });

  it('a template that uses a variable the rule does not pass', () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'template-complete.hbs'), 'Thanks for {{tempalte}}'));
    expect(problemsOf(config)).toEqual([expect.stringMatching(/template-complete\.hbs: .*tempalte.*rule template-check/)]);
  });

  it('a template that fails only for one branch of its rule (a secret without a vulnerability) is refused at load, not at run time', () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'sensitive-data.hbs'), '{{#if vulnerability}}Report it privately.{{else}}Revoke {{tokenName}}.{{/if}}'));
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^bot\.messagesDir .*sensitive-data\.hbs: .*tokenName.*rule sensitive-data/)]);
  });

  it('a template name that is a directory: the key and the file named, no raw EISDIR', () => {
    const config = configDir((dir) => {
      rmSync(join(dir, 'messages', 'sensitive-data.hbs'));
      mkdirSync(join(dir, 'messages', 'sensitive-data.hbs'));
    });
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^bot\.messagesDir .*: sensitive-data\.hbs is a directory, not a template file$/)]);
  });

  it.each([
    ['not a URL', 'the KPIs dashboard'],
    ['a URL that is not a web page', 'ftp://example.com/kpis'],
  ])('swir.kpiUrl that is %s', (_name, value) => {
    const config = configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), `${DEFAULT_CONFIG.replace(/^swir:\n/m, `swir:\n  kpiUrl: "${value}"\n`)}`));
    expect(problemsOf(config).join('\n')).toMatch(/swir\.kpiUrl/);
  });

  it('a swir.kpiUrl on the web is taken', () => {
    expect(problemsOf(configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), DEFAULT_CONFIG.replace(/^swir:\n/m, 'swir:\n  kpiUrl: https://example.com/kpis\n'))))).toEqual(
      [],
    );
  });

  it('a YAML alias bomb, without expanding it', () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), `${DEFAULT_CONFIG}\n${BOMB}\n`));
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^x\.b\[0\]: YAML aliases expand past 100/)]);
  });
});

describe('dormant.namespaceSection names a heading of the Name Squatting template', () => {
  const withSection = (section: string) =>
    configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), DEFAULT_CONFIG.replace('\ndormant:\n', `\ndormant:\n  namespaceSection: ${JSON.stringify(section)}\n`)));

  it.each(['Requested username', 'Namespace', 'Requested namespace (optional)', 'Username'])('%j names no heading: a problem naming the key', (section) => {
    expect(problemsOf(withSection(section))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^dormant\\.namespaceSection: "${section.replace(/[()]/g, '\\$&')}" is not a heading of the "Name Squatting Request" template \\(its headings: .*Requested namespace`,
        ),
      ),
    ]);
  });

  it.each(['Requested namespace', 'requested namespace', '**Requested namespace**:'])('%j is the heading as the request reader matches it', (section) => {
    expect(problemsOf(withSection(section))).toEqual([]);
  });

  it(
    'config validate exits 2 naming the key',
    async () => {
      const result = await runCli(['config', 'validate', withSection('Requested username')], {}, CLI_TIMEOUT);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('dormant.namespaceSection: "Requested username" is not a heading of the "Name Squatting Request" template');
    },
    CLI_TIMEOUT,
  );
});

describe('config problems are exit 2 from config validate and every command', () => {
  it(
    'config validate, run, handle-event and serve all refuse a missing messagesDir with exit 2',
    async () => {
      const config = configDir((dir) => rmSync(join(dir, 'messages'), { recursive: true }));
      const env = { SUPPORT_BOT_CONFIG: config, GITLAB_TOKEN: 'unused-token', GITLAB_URL: 'http://127.0.0.1:9' };
      const payload = readFileSync('tests/fixtures/webhooks/issue.open.json', 'utf8');
      const results = await Promise.all([
        runCli(['config', 'validate', config], {}, CLI_TIMEOUT),
        runCli(['run', 'sweep'], env, CLI_TIMEOUT),
        runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: payload }, CLI_TIMEOUT),
        runCli(['serve', '--port', '0'], { ...env, GITLAB_WEBHOOK_SECRET: 'config-test-secret' }, CLI_TIMEOUT),
      ]);
      for (const result of results) {
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(/bot\.messagesDir .*does not exist/);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'config validate refuses a broken template and an alias bomb with exit 2',
    async () => {
      const [template, bomb] = await Promise.all([
        runCli(['config', 'validate', configDir((dir) => writeFileSync(join(dir, 'messages', 'sla-answered.hbs'), '{{shout elapsed}}'))], {}, CLI_TIMEOUT),
        runCli(['config', 'validate', configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), `${DEFAULT_CONFIG}\n${BOMB}\n`))], {}, CLI_TIMEOUT),
      ]);
      expect(template.code).toBe(2);
      expect(template.stderr).toMatch(/bot\.messagesDir .*sla-answered\.hbs line 1: unknown helper "shout"/);
      expect(bomb.code).toBe(2);
      expect(bomb.stderr).toMatch(/x\.b\[0\]: YAML aliases expand past 100/);
    },
    CLI_TIMEOUT,
  );
});
