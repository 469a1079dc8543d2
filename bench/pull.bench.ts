import os from 'node:os';
import { setLoopbackApisAllowed } from '../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../src/main/connectors/limiter';
import { NetsuiteClient } from '../src/main/connectors/netsuite/client';
import { pullNetsuiteRefunds } from '../src/main/pull/netsuite';
import { openWorkspace } from '../src/main/store/open';
import type { RequestTiming } from '../test/emulators/netsuite/server';
import { startEmulatorProcess } from './emulator-process';
import { benchShopify } from './pull-shopify';
import { describeTimeline, summarizeTimeline } from './pull-timeline';

/**
 * Pull benchmark (issue 5): 100,000 NetSuite refunds with their lines (~330,000 SuiteQL rows) from
 * the emulator (its own process, windows precomputed) at a concurrency limit of 5 and 50 ms latency
 * per request. The ceiling is 5 / 0.05 s = 100 requests/s; we report the fraction reached — for the
 * fetch phase (first to last SuiteQL answer, what the limiter achieves) and end to end (until the
 * snapshot is committed) — the 429s received, wall and CPU time and the load average, since the
 * machine is shared. Then the Shopify pull (see pull-shopify.ts).
 *
 * Where the fetch phase loses time is read from the emulator's own request times (pull-timeline.ts);
 * BENCH_NETSUITE_TIMELINE_DUMP=1 prints every request's arrival and answer.
 *
 * The NetSuite pull runs as the product does (a fetch thread only if the consumer falls behind);
 * BENCH_NETSUITE_THREAD=1 forces the fetch thread from the start, BENCH_NETSUITE_THREAD=0 never.
 */

const REFUNDS = Number(process.env.BENCH_NETSUITE_REFUNDS ?? 100_000);
const LATENCY_MS = 50;
const LIMIT = 5;
const CEILING = LIMIT / (LATENCY_MS / 1000);

interface Ready {
  url: string;
  accountId: string;
  credentials: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  refunds: number;
  setupMs: number;
  warmMs: number;
  windows: number;
}

interface ServerStats {
  stats: { maxInFlight: number; concurrencyRejections: number };
  cpu: NodeJS.CpuUsage;
  firstAt: number;
  lastAt: number;
  requests: number;
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

export async function benchNetsuite(): Promise<void> {
  // The emulator is on 127.0.0.1: the loopback switch (as REFUND_RECON_ALLOW_LOOPBACK_APIS=1).
  setLoopbackApisAllowed(true);
  const mode = process.env.BENCH_NETSUITE_THREAD;
  const thread = mode === '0' ? false : mode === '1' ? true : undefined;
  const emu = await startEmulatorProcess<Ready>({
    vendor: 'netsuite',
    refunds: REFUNDS,
    latencyMs: LATENCY_MS,
    concurrencyLimit: LIMIT,
  });
  try {
    const client = new NetsuiteClient({
      accountId: emu.ready.accountId,
      baseUrl: emu.ready.url,
      auth: { kind: 'tba', ...emu.ready.credentials },
      limiter: new ConcurrencyLimiter(LIMIT),
    });
    const db = openWorkspace(':memory:');
    const serverBefore = await emu.request<ServerStats>('stats');
    const loadBefore = load();
    let rowsTotal = 0;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    let fetchThread: { utilization: number; activeMs: number; firstPage: number | undefined } | undefined;
    const result = await pullNetsuiteRefunds(db, client, {
      ...(thread !== undefined ? { thread } : {}),
      onFetchThread: (info) => {
        fetchThread = info;
      },
      onProgress: (p) => {
        if (p.phase === 'fetch') rowsTotal = p.total ?? 0;
      },
    });
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const loadAfter = load();
    const server = await emu.request<ServerStats>('stats');
    const { timings } = await emu.request<{ timings: RequestTiming[] }>('timeline');
    const serverCpu = (server.cpu.user + server.cpu.system - serverBefore.cpu.user - serverBefore.cpu.system) / 1e6;
    const fetchSeconds = (server.lastAt - (serverBefore.requests > 0 ? serverBefore.lastAt : server.firstAt)) / 1000;
    const served = server.requests - serverBefore.requests;
    const fetchRate = (served - 1) / fetchSeconds;
    const rate = result.requests / elapsed;
    console.log(
      `NetSuite pull (${thread === true ? 'fetch thread from the start' : thread === false ? 'single thread' : `default: ${fetchThread ? 'fetch thread started on demand' : 'no fetch thread needed'}`}): ${result.refunds} refunds, ${rowsTotal} SuiteQL rows, ${result.requests} requests, ${emu.ready.windows} windows`,
    );
    console.log(
      `  emulator: data set ${(emu.ready.setupMs / 1000).toFixed(1)} s, windows and the leading query precomputed in ${(emu.ready.warmMs / 1000).toFixed(1)} s (not counted)`,
    );
    console.log(
      `  fetch phase: ${fetchSeconds.toFixed(2)} s, ${fetchRate.toFixed(1)} req/s = ${(fetchRate / CEILING).toFixed(2)} of the ${CEILING} req/s ceiling (limit ${LIMIT}, ${LATENCY_MS} ms per request)`,
    );
    console.log(
      `  end to end: wall ${elapsed.toFixed(2)} s, ${rate.toFixed(1)} req/s = ${(rate / CEILING).toFixed(2)} of the ceiling; client CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, sys ${(cpu.system / 1e6).toFixed(2)}), emulator CPU ${serverCpu.toFixed(2)} s`,
    );
    if (process.env.BENCH_NETSUITE_TIMELINE_DUMP) {
      const t0 = timings[0]?.arrived ?? 0;
      for (const t of timings) {
        console.log(`    ${(t.arrived - t0).toFixed(1)} → ${(t.answered - t0).toFixed(1)} ${t.note ?? ''}`);
      }
    }
    for (const line of describeTimeline(summarizeTimeline(timings, LIMIT, LATENCY_MS))) console.log(line);
    if (fetchThread) {
      console.log(
        `  fetch thread: busy ${(fetchThread.activeMs / 1000).toFixed(2)} s (event-loop utilisation ${(fetchThread.utilization * 100).toFixed(0)} %), took over from page ${fetchThread.firstPage ?? '–'} on`,
      );
    }
    console.log(`  load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}; ${os.cpus().length} cores`);
    console.log(
      `  429s received: ${result.throttled} (server rejections ${server.stats.concurrencyRejections}, max in flight ${server.stats.maxInFlight}); retries ${result.retries}`,
    );
    db.close();
  } finally {
    await emu.stop();
  }
}

export async function run(): Promise<void> {
  await benchNetsuite();
  if (process.env.BENCH_SKIP_SHOPIFY !== '1') {
    await benchShopify();
  }
}
