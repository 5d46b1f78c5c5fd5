import { describe, expect, it } from 'vitest';
import { findApprovalLinks, MAX_NOTE_LINKS } from '../../src/approvals/links.js';
import { pathsInScope } from '../../src/approvals/scope.js';

const HOST = 'https://gitlab.example.com';
const SLACK = ['https://*.slack.com/archives/**'];

describe('findApprovalLinks', () => {
  it('classifies comment links on this instance, on other hosts, and chat permalinks', () => {
    const found = findApprovalLinks(
      [
        `Approved in ${HOST}/gitlab-com/support/support-team-meta/-/issues/12#note_345.`,
        `see https://gitlab.other.org/a/b/-/merge_requests/3#note_4 and https://acme.slack.com/archives/C01/p1700000000 and ${HOST}/a/b/-/issues/5 (no note)`,
      ],
      HOST,
      SLACK,
    );
    expect(found.notes).toEqual([
      { url: `${HOST}/gitlab-com/support/support-team-meta/-/issues/12#note_345`, projectPath: 'gitlab-com/support/support-team-meta', kind: 'issue', iid: 12, noteId: 345 },
    ]);
    expect(found.otherHosts).toEqual(['https://gitlab.other.org/a/b/-/merge_requests/3#note_4']);
    expect(found.external).toEqual(['https://acme.slack.com/archives/C01/p1700000000']);
  });

  it('handles an instance under a relative URL root and merge request comment links', () => {
    const found = findApprovalLinks(['http://host.test/gitlab/g/sub/p/-/merge_requests/7#note_1'], 'http://host.test/gitlab', []);
    expect(found.notes).toEqual([{ url: 'http://host.test/gitlab/g/sub/p/-/merge_requests/7#note_1', projectPath: 'g/sub/p', kind: 'merge_request', iid: 7, noteId: 1 }]);
  });

  it("reads a comment on a merge request's Changes tab and on a work item like any other comment link", () => {
    const found = findApprovalLinks([`${HOST}/g/p/-/merge_requests/7/diffs#note_11 and ${HOST}/g/p/-/work_items/3#note_12`], HOST, []);
    expect(found.notes).toEqual([
      { url: `${HOST}/g/p/-/merge_requests/7/diffs#note_11`, projectPath: 'g/p', kind: 'merge_request', iid: 7, noteId: 11 },
      { url: `${HOST}/g/p/-/work_items/3#note_12`, projectPath: 'g/p', kind: 'issue', iid: 3, noteId: 12 },
    ]);
  });

  it('follows a bounded number of links, each once', () => {
    const links = Array.from({ length: 40 }, (_, i) => `${HOST}/g/p/-/issues/${i}#note_1`);
    expect(findApprovalLinks([links.join(' '), links.join(' ')], HOST, []).notes).toHaveLength(MAX_NOTE_LINKS);
  });
});

describe('pathsInScope', () => {
  it('matches dot-directories and nested paths, and nothing else', () => {
    expect(pathsInScope(['.gitlab/issue_templates/**'], ['.gitlab/issue_templates/Contact Request.md', 'README.md', '.gitlab/ci.yml'])).toEqual([
      '.gitlab/issue_templates/Contact Request.md',
    ]);
    expect(pathsInScope(['content/handbook/support/**'], ['content/handbook/support/workflows/x.md', 'content/handbook/sales/y.md'])).toEqual([
      'content/handbook/support/workflows/x.md',
    ]);
    expect(pathsInScope([], ['anything'])).toEqual([]);
  });
});
