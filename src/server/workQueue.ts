import PQueue from 'p-queue';

/**
 * The bounded in-process queue between accepting a delivery (202) and doing its
 * work. Jobs for the same issue run one after another, in arrival order; jobs for
 * different issues run in parallel up to the concurrency.
 */
export class WorkQueue {
  private readonly queue: PQueue;
  private readonly tails = new Map<string, Promise<void>>();
  private waiting = 0;

  constructor(
    private readonly limit: number,
    concurrency: number,
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /** Jobs accepted and not yet finished. */
  get depth(): number {
    return this.waiting;
  }

  /** False when the queue is full: the caller answers 503 so GitLab can retry later. */
  offer(resourceKey: string, job: () => Promise<void>): boolean {
    if (this.waiting >= this.limit) return false;
    this.waiting += 1;
    const previous = this.tails.get(resourceKey) ?? Promise.resolve();
    const next = previous.then(() => this.queue.add(job)).then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      this.waiting -= 1;
      if (this.tails.get(resourceKey) === next) this.tails.delete(resourceKey);
    });
    this.tails.set(resourceKey, next);
    return true;
  }

  /** Resolves once every accepted job has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
    await this.queue.onIdle();
  }
}
