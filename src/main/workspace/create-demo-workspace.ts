import fs from 'node:fs';
import path from 'node:path';
import { loadDemoSyncData } from '../demo/sync-data';
import { importFile } from '../importers/import-file';
import { readDisputesFile } from '../importers/shopify-disputes';
import { compareSnapshots } from '../reconcile/run-reconcile';
import { createNetsuiteAccount, createStorefrontAccount } from '../store/accounts';
import { writeDisputes } from '../store/disputes';
import { openWorkspace } from '../store/open';
import { DEMO_FILES, resourcesDir } from './resources';

export const DEMO_ACCOUNTS = {
  storefront: 'Demo Outfitters (Shopify)',
  netsuite: 'Demo NetSuite sandbox (1234567_SB1)',
} as const;

/**
 * Builds the demo workspace from the bundled export files: a Shopify store and a NetSuite
 * sandbox account, one snapshot of each side imported like any user file (the store's disputes
 * beside its snapshot), and a first comparison run. It is built in a temporary file and renamed into place, so a crash halfway
 * never leaves a half-made demo behind.
 */
export async function createDemoWorkspace(target: string, resources = resourcesDir()): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.building`;
  fs.rmSync(temp, { force: true });
  const db = openWorkspace(temp);
  try {
    const netsuiteAccountId = createNetsuiteAccount(db, {
      name: DEMO_ACCOUNTS.netsuite,
      accountId: '1234567_SB1',
      environment: 'sandbox',
    });
    const storefrontAccountId = createStorefrontAccount(db, {
      platform: 'shopify',
      name: DEMO_ACCOUNTS.storefront,
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
      netsuiteAccountId,
    });
    const storefront = await importFile(db, {
      file: path.join(resources, 'demo', DEMO_FILES.storefront),
      side: 'storefront',
      label: 'Demo Shopify orders export',
      storefrontAccountId,
    });
    const netsuite = await importFile(db, {
      file: path.join(resources, 'demo', DEMO_FILES.netsuite),
      side: 'netsuite',
      label: 'Demo NetSuite refunds saved search',
      netsuiteAccountId,
    });
    // The store's Shopify Payments disputes, beside its refunds: the demo's chargeback case (tenders.md §3.1).
    writeDisputes(db, storefront.snapshotId, readDisputesFile(path.join(resources, 'demo', DEMO_FILES.disputes)));
    loadDemoSyncData(db, storefrontAccountId, path.join(resources, 'demo'));
    compareSnapshots(db, { storefrontSnapshotId: storefront.snapshotId, netsuiteSnapshotId: netsuite.snapshotId });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fs.renameSync(temp, target);
  } catch (error) {
    if (db.open) db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(temp + suffix, { force: true });
    throw error;
  }
}
