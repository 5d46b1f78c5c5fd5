import type { LoadedConfig } from '../config/load.js';

/** Lets a CI job name the bot's user without a config change, so its own events cost no API call. */
export const USERNAME_VARIABLE = 'SUPPORT_BOT_USERNAME';

/** The config with `bot.username` set to `username` (it wins over the file's); unchanged when there is none. */
export function withBotUsername(loaded: LoadedConfig, username: string | undefined): LoadedConfig {
  if (!username) return loaded;
  return { ...loaded, config: { ...loaded.config, bot: { ...loaded.config.bot, username } } };
}
