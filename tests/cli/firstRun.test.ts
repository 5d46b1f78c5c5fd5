import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, SHIPPED_CLI, startCli } from '../helpers/cli.js';

// What a new user meets first (issue 19): --version, the environment each command reads in
// its --help, a missing config file, a broken YAML line, the sandbox's hint.

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('first run', () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  const commands: [string[], string[]][] = [
    [['serve'], ['GITLAB_URL', 'GITLAB_TOKEN', 'GITLAB_WEBHOOK_SECRET', 'PORT', 'SUPPORT_BOT_CONFIG']],
    [['run'], ['GITLAB_URL', 'GITLAB_TOKEN', 'SUPPORT_BOT_CONFIG', 'LOG_LEVEL']],
    [['check-mr'], ['GITLAB_TOKEN', 'CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_PROJECT_ID', 'CI_SERVER_URL']],
    [['handle-event'], ['TRIGGER_PAYLOAD', 'SUPPORT_BOT_USERNAME', 'GITLAB_TOKEN']],
    [['replay'], ['GITLAB_WEBHOOK_SECRET']],
    [
      ['templates', 'sync'],
      ['GITLAB_URL', 'GITLAB_TOKEN', 'SUPPORT_BOT_CONFIG'],
    ],
    [
      ['labels', 'sync'],
      ['GITLAB_URL', 'GITLAB_TOKEN', 'SUPPORT_BOT_CONFIG'],
    ],
    [
      ['schedules', 'sync'],
      ['GITLAB_URL', 'GITLAB_TOKEN', 'CI_PROJECT_ID'],
    ],
    [
      ['config', 'validate'],
      ['SUPPORT_BOT_CONFIG', 'GITLAB_URL', 'GITLAB_TOKEN'],
    ],
    [['init'], ['GITLAB_URL', 'GITLAB_TOKEN']],
    [['sandbox'], []],
    [['demo'], []],
  ];

  it('every command\'s --help ends with the environment variables it reads ("none read" where none)', async () => {
    const results = await Promise.all(commands.map(([args]) => runCli([...args, '--help'])));
    results.forEach((result, i) => {
      const [args, names] = commands[i]!;
      expect(result.code, args.join(' ')).toBe(0);
      const env = result.stdout.slice(result.stdout.indexOf('\nEnvironment:'));
      expect(env, args.join(' ')).toMatch(/^\nEnvironment:/);
      if (names.length === 0) expect(env.trim(), args.join(' ')).toBe('Environment: none read.');
      for (const name of names) expect(env, `${args.join(' ')} lists ${name}`).toMatch(new RegExp(`\\n  ${name} +\\S`));
    });
  });

  it('config validate FILE for a missing file says "not found" and does not point at SUPPORT_BOT_CONFIG', async () => {
    const result = await runCli(['config', 'validate', '/nonexistent/support-bot.yml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('support-bot: config /nonexistent/support-bot.yml: not found\n');
  });

  it('a broken YAML line is quoted with its number, for a corpus of mistakes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-bot-yaml-'));
    const corpus: [string, number][] = [
      ['projects:\n  a:\n    path: [unclosed\n', 3],
      ['projects:\n  a: {path: "x/y"\n  b: 1\n', 3],
      ['gitlab:\n\turl: https://gitlab.com\nprojects: {}\n', 2],
      ['projects:\n  a:\n    path: x/y\n   bad: indent\n', 4],
    ];
    const results = await Promise.all(
      corpus.map(([text], i) => {
        const file = join(dir, `bad-${i}.yml`);
        writeFileSync(file, text);
        return runCli(['config', 'validate', file]);
      }),
    );
    results.forEach((result, i) => {
      const [text, line] = corpus[i]!;
      expect(result.code, text).toBe(2);
      expect(result.stderr, text).toContain(`\n      ${line} | ${text.split('\n')[line - 1]}\n`);
    });
  });

  it('the sandbox hints at npx support-bot', async () => {
    const { child, output } = await startCli(['sandbox', '--port', '0'], {}, /Try: .*\n/);
    expect(output()).toMatch(/Try: GITLAB_URL=http:\/\/127\.0\.0\.1:\d+ GITLAB_TOKEN=\S+ npx support-bot run sweep --dry-run/);
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await exited;
  });
});

describe('support-bot init', () => {
  it('writes a starter config for your group that loads, spells out every label, template and schedule, and names nothing of gitlab-com/support', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-bot-init-'));
    const out = join(dir, 'support-bot.yml');
    const result = await runCli(['init', '--group', 'acme/help', '--projects', 'requests,meta', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/gitlab-com|gitlab-com\.gitlab\.io\/support/);
    for (const key of ['templateNone', 'needsInfo', 'ready', 'slaAtRisk', 'dormantEligible', 'approvalPresent', 'swir']) expect(text).toMatch(new RegExp(`\\n  ${key}: \\S`));
    for (const name of ['Contact Request', 'Name Squatting Request', 'Support Readiness', 'Support Shadow Program', 'Indirect Feedback']) expect(text).toContain(`- name: ${name}`);
    for (const job of ['sweep', 'sla', 'dormant', 'swir']) expect(text).toMatch(new RegExp(`\\n    ${job}: \\S`));
    expect(text).toContain('path: acme/help/requests');
    expect(text).toContain('teamGroup: acme/help');
    const validated = await runCli(['config', 'validate', out]);
    expect(validated).toMatchObject({ code: 0, stdout: `ok: ${out} (2 projects, 5 templates)\n` });
    // Editors complete and check it through the schema written beside it (issue 22).
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./support-bot.schema.json');
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(dir, 'support-bot.schema.json'), 'utf8')) as object);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(parse(text) as object), bogus: 1 })).toBe(false);
    // Never overwrites.
    const again = await runCli(['init', '--group', 'acme/help', '--projects', 'requests', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists');
  });

  it("after an upgrade, config validate says the schema beside the config is another version's, and config schema --write refreshes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'support-bot-schema-'));
    const out = join(dir, 'support-bot.yml');
    expect((await runCli(['init', '--group', 'acme/help', '--projects', 'requests', '--out', out])).code).toBe(0);
    const schemaFile = join(dir, 'support-bot.schema.json');
    // What an earlier version wrote: a schema without a key this version has.
    const older = JSON.parse(readFileSync(schemaFile, 'utf8')) as { properties: Record<string, unknown> };
    delete older.properties.notifications;
    writeFileSync(schemaFile, `${JSON.stringify(older, null, 2)}\n`);
    const stale = await runCli(['config', 'validate', out]);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain(
      `warning: support-bot.schema.json beside ${out} is not this version's schema (editors check the config against it): refresh it with \`npx support-bot config schema --write\``,
    );
    const printed = await runCli(['config', 'schema']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toHaveProperty('properties.notifications');
    expect(await runCli(['config', 'schema', out, '--write'])).toMatchObject({ code: 0, stdout: `wrote ${schemaFile}\n` });
    expect(readFileSync(schemaFile, 'utf8')).toBe(printed.stdout);
    expect(await runCli(['config', 'validate', out])).toMatchObject({ code: 0, stdout: `ok: ${out} (1 projects, 5 templates)\n` });
  });

  it('relies on the shipped messages: the config validates from another directory, and after the bundle is upgraded or moved', async () => {
    // The bundle that writes the config, in a folder of its own, as an operator installs it.
    const installed = mkdtempSync(join(tmpdir(), 'support-bot-installed-'));
    const bundle = join(installed, 'support-bot.mjs');
    copyFileSync(SHIPPED_CLI.bundle, bundle);
    const out = join(mkdtempSync(join(tmpdir(), 'support-bot-init-')), 'support-bot.yml');
    const elsewhere = mkdtempSync(join(tmpdir(), 'support-bot-cwd-'));
    const written = await runCli(['init', '--group', 'acme/help', '--projects', 'requests', '--out', out], {}, 30_000, { cli: bundle, cwd: elsewhere });
    expect(written.code, written.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/^ *messagesDir:/m);
    expect(text).not.toContain(installed);
    const ok = { code: 0, stdout: `ok: ${out} (1 projects, 5 templates)\n` };
    expect(await runCli(['config', 'validate', out], {}, 30_000, { cli: bundle, cwd: elsewhere })).toMatchObject(ok);
    // Upgraded or moved: the old location is gone, the bot runs from another.
    const moved = join(mkdtempSync(join(tmpdir(), 'support-bot-moved-')), 'support-bot.mjs');
    renameSync(bundle, moved);
    rmSync(installed, { recursive: true });
    expect(await runCli(['config', 'validate', out], {}, 30_000, { cli: moved, cwd: elsewhere })).toMatchObject(ok);
    // And from the tsc build, the npm package's other shape.
    expect(await runCli(['config', 'validate', out], {}, 30_000, { cwd: elsewhere })).toMatchObject(ok);
  });

  it('makes the folder --out names when it does not exist yet', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'support-bot-init-')), 'ops', 'bot', 'support-bot.yml');
    const result = await runCli(['init', '--group', 'acme/help', '--projects', 'requests', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(await runCli(['config', 'validate', out])).toMatchObject({ code: 0, stdout: `ok: ${out} (1 projects, 5 templates)\n` });
  });
});
