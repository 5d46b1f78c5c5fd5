import { collect } from '../../gitlab/collect.js';
import { isGitLabError } from '../../gitlab/errors.js';
import { sameUsername } from '../../gitlab/usernames.js';
import { claimEmoji } from '../../notify/claim.js';
import { ChatDeliveryError } from '../../notify/slack.js';
import type { ActionOf, RecordedHandler } from './types.js';

/** GitLab's answer to a second award of the same emoji by the same user (lib/api/award_emoji.rb). */
function alreadyAwarded(error: unknown): boolean {
  return isGitLabError(error) && error.status === 404 && /has already been taken/i.test(error.message);
}

/**
 * A chat message, once per (subject, event, channel): the record is the bot's emoji on the
 * subject (`notify/claim.ts`), awarded before the message is sent, so that two replicas or a
 * retried pipeline cannot both send it.
 */
export const notifyHandler: RecordedHandler<ActionOf<'notify'>> = {
  port: 'chat',
  delivery: 'recorded',
  describe: (_ctx, { rule, action, reason }) => ({
    rules: [rule],
    target: 'message',
    detail: `Slack channel ${action.channel}: ${action.event} ${action.message.url} (record :${claimEmoji(action.event, action.channel)}:)`,
    reason,
  }),
  async isRecorded(ctx, { action }) {
    const name = claimEmoji(action.event, action.channel);
    const [awards, bot] = await Promise.all([collect(ctx.reader.listAwardEmoji(ctx.ref)), ctx.bot()]);
    return awards.some((a) => a.name === name && sameUsername(a.user.username, bot.username));
  },
  async claim(ctx, { action }) {
    try {
      const award = await ctx.ports.gitlab.awardEmoji(ctx.ref, claimEmoji(action.event, action.channel));
      return { release: () => ctx.ports.gitlab.removeAwardEmoji(ctx.ref, award.id) };
    } catch (error) {
      if (alreadyAwarded(error)) return undefined;
      throw error;
    }
  },
  mayHaveDelivered: (error) => error instanceof ChatDeliveryError && error.mayHaveDelivered,
  deliver: (ctx, { action }) => ctx.ports.chat.send(action.channel, action.message),
  // The claim awarded before delivery is the record.
  record: async () => undefined,
};
