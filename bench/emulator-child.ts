/**
 * Runs one vendor emulator in its own process for the pull benchmarks, so the emulator's CPU work
 * (SQL, JSON) does not share an event loop with the client being measured. Started by
 * startEmulatorProcess(); reports `{ url, ... }` over IPC once listening, and its counters on request.
 */
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
    const rows = data.lines.filter((l) => data.transactions[0] !== undefined && l.transaction > 0).length;
    process.send?.({
      type: 'ready',
      url: emu.url,
      accountId: emu.accountId,
      credentials: emu.credentials,
      refunds: data.expected.length,
      rows,
      setupMs: Date.now() - started,
    });
    process.on('message', (message: { type: string }) => {
      if (message.type === 'stats') {
        process.send?.({
          type: 'stats',
          stats: emu.stats,
          requests: emu.requests.length,
          rejected: emu.requests.filter((r) => r.status === 429).length,
        });
      }
      if (message.type === 'stop') void emu.close().then(() => process.exit(0));
    });
    return;
  }
  await startShopifyEmulatorForBench(config);
}

void main();
