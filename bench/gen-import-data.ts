import fs from 'node:fs';
import path from 'node:path';

/**
 * Generates the import benchmark data (deterministic, seeded):
 * - bench/data/shopify-orders-<n>.ndjson: Shopify REST orders, one per line, carrying `n` refunds in
 *   total (1 or 2 refunds per order; 1–4 line items per refund, about 2.5 on average; a failed
 *   transaction attempt on some; shipping refunds and discrepancies on some);
 * - bench/data/netsuite-saved-search-<n>.csv: the matching NetSuite saved search, one Cash Refund per
 *   storefront refund in the recommended layout (main line + item lines, NetSuite signs, M/D/YYYY dates,
 *   currency names, quoted "1,234.56" amounts on some rows).
 *
 * Run: node --require tsx/cjs bench/gen-import-data.ts [refunds]
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function money(cents: number): string {
  const s = String(cents).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

function nsMoney(cents: number, negative: boolean): string {
  const s = money(cents);
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))(?=.*\.)/g, ',');
  if (!negative) return grouped.includes(',') ? `"${grouped}"` : grouped;
  return grouped.includes(',') ? `"(${grouped})"` : `-${grouped}`;
}

class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
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
}

export interface GeneratedFiles {
  shopify: string;
  netsuite: string;
  refunds: number;
  orders: number;
  nsRows: number;
}

export function importDataPaths(refunds: number, dir = path.join(__dirname, 'data')) {
  return {
    shopify: path.join(dir, `shopify-orders-${refunds}.ndjson`),
    netsuite: path.join(dir, `netsuite-saved-search-${refunds}.csv`),
  };
}

export function generateImportData(refunds: number, dir = path.join(__dirname, 'data')): GeneratedFiles {
  fs.mkdirSync(dir, { recursive: true });
  const paths = importDataPaths(refunds, dir);
  const random = rng(20260115);
  const sf = new Out(fs.openSync(paths.shopify, 'w'));
  const ns = new Out(fs.openSync(paths.netsuite, 'w'));
  ns.write(
    'Internal ID,Type,Date,Document Number,Storefront Order,External ID,Created From,Main Line,Item,Quantity,Amount,Tax Amount,Currency,Memo\n',
  );
  let made = 0;
  let orderNo = 1000;
  let refundId = 900000000;
  let nsId = 5000000;
  let orders = 0;
  let nsRows = 1;
  while (made < refunds) {
    orderNo++;
    orders++;
    const orderId = 450000000 + orderNo;
    const refundCount = Math.min(refunds - made, random() < 0.25 ? 2 : 1);
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    const date = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const refundsJson: string[] = [];
    for (let r = 0; r < refundCount; r++) {
      refundId++;
      made++;
      const lineCount = 1 + Math.floor(random() * 4);
      const rli: string[] = [];
      const nsLines: string[] = [];
      let sum = 0;
      for (let l = 0; l < lineCount; l++) {
        const qty = 1 + Math.floor(random() * 3);
        const price = 500 + Math.floor(random() * 20000);
        const subtotal = qty * price;
        const tax = Math.floor(subtotal * 0.08);
        sum += subtotal + tax;
        const sku = `SKU-${(Math.floor(random() * 5000) + 1).toString().padStart(5, '0')}`;
        rli.push(
          `{"id":${refundId * 10 + l},"quantity":${qty},"line_item_id":${orderId * 10 + l},"location_id":487838322,"restock_type":"return","subtotal":${money(subtotal)},"total_tax":${money(tax)},"subtotal_set":{"shop_money":{"amount":"${money(subtotal)}","currency_code":"USD"},"presentment_money":{"amount":"${money(subtotal)}","currency_code":"USD"}},"total_tax_set":{"shop_money":{"amount":"${money(tax)}","currency_code":"USD"},"presentment_money":{"amount":"${money(tax)}","currency_code":"USD"}},"line_item":{"id":${orderId * 10 + l},"variant_id":${40000000 + l},"title":"Product ${sku}","quantity":${qty},"sku":"${sku}","name":"Product ${sku} - Medium","price":"${money(price)}"}}`,
        );
        nsLines.push(
          `Cash Refund,${month}/${day}/2025,CR${nsId + 1},#${orderNo},shopify-refund-${refundId},Cash Sale #CS${orderNo},,${sku},-${qty},${nsMoney(subtotal, false)},${money(tax)},US Dollar,\n`,
        );
      }
      const adjustments: string[] = [];
      if (random() < 0.2) {
        sum += 500;
        adjustments.push(
          `{"id":${refundId},"order_id":${orderId},"refund_id":${refundId},"amount":"-5.00","tax_amount":"0.00","kind":"shipping_refund","reason":"Shipping refund","amount_set":{"shop_money":{"amount":"-5.00","currency_code":"USD"},"presentment_money":{"amount":"-5.00","currency_code":"USD"}}}`,
        );
        nsLines.push(
          `Cash Refund,${month}/${day}/2025,CR${nsId + 1},#${orderNo},shopify-refund-${refundId},Cash Sale #CS${orderNo},,Shipping,,5.00,0.00,US Dollar,\n`,
        );
      }
      const transactions = [
        `{"id":${refundId * 3},"order_id":${orderId},"kind":"refund","gateway":"shopify_payments","status":"success","message":"Transaction approved","created_at":"${date}T10:00:00-05:00","test":false,"authorization":null,"parent_id":${orderId * 3},"processed_at":"${date}T10:00:00-05:00","amount":"${money(sum)}","currency":"USD","source_name":"web","receipt":{}}`,
      ];
      if (random() < 0.1) {
        transactions.unshift(
          `{"id":${refundId * 3 + 1},"order_id":${orderId},"kind":"refund","gateway":"shopify_payments","status":"failure","message":"Declined","created_at":"${date}T09:59:00-05:00","test":false,"parent_id":${orderId * 3},"amount":"${money(sum)}","currency":"USD"}`,
        );
      }
      refundsJson.push(
        `{"id":${refundId},"order_id":${orderId},"created_at":"${date}T10:00:00-05:00","processed_at":"${date}T10:00:00-05:00","note":"Customer return","user_id":799407056,"restock":true,"admin_graphql_api_id":"gid://shopify/Refund/${refundId}","refund_line_items":[${rli.join(',')}],"transactions":[${transactions.join(',')}],"order_adjustments":[${adjustments.join(',')}]}`,
      );
      nsId++;
      ns.write(
        `${nsId},Cash Refund,${month}/${day}/2025,CR${nsId},#${orderNo},shopify-refund-${refundId},Cash Sale #CS${orderNo},*,,,${nsMoney(sum, true)},,US Dollar,Refund for #${orderNo}\n`,
      );
      nsRows++;
      for (const line of nsLines) {
        ns.write(`${nsId},${line}`);
        nsRows++;
      }
    }
    sf.write(
      `{"id":${orderId},"admin_graphql_api_id":"gid://shopify/Order/${orderId}","name":"#${orderNo}","email":"customer${orderNo}@example.com","created_at":"${date}T08:00:00-05:00","currency":"USD","presentment_currency":"USD","financial_status":"partially_refunded","total_price":"${money(10000)}","test":false,"refunds":[${refundsJson.join(',')}]}\n`,
    );
  }
  sf.flush();
  ns.flush();
  return { ...paths, refunds: made, orders, nsRows };
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const t = Date.now();
  const out = generateImportData(n);
  console.log(
    `${out.refunds} refunds in ${out.orders} orders → ${out.shopify}; ${out.nsRows} rows → ${out.netsuite} (${Date.now() - t} ms)`,
  );
}
