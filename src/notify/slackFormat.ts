import type { SlackChannelConfig } from '../config/schema.js';
import type { ChatMessage } from './message.js';

// Slack's payloads for a ChatMessage. Incoming webhooks read `text` and `blocks` as mrkdwn,
// where `&`, `<` and `>` must be escaped (Slack: "Formatting text for app surfaces",
// escaping text) so that no user text becomes a link or a `<!here>`. Workflow Builder
// webhooks take flat string variables and show them as plain text.

/** Slack's three control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An incoming webhook's message: a fallback `text` and Block Kit blocks. */
export function messagePayload(message: ChatMessage): { text: string; blocks: unknown[] } {
  const link = `<${message.url}|${escapeMrkdwn(message.title ?? message.url)}>`;
  const head = escapeMrkdwn(message.text);
  const body = [`*${head}*`, link, ...(message.excerpt ? [`>${escapeMrkdwn(message.excerpt).replace(/\n/g, '\n>')}`] : [])].join('\n');
  const context = [escapeMrkdwn(message.project), ...(message.author ? [`opened by ${escapeMrkdwn(message.author)}`] : [])].join(' · ');
  return {
    text: `${head} ${message.url}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

/** Slack's special sequences (`<!here>`, `<@U…>`, `<#C…>`) broken by a zero-width space: a workflow's variables are not escaped as mrkdwn. */
function plain(text: string): string {
  return text.replace(/<([!@#])/g, '<\u200b$1');
}

/** A Workflow Builder webhook's variables: every one a string, present even when empty. */
export function workflowPayload(message: ChatMessage): Record<string, string> {
  return {
    event: message.event,
    text: plain(message.text),
    url: message.url,
    project: message.project,
    title: plain(message.title ?? ''),
    author: message.author ?? '',
    excerpt: plain(message.excerpt ?? ''),
  };
}

export function payloadFor(format: SlackChannelConfig['format'], message: ChatMessage): Record<string, unknown> {
  return format === 'workflow' ? workflowPayload(message) : messagePayload(message);
}
