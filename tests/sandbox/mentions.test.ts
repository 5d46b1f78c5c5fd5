import { describe, expect, it } from 'vitest';
import { mentionedHandles } from '../../src/sandbox/index.js';
import { neutralize } from '../../src/render/neutralize.js';

// Which handles a text mentions as GitLab would notify them (src/sandbox/mentions.ts); the
// mentions a sandbox records are tested in issues.test.ts.

describe('mentionedHandles', () => {
  it.each([
    ['@alice please look', ['alice']],
    ['cc @gitlab-com/support/managers.', ['gitlab-com/support/managers']],
    ['@all hands', ['all']],
    ['@alice and @ALICE and @bob', ['alice', 'bob']],
    ['mail me at alice@example.com', []],
    ['`@alice` in code', []],
    ['```\n@alice in a block\n```\n@bob', ['bob']],
    ['~~~ sh\n@alice\n~~~', []],
    ['<!-- @alice hidden -->@bob', ['bob']],
    [neutralize('quoted: @alice and @gitlab-com/support'), []],
    ['@ alone, @-dash, @.dot', []],
    ['(@dana)', ['dana']],
  ])('%j → %j', (text, handles) => {
    expect(mentionedHandles(text)).toEqual(handles);
  });
});
