import type { BotConfig, NotifyEvent, SlackChannelConfig } from '../config/schema.js';

/** What the channel filters look at: the project key and labels. */
export interface NotifySubject {
  projectKey: string;
  labels: readonly string[];
}

/**
 * The configured channels that want `event` about this subject: the event is one of theirs,
 * and their optional filters (projects, templates by their `template::<slug>` label, labels)
 * all match.
 */
export function channelsFor(config: BotConfig, event: NotifyEvent, subject?: NotifySubject): SlackChannelConfig[] {
  return config.notifications.slack.filter((channel) => {
    if (!channel.events.includes(event)) return false;
    if (!subject) return true;
    if (channel.projects && !channel.projects.includes(subject.projectKey)) return false;
    if (channel.templates) {
      const wanted = config.templates.filter((t) => channel.templates!.includes(t.name)).map((t) => `${config.labels.templatePrefix}${t.slug}`);
      if (!wanted.some((label) => subject.labels.includes(label))) return false;
    }
    if (channel.labels && !channel.labels.some((label) => subject.labels.includes(label))) return false;
    return true;
  });
}

/** Whether any channel asks for `event` in this project (a rule's `runsOn.projects`). */
export function notifiesIn(config: BotConfig, event: NotifyEvent, projectKey: string): boolean {
  return config.notifications.slack.some((c) => c.events.includes(event) && (!c.projects || c.projects.includes(projectKey)));
}
