import pRetry from 'p-retry';
import { certainlyNotApplied, isTransient } from './errors.js';

// The one retry policy for every GitLab call, webhook path and scheduled jobs alike:
// bounded, exponential with jitter. Retry-After is honoured by the rate-limit tracker,
// which holds every request until it has passed.

export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxMs: number;
}

export type WriteSafety =
  /** Reads and writes that set a state (PUT labels, PUT note): repeating them is harmless. */
  | 'idempotent'
  /** Writes that create something (POST note, POST issue): repeat only when GitLab certainly did not act. */
  | 'creates';

export function withRetry<T>(policy: RetryPolicy, safety: WriteSafety, attempt: () => Promise<T>): Promise<T> {
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: policy.baseMs,
    maxTimeout: policy.maxMs,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => (safety === 'idempotent' ? isTransient(error) : certainlyNotApplied(error)),
  });
}
