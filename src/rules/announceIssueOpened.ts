import { notifiesIn } from '../notify/channels.js';
import { issueMessage } from '../notify/message.js';
import { chatReplacement, notifyChannels } from '../notify/plan.js';
import { issueRule } from './types.js';

const HOUR_MS = 3600_000;

/**
 * Tells the chat channels that ask for `issue.opened` about a new issue (the Zapier glue of
 * the handbook), once per channel: on the open event, and in the sweep for issues opened
 * within `notifications.catchUpHours` that no run announced yet (the bot was down). The
 * executor finds the record on the issue and sends nothing twice (docs/notifications.md).
 */
export const announceIssueOpened = issueRule({
  key: 'announce-issue-opened',
  description: 'Announces new issues in the Slack channels configured for issue.opened, once per channel; a sweep catches up on issues opened while the bot was down',
  runsOn: {
    events: { 'issue.open': 'always' },
    jobs: ['sweep'],
    projects: (project, config) => notifiesIn(config, 'issue.opened', project.key),
  },
  applies: (subject, ctx) =>
    subject.issue.state === 'opened' && (ctx.trigger.kind === 'event' || ctx.now.getTime() - subject.issue.createdAt.getTime() <= ctx.config.notifications.catchUpHours * HOUR_MS),
  plan(subject, ctx) {
    const message = issueMessage('issue.opened', 'New issue', subject.project.path, subject.issue, chatReplacement(ctx.config));
    const reason = ctx.trigger.kind === 'event' ? 'a new issue' : `opened within the last ${ctx.config.notifications.catchUpHours} hours and not announced yet`;
    return notifyChannels(ctx.config, message, reason, { projectKey: subject.project.key, labels: subject.issue.labels });
  },
});
