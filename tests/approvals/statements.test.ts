import { describe, expect, it } from 'vitest';
import { readApproval } from '../../src/approvals/phrases.js';
import { approvalsConfig } from '../../src/rules/approvalArtifact.js';
import { CLAUSE_RULES, HOLDS } from '../../src/approvals/statementRules.js';

// Comments as Support managers write them on handbook merge requests, read with the default
// phrases. Both ways: what states approval by its writer, now, and what does not.
const PHRASES = approvalsConfig.schema.parse({}).phrases;

const APPROVE = [
  'Approved',
  'Approved, thanks!',
  'LGTM',
  'LGTM 🚀',
  'lgtm',
  'LGTM!',
  'Looks good to me — nice work',
  'Looks good to me, thanks for picking this up.',
  'I approve.',
  'I approve this change.',
  'Approving.',
  'Approving, thanks @bob',
  'Thanks @bob, LGTM',
  '@bob LGTM, thanks for the quick turnaround',
  'Thanks for the update. Approved.',
  'Nice work! LGTM 👍',
  'Reviewed the wording in section 2. LGTM.',
  'Ok approved',
  'Approved from my side.',
  'I have approved this.',
  "I've approved it, go ahead and merge.",
  'All good, approved',
  'Overall LGTM. A few nits below, none blocking.',
  'Great improvement to the workflow. Approved!',
  'Not sure about the title at first, but approved.',
  '> Can someone approve?\n\nApproved.',
  'Checked the links:\n\n- all work\n- screenshots updated\n\nLGTM',
  '1. Reviewed\n2. LGTM',
  '**LGTM**',
  '_Approved_ — thanks for the careful rewrite',
  'Approved by me.',
  'Looks good to me :thumbsup:',
  'Hereby approved.',
  'Thanks Alice. Approved.',
  '## LGTM',
];

const DO_NOT_APPROVE = [
  'Thanks Alice. I will approve once legal has reviewed the wording in section 2.',
  'Can you approve this?',
  'Needs changes before I approve',
  'LGTM?',
  'Who approved this? Not me.',
  'Approved? No.',
  '~~LGTM~~',
  '<del>Approved</del>',
  '<s>LGTM</s> one more thing',
  'Happy to approve after the typo fix',
  'I would approve if the screenshot were updated',
  "I'll approve tomorrow",
  "I'd approve with the link fixed",
  'Waiting for @alice to approve',
  'Please approve, @alice',
  'Not approved',
  'Not approved yet, see the thread above.',
  "I don't approve this",
  'I can’t approve it yet',
  'No LGTM from me',
  'unapproved',
  'disapproved',
  'pre-approved by nobody',
  '@alice approved it in Slack',
  'She said LGTM on the call.',
  'Legal has approved the wording, I still need to read it.',
  'Alice approved this yesterday',
  'Approved by legal',
  'Approved by @alice in the meeting',
  'LGTM if CI passes',
  'LGTM pending the legal review',
  'Approved once the screenshot is updated',
  'If the links work, approved',
  'Unless Legal objects, LGTM',
  '> LGTM\n\nThat quote is from the other merge request.',
  '>>>\nLGTM\n>>>\nThat was Bob on the old MR.',
  '>>> LGTM',
  'Type `approved` when you are happy',
  'Reply with ``LGTM`` when done',
  '```\napproved\n```',
  '  ```\n  LGTM\n  ```',
  '```\nLGTM',
  '    LGTM (indented code)',
  '- item\n\n      LGTM',
  '- > LGTM\n  from the other thread',
  '<!-- approved -->',
  '<pre>LGTM</pre>',
  '<pre>\n\nLGTM\n\n</pre>',
  'See <code>LGTM</code> in the template',
  '<blockquote>LGTM</blockquote>',
  '<blockquote>\n\nLGTM\n\n</blockquote>',
  '[LGTM](https://gitlab.com/gitlab-com/support/team/-/issues/1)',
  'https://example.com/LGTM',
  'See https://gitlab.com/foo/-/wikis/approved',
  '![LGTM](lgtm.png)',
  'Is this approved?',
  'Could you approve? 🙏',
  'Needs another review before it can be approved.',
  'Should I approve?',
  'Going to approve after lunch',
  // A change asked for before merging holds the approval back (when in doubt, the gate does not pass).
  'LGTM, but please fix the typo before merging.',
];

describe('approval statements: the table', () => {
  it('has at least 60 comments', () => {
    expect(APPROVE.length + DO_NOT_APPROVE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(APPROVE)('%j approves', (comment) => {
    expect(readApproval(comment, PHRASES)).toMatchObject({ approves: true });
  });

  it.each(DO_NOT_APPROVE)('%j does not approve', (comment) => {
    expect(readApproval(comment, PHRASES)).toMatchObject({ approves: false });
  });

  it("keeps every rule's own examples from counting", () => {
    for (const rule of [...CLAUSE_RULES, ...HOLDS])
      for (const example of rule.examples) expect(readApproval(example, PHRASES), `${rule.name}: ${example}`).toMatchObject({ approves: false });
  });

  it('says why a comment with a phrase does not count, and nothing for one without', () => {
    expect(readApproval('LGTM?', PHRASES)).toEqual({ approves: false, why: 'it asks a question' });
    expect(readApproval('Needs changes before I approve', PHRASES)).toEqual({ approves: false, why: expect.stringContaining('promises') });
    expect(readApproval('Thanks, will look', PHRASES)).toEqual({ approves: false, why: null });
  });

  it('does not read an approving word in a block longer than an approval statement', () => {
    expect(readApproval(`${'word '.repeat(500)}LGTM`, PHRASES)).toMatchObject({ approves: false });
    expect(readApproval(`${'word '.repeat(500)}\n\nLGTM`, PHRASES)).toMatchObject({ approves: true });
    // …but still reads it, raw, for a hold: it can only keep the gate shut.
    expect(readApproval(`${'word '.repeat(500)} please don't merge yet\n\nLGTM`, PHRASES)).toEqual({ approves: false, why: 'it asks not to merge yet' });
  });
});
