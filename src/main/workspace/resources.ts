import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding `demo/` and the app icons: `REFUND_RECON_RESOURCES`, the packaged app's
 * resources folder (set by the Electron shell), or `resources/` found by walking up from here.
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REFUND_RECON_RESOURCES) return env.REFUND_RECON_RESOURCES;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'demo'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('Cannot find the resources/ folder (set REFUND_RECON_RESOURCES).');
}

export const DEMO_FILES = {
  storefront: 'shopify-orders.json',
  netsuite: 'netsuite-refunds.csv',
  disputes: 'shopify-disputes.json',
} as const;
