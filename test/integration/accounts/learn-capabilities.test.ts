import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { createStorefrontAccount, getStorefrontAccount } from '../../../src/main/store/accounts';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { learnCapabilities } from '../../../src/main/use-cases/capabilities';

/**
 * Issue 13 item 4: store credit and split tender learned from a test refund's tenders (tenders.md
 * §1.2: one tender per successful Shopify refund transaction). The fixture follows Shopify's
 * documented REST refund transactions (test/fixtures/tenders/README.md): 5001 paid back to the card,
 * 5005 to store credit (gateway shopify_store_credit), 5014 split between the card and a gift card.
 */

const FIXTURE = path.resolve('test/fixtures/tenders/shopify-orders.json');
let dir: string;
let db: Db;
let snapshotId: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-learn-'));
  db = openWorkspace(path.join(dir, 'ws.sqlite'));
  snapshotId = (await importFile(db, { file: FIXTURE, side: 'storefront', format: 'shopify-json' })).snapshotId;
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function freshAccount(name: string): number {
  return createStorefrontAccount(db, {
    platform: 'shopify',
    name,
    lineItemRefunds: 'unknown',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: false,
    splitTender: false,
  });
}

const ctx = () => ({ db, workspacePath: path.join(dir, 'ws.sqlite') });
const finding = (e: { findings: { capability: string; value: string; evidence: string }[] }, c: string) =>
  e.findings.find((f) => f.capability === c)!;

describe('capabilities learned from a test refund’s tenders', () => {
  it('records split tender and store credit from a refund paid to a card and a gift card, naming the tenders', () => {
    const id = freshAccount('Split shop');
    const learned = learnCapabilities(ctx(), { accountId: id, snapshotId, refundId: '5014', actor: 'Ann' });
    expect(finding(learned, 'splitTender')).toMatchObject({ value: 'yes' });
    expect(finding(learned, 'splitTender').evidence).toMatch(
      /Refund 5014 .*gateway shopify_payments.*gateway gift_card/,
    );
    expect(finding(learned, 'storeCredit')).toMatchObject({ value: 'yes' });
    expect(finding(learned, 'storeCredit').evidence).toMatch(
      /tender 2 of 2 \(gateway gift_card: gift card, USD 40\.00\)/,
    );
    expect(getStorefrontAccount(db, id)).toMatchObject({ splitTender: true, storeCredit: true });
    const audit = db
      .prepare("SELECT after FROM audit_log WHERE action = 'account.capabilities.learned' ORDER BY id DESC LIMIT 1")
      .get() as { after: string };
    expect(JSON.parse(audit.after)).toMatchObject({ refundId: '5014', snapshotId });
  });

  it('records store credit from a refund paid back as Shopify store credit; one means is no split', () => {
    const id = freshAccount('Credit shop');
    const learned = learnCapabilities(ctx(), { accountId: id, snapshotId, refundId: '5005', actor: 'Ann' });
    expect(finding(learned, 'storeCredit')).toMatchObject({ value: 'yes' });
    expect(finding(learned, 'storeCredit').evidence).toMatch(/gateway shopify_store_credit: store credit, USD 50\.00/);
    expect(finding(learned, 'splitTender')).toMatchObject({ value: 'not shown' });
    expect(getStorefrontAccount(db, id)).toMatchObject({ storeCredit: true, splitTender: false });
  });

  it('leaves both as they were when the refund went back to one card (absence proves nothing)', () => {
    const id = freshAccount('Card shop');
    db.prepare('UPDATE storefront_accounts SET store_credit = 1, split_tender = 1 WHERE id = ?').run(id);
    const learned = learnCapabilities(ctx(), { accountId: id, snapshotId, refundId: '5001', actor: 'Ann' });
    expect(finding(learned, 'storeCredit')).toMatchObject({ value: 'not shown' });
    expect(finding(learned, 'splitTender')).toMatchObject({ value: 'not shown' });
    expect(finding(learned, 'storeCredit').evidence).toMatch(/gateway shopify_payments: card or other payment method/);
    expect(getStorefrontAccount(db, id)).toMatchObject({ storeCredit: true, splitTender: true });
  });
});
