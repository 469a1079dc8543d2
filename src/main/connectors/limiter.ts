import { abortReason } from './clock';

/**
 * A counting semaphore with cancellation: at most `limit` holders at a time, waiters served first
 * in, first out. A waiter whose signal aborts leaves the queue without taking a slot. (Bottleneck
 * cannot drop a queued job on abort, which a cancelled pull needs.)
 */
interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class ConcurrencyLimiter {
  #limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Concurrency limit must be ≥ 1, got ${limit}`);
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Changes the limit; lowering it lets current holders finish. */
  setLimit(limit: number): void {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#drain();
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<() => void>((resolve, reject) => {
      const entry: Waiter = {
        resolve: () => resolve(this.#releaser()),
        reject,
      };
      if (signal) {
        entry.signal = signal;
        entry.onAbort = () => {
          const index = this.#queue.indexOf(entry);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.#queue.push(entry);
      this.#drain();
    });
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active -= 1;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      this.#active += 1;
      next.resolve();
    }
  }
}

const registry = new Map<string, ConcurrencyLimiter>();

/**
 * One limiter per vendor account, shared by every client in the process that talks to it
 * (NetSuite's concurrency limit is per account, across all integrations).
 */
export function limiterForAccount(key: string, limit: number): ConcurrencyLimiter {
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = new ConcurrencyLimiter(limit);
    registry.set(key, limiter);
  } else if (limiter.limit !== limit) {
    limiter.setLimit(limit);
  }
  return limiter;
}
