import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import {
  FetchThread,
  type FetchThreadReport,
  fetchWorkerEntry,
} from '../../../src/main/connectors/netsuite/fetch-thread';
import { orderedPages, type PlannedPage } from '../../../src/main/connectors/netsuite/ordered-pages';
import { refundRowsQuery } from '../../../src/main/connectors/netsuite/refund-query';
import { MemoryRequestLog } from '../../../src/main/connectors/request-log';
import { pullNetsuiteRefunds } from '../../../src/main/pull/netsuite';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

/**
 * The fetch thread takes a few hundred milliseconds to load. The pull does not wait for it: this
 * thread fetches the first pages, then hands the rest over. Both threads together must stay within
 * the account's limit, every page must come out once and in order, and faults on either side of the
 * handover must not change the snapshot.
 */

const data = generateNetsuiteData({ refunds: 400, seed: 11 });
const expected = data.expected.map((r) => CanonicalRefund.parse(r));
const LIMIT = 5;
let emu: NetsuiteEmulator;

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  // 25 ms per request and pages of 5 rows: ~260 pages, about 1.3 s at the limit, so the handover
  // falls in the middle of the pull.
  emu = await startNetsuiteEmulator({ data, concurrencyLimit: LIMIT, latencyMs: 25 });
});
afterAll(async () => {
  await emu?.close();
  setLoopbackApisAllowed(undefined);
});

/** A client of the emulator with the account's limit and default retries. */
function plainClient(): NetsuiteClient {
  return new NetsuiteClient({
    accountId: emu.accountId,
    baseUrl: emu.url,
    auth: { kind: 'tba', ...DEFAULT_TBA },
    limiter: new ConcurrencyLimiter(LIMIT),
  });
}

/** Every page of the refund query over the whole id range, `pageSize` rows each. */
async function wholeRangePages(client: NetsuiteClient, pageSize: number): Promise<PlannedPage[]> {
  const whole = { lo: 0, hi: 2 ** 31, rows: 0 };
  whole.rows = (await client.suiteql(refundRowsQuery({}, whole), { limit: 1 })).totalResults;
  const text = refundRowsQuery({}, whole);
  return Array.from({ length: Math.ceil(whole.rows / pageSize) }, (_, i) => ({
    window: whole,
    text,
    offset: i * pageSize,
    totalRows: whole.rows,
    keep: Math.min(pageSize, whole.rows - i * pageSize),
  }));
}

describe('NetSuite pull: this thread fetches while the fetch thread loads', () => {
  it('fetches the first pages itself, hands over without exceeding the limit, same snapshot under faults', async () => {
    emu.faults.add(
      // Fetched here before the handover, parsed after it: asked for again through the fetch thread.
      { kind: 'malformed', times: 1, match: /limit=5&offset=5\b/ },
      { kind: 'rate-limit', times: 2, after: 3 },
      // Late pages (offsets restart in every id window of 300 rows): the fetch thread's. (No
      // dropped connection here: the emulator counts one as in flight until its socket has
      // closed, so a quick retry can meet a 429 that says nothing about the client.)
      { kind: 'server-error', status: 503, times: 1, after: 3, match: /limit=5&offset=250\b/ },
      { kind: 'malformed', times: 1, after: 3, match: /limit=5&offset=100\b/ },
    );
    const log = new MemoryRequestLog();
    const client = new NetsuiteClient({
      accountId: emu.accountId,
      baseUrl: emu.url,
      auth: { kind: 'tba', ...DEFAULT_TBA },
      limiter: new ConcurrencyLimiter(LIMIT),
      log,
      timeoutMs: 3000,
      baseDelayMs: 5,
      maxDelayMs: 50,
      maxAttempts: 10,
    });
    const before = emu.requests.length;
    const timingsBefore = emu.timings.length;
    let report: FetchThreadReport | undefined;
    let rows = 0;
    const db = openWorkspace(':memory:');
    const result = await pullNetsuiteRefunds(db, client, {
      maxWindowRows: 300,
      pageSize: 5,
      thread: true,
      onFetchThread: (r) => {
        report = r;
      },
      onProgress: (p) => {
        if (p.phase === 'fetch') rows = p.total ?? 0;
      },
    });
    expect(emu.faults.pending).toBe(0);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    // At least this many pages (windows end on id boundaries, so some pages hold fewer rows).
    const pages = Math.ceil(rows / 5);
    // Pages were fetched before the thread was ready, and the thread fetched the rest.
    expect(report?.firstPage).toBeGreaterThan(0);
    expect(report?.firstPage).toBeLessThan(pages);
    // Never more than the limit in flight at the server: its only 429s are the two injected.
    expect(emu.stats.maxInFlight).toBeLessThanOrEqual(LIMIT);
    expect(emu.stats.concurrencyRejections).toBe(2);
    expect(result.throttled).toBe(2);
    expect(result.requests).toBe(emu.requests.length - before);
    expect(log.entries.filter((e) => e.outcome === 'retry').length).toBe(result.retries);
    expect(result.retries).toBeGreaterThanOrEqual(5); // 2 × 429, 1 × 503, 2 malformed pages
    // Planning does not stall the slots: pages go out before the histogram has been answered.
    // (Requests and timings are logged together; the count asks for 1 row, the histogram for
    // 1,000, pages for 5.)
    const requests = emu.requests.slice(before);
    const timings = emu.timings.slice(timingsBefore);
    const histogram = timings[requests.findIndex((r) => r.query.includes('limit=1000'))]!;
    const pagesDuringHistogram = timings.filter(
      (t, i) => requests[i]!.query.includes('limit=5&') && t.arrived < histogram.answered,
    );
    expect(pagesDuringHistogram.length).toBeGreaterThanOrEqual(LIMIT - 1);
  }, 30_000);

  it('starts the fetch thread on demand when this thread cannot keep the slots full, within the limit', async () => {
    const client = plainClient();
    const pages = await wholeRangePages(client, 5);
    const stats = { ...emu.stats };
    let started = 0;
    let report: FetchThreadReport | undefined;
    const offsets: number[] = [];
    for await (const page of orderedPages(client, pages, {
      pageSize: 5,
      prefetch: LIMIT * 16,
      thread: {
        start: () => {
          started += 1;
          return new FetchThread(client, fetchWorkerEntry()!, 256);
        },
        buffer: 256,
      },
      onFetchThread: (r) => {
        report = r;
      },
    })) {
      offsets.push(page.offset);
      // A consumer slower than the answers (10 ms per page against 5 pages per 25 ms): answers
      // wait behind it, and the rate falls well under the limit's.
      const until = performance.now() + 10;
      while (performance.now() < until) {}
    }
    expect(offsets).toEqual(pages.map((p) => p.offset));
    expect(started).toBe(1);
    expect(report?.firstPage).toBeGreaterThan(0);
    expect(report?.firstPage).toBeLessThan(pages.length);
    expect(emu.stats.maxInFlight).toBeLessThanOrEqual(LIMIT);
    expect(emu.stats.concurrencyRejections).toBe(stats.concurrencyRejections);
  }, 30_000);

  it('fetches every page itself when the fetch thread cannot start', async () => {
    const client = plainClient();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-thread-'));
    const broken = path.join(dir, 'broken-worker.js');
    fs.writeFileSync(broken, 'throw new Error("cannot load");\n');
    try {
      const thread = new FetchThread(client, broken, 256);
      const pages = await wholeRangePages(client, 50);
      const totalRows = pages[0]!.totalRows;
      let rows = 0;
      let report: FetchThreadReport | undefined;
      for await (const page of orderedPages(client, pages, {
        pageSize: 50,
        prefetch: 10,
        thread: { handle: thread, buffer: 256 },
        onFetchThread: (r) => {
          report = r;
        },
      })) {
        rows += page.items.length;
      }
      expect(rows).toBe(totalRows);
      expect(report?.firstPage).toBeUndefined(); // never handed over
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
