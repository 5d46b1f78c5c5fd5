import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { withBotUsername } from '../../src/trigger/botUsername.js';

const shipped = loadConfig('config/support-bot.yml');
const named = withBotUsername(shipped, 'from-config');

describe('withBotUsername (SUPPORT_BOT_USERNAME)', () => {
  it('names the bot when the config file does not', () => {
    expect(shipped.config.bot.username).toBeUndefined();
    expect(named.config.bot.username).toBe('from-config');
  });

  it('wins over the config file’s bot.username and leaves the rest of the config alone', () => {
    const overridden = withBotUsername(named, 'from-variable');
    expect(overridden.config.bot.username).toBe('from-variable');
    expect({ ...overridden.config, bot: { ...overridden.config.bot, username: 'from-config' } }).toEqual(named.config);
  });

  it('keeps the config as it is when the variable is unset or empty', () => {
    expect(withBotUsername(named, undefined)).toBe(named);
    expect(withBotUsername(named, '')).toBe(named);
  });
});
