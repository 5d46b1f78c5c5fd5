import { describe, expect, it } from 'vitest';
import { readApproval } from '../../src/approvals/phrases.js';
import { approvalsConfig } from '../../src/rules/approvalArtifact.js';
import { CLAUSE_RULES, HOLDS } from '../../src/approvals/statementRules.js';

// The reader's rules and reasons; the labelled comments are in managerComments.ts.
const PHRASES = approvalsConfig.schema.parse({}).phrases;

describe('approval statements: rules and reasons', () => {
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
