import type { MessagePort } from 'node:worker_threads';
import type { HttpStats } from '../http-policy';
import { ConcurrencyLimiter } from '../limiter';
import type { RequestLog, RequestLogEntry } from '../request-log';
import { NetsuiteClient, type NetsuiteWorkerConfig } from './client';

/**
 * The fetch side of a threaded SuiteQL pull, run in its own worker thread: it only sends requests
 * (TBA signing, retries, the account's concurrency limit) and hands each page's text to the
 * consumer as it arrives, keeping the limiter full whatever the consumer is doing (parsing, mapping,
 * SQLite inserts). It never parses a page: the consumer does, and asks for a page again if its JSON
 * is malformed. A credit window (pages sent but not yet consumed) bounds the memory used.
 *
 * The thread is started while the pull is still planning, and loading it takes a few hundred
 * milliseconds; meanwhile the consumer's thread fetches the first pages itself. So the thread says
 * `ready`, and the consumer answers `start` with the remaining pages and how many of its own
 * requests are still under way (`borrowed`): those slots stay taken here until the consumer reports
 * each one `released`, so the two threads together never exceed the account's limit.
 */

export interface PageSpec {
  text: string;
  offset: number;
  limit: number;
  label: string;
}

export interface FetcherData {
  config: NetsuiteWorkerConfig;
  /** Pages fetched ahead of the consumer at most. */
  buffer: number;
}

export type FetcherMessage =
  | { type: 'ready' }
  /** The page's UTF-8 bytes, transferred (not copied). */
  | { type: 'page'; index: number; bytes: Uint8Array; stats: HttpStats }
  | { type: 'log'; entry: RequestLogEntry }
  | { type: 'error'; index: number; error: SerializedError; stats: HttpStats };

export type ConsumerMessage =
  /** Fetch `pages` from index `first` on; `borrowed` of the limit's slots are in use by the consumer. */
  | { type: 'start'; pages: PageSpec[]; first: number; borrowed: number }
  /** One of the consumer's borrowed slots is free again. */
  | { type: 'released' }
  | { type: 'ack'; index: number }
  | { type: 'refetch'; index: number; reason: string }
  | { type: 'cancel' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  location?: unknown;
  details?: unknown;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; location?: unknown; details?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(e.location !== undefined ? { location: e.location } : {}),
      ...(e.details !== undefined ? { details: e.details } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

export function runPageFetcher(port: MessagePort, data: FetcherData): void {
  const controller = new AbortController();
  const limiter = new ConcurrencyLimiter(data.config.concurrency);
  const { logRequests, ...config } = data.config;
  const log: RequestLog = {
    write: (entry) => {
      if (logRequests) port.postMessage({ type: 'log', entry } satisfies FetcherMessage);
    },
  };
  const client = new NetsuiteClient({ ...config, limiter, log });
  const stats = client.http.stats;
  // One request waiting at the limiter beyond the limit, so a freed slot is taken at once.
  const parallel = data.config.concurrency + 1;
  let pages: PageSpec[] = [];
  let next = 0;
  let consumed = 0;
  let inFlight = 0;
  let failed = false;
  // Slots the consumer's own requests hold; queued first, so they are taken before any page here.
  const borrowed: Promise<() => void>[] = [];

  const fetch = (index: number) => {
    const spec = pages[index]!;
    inFlight += 1;
    client
      .suiteqlBytes(spec.text, { limit: spec.limit, offset: spec.offset, signal: controller.signal, label: spec.label })
      .then(
        (bytes) => {
          const message: FetcherMessage = { type: 'page', index, bytes, stats };
          // Transferred when the bytes own their buffer (undici's arrayBuffer() gives a fresh one).
          const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
          port.postMessage(message, whole ? [bytes.buffer as ArrayBuffer] : []);
        },
        (error: unknown) => {
          if (failed) return;
          failed = true;
          port.postMessage({ type: 'error', index, error: serializeError(error), stats } satisfies FetcherMessage);
        },
      )
      .finally(() => {
        inFlight -= 1;
        pump();
      });
  };
  const pump = () => {
    while (!failed && inFlight < parallel && next < pages.length && next < consumed + data.buffer) fetch(next++);
  };
  port.on('message', (message: ConsumerMessage) => {
    if (message.type === 'start') {
      pages = message.pages;
      next = message.first;
      for (let i = 0; i < message.borrowed; i++) borrowed.push(limiter.acquire(controller.signal));
      for (const slot of borrowed) slot.catch(() => {}); // rejected only by cancel
      pump();
    } else if (message.type === 'released') {
      void borrowed.shift()?.then((release) => release());
    } else if (message.type === 'ack') {
      consumed = Math.max(consumed, message.index + 1);
      pump();
    } else if (message.type === 'refetch') {
      stats.retries += 1;
      const spec = pages[message.index]!;
      log.write({
        at: new Date().toISOString(),
        account: client.http.account,
        method: 'POST',
        url: client.url('/services/rest/query/v1/suiteql', { limit: spec.limit, offset: spec.offset }),
        attempt: 1,
        status: 200,
        durationMs: 0,
        outcome: 'retry',
        reason: message.reason,
        label: spec.label,
      });
      fetch(message.index);
    } else if (message.type === 'cancel') {
      failed = true;
      controller.abort(new Error('cancelled'));
    }
  });
  port.postMessage({ type: 'ready' } satisfies FetcherMessage);
}
