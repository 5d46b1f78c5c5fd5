import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { USERNAME_VARIABLE, withBotUsername } from '../trigger/botUsername.js';
import { handleTrigger } from '../trigger/handle.js';
import { guarded, redacting } from './common.js';

/**
 * `support-bot handle-event`: one webhook delivered as a pipeline trigger (the body in
 * --payload FILE or TRIGGER_PAYLOAD). Exit 0 done or ignored, 1 a rule or a write
 * failed, 2 a bad or missing payload, config or token.
 */
export function handleEventCommand(options: { payload?: string; dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const outcome = await handleTrigger({
      payload: { file: options.payload, env: process.env },
      runtime: () => {
        const loaded = withBotUsername(loadConfig(), process.env[USERNAME_VARIABLE]);
        return createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded });
      },
      io: { out: redacting(process.stdout) },
    });
    return outcome.code;
  });
}
