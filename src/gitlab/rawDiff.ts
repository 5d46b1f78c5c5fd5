// The paths a raw git diff names, as `GET /projects/:id/merge_requests/:iid/raw_diffs` sends it
// (doc/api/merge_requests.md, "Show merge request raw diffs": Workhorse streams Gitaly's
// RawDiff of the merge request's diff refs, so GitLab's diff limits do not cut it, unlike
// `/diffs` and `/changes`). One pass over the lines, linear in the text: hunks are skipped by
// the line counts of their `@@` headers, so a changed line that reads like a header
// (`--- a/x` removed from a file) is never taken for one.

/** Every path (old and new names of a rename or copy) the diff names, or why the text is not a diff read to its end. */
export type RawDiffPaths = { paths: string[] } | { unreadable: string };

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** A C-quoted name as git writes one (`core.quotePath`: octal bytes of UTF-8), with the rest of the line; null when it is not one. */
function unquote(text: string): { name: string; rest: string } | null {
  if (!text.startsWith('"')) return null;
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i += 1) {
    const c = String.fromCodePoint(text.codePointAt(i)!);
    if (c === '"') return { name: Buffer.from(bytes).toString('utf8'), rest: text.slice(i + 1) };
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      i += c.length - 1;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return null;
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{3}/.exec(text.slice(i + 1))?.[0];
      if (!octal) return null;
      bytes.push(Number.parseInt(octal, 8));
      i += 3;
    } else if (next in ESCAPES) {
      bytes.push(ESCAPES[next]!);
      i += 1;
    } else return null;
  }
  return null;
}

/** A path as it follows `rename from ` or `copy to `: quoted or plain to the end of the line. */
function plainOrQuoted(text: string): string | null {
  if (!text.startsWith('"')) return text;
  const quoted = unquote(text);
  return quoted && quoted.rest === '' ? quoted.name : null;
}

/** The path of a `--- a/x` or `+++ b/x` line (null for /dev/null); git adds a tab after a name with a space. */
function sidePath(text: string, prefix: 'a/' | 'b/'): string | null | undefined {
  const name = plainOrQuoted(text.replace(/\t$/, ''));
  if (name === null) return undefined;
  if (name === '/dev/null') return null;
  return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
}

/**
 * The one path of a `diff --git a/P b/P` header, for a block that says no more (a mode
 * change): both halves name the same path, which is how git itself reads such a header.
 */
function headerPath(text: string): string | null {
  if (text.startsWith('"')) {
    const a = unquote(text);
    const b = a && a.rest.startsWith(' ') ? (plainOrQuoted(a.rest.slice(1)) ?? null) : null;
    return a && b && a.name.startsWith('a/') && b.startsWith('b/') && a.name.slice(2) === b.slice(2) ? b.slice(2) : null;
  }
  if (text.length % 2 === 0) return null;
  const half = (text.length - 1) / 2;
  const [a, b] = [text.slice(0, half), text.slice(half + 1)];
  return text[half] === ' ' && a.startsWith('a/') && b.startsWith('b/') && a.slice(2) === b.slice(2) ? b.slice(2) : null;
}

export function pathsInRawDiff(text: string): RawDiffPaths {
  const paths = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let header: string | null = null;
  let named = false;
  let oldLeft = 0;
  let newLeft = 0;
  const closeBlock = (): string | null => {
    if (header === null || named) return null;
    const path = headerPath(header);
    if (path === null) return `cannot read the paths of "diff --git ${header.slice(0, 80)}"`;
    paths.add(path);
    return null;
  };
  for (let n = 0; n < lines.length; n += 1) {
    const line = lines[n]!;
    if (oldLeft > 0 || newLeft > 0) {
      const mark = line[0];
      if (mark === ' ') [oldLeft, newLeft] = [oldLeft - 1, newLeft - 1];
      else if (mark === '-') oldLeft -= 1;
      else if (mark === '+') newLeft -= 1;
      else if (mark !== '\\') return { unreadable: `line ${n + 1} ends a hunk early` };
      if (oldLeft < 0 || newLeft < 0) return { unreadable: `line ${n + 1} overruns its hunk` };
      continue;
    }
    // "\ No newline at end of file" after a hunk's last line.
    if (line.startsWith('\\')) continue;
    if (line.startsWith('diff --git ')) {
      const problem = closeBlock();
      if (problem) return { unreadable: problem };
      header = line.slice('diff --git '.length);
      named = false;
      continue;
    }
    if (header === null) return { unreadable: `line ${n + 1} comes before any "diff --git" header` };
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      continue;
    }
    const named1 = /^(rename|copy) (from|to) (.*)$/.exec(line);
    if (named1) {
      const path = plainOrQuoted(named1[3]!);
      if (path === null) return { unreadable: `cannot read the path of line ${n + 1}` };
      paths.add(path);
      named = true;
      continue;
    }
    if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      const path = sidePath(line.slice(4), line.startsWith('---') ? 'a/' : 'b/');
      if (path === undefined) return { unreadable: `cannot read the path of line ${n + 1}` };
      if (path !== null) paths.add(path);
      named = true;
      continue;
    }
    // Extended headers (modes, index, similarity) and "Binary files … differ" name nothing the
    // header does not: a binary change's paths come from its header (or rename lines).
    if (/^(old mode|new mode|deleted file mode|new file mode|index|similarity index|dissimilarity index) /.test(line) || /^Binary files .* differ$/.test(line)) continue;
    return { unreadable: `line ${n + 1} is not part of a git diff` };
  }
  if (oldLeft > 0 || newLeft > 0) return { unreadable: 'the diff ends inside a hunk' };
  const problem = closeBlock();
  if (problem) return { unreadable: problem };
  return { paths: [...paths] };
}
