import type { MessagePort } from 'node:worker_threads';
import type { HttpStats } from '../http-policy';
import { ConcurrencyLimiter } from '../limiter';
import type { RequestLogEntry } from '../request-log';
import { NetsuiteClient, type NetsuiteWorkerConfig } from './client';

/**
 * The fetch side of a threaded SuiteQL pull, run in its own worker thread: it only sends requests
 * (TBA signing, retries, the account's concurrency limit) and hands each page's text to the
 * consumer as it arrives, keeping the limiter full whatever the consumer is doing (parsing, mapping,
 * SQLite inserts). It never parses a page: the consumer does, and asks for a page again if its JSON
 * is malformed. A credit window (pages sent but not yet consumed) bounds the memory used.
 */

export interface PageSpec {
  text: string;
  offset: number;
  limit: number;
  label: string;
}

export interface FetcherData {
  config: NetsuiteWorkerConfig;
  pages: PageSpec[];
  /** Pages fetched ahead of the consumer at most. */
  buffer: number;
}

export type FetcherMessage =
  | { type: 'page'; index: number; text: string; stats: HttpStats }
  | { type: 'log'; entry: RequestLogEntry }
  | { type: 'error'; index: number; error: SerializedError; stats: HttpStats };

export type ConsumerMessage =
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
  const client = new NetsuiteClient({
    ...data.config,
    limiter: new ConcurrencyLimiter(data.config.concurrency),
    log: { write: (entry) => port.postMessage({ type: 'log', entry } satisfies FetcherMessage) },
  });
  const stats = client.http.stats;
  const total = data.pages.length;
  // One request waiting at the limiter beyond the limit, so a freed slot is taken at once.
  const parallel = data.config.concurrency + 1;
  let next = 0;
  let consumed = 0;
  let inFlight = 0;
  let failed = false;

  const fetch = (index: number) => {
    const spec = data.pages[index]!;
    inFlight += 1;
    client
      .suiteqlText(spec.text, { limit: spec.limit, offset: spec.offset, signal: controller.signal, label: spec.label })
      .then(
        (text) => port.postMessage({ type: 'page', index, text, stats } satisfies FetcherMessage),
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
    while (!failed && inFlight < parallel && next < total && next < consumed + data.buffer) fetch(next++);
  };
  port.on('message', (message: ConsumerMessage) => {
    if (message.type === 'ack') {
      consumed = Math.max(consumed, message.index + 1);
      pump();
    } else if (message.type === 'refetch') {
      stats.retries += 1;
      const spec = data.pages[message.index]!;
      port.postMessage({
        type: 'log',
        entry: {
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
        },
      } satisfies FetcherMessage);
      fetch(message.index);
    } else if (message.type === 'cancel') {
      failed = true;
      controller.abort(new Error('cancelled'));
    }
  });
  pump();
}
