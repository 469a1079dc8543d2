import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { importFile } from '../../../src/main/importers/import-file';
import { pagedReportRows } from '../../../src/main/services/report-service';
import { openWorkspace } from '../../../src/main/store/open';
import { compareAndStore } from '../../../src/main/use-cases/compare-snapshots';
import type { ResultDetail } from '../../../src/shared/contract';

/**
 * A plain `matched` result stores no tender split (the engine's quick path): the review's detail
 * and the exports rebuild it from the stored records. They show the kinds as the workspace's tender
 * mapping names them ("How refunds went back" in the settings), as the comparison counted them —
 * not as imported. Data: the demo's exports, whose card refunds (`shopify_payments`) match Cash
 * Refunds that name no payment method.
 */

const root = path.resolve(__dirname, '../../..');
const demoDir = path.join(root, 'resources', 'demo');
let dir: string;
let ctx: AppContext;
let sfId: number;
let nsId: number;

async function call<T>(channel: string, payload: unknown): Promise<{ ok: boolean; value: T }> {
  return (await dispatch(channel, payload, ctx)) as { ok: boolean; value: T };
}

/** A plain match of the run (no split stored; in `results` or a compact row, migration 026) whose storefront refund went back through shopify_payments. */
function plainCardMatch(runId: number): number {
  const id = ctx.db
    .prepare(
      `SELECT r.id FROM (
         SELECT id, storefront_refund_id FROM results WHERE run_id = ? AND code = 'matched' AND tenders IS NULL
         UNION ALL SELECT id, storefront_refund_id FROM matched_results WHERE run_id = ? AND tender_classes IS NULL
       ) r JOIN refunds x ON x.id = r.storefront_refund_id
       WHERE x.tenders LIKE '%shopify_payments%'
       ORDER BY r.id LIMIT 1`,
    )
    .pluck()
    .get(runId, runId) as number | undefined;
  expect(id).toBeDefined();
  return id!;
}

async function compare(): Promise<number> {
  const { runId } = await compareAndStore(ctx, { storefront: [sfId], netsuite: [nsId] });
  return runId!;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-detail-map-'));
  const file = path.join(dir, 'w.sqlite');
  ctx = { db: openWorkspace(file), workspacePath: file, isDemo: false, appVersion: 'test', emit: () => {} };
  sfId = (await importFile(ctx.db, { file: path.join(demoDir, 'shopify-orders.json'), side: 'storefront' })).snapshotId;
  nsId = (await importFile(ctx.db, { file: path.join(demoDir, 'netsuite-refunds.csv'), side: 'netsuite' })).snapshotId;
});
afterAll(() => {
  ctx.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tender detail of a plain match follows the workspace tender mapping', { timeout: 60_000 }, () => {
  it('without a mapping: the card refund reads as a card, as imported', async () => {
    const runId = await compare();
    const detail = await call<ResultDetail>('run:result-detail', { resultId: plainCardMatch(runId) });
    expect(detail.ok).toBe(true);
    expect(detail.value.tenders!.detail.storefront.map((t) => t.kind)).toEqual(['card']);
    expect(detail.value.tenders!.byClass.map((c) => c.class)).toContain('money');
  });

  it('shopify_payments mapped to store credit: the detail and the export say store credit', async () => {
    const saved = await call('tender-mapping:set', {
      storefront: [{ platform: 'shopify', gateway: 'shopify_payments', kind: 'store_credit' }],
      paymentMethods: [],
      actor: 'Ada',
    });
    expect(saved.ok).toBe(true);
    const runId = await compare();
    const resultId = plainCardMatch(runId);
    const detail = await call<ResultDetail>('run:result-detail', { resultId });
    expect(detail.ok).toBe(true);
    const tenders = detail.value.tenders!;
    expect(tenders.detail.storefront).toEqual([
      expect.objectContaining({ kind: 'store_credit', gateway: 'shopify_payments' }),
    ]);
    // The split per class counts it as stored value on the storefront side, as the comparison did.
    const storefrontClasses = tenders.byClass.filter((c) => c.storefront !== null && c.storefront !== '0.00');
    expect(storefrontClasses.map((c) => c.class)).toEqual(['stored_value']);
    // The snapshot keeps what its import decided; only what is shown is mapped.
    const stored = ctx.db
      .prepare(
        `SELECT x.tenders FROM refunds x WHERE x.id IN
           (SELECT storefront_refund_id FROM results WHERE id = ? UNION ALL SELECT storefront_refund_id FROM matched_results WHERE id = ?)`,
      )
      .pluck()
      .get(resultId, resultId) as string;
    expect(stored).toContain('"card"');
    // The CSV/XLSX/printable exports read the same rebuilt split.
    const row = detail.value.row;
    let exported: string[] | undefined;
    for await (const r of pagedReportRows(ctx.db, { runId, sort: 'date', direction: 'asc', search: row.orderRef })) {
      if (r.storefrontRefundId === row.storefrontRefundId) exported = r.tenders?.storefront.map((t) => t.kind);
    }
    expect(exported).toEqual(['store_credit']);
  });
});
