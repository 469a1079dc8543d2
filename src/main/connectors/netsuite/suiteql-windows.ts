import { setMaxListeners } from 'node:events';
import { UserError } from '../../../shared/errors';
import { abortReason } from '../clock';
import { type NetsuiteClient, SUITEQL_MAX_LIMIT, SUITEQL_MAX_ROWS, type SuiteqlPage, type SuiteqlRow } from './client';

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
  /** Pages requested ahead of the consumer. Default 4 × the limiter's limit. */
  prefetch?: number;
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

/** Yields every row of the windowed query in (window, offset) order. */
export async function* pullWindowed(
  client: NetsuiteClient,
  query: WindowedQuery,
  options: WindowedPullOptions = {},
): AsyncGenerator<SuiteqlRow> {
  const signal = options.signal;
  const pageSize = options.pageSize ?? SUITEQL_MAX_LIMIT;
  const plan = await planWindows(client, query, options);
  const pages = plan.windows.flatMap((window) => {
    const text = query.rows(window);
    return Array.from({ length: Math.ceil(window.rows / pageSize) }, (_, i) => ({
      window,
      text,
      offset: i * pageSize,
    }));
  });
  const prefetch = Math.max(1, options.prefetch ?? client.http.limiter.limit * 16);
  const inner = new AbortController();
  // Every in-flight page listens on this signal; more than Node's default 10 is expected.
  setMaxListeners(0, inner.signal);
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const started: Promise<SuiteqlPage>[] = [];
  const start = (i: number) => {
    const page = pages[i]!;
    const promise = client.suiteql(page.text, {
      limit: pageSize,
      offset: page.offset,
      signal: inner.signal,
      label: `suiteql ids ${page.window.lo}-${page.window.hi} offset ${page.offset}`,
    });
    promise.catch(() => {}); // observed when awaited; avoid unhandled rejections meanwhile
    started[i] = promise;
  };
  let rowsDone = 0;
  try {
    for (let i = 0; i < Math.min(prefetch, pages.length); i++) start(i);
    for (let i = 0; i < pages.length; i++) {
      if (signal?.aborted) throw abortReason(signal);
      const page = await started[i]!;
      if (i + prefetch < pages.length) start(i + prefetch);
      const spec = pages[i]!;
      const expected = Math.min(pageSize, spec.window.rows - spec.offset);
      if (page.totalResults !== spec.window.rows || page.items.length !== expected) {
        throw new UserError(
          'netsuite_data_changed',
          `NetSuite refund records changed while they were being pulled (ids ${spec.window.lo}–${spec.window.hi}: expected ${spec.window.rows} rows, now ${page.totalResults}). Nothing was saved; run the pull again.`,
        );
      }
      rowsDone += page.items.length;
      options.onPage?.({ pagesDone: i + 1, pagesTotal: pages.length, rowsDone, rowsTotal: plan.totalRows });
      started[i] = undefined as unknown as Promise<SuiteqlPage>;
      yield* page.items;
    }
  } finally {
    inner.abort(new Error('pull finished'));
    signal?.removeEventListener('abort', onAbort);
  }
}
