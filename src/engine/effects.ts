import type { Logger } from 'pino';
import { isGitLabError, isTransient } from '../gitlab/errors.js';
import type { RetryPolicy } from '../gitlab/retry.js';
import type { WriteBudget } from './budget.js';
import type { AppliedChange } from './changes.js';
import { sendFor, type PortName } from './ports.js';

/** A write a handler is about to make (or found unneeded), before the executor decides its outcome. */
export interface ChangeDraft {
  /** The rules it serves; one write may serve several. */
  rules: string[];
  target: AppliedChange['target'];
  detail: string;
  reason: string;
}

export interface EffectsOptions {
  budget: WriteBudget;
  /** A dry run: ports are the recording twins, and writes are reported as `would-write`. */
  dryRun?: boolean;
  log: Logger;
  /** Attempts at one non-idempotent create, each after checking that an earlier one did not land. */
  createAttempts?: number;
  /** Back-off between those attempts: the gateway's retry policy. */
  retry?: RetryPolicy;
  /** How long GitLab may still be working on a request that timed out: wait this long before looking. */
  requestTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every port's writes share, implemented once: the write budget, the dry run's
 * `would-write`, the outcome record, and the duplicate-safe create loop.
 */
export class Effects {
  constructor(private readonly options: EffectsOptions) {}

  get dryRun(): boolean {
    return this.options.dryRun ?? false;
  }

  get log(): Logger {
    return this.options.log;
  }

  /** Sends one write through `port` when the budget allows; its outcome says what happened. */
  async write(port: PortName, change: ChangeDraft, send: () => Promise<unknown>): Promise<AppliedChange> {
    const rule = change.rules.join(',');
    if (!this.options.budget.take()) {
      this.options.log.warn({ rule, port, detail: change.detail }, 'write skipped: the run has used its write budget (bot.maxWritesPerRun)');
      return outcome(port, change, 'skipped');
    }
    await sendFor({ rules: change.rules, reason: change.reason }, send);
    return outcome(port, change, this.dryRun ? 'would-write' : 'written');
  }

  /** A planned write that state already satisfies. */
  unchanged(port: PortName, change: ChangeDraft): AppliedChange {
    return outcome(port, change, 'unchanged');
  }

  /**
   * A create that is not idempotent (a note, an owned issue, a final commit status): after a
   * timeout or a 5xx GitLab may have saved it. So before each new attempt (after the retry
   * policy's back-off, and for a timeout after GitLab's own time to finish), `landed` looks
   * for it; it is created again only when absent. `landed: true` says it was found, not made.
   */
  async createOnce<T>(what: string, context: Record<string, unknown>, create: () => Promise<T>, landed: () => Promise<T | undefined>): Promise<{ value: T; landed: boolean }> {
    const attempts = this.options.createAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { value: await create(), landed: false };
      } catch (error) {
        if (!isTransient(error) || attempt >= attempts) throw error;
        const wait = this.backoff(attempt) + (isGitLabError(error) && error.status === undefined ? (this.options.requestTimeoutMs ?? 0) : 0);
        this.options.log.warn({ err: error, ...context, attempt, waitMs: wait }, `${what} failed; checking whether it landed before trying again`);
        await sleep(wait);
        const found = await landed();
        if (found !== undefined) return { value: found, landed: true };
      }
    }
  }

  private backoff(attempt: number): number {
    const policy = this.options.retry ?? { retries: 5, baseMs: 500, maxMs: 60_000 };
    return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (1 + Math.random());
  }
}

function outcome(port: PortName, change: ChangeDraft, result: AppliedChange['outcome']): AppliedChange {
  return { rule: change.rules.join(','), port, target: change.target, outcome: result, detail: change.detail, reason: change.reason };
}
