#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';

// The command line. Each command's module is imported only when that command runs,
// so `--help` stays fast.

/** Exit codes: 0 done, 1 failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('support-bot')
    .description('GitLab automation for a Support team: triage, templates, approvals, reports.')
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
    .description('Run the webhook server (POST /webhook, GET /healthz, GET /metrics)')
    .option('--port <port>', 'port to listen on (default: PORT or server.port)', port)
    .action(run(async () => (await import('./commands/serve.js')).serveCommand));

  program
    .command('run')
    .description('Run a scheduled job once')
    .argument('<job>', 'sweep | sla | dormant | swir')
    .option('--dry-run', 'print the plan without writing anything', false)
    .option('--apply-rename', 'dormant: release eligible namespaces (also needs dormant.allowRename and an administrator token)', false)
    .option('--week <YYYY-Www>', 'swir: the ISO week to review (default: the current one in swir.timezone)')
    .option('--output <file>', 'swir: also write the review as Markdown to this file (a directory ending in "/" gets swir-<week>.md)')
    .action(run(async () => (await import('./commands/run.js')).runCommand));

  program
    .command('check-mr')
    .description('In a merge request pipeline: does the merge request carry a visible artifact of approval? Exit 0 yes (or out of scope), 1 no, 2 a CI variable missing')
    .option('--set-status', 'also set the commit status on the head commit (otherwise nothing is written)', false)
    .option('--dry-run', 'with --set-status: print the status without setting it', false)
    .action(run(async () => (await import('./commands/checkMr.js')).checkMrCommand));

  program
    .command('handle-event')
    .description('CI job mode for pipeline triggers: handle one webhook body (--payload FILE or $TRIGGER_PAYLOAD) and exit')
    .option('--payload <file>', 'webhook body as JSON (default: TRIGGER_PAYLOAD, a file path or the JSON itself)')
    .option('--dry-run', 'print the plan without writing anything', false)
    .action(run(async () => (await import('./commands/handleEvent.js')).handleEventCommand));

  program
    .command('replay')
    .description("POST a saved webhook body to a running server with GitLab's delivery headers")
    .argument('<file>', 'the webhook body (JSON), e.g. tests/fixtures/webhooks/issue.open.json')
    .option('--url <url>', 'the webhook endpoint', 'http://127.0.0.1:3000/webhook')
    .option('--idempotency-key <key>', "reuse a delivery's Idempotency-Key (a resend)")
    .action(run(async () => (await import('./commands/replay.js')).replayCommand));

  program
    .command('sandbox')
    .description('Run the embedded GitLab API simulator as a standalone server')
    .option('--port <port>', 'port to listen on', port, 3080)
    .option('--seed <seed>', 'demo | empty', 'demo')
    .action(run(async () => (await import('./commands/sandbox.js')).sandboxCommand));

  program
    .command('demo')
    .description('Sandbox + bot in one process: open issues as a team would and print what the bot did')
    .option('--out <dir>', 'where to write the reports', 'out')
    .action(run(async () => (await import('./commands/demo.js')).demoCommand));

  const templates = program.command('templates').description('Issue templates the bot enforces');
  templates
    .command('sync')
    .description(
      `Propose the shipped templates for each project's .gitlab/issue_templates/ through one merge request per project, from the branch support-bot/issue-templates (kept up to date; never a commit to the default branch; nothing written when nothing differs)`,
    )
    .option('--dry-run', 'print the diff each merge request would propose, writing nothing', false)
    .action(run(async () => (await import('./commands/templates.js')).templatesSyncCommand));

  const labels = program.command('labels').description('The labels the configuration uses');
  labels
    .command('sync')
    .description('Create or update every label the config uses, in each project where a feature uses it, with a colour and a description (only what differs)')
    .option('--dry-run', 'print each label change and why, writing nothing', false)
    .action(run(async () => (await import('./commands/labels.js')).labelsSyncCommand));

  const schedules = program.command('schedules').description('GitLab pipeline schedules for the scheduled jobs');
  schedules
    .command('sync')
    .description('Create or update one pipeline schedule per job in schedules.jobs (variable SUPPORT_BOT_JOB), only where different')
    .option('--project <project>', "the bot's own project (default: schedules.project, else CI_PROJECT_ID)")
    .option('--dry-run', 'print the changes without writing anything', false)
    .action(run(async () => (await import('./commands/schedules.js')).schedulesSyncCommand));

  const config = program.command('config').description('Configuration tools');
  config
    .command('validate')
    .description('Load and validate a config file; print each problem with its key path')
    .argument('[file]', 'config file (default: SUPPORT_BOT_CONFIG or config/support-bot.yml)')
    .option(
      '--remote',
      'also read the projects and the team group from GitLab (GITLAB_URL, GITLAB_TOKEN) and warn about configured labels a project lacks, a team group the bot is not a member of, and a role too low for what the bot does there',
    )
    .action(run(async () => (await import('./commands/configValidate.js')).configValidateCommand));

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
