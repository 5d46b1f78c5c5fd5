import type { NotifyEvent } from '../config/schema.js';

// The bot's record of a chat message is an emoji it awards on the issue: GitLab sends no
// notification for an emoji reaction (doc/user/profile/notifications.md lists the events that
// notify, and reactions are not among them: gitlab-org/gitlab#25280 proposes it), and it
// refuses a second award of the same name by the same user (AwardEmoji validates the name
// unique per user and awardable; lib/api/award_emoji.rb answers 404 "has already been
// taken"). So the award is a claim two replicas cannot both win. One emoji per (event,
// channel), so two channels told about one event each get their message.

/** Emoji GitLab knows (TanukiEmoji), used only as the bot's records. */
export const CLAIM_EMOJI: readonly string[] = [
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].flatMap((h) => [`clock${h}`, `clock${h}30`]),
  'new_moon',
  'waxing_crescent_moon',
  'first_quarter_moon',
  'waxing_gibbous_moon',
  'full_moon',
  'waning_gibbous_moon',
  'last_quarter_moon',
  'waning_crescent_moon',
];

/** FNV-1a: stable across runs and versions, so a record is found again after a restart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const char of text) {
    h ^= char.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The emoji that records `event` told to `channel` on a subject. */
export function claimEmoji(event: NotifyEvent, channel: string): string {
  return CLAIM_EMOJI[hash(`${event}/${channel}`) % CLAIM_EMOJI.length]!;
}

/** Channels whose records for one event would be the same emoji: the config must rename one. */
export function claimCollisions(channels: ReadonlyArray<{ name: string; events: readonly NotifyEvent[] }>): string[] {
  const byEmoji = new Map<string, string>();
  const problems: string[] = [];
  channels.forEach((channel, i) => {
    for (const event of channel.events) {
      const emoji = claimEmoji(event, channel.name);
      const other = byEmoji.get(emoji);
      if (other !== undefined) problems.push(`notifications.slack[${i}].name: "${channel.name}" (${event}) would share its record on the issue with ${other}; rename one of them`);
      else byEmoji.set(emoji, `"${channel.name}" (${event})`);
    }
  });
  return problems;
}
