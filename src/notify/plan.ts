import type { BotConfig, NotifyEvent } from '../config/schema.js';
import { channelsFor, type NotifySubject } from './channels.js';
import type { ChatMessage } from './message.js';

/** A planned `notify` action (the shape of `RuleResult`, without importing the rules). */
export interface NotifyResult {
  action: { type: 'notify'; event: NotifyEvent; channel: string; message: ChatMessage };
  reason: string;
}

/** One `notify` per configured channel that asks for `event` about this subject: none when no channel does. */
export function notifyChannels(config: BotConfig, message: ChatMessage, reason: string, subject?: NotifySubject): NotifyResult[] {
  return channelsFor(config, message.event, subject).map((channel) => ({
    action: { type: 'notify', event: message.event, channel: channel.name, message },
    reason: `${reason}; channel ${channel.name} asks for ${message.event}`,
  }));
}

/** The sensitive-data rule's replacement, which chat text uses too (its default when that rule is not configured). */
export function chatReplacement(config: BotConfig): string {
  const section = (config as { sensitiveData?: { replacement?: string } }).sensitiveData;
  return section?.replacement ?? '[REDACTED]';
}
