import { parseMarkdown, headingKey } from '../templates/markdown.js';
import { sectionBodies } from '../templates/sections.js';

// The namespace a Name Squatting Request asks for, read from its "Requested namespace"
// section: `username`, `@username`, or a profile URL on the configured host.

/** GitLab's namespace path rule: letters, digits, `_`, `-`, `.`; not starting with `-`, not ending in `.` or `.git`. */
const NAMESPACE = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

export function isNamespacePath(text: string): boolean {
  return text.length <= 255 && NAMESPACE.test(text) && !text.endsWith('.') && !/\.(git|atom)$/i.test(text);
}

export type NamespaceReading = { status: 'found'; namespace: string } | { status: 'missing' } | { status: 'unreadable'; text: string; why: string };

/** One token of the section: `name`, `@name`, `<https://host/name>`, `[x](https://host/name)`, or a bare URL. */
function readToken(token: string, hosts: ReadonlySet<string>): NamespaceReading {
  const unwrapped = token.replace(/^[<`*_]+|[>`*_.,;:]+$/g, '');
  if (/^https?:\/\//i.test(unwrapped)) {
    let url: URL;
    try {
      url = new URL(unwrapped);
    } catch {
      return { status: 'unreadable', text: token, why: 'not a valid URL' };
    }
    if (!hosts.has(url.host.toLowerCase())) return { status: 'unreadable', text: token, why: `a URL on ${url.host}, not on ${[...hosts].join(' or ')}` };
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length !== 1 || !isNamespacePath(segments[0]!)) return { status: 'unreadable', text: token, why: 'not a profile URL (https://host/username)' };
    return { status: 'found', namespace: segments[0]! };
  }
  const name = unwrapped.replace(/^@/, '');
  if (!isNamespacePath(name)) return { status: 'unreadable', text: token, why: 'not a username' };
  return { status: 'found', namespace: name };
}

/**
 * Reads the requested namespace. The template's own example line ("Example: https://…")
 * and HTML comments do not count. The first line with text decides.
 */
export function requestedNamespace(description: string, section: string, hosts: ReadonlySet<string>): NamespaceReading {
  const key = headingKey(section);
  const doc = parseMarkdown(description, new Set([key]));
  const boundaries = new Set(doc.lines.flatMap((l) => (l.heading ? [l.heading.key] : [])));
  const body = sectionBodies(doc, new Set([key]), boundaries).get(key);
  if (!body) return { status: 'missing' };
  for (const bodyLine of body) {
    if (bodyLine.fence) continue;
    const text = bodyLine.text.trim();
    if (!text || /^example\s*:/i.test(text)) continue;
    // A URL (bare or in a Markdown link) or an @mention anywhere in the line; otherwise the
    // line must be the name alone, so a sentence ("Please release x") never names its first word.
    const line = text.replace(/^[-*+]\s+/, '');
    const url = /\]\((\S+?)\)/.exec(line)?.[1] ?? /<?https?:\/\/\S+/i.exec(line)?.[0];
    const mention = /(?:^|\s)(@[A-Za-z0-9_.][A-Za-z0-9_.-]*)/.exec(line)?.[1];
    const words = line.split(/\s+/);
    if (!url && !mention && words.length > 1) return { status: 'unreadable', text: line, why: 'a sentence, not a username' };
    const first = url ?? mention ?? words[0]!;
    return readToken(first, hosts);
  }
  return { status: 'missing' };
}

/**
 * The hosts whose profile URLs name a namespace: gitlab.url's, the instance the bot talks to
 * (GITLAB_URL, which in CI is `$CI_SERVER_URL`: the host whose profile a team member copies)
 * and `dormant.profileHosts`.
 */
export function profileHosts(gitlabUrl: string, extra: readonly string[], instanceUrl: string = gitlabUrl): Set<string> {
  return new Set([new URL(gitlabUrl).host.toLowerCase(), new URL(instanceUrl).host.toLowerCase(), ...extra.map((h) => h.toLowerCase())]);
}
