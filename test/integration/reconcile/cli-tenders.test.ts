import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `reconcile` with tenders end to end (tenders.md §6): the built CLI on the §7 case fixtures, with
 * `--disputes`, `--as-of` and `--credit-payout-days`; JSON results carry tenders, tenderDetail,
 * exchange and dispute; CSV the two tender columns; bad flag values exit 2 with a clear message.
 */

const root = path.resolve(__dirname, '../../..');
const cases = path.join(root, 'test', 'fixtures', 'tenders', 'cases');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-tenders-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BASE = [
  '--storefront',
  path.join(cases, 'shopify-orders.json'),
  '--netsuite',
  path.join(cases, 'netsuite-records.json'),
  '--mapping',
  path.join(cases, '..', 'mapping.json'),
  '--tolerance',
  '0.01',
];

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), 'reconcile', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonResult {
  orderRef: string;
  code: string;
  severity: string;
  tenders: Array<{ class: string; storefront: string | null; netsuite: string | null }> | null;
  tenderDetail: { storefront: Array<{ kind: string; gateway: string; amount: string }>; netsuite: unknown[] } | null;
  exchange: unknown;
  dispute: { id: string; status: string; amount: string | null } | null;
}

describe('reconcile --disputes --as-of --credit-payout-days', () => {
  it('JSON: codes of the cases, tender split per result, byClass totals, the dispute of a chargeback', () => {
    const run = cli(
      ...BASE,
      '--disputes',
      path.join(cases, 'disputes-graphql.json'),
      '--as-of',
      '2026-03-20',
      '--format',
      'json',
    );
    expect(run.stderr).not.toMatch(/Error|at /);
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      rules: { asOf: string; creditPayoutDays: number };
      summary: { totals: Record<string, { byClass: Record<string, { storefront: string; netsuite: string }> }> };
      results: JsonResult[];
    };
    expect(doc.rules).toMatchObject({ asOf: '2026-03-20', creditPayoutDays: 7 });
    const by = (order: string) => doc.results.filter((r) => r.orderRef === order);
    expect(by('#1004')[0]!.code).toBe('credit_not_paid_out');
    expect(by('#1006')[0]).toMatchObject({
      code: 'tender_mismatch',
      tenders: [
        { class: 'money', storefront: '0.00', netsuite: '50.00' },
        { class: 'stored_value', storefront: '50.00', netsuite: '0.00' },
      ],
    });
    expect(by('#1009')[0]!.tenderDetail!.storefront).toMatchObject([
      { kind: 'card', gateway: 'shopify_payments', amount: '20.00' },
      { kind: 'store_credit', gateway: 'shopify_store_credit', amount: '30.00' },
    ]);
    expect(by('#1026')[0]).toMatchObject({
      code: 'chargeback',
      dispute: { id: '1026001', status: 'lost', amount: '80.00' },
    });
    expect(by('#1027')[0]).toMatchObject({ code: 'chargeback', severity: 'error' });
    expect(by('#1001')[0]).toMatchObject({ code: 'matched', exchange: null, dispute: null });
    const usd = doc.summary.totals.USD!.byClass;
    // Store credit 5, 6, 7, 8, 32, 31B (6 × 50), 9–11 and 30 (4 × 30), gift card 12–15 (4 × 40).
    expect(usd.stored_value!.storefront).toBe('580.00');
    expect(Object.keys(usd)).toEqual(expect.arrayContaining(['money', 'stored_value']));
  });

  it('--credit-payout-days 30 lets the 20-day-old memo of case 4 wait; CSV carries both tender columns', () => {
    const out = path.join(tmp, 'cases.csv');
    const run = cli(...BASE, '--as-of', '2026-03-20', '--credit-payout-days', '30', '--format', 'csv', '--out', out);
    expect(run.status).toBe(1);
    const csv = fs.readFileSync(out, 'utf8').split('\r\n');
    const header = csv[0]!.split(',');
    expect(header.slice(-2)).toEqual(['tenders_storefront', 'tenders_netsuite']);
    const row1004 = csv.find((l) => l.includes('#1004'))!;
    expect(row1004).toContain(',matched,');
    const row1011 = csv.find((l) => l.includes('#1011'))!;
    expect(row1011).toContain('card 20.00; store_credit 30.00');
    expect(row1011).toContain('card 50.00');
  });

  it('without --as-of the NetSuite snapshot date ages the memos (never an error); REST disputes attach by order_id', () => {
    const run = cli(...BASE, '--disputes', path.join(cases, 'disputes-rest.json'), '--format', 'json');
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as { rules: { asOf: string }; results: JsonResult[] };
    expect(doc.rules.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The REST file names orders by id; the storefront file gave each order's id and name.
    expect(run.stderr).not.toContain('name an order id');
    const r1026 = doc.results.find((r) => r.orderRef === '#1026')!;
    expect(r1026.code).toBe('chargeback');
    expect(r1026.dispute).toMatchObject({ id: '1026001', status: 'lost', amount: '80.00' });
  });

  it('--disputes on files alone (read in memory) gives the results of the same files in a kept workspace', () => {
    // The one-shot comparison keeps no workspace: the disputes are resolved against the files read
    // into memory. A named workspace stores them with the storefront snapshot. Same results.
    const args = [...BASE, '--disputes', path.join(cases, 'disputes-rest.json'), '--as-of', '2026-03-20'];
    const oneShot = cli(...args, '--format', 'json');
    const kept = cli(...args, '--workspace', path.join(tmp, 'kept.sqlite'), '--format', 'json');
    expect(oneShot.status).toBe(1);
    expect(kept.status).toBe(1);
    const results = (text: string) => (JSON.parse(text) as { results: JsonResult[] }).results;
    expect(results(oneShot.stdout)).toEqual(results(kept.stdout));
    // The REST file holds #1026's lost chargeback (and #1028's won one, which makes none).
    expect(
      results(oneShot.stdout)
        .filter((r) => r.code === 'chargeback')
        .map((r) => r.orderRef),
    ).toEqual(['#1026']);
  });

  it('a REST dispute naming an order id the storefront file does not have is kept, and the user is told', () => {
    const rest = JSON.parse(fs.readFileSync(path.join(cases, 'disputes-rest.json'), 'utf8')) as {
      disputes: Array<Record<string, unknown>>;
    };
    const file = path.join(tmp, 'disputes-unknown-order.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ disputes: [...rest.disputes, { ...rest.disputes[0], id: 9990001, order_id: 999999999 }] }),
    );
    const run = cli(...BASE, '--disputes', file, '--as-of', '2026-03-20', '--format', 'json');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1 dispute of disputes-unknown-order.json name an order id');
    expect(run.stderr).toContain('9990001');
    const doc = JSON.parse(run.stdout) as { results: JsonResult[] };
    expect(doc.results.find((r) => r.orderRef === '#1026')!.code).toBe('chargeback');
  });

  it.each([
    [['--as-of', '2026-02-30'], '--as-of: "2026-02-30" is not a calendar date'],
    [['--as-of', 'yesterday'], 'YYYY-MM-DD'],
    [['--credit-payout-days', '-1'], '--credit-payout-days: "-1" is not a number of days'],
    [['--credit-payout-days', 'seven'], 'is not a number of days'],
  ])('bad value %j: exit 2 with a clear message', (args, message) => {
    const run = cli(...BASE, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a disputes file with a bad status names the file and field; exit 2', () => {
    const bad = path.join(tmp, 'bad-disputes.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        disputes: [
          {
            id: 1,
            order_id: 2,
            type: 'chargeback',
            amount: '1.00',
            currency: 'USD',
            status: 'pending',
            initiated_at: '2026-03-01',
          },
        ],
      }),
    );
    const run = cli(...BASE, '--disputes', bad);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('bad-disputes.json');
    expect(run.stderr).toContain('status');
  });
});
