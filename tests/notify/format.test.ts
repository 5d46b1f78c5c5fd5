import { describe, expect, it } from 'vitest';
import { chatSafe, issueMessage } from '../../src/notify/message.js';
import { escapeMrkdwn, messagePayload, workflowPayload } from '../../src/notify/slackFormat.js';

const issue = (title: string, description = '', confidential = false) => ({
  title,
  description,
  webUrl: 'https://gitlab.example/g/p/-/issues/1',
  confidential,
  author: { username: 'dana' },
});

describe('chat text', () => {
  it("escapes Slack's three control characters for mrkdwn", () => {
    expect(escapeMrkdwn('a & <b> <!here>')).toBe('a &amp; &lt;b&gt; &lt;!here&gt;');
  });

  it('breaks @channel, @here and @everyone, and replaces secrets', () => {
    expect(chatSafe('@channel @Here @everyone glpat-a1B2c3D4e5F6g7H8i9J0 me@here.com', '[REDACTED]')).toBe(
      '@\u200bchannel @\u200bHere @\u200beveryone [REDACTED] me@\u200bhere.com',
    );
  });

  it('a workflow gets no live <!here>, <@U…> or <#C…> from a title', () => {
    const variables = workflowPayload(issueMessage('issue.opened', 'New issue', 'g/p', issue('<!here> ping <@U123> in <#C1>'), '[REDACTED]'));
    expect(variables.title).toBe('<\u200b!here> ping <\u200b@U123> in <\u200b#C1>');
    expect(variables.text).not.toMatch(/<[!@#]/);
  });

  it('a message links the title and quotes the start of the description', () => {
    const payload = messagePayload(issueMessage('issue.opened', 'New issue', 'g/p', issue('Hello', 'x'.repeat(400)), '[REDACTED]'));
    const section = JSON.stringify(payload.blocks[0]);
    expect(section).toContain('<https://gitlab.example/g/p/-/issues/1|Hello>');
    expect(section).toContain(`>${'x'.repeat(300)}…`);
  });

  it('a confidential issue: project and link only', () => {
    expect(issueMessage('sla.breached', 'First-response target missed', 'g/p', issue('Secret customer', 'details', true), '[REDACTED]')).toEqual({
      event: 'sla.breached',
      text: 'First-response target missed: a confidential issue in g/p',
      url: 'https://gitlab.example/g/p/-/issues/1',
      project: 'g/p',
    });
  });
});
