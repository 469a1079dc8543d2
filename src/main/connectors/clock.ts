/**
 * Time source for the HTTP policy and throttles. Production uses the real clock; benchmarks and
 * emulators may share a scaled clock so that a rate limit measured in "seconds" can be exercised
 * faster than wall time while client and server still agree on what a second is.
 */
export interface Clock {
  /** Milliseconds, monotonic within one process. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The operation was cancelled.');
  error.name = 'AbortError';
  return error;
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: sleepReal,
};

/** A clock that runs `factor` times faster than wall time (factor 10: a "second" lasts 100 ms). */
export function scaledClock(factor: number): Clock {
  const start = performance.now();
  return {
    now: () => start + (performance.now() - start) * factor,
    sleep: (ms, signal) => sleepReal(ms / factor, signal),
  };
}
