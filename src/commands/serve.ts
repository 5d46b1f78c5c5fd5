import { createServer, type Server } from 'node:http';
import { loadConfig } from '../config/load.js';
import { GitLabUnreachable, isGitLabError } from '../gitlab/errors.js';
import { readEnv } from '../config/env.js';
import { bufferedStderr, createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { createWebhookServer } from '../server/app.js';
import { guarded } from './common.js';
import { SlackChat } from '../notify/slack.js';

/** GitLab gives up on a webhook request after 10 s (doc/user/project/integrations/webhooks.md). */
const DELIVERY_TIMEOUT_MS = 10_000;

export function serveCommand(options: { port?: number }): Promise<number> {
  return guarded(async () => {
    const log = createLogger(undefined, bufferedStderr());
    const env = readEnv();
    if (!env.webhookSecret) throw new SetupError('env: GITLAB_WEBHOOK_SECRET is not set (the secret token configured on the GitLab webhook)');
    const loaded = loadConfig();
    const runtime = createRuntime({ log, env, loaded });
    // A refused token stops here (exit 2). GitLab being down does not: the server still
    // starts, so deliveries are accepted, and the bot learns its user on the first event.
    const me = await runtime.bot.user().catch((error: unknown) => {
      // A refused token, or a GITLAB_URL that cannot be GitLab (no such host, TLS failure, another
      // server answering), stops here (exit 2). Refused or no answer may be GitLab restarting.
      if ((isGitLabError(error) && (error.status === 401 || error.status === 403)) || (error instanceof GitLabUnreachable && !error.momentary)) throw error;
      log.warn(`GitLab did not answer GET /user (${(error as Error).message}); starting anyway`);
      return { id: 0, username: '(not known yet)' };
    });
    const { server: settings } = loaded.config;
    const { listener, queue } = createWebhookServer({
      bot: runtime.bot,
      secret: env.webhookSecret,
      log,
      stats: runtime.gateway.stats,
      ...(runtime.chat instanceof SlackChat ? { chatStats: runtime.chat.stats } : {}),
      settings,
    });
    const port = options.port ?? env.port ?? settings.port;
    const server: Server = await new Promise((resolve, reject) => {
      const s = createServer(listener).listen(port, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    log.info({ port: actualPort, bot: me.username, config: loaded.path }, 'listening');
    process.stdout.write(`support-bot: listening on http://127.0.0.1:${actualPort}/webhook as @${me.username}\n`);

    // SIGTERM: stop accepting, finish what was accepted, exit 0. A delivery whose body is
    // still arriving is accepted too, so the queue is drained only once every connection
    // has ended (idle keep-alive ones are closed as they go idle), or after GitLab's own
    // 10 s delivery timeout, when GitLab has given up on what is still open.
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal, queueDepth: queue.depth }, 'stopping: draining the queue');
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<void>((done) => (timer = setTimeout(done, DELIVERY_TIMEOUT_MS)));
        void Promise.race([closed, gaveUp])
          .then(() => {
            clearInterval(idle);
            clearTimeout(timer);
            server.closeAllConnections();
            return queue.drain();
          })
          .then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    log.info('stopped');
    log.flush();
    return 0;
  });
}
