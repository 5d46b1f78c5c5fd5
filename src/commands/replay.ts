import { randomUUID } from 'node:crypto';
import { readEnv } from '../config/env.js';
import { hookHeaderFor } from '../events/parse.js';
import { SetupError } from '../runtime.js';
import { readTriggerPayload } from '../trigger/payload.js';
import { guarded } from './common.js';

/**
 * POSTs a saved webhook body to a running `serve` with GitLab's delivery headers, as
 * GitLab would (Probot's `receive`): for trying a rule change on a real delivery, or
 * resending one by hand. `--idempotency-key` repeats a delivery's key.
 */
export function replayCommand(file: string, options: { url: string; idempotencyKey?: string }): Promise<number> {
  return guarded(async () => {
    const { body } = readTriggerPayload({ file, env: {} });
    const event = hookHeaderFor(body);
    if (!event) throw new SetupError(`replay: ${file} is not an issue, note or merge request webhook body (object_kind)`);
    const secret = readEnv().webhookSecret;
    if (!secret) throw new SetupError('env: GITLAB_WEBHOOK_SECRET is not set (the secret the server checks)');
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitLab/support-bot-replay',
        'x-gitlab-event': event,
        'x-gitlab-token': secret,
        'x-gitlab-event-uuid': randomUUID(),
        'x-gitlab-webhook-uuid': randomUUID(),
        'idempotency-key': options.idempotencyKey ?? randomUUID(),
      },
      body: JSON.stringify(body),
    }).catch((error: unknown) => {
      // fetch says only "fetch failed"; the cause says why (ECONNREFUSED: no server there).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`replay: cannot POST to ${options.url}: ${cause?.code ?? cause?.message ?? String(error)} (is \`npx support-bot serve\` running there?)`);
    });
    process.stdout.write(`replay: ${event} → ${options.url}: ${response.status} ${await response.text()}\n`);
    return response.ok ? 0 : 1;
  });
}
