import { normalizeForMatching } from './normalize.js';

// Secrets that must not stay in a public tracker. Each detector looks for a fixed,
// documented prefix or a labelled value; generic "long random string" detection is
// left out on purpose: on a support tracker full of SHAs, IDs and log lines it would
// make ordinary issues confidential.

export type SecretKind =
  | 'gitlab-token'
  | 'private-key'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'gcp-private-key-id'
  | 'google-api-key'
  | 'slack-token'
  | 'slack-webhook'
  | 'github-token'
  | 'npm-token'
  | 'url-credentials'
  | 'bearer-token'
  | 'password-assignment';

/** Kinds in the order reasons and notes list them. */
const KIND_ORDER: readonly SecretKind[] = [
  'gitlab-token',
  'private-key',
  'aws-access-key-id',
  'aws-secret-access-key',
  'gcp-private-key-id',
  'google-api-key',
  'slack-token',
  'slack-webhook',
  'github-token',
  'npm-token',
  'url-credentials',
  'bearer-token',
  'password-assignment',
];

/** What a note or a reason may say about a secret: its kind, never its value. */
export const SECRET_KIND_NAMES: Record<SecretKind, string> = {
  'gitlab-token': 'a GitLab token',
  'private-key': 'a private key',
  'aws-access-key-id': 'an AWS access key ID',
  'aws-secret-access-key': 'an AWS secret access key',
  'gcp-private-key-id': 'a Google Cloud service-account key',
  'google-api-key': 'a Google API key',
  'slack-token': 'a Slack token',
  'slack-webhook': 'a Slack webhook URL',
  'github-token': 'a GitHub token',
  'npm-token': 'an npm token',
  'url-credentials': 'a password in a URL',
  'bearer-token': 'a bearer token',
  'password-assignment': 'a password or key',
};

/** Where a secret is in a text, and what it is. The value itself is never copied out of the text. */
export interface SecretMatch {
  start: number;
  end: number;
  /** More than one when detectors overlap (`access_token=glpat-…`). */
  kinds: SecretKind[];
}

export interface DetectorOptions {
  /** `password = …`-style assignments: the detector most prone to false positives. */
  passwordAssignments?: boolean;
}

interface Detector {
  kind: SecretKind;
  pattern: RegExp;
  /** Which capture group is the secret (the rest is its label, like `aws_secret_access_key =`); 0 for the whole match. */
  group: number;
  /** A match that is really documentation or a placeholder. */
  ignore?: (value: string) => boolean;
  /** How much of the value is the secret, when the pattern may take more (a token split over lines). */
  keep?: (value: string) => number;
}

/** One character repeated (`xxxx…`, `0000…`): an example, not a secret. */
const repeated = (value: string) => /^(.)\1*$/.test(value);

/** `https://user:<password>@…`, `${PASSWORD}`, `****`, `password`: how documentation writes a URL password. */
const urlPasswordPlaceholder = (value: string) => /[<>{}[\]$*]/.test(value) || /^(?:password|passwd|pass|pwd|secret|token|x+)$/i.test(value) || repeated(value);

/** A GitLab token whose body is `xxxx…`, or one cut by a line break that is still shorter than a token once joined. */
function gitlabTokenExample(value: string): boolean {
  const body = value
    .replace(/^(?:[a-z]+-|GR1348941)/, '')
    .split('.')[0]!
    .replace(/\s+/g, '');
  return body.length < 20 || repeated(body);
}

/**
 * GitLab's token prefixes (docs.gitlab.com, "GitLab token overview" → token prefixes):
 * personal, project, group access and impersonation `glpat-`, OAuth application secret
 * `gloas-`, deploy `gldt-`, runner authentication `glrt-` (`glrtr-`), legacy runner
 * registration `GR1348941`, CI/CD job `glcbt-`, pipeline trigger `glptt-`, feed `glft-`,
 * incoming mail `glimt-`, agent for Kubernetes `glagent-`, SCIM `glsoat-`, feature flags
 * client `glffct-`, workspace `glwt-`. At least 20 characters must follow (GitLab's
 * shortest token body), so `glpat-<your token>` or `glpat-…` in instructions is not a
 * secret. Routable tokens end in `.<version><checksum>` segments.
 *
 * The prefixes are distinctive enough to need no word boundary: `_glpat-…` or
 * `xglpat-…` is a token with a character typed in front of it. A body cut by a line
 * break before its 20th character (a wrapped terminal, a pasted half) continues on the
 * next lines (up to three lines in all, each but the last shorter than a token), so the
 * whole token is found, not only its first part.
 */
const TOKEN_PREFIX = '(?:(?:glpat|gloas|gldt|glrtr|glrt|glcbt|glptt|glft|glimt|glagent|glsoat|glffct|glwt)-|GR1348941)';
/** What may split a token into parts a reader joins: a line break, or the border of two table cells (`| glpat-ab | cd |`). */
const TOKEN_LINE_BREAK = '(?:(?:\\r?\\n|\\r)[ \\t]*|[ \\t]*\\|[ \\t]*)';
const GITLAB_TOKEN = new RegExp(
  `${TOKEN_PREFIX}(?:[0-9A-Za-z_-]{20,}|[0-9A-Za-z_-]{1,19}(?:${TOKEN_LINE_BREAK}[0-9A-Za-z_-]{1,19}(?![0-9A-Za-z_-])){0,2}${TOKEN_LINE_BREAK}[0-9A-Za-z_-]+)(?:\\.[0-9A-Za-z]{1,12}){0,2}`,
  'g',
);
/** A token split over lines ends with the line that completes its 20 characters: a next line is prose again. */
function splitTokenLength(value: string): number {
  let body = -/^(?:[a-z]+-|GR1348941)/i.exec(value)![0].length;
  let kept = 0;
  for (const line of value.split(/(?<=\n)|(?<=\r)(?!\n)/)) {
    kept += line.length;
    body += line.replace(/[^0-9A-Za-z_-]/g, '').length;
    if (body >= 20 && kept < value.length) return kept - /(?:\r?\n|\r)$/.exec(line)![0].length;
  }
  return value.length;
}
/**
 * The parameters GitLab reads a token from (`lib/gitlab/auth/auth_finders.rb`: `private_token`,
 * `job_token`, `access_token`; feeds: `feed_token`), in a URL query or as a client library's
 * argument (`private_token="…"`, python-gitlab).
 */
const GITLAB_TOKEN_PARAMETER = /(?<![A-Za-z0-9_-])(?:private_token|feed_token|job_token|access_token)["']?\s*[:=]\s*["']?([0-9A-Za-z_-]{20,})/g;

/** The BEGIN and END lines of PEM, OpenSSH and PGP private keys; the label (`RSA PRIVATE KEY`) pairs them. */
const KEY_MARKER = /-----(BEGIN|END) ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/gi;
/**
 * What follows a BEGIN line when the END line is missing: the rest of an escaped JSON
 * string, then whole lines that look like key material (16+ base64 characters, padding)
 * or PEM headers. A closing code fence or a line of prose ends it. Sticky: read from the
 * end of the BEGIN line, never from a copy of the rest of the text.
 */
const KEY_CONTINUATION = /(?:\\n[A-Za-z0-9+/=_-]*)*(?:(?:\r\n|\r|\n)(?:[A-Za-z0-9+/_-]{16,}={0,2}|[A-Za-z0-9+/_-]*={1,2}|[A-Za-z-]+: [^\r\n]+))*/y;

const DETECTORS: readonly Detector[] = [
  { kind: 'gitlab-token', pattern: GITLAB_TOKEN, group: 0, ignore: gitlabTokenExample, keep: splitTokenLength },
  { kind: 'gitlab-token', pattern: GITLAB_TOKEN_PARAMETER, group: 1, ignore: repeated },
  // GitLab's session cookie, the token overview's `_gitlab_session=` (32 hex characters): whoever has it is signed in.
  { kind: 'gitlab-token', pattern: /_gitlab_session=([0-9a-f]{32})(?![0-9A-Za-z])/g, group: 1, ignore: repeated },
  // AWS access key IDs: long-term `AKIA`, temporary `ASIA`, then 16 upper-case letters and digits. AWS's documentation key ends in EXAMPLE.
  { kind: 'aws-access-key-id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, group: 0, ignore: (v) => v.endsWith('EXAMPLE') },
  // A secret access key has no prefix: only a value labelled as one counts.
  {
    kind: 'aws-secret-access-key',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    ignore: (v) => v.includes('EXAMPLE'),
  },
  // A service-account JSON key: its private key is a PEM block (above); its id sits next to it.
  { kind: 'gcp-private-key-id', pattern: /"private_key_id"\s*:\s*"([0-9a-f]{40})(?=")/g, group: 1 },
  { kind: 'google-api-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, group: 0 },
  // Slack bot, user, app, refresh and configuration tokens: `xox?-` and dash-separated parts, 20+ characters.
  { kind: 'slack-token', pattern: /(?<![A-Za-z0-9_-])xox[baprs]-(?=[0-9A-Za-z-]{20,})[0-9A-Za-z]+(?:-[0-9A-Za-z]+)+/g, group: 0 },
  { kind: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g, group: 0 },
  // From secretlint's recommended preset (bench/compareSecrets.ts): GitHub classic (`ghp_` personal, `gho_` OAuth,
  // `ghu_`/`ghs_` app, `ghr_` refresh) and fine-grained (`github_pat_`) tokens, npm access tokens.
  { kind: 'github-token', pattern: /(?:gh[pousr]_[A-Za-z0-9_]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g, group: 0 },
  { kind: 'npm-token', pattern: /npm_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])/g, group: 0 },
  // `scheme://user:password@host`: clone URLs, database and Redis URLs as pasted from gitlab.rb or logs. Only the password.
  { kind: 'url-credentials', pattern: /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/@]{0,100}:([^\s@/]{1,200})(?=@)/g, group: 1, ignore: urlPasswordPlaceholder },
  // Credentials in HTTP headers, as pasted from curl commands; `$VARIABLE` values are not secrets.
  { kind: 'bearer-token', pattern: /\bAuthorization["']?\s*:\s*(?:Bearer|token|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/gi, group: 1, ignore: repeated },
  // GitLab's token headers, and the webhook secret GitLab sends in `X-Gitlab-Token`.
  { kind: 'bearer-token', pattern: /\b(?:PRIVATE|JOB|DEPLOY|X-Gitlab)-TOKEN["']?\s*[:=]\s*["']?([A-Za-z0-9._-]{16,})/gi, group: 1, ignore: repeated },
];

/**
 * `password: hunter22!`, `token = …`: a bare credential name (not `DB_PASSWORD`) and a
 * value with letters and digits and no placeholder characters, so `password: required`,
 * `<your password>`, `${DB_PASSWORD}`, `{{ api_key }}`, `********` and `[REDACTED]` are not secrets.
 */
const PASSWORD_ASSIGNMENT: Detector = {
  kind: 'password-assignment',
  pattern: /(?<![A-Za-z0-9_-])(?:password|passwd|secret|token|access_token|api_key|apikey|api_token|client_secret)["']?\s*[:=]\s*["']?([^\s"'<>{}[\]$*`,;]{6,})/gi,
  group: 1,
  ignore: (v) => !/[0-9]/.test(v) || !/[A-Za-z]/.test(v) || repeated(v),
};

/**
 * Private keys in one pass over their BEGIN and END lines: a BEGIN line pairs with the
 * next END line of the same label (a key block, as a lazy regex would take it); a BEGIN
 * line with no such END is a truncated key, taken with the key material that follows it.
 * Each END list is walked forward once, so the time is linear in the text (a regex
 * searching the rest of the text for each unclosed BEGIN line was quadratic).
 */
function* keyBlocks(text: string): Generator<SecretMatch> {
  const begins: { start: number; end: number; label: string }[] = [];
  const endsByLabel = new Map<string, { start: number; end: number }[]>();
  for (const m of text.matchAll(KEY_MARKER)) {
    // Any case: `-----begin rsa private key-----` still holds the key.
    const marker = { start: m.index, end: m.index + m[0].length, label: m[2]!.toUpperCase() };
    if (m[1]!.toUpperCase() === 'BEGIN') begins.push(marker);
    else {
      const ends = endsByLabel.get(marker.label) ?? [];
      ends.push(marker);
      endsByLabel.set(marker.label, ends);
    }
  }
  const next = new Map<string, number>();
  let covered = 0;
  for (const begin of begins) {
    // A BEGIN line inside a key already taken is part of that key.
    if (begin.start < covered) continue;
    const ends = endsByLabel.get(begin.label) ?? [];
    let i = next.get(begin.label) ?? 0;
    while (i < ends.length && ends[i]!.start < begin.end) i += 1;
    next.set(begin.label, i);
    if (i < ends.length) {
      covered = ends[i]!.end;
      yield { start: begin.start, end: covered, kinds: ['private-key'] };
      continue;
    }
    // A key pasted without its END line is still a key.
    KEY_CONTINUATION.lastIndex = begin.end;
    const bodyEnd = KEY_CONTINUATION.exec(text) ? KEY_CONTINUATION.lastIndex : begin.end;
    // A BEGIN line with no key material after it is someone naming the format, not a key.
    if (!/[A-Za-z0-9+/]{16}/.test(text.slice(begin.end, bodyEnd))) continue;
    covered = bodyEnd;
    yield { start: begin.start, end: bodyEnd, kinds: ['private-key'] };
  }
}

function* detect(text: string, detector: Detector): Generator<SecretMatch> {
  for (const m of text.matchAll(detector.pattern)) {
    const value = m[detector.group];
    if (value === undefined || detector.ignore?.(value)) continue;
    // Every pattern ends with its value (closing quotes are lookaheads), so the value ends where the match ends.
    const start = m.index + m[0].length - value.length;
    yield { start, end: start + (detector.keep?.(value) ?? value.length), kinds: [detector.kind] };
  }
}

/**
 * Every secret in a text, in order, as spans of the original text; overlapping findings
 * merge into one span with all their kinds. The detectors read the text normalised
 * (`normalize.ts`: as GitLab renders it: character references decoded, Unicode in
 * NFKC without invisible code points, tags and emphasis splitting a token dropped…), so a span covers the whole secret as written, the
 * characters that hid it included. Linear in the length of the text.
 */
export function findSecrets(text: string | null | undefined, options: DetectorOptions = {}): SecretMatch[] {
  if (!text) return [];
  const detectors = options.passwordAssignments === false ? DETECTORS : [...DETECTORS, PASSWORD_ASSIGNMENT];
  const normalized = normalizeForMatching(text);
  const found = [...keyBlocks(normalized.text), ...detectors.flatMap((d) => [...detect(normalized.text, d)])];
  if (normalized.text !== text) {
    for (const m of found) Object.assign(m, normalized.toOriginal(m.start, m.end));
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // Each finding is a fresh object of this call: merging may extend it in place.
  const merged: SecretMatch[] = [];
  for (const match of found) {
    const last = merged.at(-1);
    if (last && match.start < last.end) {
      last.end = Math.max(last.end, match.end);
      for (const kind of match.kinds) if (!last.kinds.includes(kind)) last.kinds.push(kind);
    } else {
      merged.push(match);
    }
  }
  return merged;
}

/**
 * What each GitLab token prefix stands for (docs.gitlab.com, "GitLab token overview" → token
 * prefixes), so a notice can say which token to revoke. A prefix is public, the rest is not.
 */
const GITLAB_TOKEN_NAMES: readonly [RegExp, string][] = [
  [/^glpat-/, 'a GitLab personal, project or group access token'],
  [/^gloas-/, 'a GitLab OAuth application secret'],
  [/^gldt-/, 'a GitLab deploy token'],
  [/^glrtr?-/, 'a GitLab runner authentication token'],
  [/^GR1348941/, 'a GitLab runner registration token'],
  [/^glcbt-/, 'a GitLab CI/CD job token'],
  [/^glptt-/, 'a GitLab pipeline trigger token'],
  [/^glft-/, 'a GitLab feed token'],
  [/^glimt-/, 'a GitLab incoming email token'],
  [/^glagent-/, 'a GitLab agent for Kubernetes token'],
  [/^glsoat-/, 'a GitLab SCIM token'],
  [/^glffct-/, 'a GitLab feature flags client token'],
  [/^glwt-/, 'a GitLab workspace token'],
];

/**
 * What a notice may say about the secrets found in `text`: each kind's name once, in a stable
 * order, a GitLab token named by its prefix (read as GitLab renders it, so a disguised prefix
 * still names it). Never any part of a value.
 */
export function secretNames(text: string, matches: readonly SecretMatch[]): string[] {
  const names = new Set<string>();
  for (const kind of secretKinds(matches)) {
    if (kind !== 'gitlab-token') {
      names.add(SECRET_KIND_NAMES[kind]);
      continue;
    }
    for (const m of matches.filter((match) => match.kinds.includes(kind))) {
      const rendered = normalizeForMatching(text.slice(m.start, m.end)).text;
      // A token found inside a longer match (`access_token=glpat-…`) starts later in it.
      const token = new RegExp(TOKEN_PREFIX).exec(rendered)?.[0] ?? '';
      const start = rendered.slice(rendered.indexOf(token));
      names.add(GITLAB_TOKEN_NAMES.find(([prefix]) => prefix.test(start))?.[1] ?? SECRET_KIND_NAMES[kind]);
    }
  }
  return [...names];
}

/** The kinds found, each once, in a stable order: all a note or a reason may say about them. */
export function secretKinds(matches: readonly SecretMatch[]): SecretKind[] {
  return KIND_ORDER.filter((kind) => matches.some((m) => m.kinds.includes(kind)));
}
