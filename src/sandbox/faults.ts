// Fault injection for tests and benchmarks. A fault either fails a request
// before anything is applied (the default: a retried write is not duplicated),
// or after the write is applied (`afterApply`: the change and its webhooks
// happen, but the client sees an error or a dropped connection), which is what
// duplicate-protection logic must survive.

import { mulberry32 } from './random.js';

export interface FaultOptions {
  retryAfterSeconds?: number;
  methods?: string[];
  pathPattern?: RegExp;
  /** Apply the request, then answer with the failure. */
  afterApply?: boolean;
  /** Destroy the connection instead of answering (a client sees a network error / timeout). */
  dropConnection?: boolean;
  /**
   * Answer nothing and apply the request this many milliseconds later (its webhooks then
   * go out), dropping the connection: a client that timed out and looked for the result
   * before then finds nothing, and the write lands after its retry.
   */
  applyAfterMs?: number;
}

export interface Fault {
  status: number;
  retryAfterSeconds?: number | undefined;
  afterApply: boolean;
  dropConnection: boolean;
  applyAfterMs?: number | undefined;
}

interface Rule extends Fault {
  remaining: number;
  methods?: string[] | undefined;
  pathPattern?: RegExp | undefined;
}

export class FaultInjector {
  private rules: Rule[] = [];
  private errorRate = 0;
  private rateStatuses: number[] = [500, 502];
  private rateMethods: string[] | undefined;
  private random: () => number = mulberry32(1);
  /** Added latency per API request, in ms. */
  latencyMs = 0;

  failNext(count: number, status: number, opts: FaultOptions = {}): void {
    this.rules.push({
      remaining: count,
      status,
      retryAfterSeconds: opts.retryAfterSeconds,
      afterApply: opts.afterApply ?? false,
      dropConnection: opts.dropConnection ?? false,
      applyAfterMs: opts.applyAfterMs,
      methods: opts.methods?.map((m) => m.toUpperCase()),
      pathPattern: opts.pathPattern,
    });
  }

  /** A random share of requests fail before applying; the RNG is seeded for repeatable runs. */
  setErrorRate(rate: number, statuses: number[] = [500, 502], opts: { seed?: number; methods?: string[] } = {}): void {
    this.errorRate = rate;
    this.rateStatuses = statuses.length ? statuses : [500];
    this.rateMethods = opts.methods?.map((m) => m.toUpperCase());
    this.random = mulberry32(opts.seed ?? 1);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  clear(): void {
    this.rules = [];
    this.errorRate = 0;
    this.latencyMs = 0;
  }

  /** Consumes and returns the fault for this request, if any. */
  take(method: string, path: string): Fault | null {
    const m = method.toUpperCase();
    const rule = this.rules.find((r) => r.remaining > 0 && (!r.methods || r.methods.includes(m)) && (!r.pathPattern || r.pathPattern.test(path)));
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
      return { status: rule.status, retryAfterSeconds: rule.retryAfterSeconds, afterApply: rule.afterApply, dropConnection: rule.dropConnection, applyAfterMs: rule.applyAfterMs };
    }
    if (this.errorRate > 0 && (!this.rateMethods || this.rateMethods.includes(m)) && this.random() < this.errorRate) {
      const status = this.rateStatuses[Math.floor(this.random() * this.rateStatuses.length)] ?? 500;
      return { status, afterApply: false, dropConnection: false };
    }
    return null;
  }
}
