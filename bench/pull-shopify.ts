import os from 'node:os';
import { scaledClock } from '../src/main/connectors/clock';
import { setLoopbackApisAllowed } from '../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../src/main/connectors/limiter';
import { ShopifyClient } from '../src/main/connectors/shopify/client';
import { pullShopifyRefunds } from '../src/main/pull/shopify';
import { openWorkspace } from '../src/main/store/open';
import { startEmulatorProcess } from './emulator-process';

/**
 * Shopify pull of 100,000 refunds by cursor paging under a 1000-point bucket restoring 100 points/s,
 * 50 ms latency. At ~11 points per refund that is ~1.1 M points, i.e. about three hours of real
 * time at 100 points/s; so emulator and client share a clock running TIME_SCALE times faster than
 * wall time (both see the same "seconds": bucket restore, latency, backoff and throttle waits).
 * The figure reported is points used per (emulated) second / restore rate. Client CPU time is not
 * scaled, so the figure is conservative.
 */

const REFUNDS = Number(process.env.BENCH_SHOPIFY_REFUNDS ?? 100_000);
const TIME_SCALE = Number(process.env.BENCH_SHOPIFY_TIME_SCALE ?? 100);
const RESTORE = 100;

export async function benchShopify(): Promise<void> {
  // The emulator is on 127.0.0.1: the loopback switch (as REFUND_RECON_ALLOW_LOOPBACK_APIS=1).
  setLoopbackApisAllowed(true);
  const emu = await startEmulatorProcess<{ url: string; accessToken: string; refunds: number }>({
    vendor: 'shopify',
    refunds: REFUNDS,
    latencyMs: 50,
    shopify: { timeScale: TIME_SCALE, bucketSize: 1000, restoreRate: RESTORE },
  });
  try {
    const clock = scaledClock(TIME_SCALE);
    const client = new ShopifyClient({
      baseUrl: emu.ready.url,
      accessToken: emu.ready.accessToken,
      clock,
      limiter: new ConcurrencyLimiter(1),
    });
    const db = openWorkspace(':memory:');
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const start = clock.now();
    const result = await pullShopifyRefunds(db, client);
    const emulated = (clock.now() - start) / 1000;
    const wall = (performance.now() - wallStart) / 1000;
    const server = await emu.request<{ stats: { pointsUsed: number }; throttled: number }>('stats');
    const perSecond = server.stats.pointsUsed / emulated;
    console.log(
      `Shopify pull: ${result.refunds} refunds, ${result.requests} requests, ${server.stats.pointsUsed} points`,
    );
    console.log(
      `  ${emulated.toFixed(0)} emulated s (${wall.toFixed(1)} s wall at ×${TIME_SCALE}); points/s ${perSecond.toFixed(1)} = ${(perSecond / RESTORE).toFixed(3)} of the ${RESTORE} points/s restore rate (the first 1000 points are the full bucket)`,
    );
    const cpu = process.cpuUsage(cpuStart);
    console.log(`  THROTTLED answers: ${server.throttled}; retries ${result.retries}`);
    console.log(
      `  client CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; load average (1 min) before ${loadBefore}, after ${os.loadavg()[0]!.toFixed(2)}`,
    );
    db.close();
  } finally {
    await emu.stop();
  }
}
