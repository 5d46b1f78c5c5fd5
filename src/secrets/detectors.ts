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
}

/** One character repeated (`xxxx…`, `0000…`): an example, not a secret. */
const repeated = (value: string) => /^(.)\1*$/.test(value);

/**
 * GitLab's token prefixes (docs.gitlab.com, "GitLab token overview" → token prefixes):
 * personal, project, group access and impersonation `glpat-`, OAuth application secret
 * `gloas-`, deploy `gldt-`, runner authentication `glrt-` (`glrtr-`), legacy runner
 * registration `GR1348941`, CI/CD job `glcbt-`, pipeline trigger `glptt-`, feed `glft-`,
 * incoming mail `glimt-`, agent for Kubernetes `glagent-`, SCIM `glsoat-`, feature flags
 * client `glffct-`, workspace `glwt-`. At least 20 characters must follow (GitLab's
 * shortest token body), so `glpat-<your token>` or `glpat-…` in instructions is not a
 * secret. Routable tokens end in `.<version><checksum>` segments.
 */
const GITLAB_TOKEN =
  /(?<![A-Za-z0-9_-])(?:(?:glpat|gloas|gldt|glrtr|glrt|glcbt|glptt|glft|glimt|glagent|glsoat|glffct|glwt)-|GR1348941)([0-9A-Za-z_-]{20,})(?:\.[0-9A-Za-z]{1,12}){0,2}/g;
/** Tokens GitLab accepts in a URL query (`?private_token=…`, feed URLs), whatever their format. */
const GITLAB_TOKEN_PARAMETER = /[?&](?:private_token|feed_token)=([0-9A-Za-z_-]{20,})/g;

/** A PEM, OpenSSH or PGP private key from its BEGIN line to its END line (LF, CRLF or `\n` escapes in JSON). */
const PRIVATE_KEY_BLOCK = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g;
const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * What follows a BEGIN line when the END line is missing: the rest of an escaped JSON
 * string, then whole lines that look like key material (16+ base64 characters, padding)
 * or PEM headers. A closing code fence or a line of prose ends it.
 */
const KEY_CONTINUATION = /^(?:\\n[A-Za-z0-9+/=_-]*)*(?:(?:\r\n|\r|\n)(?:[A-Za-z0-9+/_-]{16,}={0,2}|[A-Za-z0-9+/_-]*={1,2}|[A-Za-z-]+: [^\r\n]+))*/;

const DETECTORS: readonly Detector[] = [
  { kind: 'gitlab-token', pattern: GITLAB_TOKEN, group: 0, ignore: (v) => repeated(v.replace(/^(?:[a-z]+-|GR1348941)/, '').split('.')[0]!) },
  { kind: 'gitlab-token', pattern: GITLAB_TOKEN_PARAMETER, group: 1, ignore: repeated },
  // AWS access key IDs: long-term `AKIA`, temporary `ASIA`, then 16 upper-case letters and digits. AWS's documentation key ends in EXAMPLE.
  { kind: 'aws-access-key-id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, group: 0, ignore: (v) => v.endsWith('EXAMPLE') },
  // A secret access key has no prefix: only a value labelled as one counts.
  { kind: 'aws-secret-access-key', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, group: 1, ignore: (v) => v.includes('EXAMPLE') },
  // A service-account JSON key: its private key is a PEM block (above); its id sits next to it.
  { kind: 'gcp-private-key-id', pattern: /"private_key_id"\s*:\s*"([0-9a-f]{40})(?=")/g, group: 1 },
  { kind: 'google-api-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, group: 0 },
  // Slack bot, user, app, refresh and configuration tokens: `xox?-` and dash-separated parts, 20+ characters.
  { kind: 'slack-token', pattern: /(?<![A-Za-z0-9_-])xox[baprs]-(?=[0-9A-Za-z-]{20,})[0-9A-Za-z]+(?:-[0-9A-Za-z]+)+/g, group: 0 },
  { kind: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g, group: 0 },
  // Credentials in HTTP headers, as pasted from curl commands; `$VARIABLE` values are not secrets.
  { kind: 'bearer-token', pattern: /\bAuthorization["']?\s*:\s*(?:Bearer|token)\s+([A-Za-z0-9._~+/=-]{16,})/gi, group: 1, ignore: repeated },
  { kind: 'bearer-token', pattern: /\b(?:PRIVATE|JOB|DEPLOY)-TOKEN["']?\s*[:=]\s*["']?([A-Za-z0-9._-]{16,})/gi, group: 1, ignore: repeated },
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

function* keyBlocks(text: string): Generator<SecretMatch> {
  const complete: SecretMatch[] = [...text.matchAll(PRIVATE_KEY_BLOCK)].map((m) => ({ start: m.index, end: m.index + m[0].length, kinds: ['private-key'] }));
  yield* complete;
  for (const m of text.matchAll(PRIVATE_KEY_BEGIN)) {
    if (complete.some((c) => m.index >= c.start && m.index < c.end)) continue;
    // A key pasted without its END line is still a key.
    const afterBegin = m.index + m[0].length;
    const body = KEY_CONTINUATION.exec(text.slice(afterBegin))?.[0] ?? '';
    // A BEGIN line with no key material after it is someone naming the format, not a key.
    if (!/[A-Za-z0-9+/]{16}/.test(body)) continue;
    yield { start: m.index, end: afterBegin + body.length, kinds: ['private-key'] };
  }
}

function* detect(text: string, detector: Detector): Generator<SecretMatch> {
  for (const m of text.matchAll(detector.pattern)) {
    const value = m[detector.group];
    if (value === undefined || detector.ignore?.(value)) continue;
    // Every pattern ends with its value (closing quotes are lookaheads), so the value ends where the match ends.
    const end = m.index + m[0].length;
    yield { start: end - value.length, end, kinds: [detector.kind] };
  }
}

/** Every secret in a text, in order; overlapping findings merge into one span with all their kinds. */
export function findSecrets(text: string | null | undefined, options: DetectorOptions = {}): SecretMatch[] {
  if (!text) return [];
  const detectors = options.passwordAssignments === false ? DETECTORS : [...DETECTORS, PASSWORD_ASSIGNMENT];
  const found = [...keyBlocks(text), ...detectors.flatMap((d) => [...detect(text, d)])].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretMatch[] = [];
  for (const match of found) {
    const last = merged.at(-1);
    if (last && match.start < last.end) {
      last.end = Math.max(last.end, match.end);
      for (const kind of match.kinds) if (!last.kinds.includes(kind)) last.kinds.push(kind);
    } else {
      merged.push({ ...match, kinds: [...match.kinds] });
    }
  }
  return merged;
}

/** The kinds found, each once, in a stable order: all a note or a reason may say about them. */
export function secretKinds(matches: readonly SecretMatch[]): SecretKind[] {
  return KIND_ORDER.filter((kind) => matches.some((m) => m.kinds.includes(kind)));
}
