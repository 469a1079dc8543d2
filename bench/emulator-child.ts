/**
 * Runs one vendor emulator in its own process for the pull benchmarks, so the emulator's CPU work
 * (SQL, JSON) does not share an event loop with the client being measured. Started by
 * startEmulatorProcess(); reports `{ url, ... }` over IPC once listening, and its counters on request.
 */
import type { NetsuiteClient } from '../src/main/connectors/netsuite/client';
import { suiteqlPage } from '../src/main/connectors/netsuite/client';
import { refundHistogramQuery, refundRowsQuery, refundStatsQuery } from '../src/main/connectors/netsuite/refund-query';
import { planWindows } from '../src/main/connectors/netsuite/suiteql-windows';
import { generateNetsuiteData } from '../test/emulators/netsuite/dataset';
import { startNetsuiteEmulator } from '../test/emulators/netsuite/server';
import { startShopifyEmulatorForBench } from './shopify-emulator-child';

interface Config {
  vendor: 'netsuite' | 'shopify';
  refunds: number;
  seed?: number;
  latencyMs?: number;
  concurrencyLimit?: number;
  shopify?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.EMULATOR_CONFIG ?? '{}') as Config;
  if (config.vendor === 'netsuite') {
    const started = Date.now();
    const data = generateNetsuiteData({ refunds: config.refunds, seed: config.seed ?? 1 });
    const emu = await startNetsuiteEmulator({
      data,
      latencyMs: config.latencyMs ?? 0,
      concurrencyLimit: config.concurrencyLimit ?? 5,
    });
    // Precompute the windows the client will ask for (same planning code, run in-process), so no
    // page waits for the emulator to compute a 100,000-row window during the measured pull.
    const warmStarted = Date.now();
    const local = {
      suiteql: async (q: string, o: { limit?: number; offset?: number } = {}) => {
        const r = emu.suiteql(q, o.limit ?? 1000, o.offset ?? 0);
        return suiteqlPage(r.body, o.offset ?? 0);
      },
    } as unknown as NetsuiteClient;
    let whole: { lo: number; hi: number } | undefined;
    const plan = await planWindows(
      local,
      {
        stats: () => refundStatsQuery({}),
        histogram: (lo, hi, width) => refundHistogramQuery({}, lo, hi, width),
        rows: (range) => refundRowsQuery({}, range),
      },
      {
        beforeHistogram: ({ lo, hi }) => {
          whole = { lo, hi };
        },
      },
    );
    for (const w of plan.windows) emu.suiteql(refundRowsQuery({}, w), 1000, 0);
    // The client's leading pages: the same query over the whole id range (see leading-pages.ts).
    if (whole) emu.suiteql(refundRowsQuery({}, whole), 1000, 0);
    const warmMs = Date.now() - warmStarted;
    const rows = data.lines.filter((l) => data.transactions[0] !== undefined && l.transaction > 0).length;
    process.send?.({
      type: 'ready',
      url: emu.url,
      accountId: emu.accountId,
      credentials: emu.credentials,
      refunds: data.expected.length,
      rows,
      setupMs: Date.now() - started,
      warmMs,
      windows: plan.windows.length,
    });
    process.on('message', (message: { type: string }) => {
      if (message.type === 'stats') {
        process.send?.({
          type: 'stats',
          stats: emu.stats,
          cpu: process.cpuUsage(),
          firstAt: emu.requests[0]?.at ?? 0,
          lastAt: emu.requests.at(-1)?.at ?? 0,
          requests: emu.requests.length,
          rejected: emu.requests.filter((r) => r.status === 429).length,
        });
      }
      if (message.type === 'timeline') process.send?.({ type: 'timeline', timings: emu.timings });
      if (message.type === 'stop') void emu.close().then(() => process.exit(0));
    });
    return;
  }
  await startShopifyEmulatorForBench(config);
}

void main();
