import { describe, expect, it } from 'vitest';
import { approvingPhrase } from '../../src/approvals/phrases.js';

const PHRASES = ['approved', 'approve', 'LGTM'];

describe('approvingPhrase', () => {
  it.each([
    ['Approved', 'approved'],
    ['LGTM!', 'LGTM'],
    ['lgtm', 'LGTM'],
    ['Looks fine. I approve.', 'approve'],
    ['This is not what I expected at first, but approved.', 'approved'],
    ['First pass had typos, fixed now:\napproved', 'approved'],
  ])('%j approves (%s)', (text, phrase) => {
    expect(approvingPhrase(text, PHRASES)).toBe(phrase);
  });

  it.each([
    'Not approved',
    'not yet approved',
    'Not yet, then later:\napproved',
    "I don't approve this",
    'I can’t approve it yet',
    'No LGTM from me',
    'unapproved',
    'pre-approved by nobody',
    '> approved\n\nThat quote is from the other MR.',
    'Type `approved` when you are happy',
    '```\napproved\n```',
    '<!-- approved -->',
    'disapproved',
  ])('%j does not approve', (text) => {
    expect(approvingPhrase(text, PHRASES)).toBeNull();
  });
});
