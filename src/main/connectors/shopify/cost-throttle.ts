import type { Clock } from '../clock';

/** Shopify's `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * Client-side mirror of Shopify's cost bucket: before a query it waits until the bucket (as last
 * reported, plus restore since) holds the query's requested cost, so the server rarely has to say
 * THROTTLED; requests sent concurrently reserve their cost.
 */
export class CostThrottle {
  #status: ThrottleStatus | undefined;
  #at = 0;
  #reserved = 0;
  constructor(private readonly clock: Clock) {}

  get status(): ThrottleStatus | undefined {
    return this.#status;
  }

  available(): number | undefined {
    const s = this.#status;
    if (!s) return undefined;
    const restored = ((this.clock.now() - this.#at) / 1000) * s.restoreRate;
    return Math.min(s.maximumAvailable, s.currentlyAvailable + restored) - this.#reserved;
  }

  /** Milliseconds to wait before `cost` points are available. */
  waitFor(cost: number): number {
    const s = this.#status;
    const available = this.available();
    if (!s || available === undefined || available >= cost) return 0;
    return ((cost - available) / s.restoreRate) * 1000;
  }

  async reserve(cost: number, signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const wait = this.waitFor(cost);
      if (wait <= 0) break;
      await this.clock.sleep(wait, signal);
    }
    this.#reserved += cost;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.#reserved -= cost;
      }
    };
  }

  update(status: ThrottleStatus): void {
    this.#status = status;
    this.#at = this.clock.now();
  }
}
