import { scaledClock } from '../src/main/connectors/clock';
import { generateShopifyData } from '../test/emulators/shopify/dataset';
import { startShopifyEmulator } from '../test/emulators/shopify/server';

/** Shopify side of bench/emulator-child.ts: the emulator on a clock `timeScale` times faster than wall time. */
export async function startShopifyEmulatorForBench(config: {
  refunds: number;
  seed?: number;
  latencyMs?: number;
  shopify?: Record<string, unknown>;
}): Promise<void> {
  const timeScale = Number(config.shopify?.timeScale ?? 1);
  const clock = scaledClock(timeScale);
  const data = generateShopifyData({ refunds: config.refunds, seed: config.seed ?? 1 });
  const emu = await startShopifyEmulator({
    data,
    clock,
    latencyMs: config.latencyMs ?? 0,
    bucketSize: Number(config.shopify?.bucketSize ?? 1000),
    restoreRate: Number(config.shopify?.restoreRate ?? 100),
  });
  process.send?.({ type: 'ready', url: emu.url, accessToken: emu.accessToken, refunds: data.refundCount });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      process.send?.({
        type: 'stats',
        stats: emu.stats,
        requests: emu.requests.length,
        throttled: emu.requests.filter((r) => r.note === 'THROTTLED').length,
      });
    }
    if (message.type === 'stop') void emu.close().then(() => process.exit(0));
  });
}
