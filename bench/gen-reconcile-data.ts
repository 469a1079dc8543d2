import fs from 'node:fs';
import path from 'node:path';
import { type CaseKind, MATCHED_KINDS, PLANTED_KINDS, rng } from '../src/main/demo/cases';
import { shopifyDisputesRestText } from '../src/main/demo/disputes';
import {
  NETSUITE_CSV_HEADER,
  NETSUITE_TENDER_CSV_HEADER,
  netsuiteCsvRows,
  refundTotal,
  shopifyOrderLean,
} from '../src/main/demo/model';
import { type DemoDispute, TenderCaseFactory, type TenderCaseKind } from '../src/main/demo/tender-cases';
import { formatAmount } from '../src/shared/money';

/**
 * Generates the reconcile benchmark data (deterministic, seeded) under bench/data/reconcile-<n>/:
 * - shopify-orders.ndjson: Shopify REST orders, one per line, carrying about `n` refunds;
 * - netsuite-refunds.csv: the NetSuite saved search (recommended layout), Cash Refunds and Credit
 *   Memo + Customer Refund pairs;
 * - 2% of the orders are planted with a difference, spread over every kind of spec §5 and (unless
 *   REFUND_RECON_BENCH_TENDERS=0, which writes the old set under reconcile-<n>/) the four tender
 *   codes of tenders.md §3: tender_mismatch, credit_not_paid_out, exchange and chargeback (issue
 *   18; the NetSuite CSV then has the Payment Method and Amount Remaining columns);
 * - shopify-disputes.json (tender sets only): the chargeback cases' Shopify Payments disputes as the
 *   REST Admin API returns them (`{"disputes":[…]}`, tenders.md §3.1), naming orders by id;
 * - truth.tsv: the expected result code of every input record (for recall/precision);
 * - sf-flat.csv / ns-flat.csv: one row per refund (order, refund id, currency, total) for the
 *   sqlite3-shell baseline.
 * Run: node --require tsx/cjs bench/gen-reconcile-data.ts [refunds]
 */

class Out {
  private parts: string[] = [];
  private size = 0;
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 4 << 20) this.flush();
  }
  flush(): void {
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Tender cases planted beside spec §5's kinds; `chargeback` comes with its dispute in shopify-disputes.json. */
const TENDER_KINDS: readonly TenderCaseKind[] = ['tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'];

export interface ReconcileData {
  dir: string;
  storefront: number;
  netsuite: number;
  planted: number;
  /** The disputes file to pass with the storefront file (`--disputes`), or null for a set without tenders. */
  disputes: string | null;
}

export function benchTenders(): boolean {
  return process.env.REFUND_RECON_BENCH_TENDERS !== '0';
}

export function reconcileDataDir(refunds: number, tenders = benchTenders()): string {
  return path.join(__dirname, 'data', tenders ? `reconcile-tenders-${refunds}` : `reconcile-${refunds}`);
}

export function generateReconcileData(refunds: number, plantedShare = 0.02, tenders = benchTenders()): ReconcileData {
  const dir = reconcileDataDir(refunds, tenders);
  fs.mkdirSync(dir, { recursive: true });
  const done = path.join(dir, 'done.json');
  if (fs.existsSync(done)) {
    const cached = JSON.parse(fs.readFileSync(done, 'utf8')) as Partial<ReconcileData>;
    // A tender set written before chargebacks were planted has no disputes file: written again.
    if (!tenders || (cached.disputes && fs.existsSync(cached.disputes)))
      return { disputes: null, ...cached } as ReconcileData;
  }
  const factory = new TenderCaseFactory(424242, { firstOrder: 100001, start: '2025-01-06', spanDays: 330 });
  const pick = rng(99);
  const sfOut = new Out(path.join(dir, 'shopify-orders.ndjson'));
  const nsOut = new Out(path.join(dir, 'netsuite-refunds.csv'));
  const truth = new Out(path.join(dir, 'truth.tsv'));
  const sfFlat = new Out(path.join(dir, 'sf-flat.csv'));
  const nsFlat = new Out(path.join(dir, 'ns-flat.csv'));
  nsOut.write(`${(tenders ? NETSUITE_TENDER_CSV_HEADER : NETSUITE_CSV_HEADER).join(',')}\r\n`);
  const plantedKinds: readonly (CaseKind | TenderCaseKind)[] = tenders
    ? [...PLANTED_KINDS, ...TENDER_KINDS]
    : PLANTED_KINDS;
  sfFlat.write('order_ref,refund_id,currency,total\n');
  nsFlat.write('order_ref,internal_id,currency,total\n');
  const disputes: DemoDispute[] = [];
  let sfCount = 0;
  let nsCount = 0;
  let planted = 0;
  let index = 0;
  while (sfCount < refunds) {
    let kind: CaseKind | TenderCaseKind;
    if (pick() < plantedShare) {
      kind = plantedKinds[planted % plantedKinds.length]!;
      planted++;
    } else kind = MATCHED_KINDS[Math.floor(pick() * MATCHED_KINDS.length)]!;
    const c = (TENDER_KINDS as readonly string[]).includes(kind)
      ? factory.makeTender(kind as TenderCaseKind)
      : factory.make(kind as CaseKind);
    sfOut.write(`${shopifyOrderLean(c.order)}\n`);
    for (const r of c.order.refunds) {
      sfCount++;
      sfFlat.write(
        `#${c.order.number},${r.id},${c.order.currency},${formatAmount(refundTotal(r), c.order.currency)}\n`,
      );
    }
    for (const r of c.netsuite) {
      nsCount++;
      nsOut.write(`${netsuiteCsvRows(r, index % 3 === 0, index % 7 === 0, tenders)}\r\n`);
      if (r.type !== 'Customer Refund')
        nsFlat.write(`${r.orderRef},${r.internalId},${r.currency},${formatAmount(r.total, r.currency)}\n`);
    }
    for (const [key, code] of c.expected) truth.write(`${key}\t${code}\n`);
    if ('disputes' in c) disputes.push(...c.disputes);
    index++;
  }
  for (const o of [sfOut, nsOut, truth, sfFlat, nsFlat]) o.close();
  let disputesFile: string | null = null;
  if (tenders) {
    disputesFile = path.join(dir, 'shopify-disputes.json');
    fs.writeFileSync(disputesFile, shopifyDisputesRestText(disputes));
  }
  const info: ReconcileData = { dir, storefront: sfCount, netsuite: nsCount, planted, disputes: disputesFile };
  fs.writeFileSync(done, JSON.stringify(info));
  return info;
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const t = performance.now();
  const info = generateReconcileData(n);
  process.stdout.write(`${JSON.stringify(info)} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
