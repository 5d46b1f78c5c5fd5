import { describe, expect, it } from 'vitest';
import { pathsInRawDiff } from '../../src/gitlab/rawDiff.js';
import { fileChange } from '../../src/sandbox/mergeRequestRefresh.js';
import { gitQuote, rawDiffOf } from '../../src/sandbox/rawDiff.js';

// The raw diff of a merge request (GET …/raw_diffs) is git's own format: the paths come from
// `rename`/`copy` lines, `---`/`+++` lines, else the symmetric `diff --git a/P b/P` header.

const diff = (...blocks: string[]) => `${blocks.join('\n')}\n`;

describe('pathsInRawDiff', () => {
  it.each([
    [
      'a modified file',
      diff('diff --git a/doc/x.md b/doc/x.md', 'index 83db48f..bf269f4 100644', '--- a/doc/x.md', '+++ b/doc/x.md', '@@ -1,2 +1,2 @@', ' keep', '-old', '+new'),
      ['doc/x.md'],
    ],
    ['a new file', diff('diff --git a/n.md b/n.md', 'new file mode 100644', 'index 0000000..e69de29', '--- /dev/null', '+++ b/n.md', '@@ -0,0 +1 @@', '+hello'), ['n.md']],
    ['a deleted file', diff('diff --git a/d.md b/d.md', 'deleted file mode 100644', 'index e69de29..0000000', '--- a/d.md', '+++ /dev/null', '@@ -1 +0,0 @@', '-bye'), ['d.md']],
    ['a new empty file (no --- / +++)', diff('diff --git a/e.md b/e.md', 'new file mode 100644', 'index 0000000..e69de29'), ['e.md']],
    ['a mode change only', diff('diff --git a/run.sh b/run.sh', 'old mode 100644', 'new mode 100755'), ['run.sh']],
    ['a pure rename: both names', diff('diff --git a/old/p.md b/new/p.md', 'similarity index 100%', 'rename from old/p.md', 'rename to new/p.md'), ['old/p.md', 'new/p.md']],
    ['a copy', diff('diff --git a/a.md b/c.md', 'similarity index 100%', 'copy from a.md', 'copy to c.md'), ['a.md', 'c.md']],
    ['a binary file', diff('diff --git a/img/logo.png b/img/logo.png', 'index 1111111..2222222 100644', 'Binary files a/img/logo.png and b/img/logo.png differ'), ['img/logo.png']],
    [
      'a name with a space (git adds a tab)',
      diff('diff --git a/my file.md b/my file.md', 'index 1..2 100644', '--- a/my file.md\t', '+++ b/my file.md\t', '@@ -1 +1 @@', '-a', '+b'),
      ['my file.md'],
    ],
    [
      'a quoted non-ASCII name',
      diff('diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"', 'index 1..2 100644', '--- "a/caf\\303\\251.md"', '+++ "b/caf\\303\\251.md"', '@@ -1 +1 @@', '-a', '+b'),
      ['café.md'],
    ],
    ['a quoted name, mode change only', diff('diff --git "a/q\\"uote.md" "b/q\\"uote.md"', 'old mode 100644', 'new mode 100755'), ['q"uote.md']],
    [
      'hunk lines that read like headers are content',
      diff(
        'diff --git a/x.md b/x.md',
        'index 1..2 100644',
        '--- a/x.md',
        '+++ b/x.md',
        '@@ -1 +1 @@',
        '--- a/forged.md',
        '+++ b/forged.md',
        '\\ No newline at end of file',
        'diff --git a/y.md b/y.md',
        'new file mode 100644',
        'index 0..1',
      ),
      ['x.md', 'y.md'],
    ],
    ['nothing changed', '', []],
  ])('%s', (_name, text, paths) => {
    expect(pathsInRawDiff(text)).toEqual({ paths });
  });

  it.each([
    ['not a diff', 'Hello, this is a sign-in page\n'],
    ['a hunk cut short', diff('diff --git a/x.md b/x.md', '--- a/x.md', '+++ b/x.md', '@@ -1,3 +1,3 @@', ' one')],
    ['a hunk that runs over', diff('diff --git a/x.md b/x.md', '--- a/x.md', '+++ b/x.md', '@@ -1 +1 @@', '-a', '+b', '+c')],
    ['a header naming two paths with nothing else', diff('diff --git a/x.md b/y.md', 'old mode 100644', 'new mode 100755')],
    ['an unreadable side line', diff('diff --git a/x.md b/x.md', '--- x.md', '+++ b/x.md', '@@ -1 +1 @@', '-a', '+b')],
  ])('%s: unreadable, so it proves nothing', (_name, text) => {
    expect(pathsInRawDiff(text)).toHaveProperty('unreadable');
  });

  it("reads back every path of the sandbox's raw diff, quoted and spaced names included, over 1,000 files", () => {
    const changes = [
      ...Array.from({ length: 1200 }, (_, i) => fileChange(`assets/${i}.txt`, i % 3 === 0 ? { diff: '@@ -1 +1 @@\n-a\n+b\n' } : {})),
      fileChange('naïve dir/ünïcode file.md', { new_file: true, a_mode: '0', diff: '@@ -0,0 +1 @@\n+x\n' }),
      fileChange('gone.md', { deleted_file: true, b_mode: '0' }),
      { ...fileChange('new/place.md'), old_path: 'old/place.md', renamed_file: true },
      fileChange('tool.sh', { b_mode: '100755' }),
    ];
    const read = pathsInRawDiff(rawDiffOf(changes));
    expect('paths' in read && [...read.paths].sort()).toEqual([...new Set(changes.flatMap((c) => [c.old_path, c.new_path]))].sort());
    expect(gitQuote('ünï')).toBe('"\\303\\274n\\303\\257"');
  });
});
