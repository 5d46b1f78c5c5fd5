import { issueRule } from '../../src/rules/types.js';

/** A small rule for foundation tests: labels every open issue and leaves one note saying which labels it saw. */
export const greetRule = issueRule({
  key: 'greet',
  description: 'test rule',
  runsOn: { events: { 'issue.open': 'always', 'issue.update': 'always', 'issue.reopen': 'always', 'note.issue': 'always' }, jobs: ['sweep'] },
  applies: (subject) => subject.issue.state === 'opened',
  plan: (subject) => [
    { action: { type: 'addLabels', labels: ['seen::yes'] }, reason: 'every open issue is seen' },
    { action: { type: 'upsertNote', key: 'greet', body: `Hello @${subject.issue.author.username}, this is "${subject.issue.title}".` }, reason: 'greeting' },
  ],
});
