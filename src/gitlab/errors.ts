import { heldValue, redactOutput, type HeldValue } from '../secrets/output.js';
/** A GitLab API answer other than 2xx, or a request that never got one. */
export class GitLabError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly endpoint: string,
    /** HTTP status; undefined for network errors and timeouts. */
    readonly status: number | undefined,
    /** Seconds from a Retry-After header, when GitLab sent one. */
    readonly retryAfterSeconds?: number,
    /** The OAuth error code of the body (`{"error": "insufficient_scope", …}`), when it has one. */
    readonly code?: string,
    /** Why no GitLab answer came, when none did: "connection refused", "DNS lookup of host failed", "TLS: …", "the answer is not GitLab's API …". */
    readonly unreachable?: string,
  ) {
    super(message);
    this.name = 'GitLabError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /**
   * The token itself is refused: revoked or expired (401), or without the scope the request
   * needs (403 `insufficient_scope`, e.g. a read_api token writing). Bad for every project.
   */
  get isRefusedToken(): boolean {
    return this.status === 401 || (this.status === 403 && this.code === 'insufficient_scope');
  }
}

/**
 * GitLab answered (2xx) with a body the bot cannot read: a field it needs missing or of
 * another type. Not transient: the same request gets the same answer.
 */
export class GitLabResponseError extends Error {
  constructor(
    /** What was being read: "an issue", "a merge request"… */
    readonly what: string,
    /** `field: problem`, one per field. */
    readonly problems: string[],
  ) {
    super(`GitLab answered ${what} the bot cannot read: ${problems.join('; ')}`);
    this.name = 'GitLabResponseError';
  }
}

/**
 * GitLab cannot be reached at the configured URL: refused, unknown host, TLS failure, no
 * answer, or something that is not GitLab's API answering. `firstContact`: nothing ever
 * answered (a wrong GITLAB_URL, exit 2); otherwise the connection was lost mid-run (exit 1).
 */
export class GitLabUnreachable extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly firstContact: boolean,
  ) {
    super(
      firstContact
        ? `cannot reach GitLab at ${url} (GITLAB_URL, else gitlab.url): ${reason}`
        : `lost the connection to GitLab at ${url} (GITLAB_URL, else gitlab.url): ${reason}; stopped`,
    );
    this.name = 'GitLabUnreachable';
  }

  /** Refused, reset or timed out: also what a GitLab being restarted gives, unlike a DNS or TLS failure or another server answering. */
  get momentary(): boolean {
    return /^(connection refused|connection reset|timed out)/.test(this.reason);
  }
}

/**
 * An error no other project or subject would fare better with: a refused token (revoked, or
 * without the api scope) is the operator's to fix, and GitLab out of reach helps no one. A run
 * or a sync stops at once on it, rather than fail each project in turn.
 */
export function stopsTheRun(error: unknown): boolean {
  return (isGitLabError(error) && error.isRefusedToken) || error instanceof GitLabUnreachable;
}

export function isGitLabError(error: unknown): error is GitLabError {
  return error instanceof GitLabError;
}

/**
 * Could retrying this request change the outcome? 429 and network failures are
 * transient; so are 5xx answers. 4xx answers (bad token, missing resource, invalid
 * input) are not: they need the operator, not another try.
 */
export function isTransient(error: unknown): boolean {
  if (!isGitLabError(error)) return false;
  // Another server answering at GITLAB_URL answers the same way next time.
  if (error.unreachable !== undefined && error.status !== undefined) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

/** Did GitLab certainly not act on the request? (Then even a non-idempotent write may be retried.) */
export function certainlyNotApplied(error: unknown): boolean {
  return isGitLabError(error) && error.status === 429;
}

// Secret values (GITLAB_TOKEN, GITLAB_WEBHOOK_SECRET, chat webhook URLs) and every secret the
// detectors find are redacted from every line the bot writes: logs, stdout, stderr, error
// messages and stacks, HTTP answers. GitLab or a proxy may echo a header back in an error
// body (escaped, encoded, or cut), and an HTTP library may quote an invalid header value, so
// the redaction works on the text that is about to be written, whatever produced it.

/** The registered values and the lines of those that have several (a value may be printed one line at a time). */
let values: HeldValue[] = [];

/** Redact this value from everything the bot writes from now on, whatever its length (a short secret is still a secret). */
export function registerSecret(value: string | undefined): void {
  if (!value || values.some((held) => held.written === value)) return;
  // Lines under 6 characters are too short to search for alone.
  const parts = [value, ...value.split(/[\r\n]+/).filter((p) => p.length >= 6 && p !== value)];
  const known = new Set(values.map((held) => held.written));
  values = [...values, ...[...new Set(parts)].filter((part) => !known.has(part)).map(heldValue)];
}

export const REDACTED = '[REDACTED]';

/** The text with every registered value and every detected secret, in any disguise, replaced by `[REDACTED]`. The one redactor: apply it before any truncation. */
export function redactSecrets(text: string): string {
  return redactOutput(text, values, REDACTED);
}

/** `text` redacted, then cut to `max` characters: a secret straddling the cut is redacted whole, never half-printed. */
export function redactAndClip(text: string, max: number): string {
  const safe = redactSecrets(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

let streamsRedacted = false;

/**
 * Every line the process prints, on stdout and stderr, passes through `redactSecrets`:
 * command output, error bodies, replayed answers, dry-run output and anything a library
 * prints. Called once at the start of the CLI; the bot writes whole lines per call.
 */
export function redactStandardStreams(): void {
  if (streamsRedacted) return;
  streamsRedacted = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(
        typeof chunk === 'string' ? redactSecrets(chunk) : chunk instanceof Uint8Array ? redactSecrets(Buffer.from(chunk).toString('utf8')) : chunk,
        ...rest,
      )) as typeof stream.write;
  }
}
