import type { IssueRule } from '../../src/rules/types.js';

/** A small rule for foundation tests: labels every open issue and leaves one note saying which labels it saw. */
export const greetRule: IssueRule = {
  key: 'greet',
  description: 'test rule',
  events: ['issue.open', 'issue.update', 'issue.reopen', 'note.issue'],
  jobs: ['sweep'],
  applies: (subject) => subject.issue.state === 'opened',
  plan: (subject) => [
    { action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'every open issue is seen' },
    { action: { type: 'upsertNote', key: 'greet', body: `Hello @${subject.issue.author.username}, this is "${subject.issue.title}".` }, reason: 'greeting' },
  ],
};
