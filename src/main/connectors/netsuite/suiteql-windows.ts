import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ErrorLocation, UserError } from '../../../shared/errors';
import { abortReason } from '../clock';
import type { HttpStats } from '../http-policy';
import {
  type NetsuiteClient,
  SUITEQL_MAX_LIMIT,
  SUITEQL_MAX_ROWS,
  type SuiteqlPage,
  type SuiteqlRow,
  suiteqlPage,
} from './client';
import type { ConsumerMessage, FetcherData, FetcherMessage, SerializedError } from './page-fetcher';

/**
 * Large SuiteQL pulls. NetSuite pages a query through at most 100,000 rows, and one page after
 * another is bound by latency (5 concurrent slots idle while a single request waits). So the pull
 * first asks how many rows there are and how they spread over internal ids, cuts the id range into
 * windows of ≤ 100,000 rows, and then knows every page (window, offset) in advance: the pages are
 * requested concurrently through the account's limiter and yielded in order.
 */

export interface IdWindow {
  lo: number;
  hi: number;
  rows: number;
}

export interface WindowedQuery {
  stats(): string;
  histogram(lo: number, hi: number, width: number): string;
  rows(window: { lo: number; hi: number }): string;
}

export interface WindowedPullOptions {
  signal?: AbortSignal;
  /** Rows per window. Default 100,000 (NetSuite's cap); tests use less. */
  maxWindowRows?: number;
  pageSize?: number;
  /** Pages requested ahead of the consumer. Default 16 × the limiter's limit (threaded: ≥ 256). */
  prefetch?: number;
  /**
   * Fetch in a worker thread (HTTP only; parsing, mapping and writing stay here). Default: when the
   * plan has ≥ THREADED_MIN_ROWS rows, the client uses the real clock and the worker entry exists.
   */
  thread?: boolean;
  /** Reports the fetch thread's event-loop utilisation when it ends (benchmarks). */
  onFetchThread?: (info: { utilization: number; activeMs: number; idleMs: number }) => void;
  onPage?: (info: { pagesDone: number; pagesTotal: number; rowsDone: number; rowsTotal: number }) => void;
}

function num(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new Error(`SuiteQL returned a non-number where a count was expected: ${String(value)}`);
  return n;
}

/** Packs consecutive buckets into windows of at most `max` rows. */
export function packWindows(buckets: { lo: number; hi: number; rows: number }[], max: number): IdWindow[] {
  const windows: IdWindow[] = [];
  let current: IdWindow | undefined;
  for (const bucket of buckets) {
    if (bucket.rows === 0) continue;
    if (current && current.rows + bucket.rows <= max) {
      current.hi = bucket.hi;
      current.rows += bucket.rows;
    } else {
      current = { ...bucket };
      windows.push(current);
    }
  }
  return windows;
}

export async function planWindows(
  client: NetsuiteClient,
  query: WindowedQuery,
  options: WindowedPullOptions = {},
): Promise<{ windows: IdWindow[]; totalRows: number; planRequests: number }> {
  const max = options.maxWindowRows ?? SUITEQL_MAX_ROWS;
  const signal = options.signal;
  const first = (await client.suiteql(query.stats(), { limit: 1, ...(signal ? { signal } : {}), label: 'plan: count' }))
    .items[0];
  const total = first?.n === undefined ? 0 : num(first.n);
  if (total === 0) return { windows: [], totalRows: 0, planRequests: 1 };
  const lo = num(first?.lo);
  const hi = num(first?.hi);
  if (total <= max) return { windows: [{ lo, hi, rows: total }], totalRows: total, planRequests: 1 };
  let planRequests = 1;
  const split = async (from: number, to: number, rows: number, depth: number): Promise<IdWindow[]> => {
    const span = to - from + 1;
    if (span === 1 || depth > 4) {
      if (rows > max) {
        throw new UserError(
          'netsuite_window_too_large',
          `Internal id ${from} alone has ${rows} SuiteQL rows, over the ${max}-row cap; narrow the pull by date.`,
        );
      }
      return [{ lo: from, hi: to, rows }];
    }
    let buckets = Math.min(SUITEQL_MAX_LIMIT, span);
    let width: number;
    let page: SuiteqlPage;
    for (;;) {
      width = Math.ceil(span / buckets);
      planRequests += 1;
      page = await client.suiteql(query.histogram(from, to, width), {
        limit: SUITEQL_MAX_LIMIT,
        ...(signal ? { signal } : {}),
        label: 'plan: histogram',
      });
      // A histogram must fit in one page; if the account pages fewer rows, use wider buckets.
      if (page.items.length >= page.totalResults || buckets <= 2) break;
      buckets = Math.max(2, Math.floor(page.items.length / 2));
    }
    const out: { lo: number; hi: number; rows: number }[] = [];
    for (const row of page.items) {
      const b = num(row.b);
      const n = num(row.n);
      const bLo = from + b * width;
      const bHi = Math.min(to, bLo + width - 1);
      if (n > max) out.push(...(await split(bLo, bHi, n, depth + 1)));
      else out.push({ lo: bLo, hi: bHi, rows: n });
    }
    return out;
  };
  const buckets = await split(lo, hi, total, 0);
  return { windows: packWindows(buckets, max), totalRows: total, planRequests };
}

interface PlannedPage {
  window: IdWindow;
  text: string;
  offset: number;
}

type PageSource = AsyncGenerator<SuiteqlPage>;

/** Pages fetched concurrently in this thread through the limiter, yielded in order. */
async function* inThreadPages(
  client: NetsuiteClient,
  pages: PlannedPage[],
  pageSize: number,
  prefetch: number,
  signal: AbortSignal | undefined,
): PageSource {
  const inner = new AbortController();
  // Every in-flight page listens on this signal; more than Node's default 10 is expected.
  setMaxListeners(0, inner.signal);
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const started: (Promise<SuiteqlPage> | undefined)[] = [];
  const start = (i: number) => {
    const page = pages[i]!;
    const promise = client.suiteql(page.text, {
      limit: pageSize,
      offset: page.offset,
      signal: inner.signal,
      label: pageLabel(page),
    });
    promise.catch(() => {}); // observed when awaited; avoid unhandled rejections meanwhile
    started[i] = promise;
  };
  try {
    for (let i = 0; i < Math.min(prefetch, pages.length); i++) start(i);
    for (let i = 0; i < pages.length; i++) {
      if (signal?.aborted) throw abortReason(signal);
      const page = await started[i]!;
      started[i] = undefined;
      if (i + prefetch < pages.length) start(i + prefetch);
      yield page;
    }
  } finally {
    inner.abort(new Error('pull finished'));
    signal?.removeEventListener('abort', onAbort);
  }
}

function pageLabel(page: PlannedPage): string {
  return `suiteql ids ${page.window.lo}-${page.window.hi} offset ${page.offset}`;
}

/** Where the fetch worker's entry is: the TypeScript source through tsx, or a built file beside this one. */
export function fetchWorkerEntry(): { file: string; execArgv: string[] } | undefined {
  if (__filename.endsWith('.ts')) {
    return { file: path.join(__dirname, 'page-fetcher-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  }
  const built = path.join(__dirname, 'netsuite-page-fetcher.js');
  return fs.existsSync(built) ? { file: built, execArgv: [] } : undefined;
}

function rebuildError(error: SerializedError): Error {
  if (error.name === 'UserError' && error.code) {
    return new UserError(error.code, error.message, error.location as ErrorLocation | undefined, error.details);
  }
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

/**
 * Pages fetched by a worker thread (page-fetcher.ts) that does nothing but HTTP, so the limiter
 * stays full while this thread parses, maps and writes. Page texts arrive in any order and are
 * parsed here in order; a malformed one is asked for again. Worker stats and log lines are merged
 * into the client's.
 */
async function* threadedPages(
  client: NetsuiteClient,
  pages: PlannedPage[],
  pageSize: number,
  buffer: number,
  signal: AbortSignal | undefined,
  entry: { file: string; execArgv: string[] },
  onFetchThread?: WindowedPullOptions['onFetchThread'],
): PageSource {
  const worker = new Worker(entry.file, {
    execArgv: entry.execArgv,
    workerData: {
      config: client.workerConfig(),
      pages: pages.map((p) => ({ text: p.text, offset: p.offset, limit: pageSize, label: pageLabel(p) })),
      buffer,
    } satisfies FetcherData,
  });
  const texts = new Map<number, string>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const last: HttpStats = { requests: 0, retries: 0, byStatus: {}, throttled: 0, bytesReceived: 0 };
  const merge = (s: HttpStats) => {
    const byStatus: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.byStatus)) byStatus[k] = v - (last.byStatus[k] ?? 0);
    client.http.addStats({
      requests: s.requests - last.requests,
      retries: s.retries - last.retries,
      throttled: s.throttled - last.throttled,
      bytesReceived: s.bytesReceived - last.bytesReceived,
      byStatus,
    });
    Object.assign(last, { ...s, byStatus: { ...s.byStatus } });
  };
  worker.on('message', (message: FetcherMessage) => {
    if (message.type === 'log') {
      client.http.writeLog(message.entry);
      return;
    }
    merge(message.stats);
    if (message.type === 'page') texts.set(message.index, message.text);
    else failure = rebuildError(message.error);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the SuiteQL fetch thread stopped (exit ${code})`);
    wake?.();
  });
  const onAbort = () => {
    worker.postMessage({ type: 'cancel' } satisfies ConsumerMessage);
    wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const maxAttempts = 8;
  try {
    for (let i = 0; i < pages.length; i++) {
      for (let attempt = 1; ; attempt++) {
        while (!texts.has(i)) {
          if (signal?.aborted) throw abortReason(signal);
          if (failure) throw failure;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        const text = texts.get(i)!;
        texts.delete(i);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          const reason = `malformed JSON (${text.length} bytes)`;
          if (attempt >= maxAttempts) {
            throw new UserError(
              'netsuite_unreadable',
              `NetSuite kept sending unreadable SuiteQL pages (${reason}, ${attempt} attempts); try again later.`,
            );
          }
          worker.postMessage({ type: 'refetch', index: i, reason } satisfies ConsumerMessage);
          continue;
        }
        worker.postMessage({ type: 'ack', index: i } satisfies ConsumerMessage);
        yield suiteqlPage(parsed, pages[i]!.offset);
        break;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.removeAllListeners('exit');
    const elu = worker.performance.eventLoopUtilization();
    onFetchThread?.({ utilization: elu.utilization, activeMs: elu.active, idleMs: elu.idle });
    await worker.terminate();
  }
}

/** Rows of a pull at or above this many use the fetch thread (below, its start-up is not worth it). */
export const THREADED_MIN_ROWS = 20_000;

/** Yields every row of the windowed query in (window, offset) order. */
export async function* pullWindowed(
  client: NetsuiteClient,
  query: WindowedQuery,
  options: WindowedPullOptions = {},
): AsyncGenerator<SuiteqlRow> {
  const signal = options.signal;
  const pageSize = options.pageSize ?? SUITEQL_MAX_LIMIT;
  const plan = await planWindows(client, query, options);
  const pages: PlannedPage[] = plan.windows.flatMap((window) => {
    const text = query.rows(window);
    return Array.from({ length: Math.ceil(window.rows / pageSize) }, (_, i) => ({
      window,
      text,
      offset: i * pageSize,
    }));
  });
  const entry = client.canUseWorker ? fetchWorkerEntry() : undefined;
  const threaded = options.thread ?? (entry !== undefined && plan.totalRows >= THREADED_MIN_ROWS);
  const prefetch = Math.max(1, options.prefetch ?? client.http.limiter.limit * 16);
  const source =
    threaded && entry
      ? threadedPages(client, pages, pageSize, Math.max(prefetch, 256), signal, entry, options.onFetchThread)
      : inThreadPages(client, pages, pageSize, prefetch, signal);
  let rowsDone = 0;
  let i = 0;
  for await (const page of source) {
    const spec = pages[i]!;
    const expected = Math.min(pageSize, spec.window.rows - spec.offset);
    if (page.totalResults !== spec.window.rows || page.items.length !== expected) {
      throw new UserError(
        'netsuite_data_changed',
        `NetSuite refund records changed while they were being pulled (ids ${spec.window.lo}–${spec.window.hi}: expected ${spec.window.rows} rows, now ${page.totalResults}). Nothing was saved; run the pull again.`,
      );
    }
    rowsDone += page.items.length;
    i += 1;
    options.onPage?.({ pagesDone: i, pagesTotal: pages.length, rowsDone, rowsTotal: plan.totalRows });
    yield* page.items;
  }
}
