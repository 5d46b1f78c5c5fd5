import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Issue 12 #4 and #12: every config problem is exit 2, from `config validate` and from
// every command, and the message names the key.

const DEFAULT_CONFIG = readFileSync('config/support-bot.yml', 'utf8');

/** A copy of the shipped config and messages in a temporary directory, changed by `edit`. */
function configDir(edit: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-config-'));
  writeFileSync(join(dir, 'support-bot.yml'), DEFAULT_CONFIG);
  cpSync('config/messages', join(dir, 'messages'), { recursive: true });
  edit(dir);
  return join(dir, 'support-bot.yml');
}

/** `config validate`, `run sweep`, `handle-event` and `serve`: all must refuse the config with exit 2, naming the key. */
async function expectRefusedByValidate(config: string, key: RegExp): Promise<void> {
  const result = await runCli(['config', 'validate', config]);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(key);
}

async function expectRefusedEverywhere(config: string, key: RegExp): Promise<void> {
  const env = { SUPPORT_BOT_CONFIG: config, GITLAB_TOKEN: 'unused-token', GITLAB_URL: 'http://127.0.0.1:9' };
  const payload = readFileSync('tests/fixtures/webhooks/issue.open.json', 'utf8');
  const results = await Promise.all([
    runCli(['config', 'validate', config]),
    runCli(['run', 'sweep'], env),
    runCli(['handle-event'], { ...env, TRIGGER_PAYLOAD: payload }),
    runCli(['serve', '--port', '0'], { ...env, GITLAB_WEBHOOK_SECRET: 's' }),
  ]);
  for (const result of results) {
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(key);
  }
}

describe.concurrent('config errors are exit 2 everywhere, naming the key', () => {
  it('a messagesDir that does not exist', async () => {
    const config = configDir((dir) => rmSync(join(dir, 'messages'), { recursive: true }));
    await expectRefusedEverywhere(config, /bot\.messagesDir .*does not exist/);
  });

  it('a message template a rule renders that is missing', async () => {
    const config = configDir((dir) => rmSync(join(dir, 'messages', 'sensitive-data.hbs')));
    await expectRefusedEverywhere(config, /bot\.messagesDir .*sensitive-data\.hbs is missing \(rule sensitive-data renders it\)/);
  });

  it('a template with a Handlebars syntax error', async () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'template-complete.hbs'), 'Thanks {{#if template}}{{template}}'));
    await expectRefusedByValidate(config, /bot\.messagesDir .*template-complete\.hbs: /);
  });

  it('a template that calls an unknown helper', async () => {
    const config = configDir((dir) => writeFileSync(join(dir, 'messages', 'sla-answered.hbs'), 'After {{shout elapsed}} hours'));
    await expectRefusedByValidate(config, /bot\.messagesDir .*sla-answered\.hbs line 1: unknown helper "shout"/);
  });

  it('a template that uses a variable the rule does not pass', async () => {
    const result = await runCli(['config', 'validate', configDir((dir) => writeFileSync(join(dir, 'messages', 'template-complete.hbs'), 'Thanks for {{tempalte}}'))]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/template-complete\.hbs: .*tempalte.*rule template-check/);
  });

  it('a YAML alias bomb, without expanding it', async () => {
    const bomb = [
      'x:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    const config = configDir((dir) => writeFileSync(join(dir, 'support-bot.yml'), `${DEFAULT_CONFIG}\n${bomb}\n`));
    await expectRefusedEverywhere(config, /x\.b\[0\]: YAML aliases expand past 100/);
  });
});
