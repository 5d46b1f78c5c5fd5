#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { packageVersion } from './shipped/files.js';
import { redactStandardStreams } from './gitlab/errors.js';

// The command line. Each command's module is imported only when that command runs,
// so `--help` stays fast.

/** Exit codes: 0 done, 1 failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

/** The environment variables commands read, with what each is for (listed in every command's --help). */
const ENV = {
  GITLAB_URL: 'the GitLab instance (default: gitlab.url in the config)',
  GITLAB_TOKEN: "the bot user's token, with the api scope (required)",
  GITLAB_WEBHOOK_SECRET: 'the secret token configured on the GitLab webhook',
  PORT: 'port to listen on (default: server.port)',
  SUPPORT_BOT_CONFIG: "the config file (default: config/support-bot.yml, GitLab Support's own setup)",
  LOG_LEVEL: 'fatal | error | warn | info (default) | debug | trace; debug also logs stack traces',
  TRIGGER_PAYLOAD: 'the webhook body, a file path or the JSON itself (pipeline triggers)',
  SUPPORT_BOT_USERNAME: "the bot's username, so its own events cost no API call",
  CI_MERGE_REQUEST_IID: 'set by GitLab CI in merge request pipelines',
  CI_MERGE_REQUEST_PROJECT_ID: 'set by GitLab CI in merge request pipelines',
  CI_PROJECT_ID: "set by GitLab CI: the pipeline's project",
  CI_SERVER_URL: 'set by GitLab CI: the instance, when GITLAB_URL is not set',
} as const;
type EnvName = keyof typeof ENV;

/** The block `--help` ends with: the environment variables this command reads. */
function envHelp(names: readonly EnvName[]): string {
  if (names.length === 0) return '\nEnvironment: none read.';
  const width = Math.max(...names.map((n) => n.length));
  return `\nEnvironment:\n${names.map((n) => `  ${n.padEnd(width)}  ${ENV[n]}`).join('\n')}`;
}

const GITLAB: EnvName[] = ['GITLAB_URL', 'GITLAB_TOKEN', 'SUPPORT_BOT_CONFIG', 'LOG_LEVEL'];

async function main(argv: string[]): Promise<number> {
  redactStandardStreams();
  const program = new Command()
    .name('support-bot')
    .description('GitLab automation for a Support team: triage, templates, approvals, reports.')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run support-bot --help for usage)');

  let exitCode: number = EXIT.ok;
  const run =
    (load: () => Promise<(...args: never[]) => Promise<number>>) =>
    async (...args: unknown[]) => {
      const handler = await load();
      exitCode = await handler(...(args as never[]));
    };

  program
    .command('serve')
    .addHelpText('after', envHelp(['GITLAB_URL', 'GITLAB_TOKEN', 'GITLAB_WEBHOOK_SECRET', 'PORT', 'SUPPORT_BOT_CONFIG', 'LOG_LEVEL']))
    .description('Run the webhook server (POST /webhook, GET /healthz, GET /metrics)')
    .option('--port <port>', 'port to listen on (default: PORT or server.port)', port)
    .action(run(async () => (await import('./commands/serve.js')).serveCommand));

  program
    .command('run')
    .addHelpText('after', envHelp(GITLAB))
    .description('Run a scheduled job once')
    .argument('<job>', 'sweep | sla | dormant | swir')
    .option('--dry-run', 'print the plan without writing anything', false)
    .option('--apply-rename', 'dormant: release eligible namespaces (also needs dormant.allowRename and an administrator token)', false)
    .option('--week <YYYY-Www>', 'swir: the ISO week to review (default: the current one in swir.timezone)')
    .option('--output <file>', 'swir: also write the review as Markdown to this file (a directory ending in "/" gets swir-<week>.md)')
    .action(run(async () => (await import('./commands/run.js')).runCommand));

  program
    .command('check-mr')
    .addHelpText(
      'after',
      envHelp(['GITLAB_TOKEN', 'GITLAB_URL', 'CI_SERVER_URL', 'CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_PROJECT_ID', 'CI_PROJECT_ID', 'SUPPORT_BOT_CONFIG', 'LOG_LEVEL']),
    )
    .description('In a merge request pipeline: does the merge request carry a visible artifact of approval? Exit 0 yes (or out of scope), 1 no, 2 a CI variable missing')
    .option('--set-status', 'also set the commit status on the head commit (otherwise nothing is written)', false)
    .option('--dry-run', 'with --set-status: print the status without setting it', false)
    .action(run(async () => (await import('./commands/checkMr.js')).checkMrCommand));

  program
    .command('handle-event')
    .addHelpText('after', envHelp(['TRIGGER_PAYLOAD', 'SUPPORT_BOT_USERNAME', ...GITLAB]))
    .description('CI job mode for pipeline triggers: handle one webhook body (--payload FILE or $TRIGGER_PAYLOAD) and exit')
    .option('--payload <file>', 'webhook body as JSON (default: TRIGGER_PAYLOAD, a file path or the JSON itself)')
    .option('--dry-run', 'print the plan without writing anything', false)
    .action(run(async () => (await import('./commands/handleEvent.js')).handleEventCommand));

  program
    .command('replay')
    .addHelpText('after', envHelp(['GITLAB_WEBHOOK_SECRET']))
    .description("POST a saved webhook body to a running server with GitLab's delivery headers")
    .argument('<file>', 'the webhook body (JSON), e.g. tests/fixtures/webhooks/issue.open.json')
    .option('--url <url>', 'the webhook endpoint', 'http://127.0.0.1:3000/webhook')
    .option('--idempotency-key <key>', "reuse a delivery's Idempotency-Key (a resend)")
    .action(run(async () => (await import('./commands/replay.js')).replayCommand));

  program
    .command('sandbox')
    .addHelpText('after', envHelp([]))
    .description('Run the embedded GitLab API simulator as a standalone server')
    .option('--port <port>', 'port to listen on', port, 3080)
    .option('--seed <seed>', 'demo | empty', 'demo')
    .action(run(async () => (await import('./commands/sandbox.js')).sandboxCommand));

  program
    .command('demo')
    .addHelpText('after', envHelp([]))
    .description('Sandbox + bot in one process: open issues as a team would and print what the bot did')
    .option('--out <dir>', 'where to write the reports', 'out')
    .action(run(async () => (await import('./commands/demo.js')).demoCommand));

  program
    .command('init')
    .addHelpText('after', envHelp(['GITLAB_URL', 'GITLAB_TOKEN']))
    .description("Write a starter config for your own group: every label, template and schedule spelled out (the shipped default is GitLab Support's own setup)")
    .requiredOption('--group <path>', 'your group, e.g. my-org/support (also the team whose comments count as first responses)')
    .option('--projects <a,b,c>', "projects in the group (names or full paths; default: the group's projects, read from GitLab)")
    .option('--out <file>', 'where to write it (never overwritten)', 'support-bot.yml')
    .action(run(async () => (await import('./commands/init.js')).initCommand));

  const templates = program.command('templates').description('Issue templates the bot enforces');
  templates
    .command('sync')
    .addHelpText('after', envHelp(GITLAB))
    .description(
      `Propose the shipped templates for each project's .gitlab/issue_templates/ through one merge request per project, from the branch support-bot/issue-templates (kept up to date; never a commit to the default branch; nothing written when nothing differs)`,
    )
    .option('--dry-run', 'print the diff each merge request would propose, writing nothing', false)
    .action(run(async () => (await import('./commands/templates.js')).templatesSyncCommand));

  const labels = program.command('labels').description('The labels the configuration uses');
  labels
    .command('sync')
    .addHelpText('after', envHelp(GITLAB))
    .description('Create or update every label the config uses, in each project where a feature uses it, with a colour and a description (only what differs)')
    .option('--dry-run', 'print each label change and why, writing nothing', false)
    .action(run(async () => (await import('./commands/labels.js')).labelsSyncCommand));

  const schedules = program.command('schedules').description('GitLab pipeline schedules for the scheduled jobs');
  schedules
    .command('sync')
    .addHelpText('after', envHelp([...GITLAB, 'CI_PROJECT_ID']))
    .description('Create or update one pipeline schedule per job in schedules.jobs (variable SUPPORT_BOT_JOB), only where different')
    .option('--project <project>', "the bot's own project (default: schedules.project, else CI_PROJECT_ID)")
    .option('--dry-run', 'print the changes without writing anything', false)
    .action(run(async () => (await import('./commands/schedules.js')).schedulesSyncCommand));

  const config = program.command('config').description('Configuration tools');
  config
    .command('validate')
    .addHelpText('after', envHelp(['SUPPORT_BOT_CONFIG', 'GITLAB_URL', 'GITLAB_TOKEN', 'LOG_LEVEL']))
    .description('Load and validate a config file; print each problem with its key path')
    .argument('[file]', 'config file (default: SUPPORT_BOT_CONFIG or config/support-bot.yml)')
    .option(
      '--remote',
      'also read the projects and the team group from GitLab (GITLAB_URL, GITLAB_TOKEN) and warn about configured labels a project lacks, a team group the bot is not a member of, and a role too low for what the bot does there',
    )
    .action(run(async () => (await import('./commands/configValidate.js')).configValidateCommand));
  config
    .command('schema')
    .addHelpText('after', envHelp(['SUPPORT_BOT_CONFIG']))
    .description("Print this version's config JSON Schema; with --write, write it beside the config as support-bot.schema.json (what init wrote), e.g. after an upgrade")
    .argument('[file]', 'config file (default: SUPPORT_BOT_CONFIG or config/support-bot.yml)')
    .option('--write', 'write support-bot.schema.json beside the config instead of printing it')
    .action(run(async () => (await import('./commands/configSchema.js')).configSchemaCommand));

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { redactSecrets } = await import('./gitlab/errors.js');
    process.stderr.write(redactSecrets(`support-bot: ${(error as Error)?.message ?? String(error)}\n`));
    process.exitCode = EXIT.failed;
  },
);
