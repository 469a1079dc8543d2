import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { summaryJson } from '../../../src/main/reconcile/output';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { queryTotals } from '../../../src/main/reconcile/run-store';
import { openWorkspace } from '../../../src/main/store/open';
import { ResultsQuery } from '../../../src/shared/contract/run';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-totals-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * An accountant compares the review screen, the exports and the CLI: their per-currency totals must
 * be the same numbers. A currency mismatch (an EUR refund recorded in USD in NetSuite) counts each
 * side in its own currency everywhere.
 */
describe('per-currency totals', () => {
  it('in the review (unfiltered and filtered) agree with the CLI summary on the demo files', async () => {
    const db = openWorkspace(path.join(tmp, 'w.sqlite'));
    const sf = await importFile(db, {
      file: path.join(root, 'resources/demo/shopify-orders.json'),
      side: 'storefront',
    });
    const ns = await importFile(db, { file: path.join(root, 'resources/demo/netsuite-refunds.csv'), side: 'netsuite' });
    const { runId, output } = compareSnapshots(db, {
      storefrontSnapshotId: sf.snapshotId,
      netsuiteSnapshotId: ns.snapshotId,
    });
    const cli = summaryJson(output.summary).totals as Record<string, { storefront: string; netsuite: string }>;
    expect(output.summary.byCode.currency_mismatch).toBeGreaterThan(0);

    const review = queryTotals(db, ResultsQuery.parse({ runId: runId! })).totals;
    for (const [currency, t] of Object.entries(cli)) {
      expect(review[currency], currency).toMatchObject({ storefront: t.storefront, netsuite: t.netsuite });
    }

    // Filtered by every code at once: the same numbers through the filtered (scanning) query.
    const allCodes = Object.keys(output.summary.byCode);
    const filtered = queryTotals(db, ResultsQuery.parse({ runId: runId!, codes: allCodes })).totals;
    for (const [currency, t] of Object.entries(cli)) {
      expect(filtered[currency], currency).toMatchObject({ storefront: t.storefront, netsuite: t.netsuite });
    }

    // Only the currency mismatch: both of its sides are there, each in its own currency.
    const mismatch = queryTotals(db, ResultsQuery.parse({ runId: runId!, codes: ['currency_mismatch'] })).totals;
    const amounts = Object.values(mismatch).flatMap((t) => [t.storefront, t.netsuite]);
    expect(amounts.filter((a) => a !== '0.00' && a !== '0').length).toBeGreaterThanOrEqual(2);
    db.close();
  });
});
