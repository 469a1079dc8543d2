import { UserError } from '../../../shared/errors';
import { wrongShape } from '../answer-shape';
import { type NetsuiteClient, SUITEQL_MAX_LIMIT, SUITEQL_MAX_ROWS, type SuiteqlPage, type SuiteqlRow } from './client';
import { FetchThread, type FetchThreadReport, fetchWorkerEntry } from './fetch-thread';
import { type LeadingPages, plannedPages, requestLeadingPages } from './leading-pages';
import { orderedPages } from './ordered-pages';

/**
 * Large SuiteQL pulls. NetSuite pages a query through at most 100,000 rows, and one page after
 * another is bound by latency (5 concurrent slots idle while a single request waits). So the pull
 * first asks how many rows there are and how they spread over internal ids, cuts the id range into
 * windows of ≤ 100,000 rows, and then knows every page (window, offset) in advance: the pages are
 * requested concurrently through the account's limiter and yielded in order (ordered-pages.ts).
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
   * Fetch in a worker thread (HTTP only; parsing, mapping and writing stay here). `true`: started at
   * once, it takes over from this thread once loaded. Default: when the count says ≥
   * THREADED_MIN_ROWS rows, the client uses the real clock and the worker entry exists, a thread is
   * started if this thread does not keep the limiter full (ordered-pages.ts, SLOW_FRACTION) and takes over.
   */
  thread?: boolean;
  /** Tests: no page is fetched until the fetch thread is ready, so it fetches every page. */
  threadFetchesAll?: boolean;
  /** Reports the fetch thread's event-loop utilisation when it ends (benchmarks). */
  onFetchThread?: (info: FetchThreadReport) => void;
  onPage?: (info: { pagesDone: number; pagesTotal: number; rowsDone: number; rowsTotal: number }) => void;
  /**
   * Asks the count (`query.stats()`, one row) itself: a caller that learns from the count's answer
   * (which optional columns the account has) runs it. Its answer is checked as any count's.
   */
  count?: (signal: AbortSignal | undefined) => Promise<SuiteqlPage>;
}

function num(value: unknown, what: string): number {
  const n =
    typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw wrongShape('netsuite', 'NetSuite', what, 'a number in each row', { value: typeof value });
  }
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

export interface PlanHooks {
  /** The count has come back (rows the filter selects). */
  onCount?: (rows: number) => void;
  /** A histogram is about to be asked for: the rows are more than one window holds. */
  beforeHistogram?: (count: { rows: number; lo: number; hi: number }) => void;
}

export async function planWindows(
  client: NetsuiteClient,
  query: WindowedQuery,
  options: WindowedPullOptions & PlanHooks = {},
): Promise<{ windows: IdWindow[]; totalRows: number; planRequests: number }> {
  const max = options.maxWindowRows ?? SUITEQL_MAX_ROWS;
  const signal = options.signal;
  const countPage = options.count
    ? await options.count(signal)
    : await client.suiteql(query.stats(), {
        limit: 1,
        ...(signal ? { signal } : {}),
        label: 'plan: count',
      });
  // A COUNT(*) query always answers one row: anything else is not an answer to trust as "0 refunds".
  const first = countPage.items[0];
  if (countPage.items.length !== 1 || !first || !('n' in first)) {
    throw wrongShape(
      'netsuite',
      'NetSuite',
      'the count query of the pull',
      'one row with the count ("n")',
      countPage.items.length === 1 ? first : countPage.items,
    );
  }
  const total = num(first.n, 'the count query of the pull');
  const lo = total === 0 ? 0 : num(first.lo, 'the count query of the pull');
  const hi = total === 0 ? 0 : num(first.hi, 'the count query of the pull');
  // Leading pages go out before anything else is done with the count (starting a thread).
  if (total > max) options.beforeHistogram?.({ rows: total, lo, hi });
  options.onCount?.(total);
  if (total === 0) return { windows: [], totalRows: 0, planRequests: 1 };
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
      const b = num(row.b, 'the histogram query of the pull');
      const n = num(row.n, 'the histogram query of the pull');
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

/** Rows of a pull at or above this many may use the fetch thread (below, its start-up is not worth it). */
export const THREADED_MIN_ROWS = 20_000;

/** Yields every row of the windowed query in (window, offset) order. */
export async function* pullWindowed(
  client: NetsuiteClient,
  query: WindowedQuery,
  options: WindowedPullOptions = {},
): AsyncGenerator<SuiteqlRow> {
  const signal = options.signal;
  const pageSize = options.pageSize ?? SUITEQL_MAX_LIMIT;
  const prefetch = Math.max(1, options.prefetch ?? client.http.limiter.limit * 16);
  const buffer = Math.max(prefetch, 256);
  const entry = client.canUseWorker && options.thread !== false ? fetchWorkerEntry() : undefined;
  // `thread: true`: the fetch thread loads while the plan's queries run (and then while this thread
  // fetches the first pages). Left to the default, a large pull gets one only if this thread falls
  // behind (ordered-pages.ts, SLOW_FRACTION): on an idle core fetching here is cheaper.
  let thread: FetchThread | undefined;
  let threadOnDemand = false;
  const startThread = () => {
    if (entry) thread ??= new FetchThread(client, entry, buffer);
  };
  if (options.thread === true) startThread();
  // Requests made before the pages are known (leading pages) are cancelled through this.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let leading: LeadingPages | undefined;
  let plan: Awaited<ReturnType<typeof planWindows>>;
  try {
    plan = await planWindows(client, query, {
      ...options,
      onCount: (rows) => {
        if (options.thread === undefined && rows >= THREADED_MIN_ROWS) threadOnDemand = entry !== undefined;
      },
      beforeHistogram: ({ rows, lo, hi }) => {
        // Every slot but the histogram's takes a leading page (none when the test holds pages
        // back for the fetch thread).
        if (options.threadFetchesAll) return;
        const slots = client.http.limiter.limit - 1;
        leading = requestLeadingPages(client, query.rows({ lo, hi }), rows, slots, pageSize, controller.signal);
      },
    });
  } catch (error) {
    controller.abort(new Error('pull not planned'));
    signal?.removeEventListener('abort', onAbort);
    await thread?.stop();
    throw error;
  }
  signal?.removeEventListener('abort', onAbort);
  const { pages, adopted } = plannedPages(plan.windows, (w) => query.rows(w), pageSize, leading);
  const source = orderedPages(client, pages, {
    pageSize,
    prefetch,
    ...(signal ? { signal } : {}),
    ...(thread
      ? { thread: { handle: thread, buffer, waitUntilReady: options.threadFetchesAll === true } }
      : threadOnDemand
        ? { thread: { start: () => new FetchThread(client, entry!, buffer), buffer } }
        : {}),
    ...(options.onFetchThread ? { onFetchThread: options.onFetchThread } : {}),
    adopted: { requests: adopted, controller },
  });
  let rowsDone = 0;
  let i = 0;
  for await (const page of source) {
    const spec = pages[i]!;
    const expected = Math.min(pageSize, spec.totalRows - spec.offset);
    if (page.totalResults !== spec.totalRows || page.items.length !== expected) {
      throw new UserError(
        'netsuite_data_changed',
        `NetSuite refund records changed while they were being pulled (ids ${spec.window.lo}–${spec.window.hi}: expected ${spec.totalRows} rows, now ${page.totalResults}). Nothing was saved; run the pull again.`,
      );
    }
    const items = page.items.length > spec.keep ? page.items.slice(0, spec.keep) : page.items;
    rowsDone += items.length;
    i += 1;
    options.onPage?.({ pagesDone: i, pagesTotal: pages.length, rowsDone, rowsTotal: plan.totalRows });
    yield* items;
  }
}
