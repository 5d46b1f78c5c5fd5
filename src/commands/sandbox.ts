import { SANDBOX_TOKENS, startSandbox } from '../sandbox/index.js';
import { loadConfig } from '../config/load.js';
import { seedProjectTemplates } from '../demo/projectTemplates.js';
import { shippedTemplates } from '../templates/shipped.js';
import { guarded } from './common.js';

export function sandboxCommand(options: { port: number; seed: string }): Promise<number> {
  return guarded(async () => {
    if (options.seed !== 'demo' && options.seed !== 'empty') {
      process.stderr.write(`support-bot: --seed must be demo or empty (got "${options.seed}")\n`);
      return 2;
    }
    const sandbox = await startSandbox({ port: options.port, host: '127.0.0.1', seed: options.seed, log: true });
    // The demo projects keep their issue templates in .gitlab/issue_templates/, as a team that adopted them does.
    if (options.seed === 'demo') seedProjectTemplates(sandbox, loadConfig().config, shippedTemplates);
    process.stdout.write(
      [
        `GitLab sandbox listening on ${sandbox.url} (API: ${sandbox.url}/api/v4, seed: ${options.seed})`,
        `  bot token:    ${SANDBOX_TOKENS.bot}`,
        `  admin token:  ${SANDBOX_TOKENS.admin}`,
        `  member token: ${SANDBOX_TOKENS.member}`,
        `Try: GITLAB_URL=${sandbox.url} GITLAB_TOKEN=${SANDBOX_TOKENS.bot} npx support-bot run sweep --dry-run`,
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await sandbox.close();
    return 0;
  });
}
