import type { Clock } from '../clock';
import type { RawResponse } from '../http-policy';

/**
 * BigCommerce's request quota (apis.md §3): a number of requests per window (150 per 30 s on
 * Standard/Plus) shared by every app on the store, reported on each answer by
 * `X-Rate-Limit-Requests-Left`, `X-Rate-Limit-Time-Reset-Ms`, `X-Rate-Limit-Requests-Quota` and
 * `X-Rate-Limit-Time-Window-Ms`. A request is sent only while the last known `left`, minus the
 * requests still in flight, is above zero; otherwise it waits until the window resets. Answers
 * arriving out of order within one window keep the lowest `left` seen.
 */
export class RateWindow {
  #left: number | undefined;
  #quota: number | undefined;
  #windowMs = 30_000;
  #resetAt = 0;
  /** The reset time is this side's guess (a window started here); the server's next answer replaces it. */
  #resetGuessed = false;
  #inFlight = 0;
  /** Times a request waited for the window to reset, and the milliseconds spent waiting. */
  waits = 0;
  waitedMs = 0;

  constructor(private readonly clock: Clock) {}

  get left(): number | undefined {
    return this.#left;
  }

  /** Waits until the quota allows one more request, then counts it as in flight. */
  async reserve(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (this.#left !== undefined && now >= this.#resetAt) {
        // A new window: the whole quota again (the next answer says what other apps used).
        this.#left = this.#quota ?? this.#left;
        // The server's window starts when the first request arrives, later than now: this guess is
        // early, so the first answer's reset time replaces it (not only when earlier).
        this.#resetAt = now + this.#windowMs;
        this.#resetGuessed = true;
      }
      if (this.#left === undefined || this.#left - this.#inFlight > 0) {
        this.#inFlight += 1;
        return;
      }
      const wait = Math.max(1, this.#resetAt - now);
      this.waits += 1;
      this.waitedMs += wait;
      await this.clock.sleep(wait, signal);
    }
  }

  /** Called with each attempt's answer (null: no answer) to release it and read the headers. */
  settle(response: RawResponse | null): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (response) this.observe(response.headers);
  }

  observe(headers: Record<string, string>): void {
    const left = Number(headers['x-rate-limit-requests-left']);
    const resetMs = Number(headers['x-rate-limit-time-reset-ms']);
    if (headers['x-rate-limit-requests-left'] === undefined || !Number.isFinite(left)) return;
    const quota = Number(headers['x-rate-limit-requests-quota']);
    const windowMs = Number(headers['x-rate-limit-time-window-ms']);
    if (Number.isFinite(quota) && quota > 0) this.#quota = quota;
    if (Number.isFinite(windowMs) && windowMs > 0) this.#windowMs = windowMs;
    const resetAt = this.clock.now() + (Number.isFinite(resetMs) ? Math.max(0, resetMs) : this.#windowMs);
    const sameWindow = this.#left !== undefined && Math.abs(resetAt - this.#resetAt) < this.#windowMs / 2;
    this.#left = sameWindow ? Math.min(this.#left!, left) : left;
    if (!sameWindow || this.#resetGuessed || resetAt < this.#resetAt) this.#resetAt = resetAt;
    this.#resetGuessed = false;
  }

  /** For a 429 with quota headers: wait until the window resets. */
  static retryDelay(response: RawResponse): number | undefined {
    const reset = Number(response.headers['x-rate-limit-time-reset-ms']);
    return response.headers['x-rate-limit-time-reset-ms'] !== undefined && Number.isFinite(reset)
      ? Math.max(0, reset)
      : undefined;
  }
}
