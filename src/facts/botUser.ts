import type { UserRef } from '../gitlab/types.js';
import { defineRunWideFact } from './define.js';

/**
 * The bot's own user, to tell its notes and comments from people's. `bot.username` when
 * configured (no API call), else `GET /user` once, cached by the bot. A rule that compares
 * authors with the bot declares it, so a run whose rules read no comments never asks.
 */
export const botUserFact = defineRunWideFact({
  description: "the bot's own user (bot.username, else GET /user)",
  param: () => null,
  key: () => 'me',
  load: (_p, { me }): Promise<UserRef> => me(),
});
