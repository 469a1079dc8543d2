import { setMaxListeners } from 'node:events';
import { UserError } from '../../../shared/errors';
import { abortReason } from '../clock';
import { type NetsuiteClient, type SuiteqlPage, suiteqlPage } from './client';
import type { FetchThread, FetchThreadReport } from './fetch-thread';
import type { IdWindow } from './suiteql-windows';

/**
 * The pages of a planned SuiteQL pull, fetched concurrently and yielded in order.
 *
 * This thread fetches pages through the client's limiter until a fetch thread (fetch-thread.ts)
 * is ready, and then hands the rest over to it: loading that thread takes a few hundred
 * milliseconds, during which the account's slots would otherwise stand idle. At the handover the
 * thread is told how many of this thread's requests are still under way; it keeps that many slots
 * taken until each one is reported finished, so both threads together stay within the limit.
 *
 * Until the handover this thread does nothing but HTTP: pages are fetched as text and parsed only
 * once the thread has taken over (or cannot), so a freed slot is refilled at once rather than
 * after a parse and an insert. Every page is parsed here, in order; a malformed one is asked for
 * again (by the fetch thread once it has taken over, since only it may then send requests).
 */

export interface PlannedPage {
  window: IdWindow;
  text: string;
  offset: number;
  /** The `totalResults` the query must report (the window's rows, or all rows for a leading page). */
  totalRows: number;
  /** Rows of the page that belong to the window (a leading page can run past its end). */
  keep: number;
}

/** A request already under way when the pages are planned: for page `page`, or for none (unused). */
export interface AdoptedRequest {
  page: number | undefined;
  text: Promise<string>;
}

export interface OrderedPagesOptions {
  pageSize: number;
  /** Pages requested ahead of the consumer when this thread fetches alone. */
  prefetch: number;
  signal?: AbortSignal;
  /**
   * The fetch thread that takes over once it is ready, and how far ahead of the consumer it may
   * fetch: `handle`, a thread already loading, or `start`, one started only if this thread falls
   * behind (see SLOW_FRACTION). `waitUntilReady` (tests): this thread fetches nothing, the fetch
   * thread every page.
   */
  thread?: { handle?: FetchThread; start?: () => FetchThread; buffer: number; waitUntilReady?: boolean };
  onFetchThread?: (report: FetchThreadReport) => void;
  /**
   * Requests sent while the plan was being made (pages 0, 1, … in order, then unused ones), and
   * the controller their signal comes from: they count against the limit like any of this
   * thread's, and are cancelled with the rest when the pull ends.
   */
  adopted?: { requests: AdoptedRequest[]; controller: AbortController };
}

export function pageLabel(page: PlannedPage): string {
  return `suiteql ids ${page.window.lo}-${page.window.hi} offset ${page.offset}`;
}

/**
 * With a fetch thread to start on demand, it is started when this thread does not keep the limiter
 * full: over the last RATE_SAMPLES answers, fewer than SLOW_FRACTION of the answers per second the
 * limit allows (limit / the shortest request seen, i.e. the server's own time). Then this thread is
 * too busy (parsing, mapping, SQLite, or waiting for a core) to refill slots as answers come, and a
 * thread that does nothing but HTTP keeps them full. While it keeps up (an idle core), fetching here
 * costs less than starting a thread (~0.3 s of CPU while the first pages are fetched: 0.91 against
 * 0.90 of the ceiling in the pull benchmark on an idle machine; with both cores busy, 0.84 with the
 * thread against 0.64 without).
 */
export const RATE_SAMPLES = 30;
export const SLOW_FRACTION = 0.8;

/** The fetch thread hears of the consumer's progress every this many pages. */
const ACK_EVERY = 16;

/** A malformed page is asked for again this many times at most. */
const MAX_PAGE_ATTEMPTS = 8;

export async function* orderedPages(
  client: NetsuiteClient,
  pages: PlannedPage[],
  options: OrderedPagesOptions,
): AsyncGenerator<SuiteqlPage> {
  const { pageSize, signal } = options;
  let thread = options.thread?.handle;
  const startLater = thread ? undefined : options.thread?.start;
  const inner = options.adopted?.controller ?? new AbortController();
  // Every in-flight page listens on this signal; more than Node's default 10 is expected.
  setMaxListeners(0, inner.signal);
  const onAbort = () => {
    inner.abort(signal?.reason);
    thread?.cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  // With a thread to hand over to, this thread keeps the limit full but queues nothing beyond it
  // (a queued request would still be this thread's to send after the handover) and may run
  // `buffer` pages ahead; alone (or until an on-demand thread is started), it queues `prefetch`
  // pages at the limiter.
  let ahead = thread ? client.http.limiter.limit : options.prefetch;
  const span = options.thread ? options.thread.buffer : options.prefetch;
  const own = new Map<number, Promise<string>>();
  let next = 0;
  let pending = 0;
  let consumed = 0;
  let handedOverAt: number | undefined;
  let holding = thread !== undefined && options.thread!.waitUntilReady === true;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const changed = () => {
    const mine = new Promise<void>((resolve) => {
      wake = resolve;
    });
    return thread ? Promise.race([mine, thread.changed()]) : mine;
  };
  // On-demand thread: when this thread's requests were answered (see SLOW_FRACTION).
  const answeredAt: number[] = [];
  const fallingBehind = (): boolean => {
    const shortestMs = client.http.shortestAttemptMs;
    if (answeredAt.length < RATE_SAMPLES || !Number.isFinite(shortestMs)) return false;
    const span = answeredAt[answeredAt.length - 1]! - answeredAt[answeredAt.length - RATE_SAMPLES]!;
    const rate = (RATE_SAMPLES - 1) / Math.max(span, 1);
    return rate < (SLOW_FRACTION * client.http.limiter.limit) / shortestMs;
  };
  const startOnDemand = () => {
    if (!startLater || thread || next >= pages.length || !fallingBehind()) return;
    thread = startLater();
    handOverWhenReady(thread);
    // Requests already queued at the limiter stay this thread's (their slots are lent to the
    // fetch thread at the handover); queue no more.
    ahead = client.http.limiter.limit;
  };

  /** Counts a request of this thread as under way until it settles (lent to the thread after the handover). */
  const track = (index: number | undefined, promise: Promise<string>, timed = false) => {
    pending += 1;
    if (index !== undefined) own.set(index, promise);
    promise
      .finally(() => {
        pending -= 1;
        // Timed: requests made here (adopted ones may have been answered before they were tracked).
        if (timed && startLater && !thread) {
          answeredAt.push(performance.now());
          if (answeredAt.length > RATE_SAMPLES) answeredAt.shift();
        }
        if (handedOverAt !== undefined) thread!.released();
        else pump();
        notify();
      })
      .catch(() => {}); // a page's own promise is awaited (and its error seen) by the consumer
  };
  const fetchHere = (index: number) => {
    const page = pages[index]!;
    track(
      index,
      client.suiteqlText(page.text, {
        limit: pageSize,
        offset: page.offset,
        signal: inner.signal,
        label: pageLabel(page),
      }),
      true,
    );
  };
  for (const request of options.adopted?.requests ?? []) {
    if (request.page !== undefined) {
      if (request.page !== next) throw new Error(`adopted requests must be pages 0, 1, …; got ${request.page}`);
      next += 1;
    }
    track(request.page, request.text);
  }
  const pump = () => {
    while (handedOverAt === undefined && !holding && pending < ahead && next < pages.length && next < consumed + span) {
      fetchHere(next++);
    }
  };
  const handOverWhenReady = (handle: FetchThread) => {
    handle.onReady(() => {
      if (inner.signal.aborted) return;
      holding = false;
      handedOverAt = next;
      handle.start(
        pages.map((p) => ({ text: p.text, offset: p.offset, limit: pageSize, label: pageLabel(p) })),
        next,
        pending,
      );
      notify();
    });
  };
  if (thread) handOverWhenReady(thread);
  pump();

  /**
   * Parsing waits while the fetch thread is loading (this thread is then the only fetcher), and
   * after the handover until this thread's last requests are answered: the slots they hold are
   * the fetch thread's as soon as this thread reports them free, not after a backlog of parsing.
   */
  const mayParse = () =>
    !thread ||
    (handedOverAt !== undefined && pending === 0) ||
    thread.failure !== undefined ||
    next >= pages.length ||
    next >= consumed + span;
  const refetched = new Set<number>();
  const textOf = async (index: number): Promise<string> => {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const mine = own.get(index);
      if (mine && mayParse()) {
        own.delete(index);
        const text = await mine;
        // Pages fetched here before the handover are parsed back to back once it happens; while
        // this thread still has requests under way, let their answers in between (a resolved
        // promise alone would not), or their slots stay taken for the whole backlog.
        if (pending > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        return text;
      }
      const theirs = handedOverAt !== undefined && (index >= handedOverAt || refetched.has(index));
      if (theirs) {
        const text = thread!.take(index);
        if (text !== undefined) return text;
        if (thread!.failure) throw thread!.failure;
      } else if (!mine && !holding && handedOverAt === undefined) {
        pump(); // page `index` is this thread's and not asked for yet (a refetch)
      } else if (thread?.failure && holding) {
        throw thread.failure;
      }
      await changed();
    }
  };
  const refetch = (index: number, reason: string) => {
    if (handedOverAt !== undefined) {
      refetched.add(index);
      thread!.refetch(index, reason);
      return;
    }
    client.http.stats.retries += 1;
    const page = pages[index]!;
    client.http.writeLog({
      at: new Date().toISOString(),
      account: client.http.account,
      method: 'POST',
      url: client.url('/services/rest/query/v1/suiteql', { limit: pageSize, offset: page.offset }),
      attempt: 1,
      status: 200,
      durationMs: 0,
      outcome: 'retry',
      reason,
      label: pageLabel(page),
    });
    fetchHere(index);
  };

  try {
    for (let i = 0; i < pages.length; i++) {
      let parsed: unknown;
      for (let attempt = 1; ; attempt++) {
        const text = await textOf(i);
        try {
          parsed = JSON.parse(text);
          break;
        } catch {
          const reason = `malformed JSON (${text.length} bytes)`;
          if (attempt >= MAX_PAGE_ATTEMPTS) {
            throw new UserError(
              'netsuite_unreadable',
              `NetSuite kept sending unreadable SuiteQL pages (${reason}, ${attempt} attempts); try again later.`,
            );
          }
          refetch(i, reason);
        }
      }
      consumed = i + 1;
      startOnDemand();
      // The thread only needs to know the consumer's position to stay within `buffer` pages ahead:
      // every ACK_EVERY pages is enough, and spares it a wake-up per page.
      if (handedOverAt !== undefined) {
        if (consumed % ACK_EVERY === 0 || consumed === pages.length) thread!.ack(i);
      } else pump();
      yield suiteqlPage(parsed, pages[i]!.offset);
    }
  } finally {
    inner.abort(new Error('pull finished'));
    signal?.removeEventListener('abort', onAbort);
    if (thread) {
      const report = await thread.stop();
      options.onFetchThread?.(report);
    }
  }
}
