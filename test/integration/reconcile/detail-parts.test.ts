import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { resultDetail } from '../../../src/main/reconcile/run-store';
import { openWorkspace } from '../../../src/main/store/open';
import { formatAmount } from '../../../src/shared/money';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-parts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('result detail', () => {
  it("shows each side's shipping, tax and adjustment parts, in that side's currency", async () => {
    const db = openWorkspace(path.join(tmp, 'w.sqlite'));
    const sf = await importFile(db, {
      file: path.join(root, 'resources/demo/shopify-orders.json'),
      side: 'storefront',
    });
    const ns = await importFile(db, { file: path.join(root, 'resources/demo/netsuite-refunds.csv'), side: 'netsuite' });
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId });
    const withShipping = db
      .prepare(
        `SELECT r.id, f.currency, f.shipping, f.tax, f.adjustment FROM results r JOIN refunds f ON f.id = r.storefront_refund_id
         WHERE r.run_id = ? AND f.shipping > 0 ORDER BY r.id LIMIT 1`,
      )
      .get(runId) as { id: number; currency: string; shipping: number; tax: number; adjustment: number };
    expect(withShipping).toBeDefined();
    const detail = resultDetail(db, withShipping.id);
    expect(detail.parts.storefront).toEqual({
      currency: withShipping.currency,
      shipping: formatAmount(withShipping.shipping, withShipping.currency),
      tax: formatAmount(withShipping.tax, withShipping.currency),
      adjustment: formatAmount(withShipping.adjustment, withShipping.currency),
    });
    expect(detail.parts.netsuite).not.toBeNull();

    const missingInStorefront = db
      .prepare("SELECT id FROM results WHERE run_id = ? AND code = 'missing_in_storefront' LIMIT 1")
      .get(runId) as { id: number };
    expect(resultDetail(db, missingInStorefront.id).parts.storefront).toBeNull();
    db.close();
  });
});
