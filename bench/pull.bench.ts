import { ConcurrencyLimiter } from '../src/main/connectors/limiter';
import { NetsuiteClient } from '../src/main/connectors/netsuite/client';
import { pullNetsuiteRefunds } from '../src/main/pull/netsuite';
import { openWorkspace } from '../src/main/store/open';
import { startEmulatorProcess } from './emulator-process';
import { benchShopify } from './pull-shopify';

/**
 * Pull benchmark (issue 5): 100,000 NetSuite refunds with their lines (~330,000 SuiteQL rows) from
 * the emulator at a concurrency limit of 5 and 50 ms latency per request. The ceiling is
 * 5 / 0.05 s = 100 requests/s; we report the fraction reached and the 429s received. Then the
 * Shopify pull (see pull-shopify.ts).
 */

const REFUNDS = Number(process.env.BENCH_NETSUITE_REFUNDS ?? 100_000);
const LATENCY_MS = 50;
const LIMIT = 5;

interface Ready {
  url: string;
  accountId: string;
  credentials: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  refunds: number;
  setupMs: number;
}

export async function benchNetsuite(): Promise<void> {
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
    let fetchStart = 0;
    let lastPageAt = 0;
    let rowsTotal = 0;
    const started = performance.now();
    const result = await pullNetsuiteRefunds(db, client, {
      onProgress: (p) => {
        if (p.phase === 'fetch') {
          if (fetchStart === 0) fetchStart = performance.now();
          lastPageAt = performance.now();
          rowsTotal = p.total ?? 0;
        }
      },
    });
    const elapsed = (performance.now() - started) / 1000;
    const server = await emu.request<{ stats: { maxInFlight: number; concurrencyRejections: number } }>('stats');
    const rate = result.requests / elapsed;
    console.log(`NetSuite pull: ${result.refunds} refunds, ${rowsTotal} SuiteQL rows, ${result.requests} requests`);
    console.log(
      `  elapsed ${elapsed.toFixed(2)} s (emulator data set built in ${(emu.ready.setupMs / 1000).toFixed(1)} s, not counted)`,
    );
    console.log(
      `  requests/s ${rate.toFixed(1)} = ${(rate / (LIMIT / (LATENCY_MS / 1000))).toFixed(2)} of the ${LIMIT / (LATENCY_MS / 1000)} req/s ceiling (limit ${LIMIT}, ${LATENCY_MS} ms per request)`,
    );
    if (fetchStart && lastPageAt > fetchStart) {
      console.log(`  page phase alone: ${(lastPageAt - fetchStart).toFixed(0)} ms`);
    }
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
