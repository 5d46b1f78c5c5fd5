import { USERNAME_VARIABLE, withBotUsername } from '../trigger/botUsername.js';
import { handleTrigger } from '../trigger/handle.js';
import { guarded, redacting } from './common.js';

/**
 * `support-bot handle-event`: one webhook delivered as a pipeline trigger (the body in
 * --payload FILE or TRIGGER_PAYLOAD). Exit 0 done or ignored, 1 a rule or a write
 * failed, 2 a bad or missing payload, config or token. The config, the rules and the API
 * client load only for an event the bot may act on: a trigger job starts fast for the rest.
 */
export function handleEventCommand(options: { payload?: string; dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const outcome = await handleTrigger({
      payload: { file: options.payload, env: process.env },
      botUsername: process.env[USERNAME_VARIABLE],
      runtime: async () => {
        const [{ loadConfig }, { createLogger }, { createRuntime }] = await Promise.all([import('../config/load.js'), import('../logger.js'), import('../runtime.js')]);
        const loaded = withBotUsername(loadConfig(), process.env[USERNAME_VARIABLE]);
        return createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded });
      },
      io: { out: redacting(process.stdout) },
    });
    return outcome.code;
  });
}
