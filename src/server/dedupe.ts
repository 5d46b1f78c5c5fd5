/**
 * Remembers Idempotency-Keys of deliveries accepted recently. GitLab keeps the key
 * across retries of one delivery (the event and webhook UUIDs change), so a key
 * seen before means the same event. A key whose processing failed is forgotten,
 * so a manual resend can try again.
 */
export class DeliveryDedupe {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the key is new (and records it); false for a duplicate. */
  claim(key: string): boolean {
    this.evictExpired();
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, this.now() + this.ttlMs);
    return true;
  }

  /** Keys held now (at most maxEntries; each at most 64 characters, see `dedupeKey`). */
  get size(): number {
    return this.seen.size;
  }

  release(key: string): void {
    this.seen.delete(key);
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
  }
}
