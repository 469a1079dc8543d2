import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import type { Db } from '../store/open';
import { setSyncOptions } from '../sync/direction-policy';
import { saveOrderContexts } from '../sync/sources';
import { OrderContextFile } from '../sync/types';
import { DEMO_ORDER_CONTEXT_FILE, DEMO_SYNC_OPTIONS } from './order-context';

/**
 * Loads the demo's sync data into a workspace: the order contexts of `order-context.json` and the
 * demo account's refund items. The direction stays off (the user chooses it); a dry run names its
 * direction. `demoDir` is the folder of the demo files. Returns the number of contexts stored.
 */
export function loadDemoSyncData(db: Db, storefrontAccountId: number, demoDir: string): number {
  const file = path.join(demoDir, DEMO_ORDER_CONTEXT_FILE);
  let parsed: OrderContextFile;
  try {
    parsed = OrderContextFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UserError(
      'demo_files_damaged',
      `${file}: the demo's order-context file cannot be read (${(error as Error).message.slice(0, 200)}). Reinstall the app or regenerate resources/demo with scripts/gen-demo.ts.`,
      { file },
    );
  }
  const stored = saveOrderContexts(db, storefrontAccountId, parsed);
  setSyncOptions(db, {
    accountId: storefrontAccountId,
    options: { ...DEMO_SYNC_OPTIONS, currencyIds: { ...DEMO_SYNC_OPTIONS.currencyIds } },
    actor: 'demo',
  });
  return stored;
}
