import type { MrChange } from './types.js';

// A merge request's raw diff as `GET /projects/:id/merge_requests/:iid/raw_diffs` sends it
// (doc/api/merge_requests.md, "Show merge request raw diffs", GitLab 17.9): plain text,
// `git diff` of the diff refs streamed by Workhorse from Gitaly's RawDiff, one block per
// changed file and every file, since GitLab's diff limits (1,000 files on GitLab.com) apply
// to the stored diff that `/diffs` and `/changes` read, not to this stream.

/** A path as git writes it with `core.quotePath` (the default): C-quoted, non-ASCII bytes in octal, when it needs quoting. */
export function gitQuote(path: string): string {
  if (!/[\u0000-\u001f"\\\u007f-\uffff]/.test(path)) return path;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let out = '"';
  for (const byte of Buffer.from(path, 'utf8')) out += named[byte] ?? (byte < 0x20 || byte >= 0x7f ? `\\${byte.toString(8).padStart(3, '0')}` : String.fromCharCode(byte));
  return `${out}"`;
}

function side(prefix: 'a/' | 'b/', path: string): string {
  return gitQuote(`${prefix}${path}`);
}

/** One changed file's block: header, extended headers, and its hunks when it has any. */
function fileBlock(change: MrChange): string {
  const tab = (path: string) => (path.includes(' ') ? '\t' : '');
  const lines = [`diff --git ${side('a/', change.old_path)} ${side('b/', change.new_path)}`];
  if (change.new_file) lines.push(`new file mode ${change.b_mode}`);
  else if (change.deleted_file) lines.push(`deleted file mode ${change.a_mode}`);
  else if (change.a_mode !== change.b_mode) lines.push(`old mode ${change.a_mode}`, `new mode ${change.b_mode}`);
  if (change.renamed_file) lines.push('similarity index 90%', `rename from ${gitQuote(change.old_path)}`, `rename to ${gitQuote(change.new_path)}`);
  lines.push(`index 1111111..2222222${change.new_file || change.deleted_file || change.a_mode !== change.b_mode ? '' : ` ${change.b_mode}`}`);
  if (change.diff !== '') {
    lines.push(change.new_file ? '--- /dev/null' : `--- ${side('a/', change.old_path)}${tab(change.old_path)}`);
    lines.push(change.deleted_file ? '+++ /dev/null' : `+++ ${side('b/', change.new_path)}${tab(change.new_path)}`);
    lines.push(change.diff.replace(/\n$/, ''));
  }
  return `${lines.join('\n')}\n`;
}

export function rawDiffOf(changes: readonly MrChange[]): string {
  return changes.map(fileBlock).join('');
}
