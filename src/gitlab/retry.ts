import pRetry from 'p-retry';
import { certainlyNotApplied, isGitLabError, isTransient } from './errors.js';

// The one retry policy for every GitLab call, webhook path and scheduled jobs alike:
// bounded, exponential with jitter. Retry-After is honoured by the rate-limit tracker,
// which holds every request until it has passed.

export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxMs: number;
  /** How long a request keeps retrying when no answer comes at all (refused, reset, timed out); unbounded when absent. */
  networkBudgetMs?: number;
}

/** GitLab out of reach: refused, unknown host, TLS, reset (a slow answer is a timeout, not this). */
const noAnswer = (error: unknown) => isGitLabError(error) && error.unreachable !== undefined;

export type WriteSafety =
  /** Reads and writes that set a state (PUT labels, PUT note): repeating them is harmless. */
  | 'idempotent'
  /** Writes that create something (POST note, POST issue): repeat only when GitLab certainly did not act. */
  | 'creates';

export function withRetry<T>(policy: RetryPolicy, safety: WriteSafety, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const withinBudget = (error: unknown) => !noAnswer(error) || policy.networkBudgetMs === undefined || Date.now() - started < policy.networkBudgetMs;
  return retryWhen(policy, (error) => withinBudget(error) && (safety === 'idempotent' ? isTransient(error) : certainlyNotApplied(error)), attempt);
}

/** The same back-off for another service (Slack's webhooks): an attempt is repeated while `shouldRetry` says so. */
export function retryWhen<T>(policy: RetryPolicy, shouldRetry: (error: unknown) => boolean, attempt: () => Promise<T>): Promise<T> {
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: policy.baseMs,
    maxTimeout: policy.maxMs,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => shouldRetry(error),
  });
}
