import { registerSecret } from '../gitlab/errors.js';
import { instanceUrlProblem } from './instanceUrl.js';

// Settings that come from the environment only: secrets never live in the config file.

/** A missing or unusable setting: the CLI exits 2 with this message. */
export class SetupError extends Error {
  override name = 'SetupError';
}

export interface RuntimeEnv {
  gitlabUrl: string | undefined;
  gitlabToken: string | undefined;
  webhookSecret: string | undefined;
  port: number | undefined;
}

const CHARACTER_NAMES: Record<string, string> = { '\n': 'a line break (LF)', '\r': 'a carriage return (CR)', '\t': 'a tab', ' ': 'a space' };

/**
 * Where a secret has a character that cannot go into an HTTP header as a token (anything
 * but visible ASCII), described without the value itself.
 */
export function headerUnsafeCharacter(value: string): string | undefined {
  const index = value.search(/[^\x21-\x7e]/);
  if (index < 0) return undefined;
  const char = value[index]!;
  const name = CHARACTER_NAMES[char] ?? `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${name} at position ${index + 1} of ${value.length}`;
}

function checkedSecret(name: string, value: string | undefined, strict = true): string | undefined {
  if (!value) return undefined;
  const bad = strict ? headerUnsafeCharacter(value) : /[\x00-\x1f\x7f]/.test(value) ? headerUnsafeCharacter(value) : undefined;
  if (bad) throw new SetupError(`env: ${name} contains ${bad}, which an HTTP header cannot carry; set it again to the token alone (no quotes, spaces or line breaks)`);
  return value;
}

/** A GitLab instance URL from the environment, checked: a bad one is exit 2 naming the variable. */
export function checkedInstanceUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const problem = instanceUrlProblem(value);
  if (problem) throw new SetupError(`env: ${name} ${problem}, e.g. https://gitlab.example.com`);
  return value;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  // Registered before anything can fail, so no message or log line can carry them.
  registerSecret(env.GITLAB_TOKEN);
  registerSecret(env.GITLAB_WEBHOOK_SECRET);
  const port = env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new SetupError(`env: PORT must be a port number (got "${env.PORT}")`);
  }
  return {
    gitlabUrl: checkedInstanceUrl('GITLAB_URL', env.GITLAB_URL),
    gitlabToken: checkedSecret('GITLAB_TOKEN', env.GITLAB_TOKEN),
    // GitLab's secret token field takes any text: only control characters are refused.
    webhookSecret: checkedSecret('GITLAB_WEBHOOK_SECRET', env.GITLAB_WEBHOOK_SECRET, false),
    port,
  };
}

/** A chat channel's webhook, read from the variable the config names. */
export interface ChatWebhook {
  name: string;
  url: string;
  format: 'message' | 'workflow';
}

/**
 * The webhook URL of every configured chat channel, from the environment only (a webhook URL
 * is a secret: whoever has it can post to the channel). Each is registered for redaction; a
 * variable that is unset or not a URL stops start-up (exit 2) naming the config key.
 */
export function readChatWebhooks(
  channels: ReadonlyArray<{ name: string; webhookUrlEnv: string; format: 'message' | 'workflow' }>,
  env: Record<string, string | undefined> = process.env,
): ChatWebhook[] {
  return channels.map((channel, i) => {
    const value = env[channel.webhookUrlEnv]?.trim();
    registerSecret(value);
    const where = `notifications.slack[${i}].webhookUrlEnv (channel "${channel.name}")`;
    if (!value) throw new SetupError(`env: ${channel.webhookUrlEnv} is not set, which ${where} names: set it to the channel's Slack webhook URL`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SetupError(`env: ${channel.webhookUrlEnv} (${where}) is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SetupError(`env: ${channel.webhookUrlEnv} (${where}) is not an https URL`);
    return { name: channel.name, url: value, format: channel.format };
  });
}
