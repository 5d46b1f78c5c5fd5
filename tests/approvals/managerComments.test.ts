import { describe, expect, it } from 'vitest';
import { readApproval } from '../../src/approvals/phrases.js';
import { approvalsConfig } from '../../src/rules/approvalArtifact.js';
import { MANAGER_COMMENTS } from './managerComments.js';

// The corpus through the reader the rule uses, with the default phrases; every misjudgement in one failure.
const PHRASES = approvalsConfig.schema.parse({}).phrases;

describe('approval reader on managers’ comments', () => {
  it('holds at least 200 comments, both ways, each labelled with a class', () => {
    expect(MANAGER_COMMENTS.length).toBeGreaterThanOrEqual(200);
    expect(MANAGER_COMMENTS.filter((c) => c.approves).length).toBeGreaterThanOrEqual(80);
    expect(MANAGER_COMMENTS.filter((c) => !c.approves).length).toBeGreaterThanOrEqual(100);
    expect(new Set(MANAGER_COMMENTS.map((c) => c.text)).size).toBe(MANAGER_COMMENTS.length);
  });

  it('judges every comment as labelled', () => {
    const wrong = MANAGER_COMMENTS.flatMap(({ text, approves, kind }) => {
      const reading = readApproval(text, PHRASES);
      return reading.approves === approves
        ? []
        : [`${approves ? 'missed' : 'passed'} [${kind}] ${JSON.stringify(text)}${reading.approves ? '' : ` (${reading.why ?? 'no phrase'})`}`];
    });
    expect(wrong, `${wrong.length} misjudged:\n${wrong.join('\n')}`).toEqual([]);
  });
});
