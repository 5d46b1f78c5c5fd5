import { describe, expect, it } from 'vitest';
import { issueRule } from '../../src/rules/types.js';
import { stackPerTest } from '../helpers/perTest.js';
import { allowGroupMentions, checkGroupMentions, takeGroupMentions } from './groupMentionGuard.js';

// The suite-wide guard (vitest setupFiles): the bot never mentions a whole group unless a
// test asks for it. It must bite: a rule that writes `@some-group` is caught wherever the
// text comes from (a template or a literal), and a person's group mention is not the bot's.

const pingGroup = (handle: string) =>
  issueRule({
    key: 'ping-group',
    description: 'test rule that pings a group',
    runsOn: { events: {}, jobs: ['sweep'] },
    applies: (subject) => subject.issue.state === 'opened',
    plan: () => [{ action: { type: 'upsertNote', key: 'ping', body: `Heads up @${handle}: this needs a look.` }, reason: 'test' }],
  });

const startStack = stackPerTest();

async function sweepWith(handle: string) {
  const stack = await startStack({ rules: [pingGroup(handle)], hooks: false });
  const { store } = stack.sandbox;
  store.createGroup({ path: 'some-group' });
  const project = store.requireProject('gitlab-com/support/feedback');
  const issue = store.createIssue(project.id, { title: 'Something', authorId: store.findUserByUsername('sam-sales')!.id });
  await stack.runtime.bot.runJob('sweep', () => {});
  return { stack, issue };
}

describe('the group-mention guard', () => {
  it.each(['some-group', 'gitlab-com/support', 'all'])('catches the bot writing @%s', async (handle) => {
    const { issue } = await sweepWith(handle);
    expect(takeGroupMentions().map((m) => [m.byUsername, m.handle, m.where])).toEqual([
      ['support-bot', handle, expect.stringMatching(new RegExp(`^gitlab-com/support/feedback#${issue.iid} note \\d+$`))],
    ]);
  });

  it('fails the test after it (the check every test file runs after each test)', async () => {
    await sweepWith('some-group');
    expect(() => checkGroupMentions()).toThrow(/the bot mentioned a whole group: @some-group \(group\) in gitlab-com\/support\/feedback#1 note \d+/);
    expect(() => checkGroupMentions()).not.toThrow();
  });

  it('lets a test allow the group its config asks for', async () => {
    allowGroupMentions('@Some-Group');
    await sweepWith('some-group');
    expect(takeGroupMentions()).toEqual([]);
  });

  it('ignores a user mention by the bot, and group mentions by people', async () => {
    const { stack } = await sweepWith('dana');
    const { store } = stack.sandbox;
    const project = store.requireProject('gitlab-com/support/feedback');
    const issue = store.getIssue(project.id, 1)!;
    store.recordMentions(store.findUserByUsername('alice')!.id, '', '@some-group', `feedback#${issue.iid}`);
    expect(takeGroupMentions()).toEqual([]);
    expect(store.mentions.map((m) => m.kind).sort()).toEqual(['group', 'user']);
  });
});
